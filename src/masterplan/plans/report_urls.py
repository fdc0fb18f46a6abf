"""URLs of the review report ("Rückblick und Ausblick")."""

from django.urls import URLPattern, URLResolver, path

from masterplan.plans import report_views

urlpatterns: list[URLPattern | URLResolver] = [
    path("", report_views.review_report, name="review_report"),
    path("pdf/", report_views.review_report_pdf, name="review_report_pdf"),
]
