"""Template tags that render what the apps contribute to a page: report sections and panels.

Each contribution is a template and its context; it is rendered like `{% include %}` with
that context pushed on top of the page's (so `request`, `user`, `masterplan` and `print` are
there too).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django import template
from django.template.context import Context
from django.utils.safestring import SafeString, mark_safe

from masterplan.core.panels import RenderedPanel
from masterplan.core.review_report import CompiledReport

register = template.Library()


def render_parts(context: Context, parts: Iterable[tuple[str, Mapping[str, Any]]]) -> SafeString:
    html = []
    for name, values in parts:
        part = context.template.engine.get_template(name)  # type: ignore[union-attr]
        with context.push(**values):
            html.append(part.render(context))
    return mark_safe("".join(html))


@register.simple_tag(takes_context=True)
def report_sections(context: Context, report: CompiledReport, slot: str) -> SafeString:
    """The report's sections of one slot; each can reach the report as `review_report`."""
    return render_parts(
        context,
        ((s.template, {**s.context, "review_report": report}) for s in report.slot(slot)),
    )


@register.simple_tag(takes_context=True)
def dashboard_panels(context: Context, panels: Iterable[RenderedPanel]) -> SafeString:
    """The panels of a dashboard page, in their order."""
    return render_parts(context, ((panel.template, panel.context) for panel in panels))
