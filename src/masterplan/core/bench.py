"""What `masterplan bench` measures: the apps register their pages and figures here.

Each app's `<app>/bench.py` calls

    register_bench("governance", scenarios=SCENARIOS, throughputs=throughputs)

`scenarios` are pages and lists whose query count and median time are compared at city and
state scale: a key, a label, a path template formatted with the masterplan's `slug` and the
values `params(masterplan)` returns (e.g. the id of a record to open). `throughputs`, if
given, measures figures such as rows per second on the largest masterplan and returns
(label, value, unit) triples. `main_pages` names the scenarios that are pages people wait for:
the report compares their medians with that of the organisation list page. `pdfs` are PDF addresses
timed twice: the first request renders, the second may come from the PDF cache. The harness
(site/benchmarks.py) runs them in the order of INSTALLED_APPS.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from django.test import Client

from masterplan.core.models import Masterplan
from masterplan.core.registry import Registry


def no_params(masterplan: Masterplan) -> Mapping[str, object]:
    return {}


class ListScenario(NamedTuple):
    key: str
    label: str
    path: str  # formatted with slug= and the params
    params: Callable[[Masterplan], Mapping[str, object]] = no_params

    def path_for(self, masterplan: Masterplan) -> str:
        return self.path.format(slug=masterplan.slug, **self.params(masterplan))


Throughputs = Callable[[Masterplan, Client], list[tuple[str, float, str]]]


@dataclass(frozen=True)
class BenchContribution:
    scenarios: Sequence[ListScenario]
    throughputs: Throughputs | None
    pdfs: Sequence[ListScenario] = ()
    main_pages: frozenset[str] = frozenset()


bench_contributions: Registry[BenchContribution] = Registry("bench")


def register_bench(
    app_label: str,
    *,
    scenarios: Sequence[ListScenario] = (),
    throughputs: Throughputs | None = None,
    pdfs: Sequence[ListScenario] = (),
    main_pages: Sequence[str] = (),
) -> None:
    """An app's pages and figures for `masterplan bench` (call once, from its bench.py)."""
    bench_contributions.add(
        BenchContribution(tuple(scenarios), throughputs, tuple(pdfs), frozenset(main_pages)),
        key=f"{app_label}.bench",
    )


def scenarios() -> list[ListScenario]:
    return [s for contribution in bench_contributions for s in contribution.scenarios]


def main_page_keys() -> set[str]:
    """Keys of the scenarios that are pages people wait for (`main_pages=`)."""
    return {key for contribution in bench_contributions for key in contribution.main_pages}


def pdf_scenarios() -> list[ListScenario]:
    return [s for contribution in bench_contributions for s in contribution.pdfs]


def throughput_functions() -> list[Throughputs]:
    return [c.throughputs for c in bench_contributions if c.throughputs is not None]
