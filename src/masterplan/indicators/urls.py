from django.urls import URLPattern, path

from masterplan.core.import_views import importer_urls, job_urls
from masterplan.indicators import views

app_name = "indicators"

urlpatterns: list[URLPattern] = [
    path("", views.indicator_list, name="list"),
    path("new/", views.indicator_create, name="create"),
    path("<int:pk>/", views.indicator_detail, name="detail"),
    path("<int:pk>/edit/", views.indicator_edit, name="edit"),
    path("<int:pk>/delete/", views.indicator_delete, name="delete"),
    path("<int:pk>/targets/new/", views.target_create, name="target_create"),
    path("observations/new/", views.observation_create, name="observation_create"),
    path("observations/<int:pk>/edit/", views.observation_edit, name="observation_edit"),
    path("observations/<int:pk>/delete/", views.observation_delete, name="observation_delete"),
    path("targets/<int:pk>/edit/", views.target_edit, name="target_edit"),
    path("targets/<int:pk>/delete/", views.target_delete, name="target_delete"),
    *importer_urls(importer="indicators.observations", prefix="observations/", name="observation"),
    *job_urls(),
]
