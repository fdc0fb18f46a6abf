from django.urls import URLPattern, URLResolver, path

from masterplan.core.import_views import import_upload, importer_urls, job_urls
from masterplan.permits import views

app_name = "permits"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.dashboard, name="dashboard"),
    path("dashboard.pdf", views.dashboard_pdf, name="dashboard_pdf"),
    path("method/", views.method, name="method"),
    path("benchmark/", views.benchmark, name="benchmark"),
    path("procedures/", views.procedure_list, name="procedure_list"),
    path("procedures/new/", views.ProcedureCreate.as_view(), name="procedure_create"),
    path("procedures/<int:pk>/", views.procedure_detail, name="procedure_detail"),
    path("procedures/<int:pk>/edit/", views.ProcedureEdit.as_view(), name="procedure_edit"),
    path("procedures/<int:pk>/delete/", views.ProcedureDelete.as_view(), name="procedure_delete"),
    path("procedures/<int:pk>/stages/new/", views.EventCreate.as_view(), name="event_create"),
    path(
        "procedures/<int:pk>/extensions/new/",
        views.ExtensionCreate.as_view(),
        name="extension_create",
    ),
    path("stages/<int:pk>/delete/", views.EventDelete.as_view(), name="event_delete"),
    path("extensions/<int:pk>/delete/", views.ExtensionDelete.as_view(), name="extension_delete"),
    path("authorities/", views.authority_list, name="authority_list"),
    path("authorities/new/", views.AuthorityCreate.as_view(), name="authority_create"),
    path("authorities/<int:pk>/", views.authority_detail, name="authority_detail"),
    path("authorities/<int:pk>/edit/", views.AuthorityEdit.as_view(), name="authority_edit"),
    path("authorities/<int:pk>/delete/", views.AuthorityDelete.as_view(), name="authority_delete"),
    path("types/", views.type_list, name="type_list"),
    path("types/new/", views.TypeCreate.as_view(), name="type_create"),
    path("types/statutory/", views.type_defaults, name="type_defaults"),
    path("types/<int:pk>/edit/", views.TypeEdit.as_view(), name="type_edit"),
    path("types/<int:pk>/delete/", views.TypeDelete.as_view(), name="type_delete"),
    path("peers/", views.peer_list, name="peer_list"),
    path("peers/new/", views.PeerCreate.as_view(), name="peer_create"),
    path("peers/<int:pk>/edit/", views.PeerEdit.as_view(), name="peer_edit"),
    path("peers/<int:pk>/delete/", views.PeerDelete.as_view(), name="peer_delete"),
    *importer_urls(importer="permits.procedures", prefix="procedures/", name="procedure"),
    *importer_urls(importer="permits.events", prefix="stages/", name="event"),
    *importer_urls(importer="permits.peer_figures", prefix="peers/", name="peer"),
    path(
        "procedures/import-xbau/",
        import_upload,
        {"importer": "permits.xbau"},
        name="xbau_import",
    ),
    *job_urls(),
]
