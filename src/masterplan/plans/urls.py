from django.urls import include, path

from masterplan.core.import_views import importer_urls, job_urls
from masterplan.plans import views

app_name = "plans"

# Pages of the plan (views.py) and the review report (report_urls.py); "my work"
# (plans:my_work) is a page of the site app, added to this namespace in masterplan/urls.py.
urlpatterns: list = [
    path("", views.overview, name="overview"),
    path("summary/", views.summary, name="summary"),
    path("board/", views.board, name="board"),
    path("fields/new/", views.field_create, name="field_create"),
    path("fields/<int:pk>/edit/", views.field_edit, name="field_edit"),
    path("fields/<int:pk>/delete/", views.field_delete, name="field_delete"),
    path("goals/new/", views.goal_create, name="goal_create"),
    path("goals/<int:pk>/", views.goal_detail, name="goal_detail"),
    path("goals/<int:pk>/edit/", views.goal_edit, name="goal_edit"),
    path("goals/<int:pk>/delete/", views.goal_delete, name="goal_delete"),
    path("goals/<int:pk>/key-results/new/", views.key_result_create, name="key_result_create"),
    path("key-results/<int:pk>/edit/", views.key_result_edit, name="key_result_edit"),
    path("key-results/<int:pk>/value/", views.key_result_value, name="key_result_value"),
    path("key-results/<int:pk>/delete/", views.key_result_delete, name="key_result_delete"),
    path("measures/new/", views.measure_create, name="measure_create"),
    path("measures/<int:pk>/", views.measure_detail, name="measure_detail"),
    path("measures/<int:pk>/edit/", views.measure_edit, name="measure_edit"),
    path("measures/<int:pk>/delete/", views.measure_delete, name="measure_delete"),
    path("measures/<int:pk>/move/", views.measure_move, name="measure_move"),
    path("measures/<int:pk>/milestones/new/", views.milestone_create, name="milestone_create"),
    path(
        "measures/<int:pk>/status-reports/new/",
        views.status_report_create,
        name="status_report_create",
    ),
    path("milestones/<int:pk>/edit/", views.milestone_edit, name="milestone_edit"),
    path("milestones/<int:pk>/achieve/", views.milestone_achieve, name="milestone_achieve"),
    path("milestones/<int:pk>/delete/", views.milestone_delete, name="milestone_delete"),
    path(
        "status-reports/<int:pk>/review/",
        views.status_report_review,
        name="status_report_review",
    ),
    path("report/", include("masterplan.plans.report_urls")),
    *importer_urls(importer="plans.fields", prefix="fields/", name="field"),
    *importer_urls(importer="plans.goals", prefix="goals/", name="goal"),
    *importer_urls(importer="plans.key_results", prefix="key-results/", name="key_result"),
    *importer_urls(importer="plans.measures", prefix="measures/", name="measure"),
    *importer_urls(importer="plans.milestones", prefix="milestones/", name="milestone"),
    *job_urls(),
]
