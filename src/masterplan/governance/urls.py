from django.urls import URLPattern, path

from masterplan.governance import views

app_name = "governance"

# Pages of the governance module (views.py); the calendar feeds and OParl have their own.
urlpatterns: list[URLPattern] = [
    path("", views.body_list, name="body_list"),
    path("bodies/new/", views.BodyCreate.as_view(), name="body_create"),
    path("bodies/<int:pk>/", views.body_detail, name="body_detail"),
    path("bodies/<int:pk>/edit/", views.BodyEdit.as_view(), name="body_edit"),
    path("bodies/<int:pk>/delete/", views.BodyDelete.as_view(), name="body_delete"),
    path(
        "bodies/<int:pk>/members/new/", views.MembershipCreate.as_view(), name="membership_create"
    ),
    path("bodies/<int:pk>/meetings/new/", views.MeetingCreate.as_view(), name="meeting_create"),
    path("memberships/<int:pk>/edit/", views.MembershipEdit.as_view(), name="membership_edit"),
    path(
        "memberships/<int:pk>/delete/", views.MembershipDelete.as_view(), name="membership_delete"
    ),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/edit/", views.MeetingEdit.as_view(), name="meeting_edit"),
    path("meetings/<int:pk>/delete/", views.MeetingDelete.as_view(), name="meeting_delete"),
    path("meetings/<int:pk>/state/", views.meeting_transition, name="meeting_transition"),
    path("meetings/<int:pk>/invitation/", views.invitation_send, name="invitation_send"),
    path("meetings/<int:pk>/agenda.pdf", views.agenda_pdf, name="agenda_pdf"),
    path("meetings/<int:pk>/minutes.pdf", views.minutes_pdf, name="minutes_pdf"),
    path(
        "meetings/<int:pk>/minutes/correct/",
        views.meeting_correct_minutes,
        name="meeting_correct_minutes",
    ),
    path("meetings/<int:pk>/attendance/", views.attendance_record, name="attendance_record"),
    path("meetings/<int:pk>/minutes/", views.MinutesEdit.as_view(), name="minutes_edit"),
    path(
        "meetings/<int:pk>/agenda/new/", views.AgendaItemCreate.as_view(), name="agenda_item_create"
    ),
    path("meetings/<int:pk>/agenda/draft/", views.agenda_draft, name="agenda_draft"),
    path("meetings/<int:pk>/report/", views.review_report_attach, name="review_report_attach"),
    path("meetings/<int:pk>/documents/new/", views.document_upload, name="document_upload"),
    path("agenda-items/<int:pk>/edit/", views.AgendaItemEdit.as_view(), name="agenda_item_edit"),
    path(
        "agenda-items/<int:pk>/result/", views.AgendaItemResult.as_view(), name="agenda_item_result"
    ),
    path("agenda-items/<int:pk>/move/", views.agenda_item_move, name="agenda_item_move"),
    path(
        "agenda-items/<int:pk>/delete/", views.AgendaItemDelete.as_view(), name="agenda_item_delete"
    ),
    path(
        "agenda-items/<int:pk>/decisions/new/",
        views.DecisionCreate.as_view(),
        name="decision_create",
    ),
    path("agenda-items/<int:pk>/actions/new/", views.ActionCreate.as_view(), name="action_create"),
    path(
        "bodies/<int:pk>/decisions/new/",
        views.CirculatedDecisionCreate.as_view(),
        name="circulated_decision_create",
    ),
    path("decisions/", views.decision_list, name="decision_list"),
    path("decisions/export.xlsx", views.decision_export, name="decision_export"),
    path("decisions/<int:pk>/edit/", views.DecisionEdit.as_view(), name="decision_edit"),
    path(
        "decisions/<int:pk>/implementation/",
        views.DecisionImplementation.as_view(),
        name="decision_implementation",
    ),
    path("decisions/<int:pk>/delete/", views.DecisionDelete.as_view(), name="decision_delete"),
    path("actions/", views.action_list, name="action_list"),
    path("actions/export.xlsx", views.action_export, name="action_export"),
    path("actions/new/", views.ActionCreateFree.as_view(), name="action_create_free"),
    path("actions/<int:pk>/edit/", views.ActionEdit.as_view(), name="action_edit"),
    path("actions/<int:pk>/delete/", views.ActionDelete.as_view(), name="action_delete"),
    path("documents/<int:pk>/", views.document_download, name="document_download"),
    path("documents/<int:pk>/delete/", views.DocumentDelete.as_view(), name="document_delete"),
    path("calendar/", views.calendar_month, name="calendar"),
    path("calendar/private/", views.feed_tokens, name="feed_tokens"),
    path("calendar/<int:year>/<int:month>/", views.calendar_month, name="calendar_month"),
]
