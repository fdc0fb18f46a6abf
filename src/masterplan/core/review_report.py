"""The review report ("Rückblick und Ausblick"): one builder, sections from the apps.

The page, its PDF download and the PDF attached to a meeting all call
`compile_review_report`; they differ only in how they render the result. The report combines
modules (the plan's milestones and measures, the indicators' charts, …), so each module
contributes its sections from `<app>/report.py`:

    @register_review_section("indicators.targets", template="indicators/_review.html",
                             slot="plans.review")
    def indicator_targets(scope: ReportScope) -> dict[str, Any] | None: ...

The function returns the section's template context (None leaves the section out). A slot is
where the section goes: "body" is the report's top level; a section may offer a slot of its
own for others to add to (the plans' review section offers "plans.review", after the key
results), rendered with `{% report_sections review_report "plans.review" %}` (templatetags/
review_report.py). Sections of a slot come in the order of INSTALLED_APPS.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from masterplan.core.models import AuditEntry, Masterplan
from masterplan.core.permissions import is_plan_member
from masterplan.core.registry import Registry

DEFAULT_OUTLOOK_MONTHS = 3
BODY = "body"


def add_months(day: date, months: int) -> date:
    """The same day `months` later (or earlier), moved to the month's last day if needed."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class DataState:
    """The newest audit entry of the plan when the report was built."""

    entry_id: int | None
    recorded_at: datetime | None
    entry_hash: str

    @property
    def short_hash(self) -> str:
        return self.entry_hash[:12]


def data_state(masterplan: Masterplan) -> DataState:
    newest = (
        AuditEntry.objects.filter(masterplan=masterplan)
        .order_by("-id")
        .values("id", "created_at", "entry_hash")
        .first()
    )
    if newest is None:
        return DataState(entry_id=None, recorded_at=None, entry_hash="")
    return DataState(
        entry_id=newest["id"], recorded_at=newest["created_at"], entry_hash=newest["entry_hash"]
    )


def generated_by_label(user: Any) -> str:
    if not getattr(user, "is_authenticated", False):
        return str(_("a public visitor"))
    return str(user.get_full_name() or user.get_username())


@dataclass(frozen=True)
class ReportScope:
    """What the report covers and for whom: every section is built for the same scope."""

    user: Any
    masterplan: Masterplan
    start: date
    end: date
    outlook_months: int
    outlook_end: date
    today: date
    is_member: bool  # members see drafts too; everyone else published records only
    generated_at: datetime
    generated_by: str
    data_state: DataState


def report_scope(
    *,
    user: Any,
    masterplan: Masterplan,
    start: date,
    end: date,
    outlook_months: int = DEFAULT_OUTLOOK_MONTHS,
    today: date,
) -> ReportScope:
    """Review of [start, end] and outlook to end + outlook_months, as `user` may see it."""
    if end < start:
        raise ValueError("the period ends before it starts")
    return ReportScope(
        user=user,
        masterplan=masterplan,
        start=start,
        end=end,
        outlook_months=outlook_months,
        outlook_end=add_months(end, outlook_months),
        today=today,
        is_member=is_plan_member(user, masterplan),
        generated_at=timezone.now(),
        generated_by=generated_by_label(user),
        data_state=data_state(masterplan),
    )


SectionBuilder = Callable[[ReportScope], Mapping[str, Any] | None]


@dataclass(frozen=True)
class SectionSpec:
    key: str
    template: str
    slot: str
    build: SectionBuilder


@dataclass(frozen=True)
class ReportSection:
    """A built section: its template and that template's context."""

    key: str
    template: str
    slot: str
    context: Mapping[str, Any]


review_sections: Registry[SectionSpec] = Registry("report")


def register_review_section(
    key: str, *, template: str, slot: str = BODY
) -> Callable[[SectionBuilder], SectionBuilder]:
    """Decorator for a function of an app's report.py that builds one section's context."""

    def decorator(build: SectionBuilder) -> SectionBuilder:
        review_sections.add(SectionSpec(key, template, slot, build), key=key)
        return build

    return decorator


@dataclass(frozen=True)
class CompiledReport:
    """The whole report: its scope and every section, ready to render."""

    scope: ReportScope
    sections: tuple[ReportSection, ...]

    # The scope's figures, as the page and the PDF frame read them from the report.
    @property
    def masterplan(self) -> Masterplan:
        return self.scope.masterplan

    @property
    def start(self) -> date:
        return self.scope.start

    @property
    def end(self) -> date:
        return self.scope.end

    @property
    def outlook_months(self) -> int:
        return self.scope.outlook_months

    @property
    def outlook_end(self) -> date:
        return self.scope.outlook_end

    @property
    def generated_at(self) -> datetime:
        return self.scope.generated_at

    @property
    def generated_by(self) -> str:
        return self.scope.generated_by

    def slot(self, name: str) -> list[ReportSection]:
        return [section for section in self.sections if section.slot == name]


def compile_review_report(
    *,
    user: Any,
    masterplan: Masterplan,
    start: date,
    end: date,
    outlook_months: int = DEFAULT_OUTLOOK_MONTHS,
    today: date,
) -> CompiledReport:
    """The review report for the page, the PDF download and the meeting attachment alike."""
    scope = report_scope(
        user=user,
        masterplan=masterplan,
        start=start,
        end=end,
        outlook_months=outlook_months,
        today=today,
    )
    sections = []
    for spec in review_sections:
        context = spec.build(scope)
        if context is not None:
            sections.append(ReportSection(spec.key, spec.template, spec.slot, context))
    return CompiledReport(scope=scope, sections=tuple(sections))
