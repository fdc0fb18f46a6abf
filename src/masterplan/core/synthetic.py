"""Synthetic masterplans for load tests and benchmarks (`masterplan generate`): the machinery.

Scale 1 is a city: one masterplan, named after a municipality of North Rhine-Westphalia with
its official key. Scale N is N such masterplans, so scale 100 is a state. Every app that has
synthetic data fills each masterplan from `<app>/synthetic.py`:

    register_synthetic("governance", write=write, delete=delete)

`write(plan: SyntheticPlan) -> dict[str, int]` bulk-writes the app's rows and returns their
counts by name; `delete(masterplan)` removes them. The writers run in the order of
INSTALLED_APPS (the layers), so an app finds the ids of the rows below it in `plan.ids`
(the directory puts "organizations" and "people" there). This module also holds the drawing
helpers the apps share (weighted pickers, name frequencies, timestamps).

Every row is marked `is_sample=True`. Generation is deterministic: masterplan number i is
drawn from its own random generator seeded with (seed, i), so plan 1 is the same at every scale.
Rows are written without the services: no per-row validation and no audit trail, which
synthetic data does not need and which would make a state-scale run take hours, not minutes.
"""

from __future__ import annotations

import argparse
import bisect
import random
import re
import time
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from itertools import accumulate
from typing import Generic, Protocol, TypeVar

from django.db import transaction

from masterplan.core.models import Masterplan, Publication
from masterplan.core.registry import Registry

T = TypeVar("T")

DEFAULT_SEED = 2017  # the year Duisburg's masterplan was signed
DEFAULT_PREFIX = "gen"
BATCH_SIZE = 1000
PUBLISHED_SHARE = 0.95

# Timestamps are drawn from a fixed window so that the output does not depend on today.
PERIOD_START = datetime(2019, 1, 1, tzinfo=UTC)
PERIOD_END = datetime(2025, 12, 31, tzinfo=UTC)
PERIOD_SECONDS = int((PERIOD_END - PERIOD_START).total_seconds())


def content_size(value: str) -> float:
    """The --content-size option: a share of the default amount, above 0 and at most 10."""
    try:
        size = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{value}” is not a number") from None
    if not 0 < size <= 10:
        raise argparse.ArgumentTypeError(f"{value} is outside 0 < size ≤ 10")
    return size


class SyntheticDataExists(Exception):
    """Synthetic masterplans with this prefix are in the database already."""


# --- drawing -------------------------------------------------------------------------------


class Picker(Generic[T]):
    """Draws items with given weights; O(log n) per draw."""

    def __init__(self, weighted: Iterable[tuple[T, float]]) -> None:
        pairs = list(weighted)
        self.items = [item for item, _weight in pairs]
        self.cumulative = list(accumulate(weight for _item, weight in pairs))
        self.total = self.cumulative[-1]

    def __call__(self, rng: random.Random) -> T:
        return self.items[bisect.bisect_right(self.cumulative, rng.random() * self.total)]


def by_frequency(names: Sequence[str], exponent: float = 0.8) -> Picker[str]:
    """Names listed from most to least common, drawn with a Zipf-like frequency."""
    return Picker((name, 1 / (rank + 1) ** exponent) for rank, name in enumerate(names))


def words(text: str, sep: str | None = None) -> list[str]:
    """A list written as one string, to keep long vocabularies compact."""
    return text.split(sep)


def ascii_slug(text: str) -> str:
    """`Mülheim an der Ruhr` → `muelheim-an-der-ruhr` (German transliteration, then ASCII)."""
    text = text.lower()
    for umlaut, replacement in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        text = text.replace(umlaut, replacement)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def moment(rng: random.Random) -> datetime:
    return PERIOD_START + timedelta(seconds=rng.randrange(PERIOD_SECONDS))


def timestamps(rng: random.Random) -> tuple[datetime, datetime]:
    """created_at and a modified_at not before it."""
    created = moment(rng)
    remaining = int((PERIOD_END - created).total_seconds())
    return created, created + timedelta(seconds=rng.randrange(max(remaining, 1)))


def publication(rng: random.Random) -> str:
    return Publication.PUBLISHED if rng.random() < PUBLISHED_SHARE else Publication.DRAFT


# --- vocabulary ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Municipality:
    """A municipality of North Rhine-Westphalia with its official key and postcode range."""

    name: str
    ags: str
    postcode_low: int
    postcode_high: int

    @property
    def slug(self) -> str:
        return ascii_slug(self.name)

    def postcode(self, rng: random.Random) -> str:
        # Drawn from the city's range: plausible, though not every number in it is in use.
        return f"{rng.randint(self.postcode_low, self.postcode_high):05d}"


# The 22 county-free cities and Aachen, then towns of the districts of Mettmann, Rhein-Kreis
# Neuss, Rheinisch-Bergischer Kreis, Ennepe-Ruhr-Kreis and Olpe and a few more, with their
# official municipality keys (Amtlicher Gemeindeschlüssel) from the Gemeindeverzeichnis.
MUNICIPALITIES: tuple[Municipality, ...] = (
    Municipality("Düsseldorf", "05111000", 40210, 40629),
    Municipality("Duisburg", "05112000", 47051, 47279),
    Municipality("Essen", "05113000", 45127, 45359),
    Municipality("Köln", "05315000", 50667, 51149),
    Municipality("Dortmund", "05913000", 44135, 44388),
    Municipality("Bochum", "05911000", 44787, 44894),
    Municipality("Wuppertal", "05124000", 42103, 42399),
    Municipality("Bielefeld", "05711000", 33602, 33739),
    Municipality("Bonn", "05314000", 53111, 53229),
    Municipality("Münster", "05515000", 48143, 48167),
    Municipality("Mönchengladbach", "05116000", 41061, 41239),
    Municipality("Gelsenkirchen", "05513000", 45879, 45899),
    Municipality("Aachen", "05334002", 52062, 52080),
    Municipality("Krefeld", "05114000", 47798, 47839),
    Municipality("Oberhausen", "05119000", 46045, 46149),
    Municipality("Hagen", "05914000", 58089, 58135),
    Municipality("Hamm", "05915000", 59063, 59077),
    Municipality("Mülheim an der Ruhr", "05117000", 45468, 45481),
    Municipality("Leverkusen", "05316000", 51371, 51381),
    Municipality("Solingen", "05122000", 42651, 42719),
    Municipality("Herne", "05916000", 44623, 44653),
    Municipality("Remscheid", "05120000", 42853, 42899),
    Municipality("Bottrop", "05512000", 46236, 46244),
    Municipality("Neuss", "05162024", 41460, 41472),
    Municipality("Paderborn", "05774032", 33098, 33106),
    Municipality("Moers", "05170024", 47441, 47447),
    Municipality("Bergisch Gladbach", "05378004", 51427, 51469),
    Municipality("Iserlohn", "05962024", 58636, 58644),
    Municipality("Witten", "05954036", 58452, 58456),
    Municipality("Ratingen", "05158028", 40878, 40885),
    Municipality("Velbert", "05158032", 42549, 42555),
    Municipality("Dormagen", "05162004", 41539, 41542),
    Municipality("Grevenbroich", "05162008", 41515, 41517),
    Municipality("Stolberg (Rhld.)", "05334032", 52222, 52224),
    Municipality("Meerbusch", "05162022", 40667, 40670),
    Municipality("Hilden", "05158016", 40721, 40724),
    Municipality("Langenfeld (Rheinland)", "05158020", 40764, 40764),
    Municipality("Hattingen", "05954016", 45525, 45529),
    Municipality("Kaarst", "05162016", 41564, 41564),
    Municipality("Monheim am Rhein", "05158026", 40789, 40789),
    Municipality("Erkrath", "05158004", 40699, 40699),
    Municipality("Mettmann", "05158024", 40822, 40822),
    Municipality("Borken", "05554012", 46325, 46325),
    Municipality("Lüdinghausen", "05558024", 59348, 59348),
    Municipality("Salzkotten", "05774036", 33154, 33154),
    Municipality("Geilenkirchen", "05370012", 52511, 52511),
    Municipality("Altena", "05962004", 58762, 58762),
    Municipality("Simmerath", "05334028", 52152, 52152),
    Municipality("Haan", "05158008", 42781, 42781),
    Municipality("Heiligenhaus", "05158012", 42579, 42579),
    Municipality("Wülfrath", "05158036", 42489, 42489),
    Municipality("Korschenbroich", "05162020", 41352, 41352),
    Municipality("Jüchen", "05162012", 41363, 41363),
    Municipality("Rommerskirchen", "05162028", 41569, 41569),
    Municipality("Burscheid", "05378008", 51399, 51399),
    Municipality("Kürten", "05378012", 51515, 51515),
    Municipality("Leichlingen (Rheinland)", "05378016", 42799, 42799),
    Municipality("Odenthal", "05378020", 51519, 51519),
    Municipality("Overath", "05378024", 51491, 51491),
    Municipality("Rösrath", "05378028", 51503, 51503),
    Municipality("Wermelskirchen", "05378032", 42929, 42929),
    Municipality("Breckerfeld", "05954004", 58339, 58339),
    Municipality("Ennepetal", "05954008", 58256, 58256),
    Municipality("Gevelsberg", "05954012", 58285, 58285),
    Municipality("Herdecke", "05954020", 58313, 58313),
    Municipality("Schwelm", "05954024", 58332, 58332),
    Municipality("Sprockhövel", "05954028", 45549, 45549),
    Municipality("Wetter (Ruhr)", "05954032", 58300, 58300),
    Municipality("Attendorn", "05966004", 57439, 57439),
    Municipality("Drolshagen", "05966008", 57489, 57489),
    Municipality("Finnentrop", "05966012", 57413, 57413),
    Municipality("Kirchhundem", "05966016", 57399, 57399),
    Municipality("Lennestadt", "05966020", 57368, 57368),
    Municipality("Olpe", "05966024", 57462, 57462),
    Municipality("Wenden", "05966028", 57482, 57482),
)
# When there are more plans than municipalities, the next round uses another plan title.
PLAN_TITLES = ("Wirtschaft", "Industrie", "Innovation", "Handwerk und Mittelstand")


# --- the registry --------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanSpec:
    number: int
    municipality: Municipality
    slug: str
    name: str


@dataclass
class SyntheticPlan:
    """One masterplan being generated, as every app's writer sees it."""

    spec: PlanSpec
    masterplan: Masterplan
    rng: random.Random  # shared by the writers, in order: the same seed gives the same data
    today: date  # the day the data is as of (fixed, so that the output never depends on today)
    batch_size: int
    size: float  # share of the apps' default content (--content-size)
    amounts: Mapping[str, int]  # sizes asked for by name, e.g. {"organizations": 2000}
    ids: dict[str, list[int]] = field(default_factory=dict)  # rows later writers refer to

    def amount(self, name: str, default: int) -> int:
        return self.amounts.get(name, default)


@dataclass(frozen=True)
class SyntheticContent:
    write: Callable[[SyntheticPlan], dict[str, int]]
    delete: Callable[[Masterplan], None]


synthetic_content: Registry[SyntheticContent] = Registry("synthetic")


def register_synthetic(
    app_label: str,
    *,
    write: Callable[[SyntheticPlan], dict[str, int]],
    delete: Callable[[Masterplan], None],
) -> None:
    """An app's part of every generated masterplan (call once, from its synthetic.py)."""
    synthetic_content.add(SyntheticContent(write, delete), key=f"{app_label}.synthetic")


class ContentWriter(Protocol):
    def __call__(
        self,
        masterplan: Masterplan,
        *,
        organization_ids: list[int],
        person_ids: list[int],
        rng: random.Random,
        today: date,
        batch_size: int,
        size: float = 1.0,
    ) -> dict[str, int]: ...


def register_content(
    app_label: str, *, write: ContentWriter, delete: Callable[[Masterplan], None]
) -> None:
    """Register a writer that takes the directory's ids as keyword arguments, the shape of
    the content modules (governance, indicators, climate) whose functions tests call."""

    def write_plan_content(plan: SyntheticPlan) -> dict[str, int]:
        return write(
            plan.masterplan,
            organization_ids=plan.ids["organizations"],
            person_ids=plan.ids["people"],
            rng=plan.rng,
            today=plan.today,
            batch_size=plan.batch_size,
            size=plan.size,
        )

    register_synthetic(app_label, write=write_plan_content, delete=delete)


# --- writing -------------------------------------------------------------------------------


@dataclass
class GenerationResult:
    masterplans: int = 0
    counts: dict[str, int] = field(default_factory=dict)  # rows by name, in the apps' order
    seconds: float = 0.0

    @property
    def rows(self) -> int:
        return self.masterplans + sum(self.counts.values())

    def add(self, other: GenerationResult) -> None:
        self.masterplans += other.masterplans
        for name, count in other.counts.items():
            self.counts[name] = self.counts.get(name, 0) + count

    def summary(self) -> str:
        """“12 organisations, 30 people and 4 meetings”."""
        parts = [f"{count:,} {name}" for name, count in self.counts.items()]
        return " and ".join([", ".join(parts[:-1]), parts[-1]] if len(parts) > 1 else parts)


def plan_specs(*, scale: int, prefix: str) -> list[PlanSpec]:
    specs = []
    for number in range(1, scale + 1):
        round_, position = divmod(number - 1, len(MUNICIPALITIES))
        municipality = MUNICIPALITIES[position]
        title = PLAN_TITLES[round_ % len(PLAN_TITLES)]
        specs.append(
            PlanSpec(
                number=number,
                municipality=municipality,
                slug=f"{prefix}-{number:03d}-{municipality.slug}"[:60].rstrip("-"),
                name=f"Masterplan {title} {municipality.name}",
            )
        )
    return specs


def existing_plans(prefix: str) -> list[Masterplan]:
    return list(Masterplan.all_objects.filter(slug__startswith=f"{prefix}-", is_sample=True))


def delete_synthetic(prefix: str) -> int:
    """Remove the synthetic masterplans with this prefix and everything generated in them."""
    plans = existing_plans(prefix)
    for plan in plans:
        with transaction.atomic():
            for content in reversed(synthetic_content.items()):
                content.delete(plan)
            plan.delete()
    return len(plans)


def write_plan(
    spec: PlanSpec,
    *,
    seed: int,
    amounts: Mapping[str, int] | None = None,
    content_size: float = 1.0,
    batch_size: int = BATCH_SIZE,
) -> GenerationResult:
    """Generate and store one masterplan with every app's content, in one transaction.

    `amounts` sets sizes by name (e.g. organizations, people, measures; each app has its
    default); `content_size` scales the rest (1.0: e.g. 1,000 meetings and 100 indicators
    per masterplan).
    """
    rng = random.Random(f"{seed}:{spec.number}")
    created, modified = timestamps(rng)
    counts: dict[str, int] = {}
    with transaction.atomic():
        masterplan = Masterplan.objects.create(
            name=spec.name,
            slug=spec.slug,
            city=spec.municipality.name,
            ags=spec.municipality.ags,
            description=(
                "Synthetische Daten für Last- und Leistungstests (masterplan generate, "
                f"Seed {seed}). Alle Namen sind erfunden."
            ),
            publication=Publication.PUBLISHED,
            is_sample=True,
            created_at=created,
            modified_at=modified,
        )
        plan = SyntheticPlan(
            spec=spec,
            masterplan=masterplan,
            rng=rng,
            today=PERIOD_END.date(),
            batch_size=batch_size,
            size=content_size,
            amounts=amounts or {},
        )
        for content in synthetic_content:
            for name, count in content.write(plan).items():
                counts[name] = counts.get(name, 0) + count
    return GenerationResult(masterplans=1, counts=counts)


def generate(
    *,
    scale: int,
    amounts: Mapping[str, int] | None = None,
    content_size: float = 1.0,
    prefix: str = DEFAULT_PREFIX,
    seed: int = DEFAULT_SEED,
    batch_size: int = BATCH_SIZE,
    progress: Callable[[PlanSpec, GenerationResult], None] | None = None,
) -> GenerationResult:
    """Write `scale` synthetic masterplans. Refuses when plans with the prefix exist."""
    found = existing_plans(prefix)
    if found:
        raise SyntheticDataExists(
            f"{len(found)} synthetic masterplan(s) with the prefix “{prefix}-” exist already "
            f"(e.g. {found[0].slug}). Use another prefix or delete them first."
        )
    started = time.perf_counter()
    total = GenerationResult()
    for spec in plan_specs(scale=scale, prefix=prefix):
        result = write_plan(
            spec, seed=seed, amounts=amounts, content_size=content_size, batch_size=batch_size
        )
        total.add(result)
        if progress is not None:
            progress(spec, result)
    total.seconds = time.perf_counter() - started
    return total
