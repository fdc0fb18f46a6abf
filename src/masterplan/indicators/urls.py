from django.urls import URLPattern, path

from masterplan.core.import_views import importer_urls, job_urls
from masterplan.indicators import views

app_name = "indicators"

urlpatterns: list[URLPattern] = [
    path("", views.indicator_list, name="list"),
    path("new/", views.IndicatorCreate.as_view(), name="create"),
    path("<int:pk>/", views.indicator_detail, name="detail"),
    path("<int:pk>/edit/", views.IndicatorEdit.as_view(), name="edit"),
    path("<int:pk>/follow/", views.indicator_follow, name="follow"),
    path("<int:pk>/delete/", views.IndicatorDelete.as_view(), name="delete"),
    path("<int:pk>/targets/new/", views.TargetCreate.as_view(), name="target_create"),
    path("observations/new/", views.ObservationCreate.as_view(), name="observation_create"),
    path("observations/<int:pk>/edit/", views.ObservationEdit.as_view(), name="observation_edit"),
    path(
        "observations/<int:pk>/delete/",
        views.ObservationDelete.as_view(),
        name="observation_delete",
    ),
    path("targets/<int:pk>/edit/", views.TargetEdit.as_view(), name="target_edit"),
    path("targets/<int:pk>/delete/", views.TargetDelete.as_view(), name="target_delete"),
    *importer_urls(importer="indicators.observations", prefix="observations/", name="observation"),
    *job_urls(),
]
