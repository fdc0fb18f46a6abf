"""Answers to invitations (RSVP): personal signed links, no login (views.rsvp_answer)."""

from django.urls import URLPattern, path

from masterplan.governance import views

app_name = "governance_rsvp"

urlpatterns: list[URLPattern] = [
    path("rsvp/<str:rsvp_token>/", views.rsvp_answer, name="answer"),
]
