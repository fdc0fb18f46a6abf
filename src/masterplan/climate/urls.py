from django.urls import URLPattern

app_name = "climate"

urlpatterns: list[URLPattern] = []
