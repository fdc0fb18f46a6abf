from django.urls import URLPattern, URLResolver, include, path

from masterplan.core.import_views import importer_urls, job_urls
from masterplan.plans import views

app_name = "plans"

# Pages of the plan (views.py) and the review report (report_urls.py); "my work"
# (plans:my_work) is a page of the site app, added to this namespace in masterplan/urls.py.
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.overview, name="overview"),
    path("summary/", views.summary, name="summary"),
    path("board/", views.board, name="board"),
    path("fields/new/", views.FieldCreate.as_view(), name="field_create"),
    path("fields/<int:pk>/edit/", views.FieldEdit.as_view(), name="field_edit"),
    path("fields/<int:pk>/delete/", views.FieldDelete.as_view(), name="field_delete"),
    path("goals/new/", views.GoalCreate.as_view(), name="goal_create"),
    path("goals/<int:pk>/", views.goal_detail, name="goal_detail"),
    path("goals/<int:pk>/edit/", views.GoalEdit.as_view(), name="goal_edit"),
    path("goals/<int:pk>/delete/", views.GoalDelete.as_view(), name="goal_delete"),
    path(
        "goals/<int:pk>/key-results/new/", views.KeyResultCreate.as_view(), name="key_result_create"
    ),
    path("key-results/<int:pk>/edit/", views.KeyResultEdit.as_view(), name="key_result_edit"),
    path("key-results/<int:pk>/value/", views.KeyResultValue.as_view(), name="key_result_value"),
    path("key-results/<int:pk>/delete/", views.KeyResultDelete.as_view(), name="key_result_delete"),
    path("measures/new/", views.MeasureCreate.as_view(), name="measure_create"),
    path("measures/<int:pk>/", views.measure_detail, name="measure_detail"),
    path("measures/<int:pk>/edit/", views.MeasureEdit.as_view(), name="measure_edit"),
    path("measures/<int:pk>/delete/", views.MeasureDelete.as_view(), name="measure_delete"),
    path("measures/<int:pk>/move/", views.measure_move, name="measure_move"),
    path(
        "measures/<int:pk>/milestones/new/",
        views.MilestoneCreate.as_view(),
        name="milestone_create",
    ),
    path(
        "measures/<int:pk>/status-reports/new/",
        views.StatusReportCreate.as_view(),
        name="status_report_create",
    ),
    path("milestones/<int:pk>/edit/", views.MilestoneEdit.as_view(), name="milestone_edit"),
    path(
        "milestones/<int:pk>/achieve/", views.MilestoneAchieve.as_view(), name="milestone_achieve"
    ),
    path("milestones/<int:pk>/delete/", views.MilestoneDelete.as_view(), name="milestone_delete"),
    path(
        "status-reports/<int:pk>/review/",
        views.StatusReportReview.as_view(),
        name="status_report_review",
    ),
    path(
        "status-reports/<int:pk>/return/",
        views.StatusReportReturn.as_view(),
        name="status_report_return",
    ),
    path(
        "status-reports/<int:pk>/edit/",
        views.StatusReportEdit.as_view(),
        name="status_report_edit",
    ),
    path("report/", include("masterplan.plans.report_urls")),
    *importer_urls(importer="plans.fields", prefix="fields/", name="field"),
    *importer_urls(importer="plans.goals", prefix="goals/", name="goal"),
    *importer_urls(importer="plans.key_results", prefix="key-results/", name="key_result"),
    *importer_urls(importer="plans.measures", prefix="measures/", name="measure"),
    *importer_urls(importer="plans.milestones", prefix="milestones/", name="milestone"),
    *job_urls(),
]
