from django.urls import path

from masterplan.core.import_views import importer_urls, job_urls
from masterplan.directory import views

app_name = "directory"

urlpatterns = [
    path("organizations/", views.organization_list, name="organization_list"),
    path("organizations/new/", views.OrganizationCreate.as_view(), name="organization_create"),
    path("organizations/<int:pk>/", views.organization_detail, name="organization_detail"),
    path(
        "organizations/<int:pk>/edit/", views.OrganizationEdit.as_view(), name="organization_edit"
    ),
    path(
        "organizations/<int:pk>/delete/",
        views.OrganizationDelete.as_view(),
        name="organization_delete",
    ),
    path("people/", views.person_list, name="person_list"),
    path("people/new/", views.PersonCreate.as_view(), name="person_create"),
    path("people/<int:pk>/", views.person_detail, name="person_detail"),
    path("people/<int:pk>/edit/", views.PersonEdit.as_view(), name="person_edit"),
    path("people/<int:pk>/delete/", views.PersonDelete.as_view(), name="person_delete"),
    path(
        "people/<int:pk>/affiliations/new/",
        views.AffiliationCreate.as_view(),
        name="affiliation_create",
    ),
    path(
        "affiliations/<int:pk>/delete/",
        views.AffiliationDelete.as_view(),
        name="affiliation_delete",
    ),
    *importer_urls(
        importer="directory.organizations", prefix="organizations/", name="organization"
    ),
    *importer_urls(importer="directory.people", prefix="people/", name="person"),
    *job_urls(),
]
