from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from masterplan.core.audit import audit_record
from masterplan.core.models import Masterplan


@admin.register(Masterplan)
class MasterplanAdmin(admin.ModelAdmin):
    """Tenants are created by global administrators; changes are recorded in the audit trail."""

    list_display = ("name", "slug", "city", "ags", "publication")
    prepopulated_fields = {"slug": ("name",)}
    readonly_fields = ("version", "created_at", "modified_at")

    def save_model(self, request: HttpRequest, obj: Masterplan, form: Any, change: bool) -> None:
        if change:
            obj.version += 1
        super().save_model(request, obj, form, change)
        changes = {name: [None, form.cleaned_data.get(name)] for name in form.changed_data}
        action = "plans.masterplan.updated" if change else "plans.masterplan.created"
        audit_record(actor=request.user, action=action, obj=obj, changes=changes)
