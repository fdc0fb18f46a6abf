"""Template tags of the land maps: the options every map element carries."""

from __future__ import annotations

from django import template

from masterplan.core.models import Masterplan
from masterplan.land.map_views import map_labels, map_options

register = template.Library()


@register.simple_tag
def land_map_options(masterplan: Masterplan) -> dict[str, str]:
    """`{% land_map_options masterplan as map %}`: data URL, page URLs and base-map tiles."""
    return map_options(masterplan)


@register.simple_tag
def land_map_labels() -> dict[str, list[tuple[str, str]]]:
    """`{% land_map_labels as labels %}`: the names of statuses and availabilities (popups)."""
    return map_labels()
