from django.urls import path

from masterplan.core.import_views import importer_urls, job_urls
from masterplan.directory import views

app_name = "directory"

urlpatterns = [
    path("organizations/", views.organization_list, name="organization_list"),
    path("organizations/new/", views.organization_create, name="organization_create"),
    path("organizations/<int:pk>/", views.organization_detail, name="organization_detail"),
    path("organizations/<int:pk>/edit/", views.organization_edit, name="organization_edit"),
    path("organizations/<int:pk>/delete/", views.organization_delete, name="organization_delete"),
    path("people/", views.person_list, name="person_list"),
    path("people/new/", views.person_create, name="person_create"),
    path("people/<int:pk>/", views.person_detail, name="person_detail"),
    path("people/<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("people/<int:pk>/delete/", views.person_delete, name="person_delete"),
    path("people/<int:pk>/affiliations/new/", views.affiliation_create, name="affiliation_create"),
    path("affiliations/<int:pk>/delete/", views.affiliation_delete, name="affiliation_delete"),
    *importer_urls(
        importer="directory.organizations", prefix="organizations/", name="organization"
    ),
    *importer_urls(importer="directory.people", prefix="people/", name="person"),
    *job_urls(),
]
