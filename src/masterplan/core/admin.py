from datetime import datetime
from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult

from masterplan.core.accounts import api_token_delete, api_token_revoke, role_grant, role_revoke
from masterplan.core.models import ApiToken, AuditEntry, PlanRole


@admin.register(PlanRole)
class PlanRoleAdmin(admin.ModelAdmin[PlanRole]):
    """Roles are granted, changed and revoked through core/accounts.py, which audits them."""

    list_display = ("user", "masterplan", "role", "organization")
    list_filter = ("role", "masterplan")

    def save_model(
        self, request: HttpRequest, obj: PlanRole, form: ModelForm[PlanRole], change: bool
    ) -> None:
        if change:
            before = PlanRole.objects.get(pk=obj.pk)
            if (before.user_id, before.masterplan_id) != (obj.user_id, obj.masterplan_id):
                role_revoke(actor=request.user, role=before)
        saved = role_grant(
            actor=request.user,
            user=obj.user,
            masterplan=obj.masterplan,
            role=obj.role,
            organization=obj.organization_id,
        )
        obj.pk = saved.pk

    def delete_model(self, request: HttpRequest, obj: PlanRole) -> None:
        role_revoke(actor=request.user, role=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[PlanRole]) -> None:
        for role in queryset:
            role_revoke(actor=request.user, role=role)


@admin.action(description=_("Revoke the selected tokens"))
def revoke_tokens(
    modeladmin: admin.ModelAdmin[ApiToken], request: HttpRequest, queryset: QuerySet[ApiToken]
) -> None:
    for token in queryset:
        api_token_revoke(actor=request.user, token=token)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin[ApiToken]):
    """Read-only but for revoking and deleting, both audited (core/accounts.py). Tokens are
    issued with `masterplan token create`, which shows the secret once."""

    list_display = ("name", "user", "prefix", "created_at", "last_used_at", "revoked_at")
    readonly_fields = (
        "name",
        "user",
        "prefix",
        "digest",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
    )
    actions = (revoke_tokens,)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def delete_model(self, request: HttpRequest, obj: ApiToken) -> None:
        api_token_delete(actor=request.user, token=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        for token in queryset:
            api_token_delete(actor=request.user, token=token)


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin[AuditEntry]):
    """Read-only: the audit trail is append-only."""

    list_display = ("id", "created_at", "actor_label", "action", "object_repr")
    list_filter = ("action",)

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False


# --- Background tasks (django-tasks' database backend), in the interface language -------------

admin.site.unregister(DBTaskResult)


@admin.register(DBTaskResult)
class TaskResultAdmin(DBTaskResultAdmin):
    """django-tasks' read-only admin, with German labels: its model's field names are
    translated in core/messages.py (they are gettext in django-tasks-db, which ships no
    German catalogue), its computed columns here."""

    list_display = (
        "id",
        "task",
        "status",
        "enqueued_at",
        "started_at",
        "finished_at",
        "priority",
        "queue_name",
    )

    @admin.display(description=_("task"))
    def task(self, obj: DBTaskResult[Any, Any]) -> str:
        return str(obj.task_name)

    @admin.display(description=_("traceback"))
    def formatted_traceback(self, obj: DBTaskResult[Any, Any]) -> str:
        return super().formatted_traceback(obj)

    @admin.display(description=_("run after"))
    def display_run_after(self, obj: DBTaskResult[Any, Any]) -> datetime | str:
        return super().display_run_after(obj)
