"""Template tags for other modules' pages: which indicator a key result takes its value from."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django import template

from masterplan.indicators.models import Indicator
from masterplan.indicators.queries import linked_indicators as linked_indicators_query

register = template.Library()


def key_result_id(item: Any) -> int:
    """A key result's id, from the key result or from a node/detail that holds one."""
    node = getattr(item, "node", item)
    return int(getattr(node, "key_result", node).pk)


@register.simple_tag
def linked_indicators(key_results: Iterable[Any]) -> dict[int, Indicator]:
    """{key result id: indicator} for these key results, in one query:
    `{% linked_indicators detail.key_results as linked %}`."""
    return linked_indicators_query(key_result_id(k) for k in key_results)


@register.filter
def indicator_of(linked: Mapping[int, Indicator], key_result_id: int) -> Indicator | None:
    return linked.get(key_result_id)
