from django.urls import URLPattern, URLResolver, path

from masterplan.core.import_views import import_upload, importer_urls, job_urls
from masterplan.land import exports, map_views, views

app_name = "land"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.dashboard, name="dashboard"),
    path("zones/", views.zone_list, name="zone_list"),
    path("zones/new/", views.ZoneCreate.as_view(), name="zone_create"),
    path("zones/<int:pk>/", views.zone_detail, name="zone_detail"),
    path("zones/<int:pk>/edit/", views.ZoneEdit.as_view(), name="zone_edit"),
    path("zones/<int:pk>/delete/", views.ZoneDelete.as_view(), name="zone_delete"),
    path(
        "zones/<int:pk>/guidelines/new/",
        views.GuidelineCreate.as_view(),
        name="guideline_create",
    ),
    path("guidelines/<int:pk>/edit/", views.GuidelineEdit.as_view(), name="guideline_edit"),
    path("parcels/", views.parcel_list, name="parcel_list"),
    path("parcels/new/", views.ParcelCreate.as_view(), name="parcel_create"),
    path("parcels/<int:pk>/", views.parcel_detail, name="parcel_detail"),
    path("parcels/<int:pk>/edit/", views.ParcelEdit.as_view(), name="parcel_edit"),
    path("parcels/<int:pk>/delete/", views.ParcelDelete.as_view(), name="parcel_delete"),
    path("parcels/<int:pk>/confirm/", views.parcel_confirm, name="parcel_confirm"),
    path("parcels/<int:pk>/expose.pdf", views.parcel_expose, name="parcel_expose"),
    path("take-up/", views.take_up_list, name="takeup_list"),
    path("take-up/new/", views.TakeUpCreate.as_view(), name="takeup_create"),
    path("take-up/<int:pk>/edit/", views.TakeUpEdit.as_view(), name="takeup_edit"),
    path("requests/", views.request_list, name="request_list"),
    path("requests/new/", views.RequestCreate.as_view(), name="request_create"),
    path("requests/<int:pk>/", views.request_detail, name="request_detail"),
    path("requests/<int:pk>/edit/", views.RequestEdit.as_view(), name="request_edit"),
    path("requests/<int:pk>/delete/", views.RequestDelete.as_view(), name="request_delete"),
    path("requests/<int:pk>/offer/", views.request_offer, name="request_offer"),
    path("site-request/", views.public_request, name="public_request"),
    path(
        "site-request/<str:secret>/",
        views.public_request_status,
        name="public_request_status",
    ),
    path("settings/", views.SettingsEdit.as_view(), name="settings_edit"),
    *importer_urls(importer="land.parcels", prefix="parcels/", name="parcel"),
    *importer_urls(importer="land.take_ups", prefix="take-up/", name="takeup"),
    path(
        "parcels/import-geojson/",
        import_upload,
        {"importer": "land.parcels_geojson"},
        name="parcel_geojson_import",
    ),
    path(
        "parcels/import-xplan/",
        import_upload,
        {"importer": "land.parcels_xplan"},
        name="parcel_xplan_import",
    ),
    path(
        "zones/import-geojson/",
        import_upload,
        {"importer": "land.zones_geojson"},
        name="zone_geojson_import",
    ),
    path("parcels/export.geojson", exports.parcel_geojson, name="parcel_export_geojson"),
    path("zones/export.geojson", exports.zone_geojson, name="zone_export_geojson"),
    *job_urls(),
]
urlpatterns += [
    path("map/", map_views.land_map, name="map"),
    path("map/data.geojson", map_views.map_data, name="map_data"),
]
