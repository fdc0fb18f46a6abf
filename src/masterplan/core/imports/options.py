"""Options of an import besides its file, asked for on the upload page.

Some files do not say everything an import needs: an XBau application does not name the
authority that a new procedure belongs to. An importer that needs such options declares an
`options_form` (a subclass of `ImportOptionsForm`); the upload page shows its fields beside
the file, the import job keeps its cleaned data (`ImportJob.options`, JSON values) so that the
preview and the import after it run with the same options, and `import_file(options=…)` runs
the import inside the importer's `options(values)` context (see `ModelImporter.options`),
which is where the command line passes the same values.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django import forms

from masterplan.core.actors import Actor
from masterplan.core.forms import style_widgets
from masterplan.core.models import Masterplan

# The options' fields are named `options-<name>` in the upload form, beside `file` and
# `dry_run`.
OPTIONS_PREFIX = "options"


class ImportOptionsForm(forms.Form):
    """The options of one importer for one plan and user (choices: what they may see).

    Its cleaned data must be JSON values (names and codes rather than records): it is stored
    with the job and read again when the previewed file is imported.
    """

    def __init__(self, *args: Any, masterplan: Masterplan, user: Actor, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", OPTIONS_PREFIX)
        super().__init__(*args, **kwargs)
        self.masterplan = masterplan
        self.user = user
        style_widgets(self)

    def full_clean(self) -> None:
        super().full_clean()
        if self.is_bound:
            style_widgets(self, with_errors=True)

    def options(self) -> dict[str, Any]:
        """The options for the import (after `is_valid()`)."""
        return dict(self.cleaned_data)

    def describe(self, options: Mapping[str, Any]) -> list[tuple[str, str]]:
        """The options as a person reads them, (label, value), for the job's page: a choice
        by its label (also the empty choice's, e.g. "the plan's own authority"); other
        options left empty are not shown."""
        shown = []
        for name, field in self.fields.items():
            value = options.get(name)
            labels = dict(flat_choices(getattr(field, "choices", ())))
            if value is None or (value == "" and (field.required or not labels.get(""))):
                continue
            shown.append((str(field.label), str(labels.get(value, value))))
        return shown


def flat_choices(choices: Iterable[Any]) -> Iterable[tuple[Any, Any]]:
    """The (value, label) pairs of choices, also those inside groups."""
    for value, label in choices:
        if isinstance(label, list | tuple):
            yield from flat_choices(label)
        else:
            yield value, label
