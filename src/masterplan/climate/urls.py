from django.urls import URLPattern, URLResolver, path

from masterplan.climate import views
from masterplan.core.import_views import importer_urls, job_urls

app_name = "climate"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.overview, name="overview"),
    path("report.pdf", views.overview_pdf, name="overview_pdf"),
    path("policy/", views.PolicyEdit.as_view(), name="policy_edit"),
    path("members/new/", views.MembershipCreate.as_view(), name="membership_create"),
    path("members/<int:pk>/", views.member_detail, name="member_detail"),
    path("members/<int:pk>/edit/", views.MembershipEdit.as_view(), name="membership_edit"),
    path("members/<int:pk>/reports/new/", views.ReportCreate.as_view(), name="report_create"),
    path("reports/<int:pk>/", views.report_detail, name="report_detail"),
    path("reports/<int:pk>/edit/", views.ReportEdit.as_view(), name="report_edit"),
    path("reports/<int:pk>/delete/", views.ReportDelete.as_view(), name="report_delete"),
    path("factors/", views.factor_list, name="factor_list"),
    path("factors/new/", views.FactorCreate.as_view(), name="factor_create"),
    path("factors/<int:pk>/edit/", views.FactorEdit.as_view(), name="factor_edit"),
    path("changes/new/", views.ChangeCreate.as_view(), name="change_create"),
    path("changes/<int:pk>/edit/", views.ChangeEdit.as_view(), name="change_edit"),
    *importer_urls(importer="climate.energy_reports", prefix="reports/", name="report"),
    *job_urls(),
]
