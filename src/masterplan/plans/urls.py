from django.urls import include, path

app_name = "plans"

# Pages of the plan (views.py) and the review report (report_urls.py).
urlpatterns: list = [
    path("report/", include("masterplan.plans.report_urls")),
]
