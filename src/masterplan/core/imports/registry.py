"""The importers of all apps: each app's importers.py registers its own with `@register`."""

from __future__ import annotations

from django.utils.module_loading import autodiscover_modules

from masterplan.core.imports.importer import ModelImporter

_registry: dict[str, ModelImporter] = {}


def register(cls: type[ModelImporter]) -> type[ModelImporter]:
    """Class decorator for an app's importers.py: `@register class …(ModelImporter)`."""
    _registry[cls.key] = cls()
    return cls


def importers() -> dict[str, ModelImporter]:
    """Every importer, from the `importers` module of each installed app."""
    autodiscover_modules("importers")
    return dict(_registry)


def get_importer(key: str) -> ModelImporter:
    found = importers().get(key)
    if found is None:
        raise LookupError(f"No importer “{key}”. Known: {', '.join(sorted(_registry))}")
    return found
