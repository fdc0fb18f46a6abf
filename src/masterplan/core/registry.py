"""What the apps contribute to things that combine them: one small registry class for all.

A registry belongs to a module of `core` (the demo, synthetic data, benchmarks, the review
report, dashboards, personal data). Apps contribute from a module of a fixed name — e.g. every
`<app>/demo.py` registers its demo loader — which the registry imports on first use, the way
Django finds `admin.py` (`autodiscover_modules`). Entries come back in the order of
INSTALLED_APPS, which follows the layers (core < directory < plans < … < site), so an app's
contribution always comes after those of the apps it builds on; within an app, in the order
it registered them. Nothing here names an app: a new module contributes by having the module.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Generic, TypeVar

from django.apps import apps
from django.utils.module_loading import autodiscover_modules

T = TypeVar("T")


@dataclass(frozen=True)
class Entry(Generic[T]):
    app_label: str
    key: str
    item: T


class Registry(Generic[T]):
    """Items registered by the apps from their `<app>/<module>.py`, in INSTALLED_APPS order."""

    def __init__(self, module: str) -> None:
        self.module = module
        self._entries: dict[str, Entry[T]] = {}
        self._discovered = False

    def discover(self) -> None:
        """Import `<app>.<module>` of every installed app, once per process."""
        if not self._discovered:
            autodiscover_modules(self.module)
            self._discovered = True

    def add(self, item: T, *, key: str) -> T:
        """Register `item` under `key` ("<app label>.<name>"); registering the same key again
        replaces the earlier item (a module imported twice must not register twice)."""
        label = key.split(".", 1)[0]
        if label not in apps.app_configs:
            raise LookupError(f"{key}: “{label}” is not an installed app label.")
        self._entries[key] = Entry(app_label=label, key=key, item=item)
        return item

    def entries(self) -> list[Entry[T]]:
        """Every entry, the apps' modules imported first, ordered by app then registration."""
        self.discover()
        order = {config.label: index for index, config in enumerate(apps.get_app_configs())}
        numbered = enumerate(self._entries.values())
        ranked = sorted(numbered, key=lambda pair: (order.get(pair[1].app_label, 0), pair[0]))
        return [entry for _number, entry in ranked]

    def items(self) -> list[T]:
        return [entry.item for entry in self.entries()]

    def __iter__(self) -> Iterator[T]:
        return iter(self.items())
