from django.urls import URLPattern, URLResolver, path

from masterplan.climate import views
from masterplan.core.import_views import importer_urls, job_urls

app_name = "climate"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.overview, name="overview"),
    path("report.pdf", views.overview_pdf, name="overview_pdf"),
    path("policy/", views.policy_edit, name="policy_edit"),
    path("members/new/", views.membership_create, name="membership_create"),
    path("members/<int:pk>/", views.member_detail, name="member_detail"),
    path("members/<int:pk>/edit/", views.membership_edit, name="membership_edit"),
    path("members/<int:pk>/reports/new/", views.report_create, name="report_create"),
    path("reports/<int:pk>/", views.report_detail, name="report_detail"),
    path("reports/<int:pk>/edit/", views.report_edit, name="report_edit"),
    path("reports/<int:pk>/delete/", views.report_delete, name="report_delete"),
    path("factors/", views.factor_list, name="factor_list"),
    path("factors/new/", views.factor_create, name="factor_create"),
    path("factors/<int:pk>/edit/", views.factor_edit, name="factor_edit"),
    path("changes/new/", views.change_create, name="change_create"),
    path("changes/<int:pk>/edit/", views.change_edit, name="change_edit"),
    *importer_urls(importer="climate.energy_reports", prefix="reports/", name="report"),
    *job_urls(),
]
