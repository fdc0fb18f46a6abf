from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from masterplan.climate.models import EmissionFactor
from masterplan.core.audit import audit_record


@admin.register(EmissionFactor)
class EmissionFactorAdmin(admin.ModelAdmin[EmissionFactor]):
    """Global default factors (no masterplan) are kept by global administrators, audited;
    a plan's own factors are edited by its coordinators on the factor page."""

    list_display = ("carrier", "year", "value", "unit", "basis", "source", "vintage")
    list_filter = ("carrier", "basis")
    fields = ("carrier", "year", "value", "unit", "basis", "status", "source", "vintage")

    def get_queryset(self, request: HttpRequest) -> QuerySet[EmissionFactor]:
        return super().get_queryset(request).filter(masterplan__isnull=True)

    def save_model(
        self, request: HttpRequest, obj: EmissionFactor, form: Any, change: bool
    ) -> None:
        if change:
            obj.version += 1
        super().save_model(request, obj, form, change)
        changes = {name: [None, str(form.cleaned_data.get(name))] for name in form.changed_data}
        action = "climate.factor.global_updated" if change else "climate.factor.global_created"
        audit_record(actor=request.user, action=action, obj=obj, changes=changes)
