"""The form renderer of the site: Django's templates, with `<select>` written in Python.

Django renders every `<option>` through two template includes. A select of the 2,000
organisations of a city plan (the observation form, the filters of the plan overview) took
more than half of the page's time that way. `Renderer` writes the same markup, byte for byte,
in Python; anything unusual (a widget with its own option template) goes through Django's
templates as before.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.forms.renderers import DjangoTemplates
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

SELECT_TEMPLATE = "django/forms/widgets/select.html"
OPTION_TEMPLATE = "django/forms/widgets/select_option.html"


def attributes(attrs: Mapping[str, Any]) -> str:
    """What django/forms/widgets/attrs.html writes: ` name="value"`, bare when True."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            parts.append(f" {conditional_escape(name)}")
        else:
            parts.append(f' {conditional_escape(name)}="{conditional_escape(value)}"')
    return "".join(parts)


def render_select(widget: Mapping[str, Any]) -> SafeString | None:
    """django/forms/widgets/select.html with its options, or None for unusual options."""
    parts = [f'<select name="{conditional_escape(widget["name"])}"{attributes(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{conditional_escape(localize(group_name))}">')
        for option in group_choices:
            if option.get("template_name") != OPTION_TEMPLATE:
                return None
            parts.append(
                f'\n  <option value="{conditional_escape(option["value"])}"'
                f"{attributes(option['attrs'])}>{conditional_escape(localize(option['label']))}"
                "</option>\n"
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return mark_safe("".join(parts))  # every value above is escaped


class Renderer(DjangoTemplates):
    """Django's default form renderer, with a fast path for `<select>`."""

    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        if template_name == SELECT_TEMPLATE:
            fast = render_select(context["widget"])
            if fast is not None:
                return fast
        return str(super().render(template_name, context, request=request))
