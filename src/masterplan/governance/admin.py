"""Admin: read-mostly views for support; edits go through the pages and services."""

from django.contrib import admin

from masterplan.governance.models import FeedToken, ReminderLog


@admin.register(ReminderLog)
class ReminderLogAdmin(admin.ModelAdmin[ReminderLog]):
    list_display = ("kind", "object_type", "object_id", "recipient", "key", "sent_at")
    list_filter = ("kind",)
    readonly_fields = ("kind", "object_type", "object_id", "recipient", "key", "sent_at")


@admin.register(FeedToken)
class FeedTokenAdmin(admin.ModelAdmin[FeedToken]):
    list_display = ("label", "user", "masterplan", "body", "created_at", "revoked_at")
    readonly_fields = ("token_hash", "created_at", "last_used_at")
