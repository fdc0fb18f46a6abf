"""Addresses of the site's pages; they keep the names and paths they had before the pages
moved here ("home", "plan_home" and "plans:my_work")."""

from django.urls import URLPattern, path

from masterplan.site import views

urlpatterns: list[URLPattern] = [
    path("", views.home, name="home"),
    path("p/<slug:plan>/", views.plan_home, name="plan_home"),
]

# Added to the plans module's namespace by masterplan/urls.py: /p/<plan>/plan/mine/.
plan_pages: list[URLPattern] = [
    path("mine/", views.my_work, name="my_work"),
]
