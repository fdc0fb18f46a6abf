from django.contrib import admin

from masterplan.core.models import ApiToken, AuditEntry, PlanRole


@admin.register(PlanRole)
class PlanRoleAdmin(admin.ModelAdmin[PlanRole]):
    list_display = ("user", "masterplan", "role", "organization")
    list_filter = ("role", "masterplan")


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin[ApiToken]):
    list_display = ("name", "user", "prefix", "created_at", "last_used_at", "revoked_at")
    readonly_fields = ("prefix", "digest", "created_at", "last_used_at")


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
