"""Objects of a higher module that a lower one names but may not write: creation by name.

A measure names its operational unit (a governance body) and the measures import creates the
working groups it does not know yet. The plans app owns the link (the field is the measure's)
but not the bodies, and it may not import governance (a higher layer). The owner of the
referenced model registers a creator here; the referencing app calls `create_named` with the
model of its foreign key, and the rows are created through the owner's audited service.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Protocol

from django.db import models

from masterplan.core.models import Masterplan


class NamedCreator(Protocol):
    def __call__(
        self,
        *,
        actor: Any,
        masterplan: Masterplan,
        names: Mapping[str, bool],
        is_sample: bool = False,
    ) -> dict[str, int]:
        """Create one object per name (True: published) and return their ids by name."""
        ...


_creators: dict[str, NamedCreator] = {}


def model_label(model: type[models.Model]) -> str:
    return model._meta.label_lower


def register_named_creator(label: str) -> Callable[[NamedCreator], NamedCreator]:
    """Decorator for the owner's service: `@register_named_creator("governance.body")`."""

    def register(creator: NamedCreator) -> NamedCreator:
        _creators[label.lower()] = creator
        return creator

    return register


def create_named(
    model: type[models.Model],
    *,
    actor: Any,
    masterplan: Masterplan,
    names: Mapping[str, bool],
    is_sample: bool = False,
) -> dict[str, int]:
    """Ids of new objects of `model`, one per name, made by the service of the owning app."""
    if not names:
        return {}
    try:
        creator = _creators[model_label(model)]
    except KeyError:
        raise LookupError(f"No app registered a creator for {model_label(model)}.") from None
    return creator(actor=actor, masterplan=masterplan, names=names, is_sample=is_sample)
