"""What every reader returns or raises: features in EPSG:25832, or all the problems at once."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from django.utils.translation import gettext as _
from shapely.geometry.base import BaseGeometry

from masterplan.land.geometry import overlaps, shown_number

# A ReadError keeps this many problems for display; the count goes on.
MAX_PROBLEMS = 1000


@dataclass(frozen=True)
class Feature:
    """One polygon read from a file. `index` counts features from 1 in the order of the file;
    `ref` is the file's own identifier (GeoJSON `id`, XPlanGML `gml:id`), "" if it has none;
    `geometry` is a valid Polygon or MultiPolygon in EPSG:25832."""

    index: int
    ref: str
    properties: dict[str, Any]
    geometry: BaseGeometry


@dataclass(frozen=True)
class ReadProblem:
    """A problem with a file: `index` and `ref` of the feature (None/"" for the whole file) and
    the line where the reader knows it."""

    index: int | None
    ref: str
    line: int | None
    message: str

    def __str__(self) -> str:
        if self.line is not None:
            return _("line %(line)s: %(message)s") % {"line": self.line, "message": self.message}
        return self.message


@dataclass
class Problems:
    """Problems in the order found: the first MAX_PROBLEMS kept, all of them counted."""

    kept: list[ReadProblem] = field(default_factory=list)
    count: int = 0

    def add(
        self, message: str, *, index: int | None = None, ref: str = "", line: int | None = None
    ) -> None:
        self.count += 1
        if len(self.kept) < MAX_PROBLEMS:
            self.kept.append(ReadProblem(index=index, ref=ref, line=line, message=message))

    def raise_if_any(self) -> None:
        if self.count:
            raise ReadError(self.kept, count=self.count)


class ReadError(Exception):
    """The file was not read: nothing of it is to be imported. `problems` holds the first
    MAX_PROBLEMS problems, `count` how many there were."""

    def __init__(self, problems: Sequence[ReadProblem], *, count: int | None = None) -> None:
        self.problems = list(problems)
        self.count = len(self.problems) if count is None else count
        super().__init__("; ".join(str(problem) for problem in self.problems[:5]))

    @classmethod
    def single(cls, message: str, *, line: int | None = None) -> ReadError:
        return cls([ReadProblem(index=None, ref="", line=line, message=message)])

    @property
    def messages(self) -> list[str]:
        return [str(problem) for problem in self.problems]


def feature_label(index: int, ref: str) -> str:
    if ref:
        return _("Feature %(index)s (%(ref)s)") % {"index": index, "ref": ref}
    return _("Feature %(index)s") % {"index": index}


# EPSG:25832 as it is spelt in GML and legacy GeoJSON: EPSG:25832, urn:ogc:def:crs:EPSG::25832,
# urn:ogc:def:crs:EPSG:6.3:25832, http://www.opengis.net/def/crs/EPSG/0/25832,
# http://www.opengis.net/gml/srs/epsg.xml#25832; and the AdV's urn:adv:crs:ETRS89_UTM32.
_EPSG = re.compile(
    r"(?:^|[:/#])EPSG(?::[\d.]*)?:(\d+)$|/EPSG/[\d.]+/(\d+)$|epsg\.xml#(\d+)$", re.IGNORECASE
)
_ADV_UTM32 = re.compile(r"^urn:adv:crs:ETRS89_UTM32(?:\*.*)?$", re.IGNORECASE)
_CRS84 = re.compile(
    r"^(?:urn:ogc:def:crs:OGC:(?:1\.3)?:CRS84|http://www\.opengis\.net/def/crs/OGC/1\.3/CRS84)$",
    re.IGNORECASE,
)


@cache
def epsg_code(name: str) -> int | None:
    """The EPSG code a CRS name denotes, or None if it is not an EPSG name we know."""
    name = name.strip()
    if _ADV_UTM32.match(name):
        return 25832
    match = _EPSG.search(name)
    if not match:
        return None
    return int(next(group for group in match.groups() if group))


def is_crs84(name: str) -> bool:
    return bool(_CRS84.match(name.strip()))


def check_features(
    features: Sequence[Feature],
    problems: Problems,
    *,
    lines: Sequence[int | None] | None = None,
    check_overlaps: bool = True,
) -> None:
    """The checks that need all features: a `ref` used twice, polygons overlapping each other."""
    seen: dict[str, int] = {}
    for position, feature in enumerate(features):
        line = lines[position] if lines else None
        if feature.ref and feature.ref in seen:
            problems.add(
                _("%(label)s: the identifier “%(ref)s” was already used by feature %(first)s.")
                % {
                    "label": feature_label(feature.index, feature.ref),
                    "ref": feature.ref,
                    "first": seen[feature.ref],
                },
                index=feature.index,
                ref=feature.ref,
                line=line,
            )
        elif feature.ref:
            seen[feature.ref] = feature.index
    if not check_overlaps:
        return
    for i, j, area in overlaps([feature.geometry for feature in features]):
        first, second = features[i], features[j]
        problems.add(
            _("%(first)s and %(second)s overlap by %(area)s m².")
            % {
                "first": feature_label(first.index, first.ref),
                "second": feature_label(second.index, second.ref),
                "area": shown_number(area, 0, grouping=True),
            },
            index=first.index,
            ref=first.ref,
            line=lines[i] if lines else None,
        )
