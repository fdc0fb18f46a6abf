from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy

from masterplan.api import api
from masterplan.core import account_views
from masterplan.core import views as core_views
from masterplan.plans import urls as plans_urls
from masterplan.site import urls as site_urls

handler403 = "masterplan.core.views.permission_denied"
handler404 = "masterplan.site.views.page_not_found"
admin.site.site_header = admin.site.site_title = gettext_lazy("Masterplan administration")

urlpatterns = [
    path("", include(site_urls.urlpatterns)),
    path("accounts/login/", core_views.login_view, name="login"),
    path("accounts/logout/", core_views.logout_view, name="logout"),
    path("accounts/sso/login/", core_views.sso_login, name="sso_login"),
    path("accounts/sso/callback/", core_views.sso_callback, name="sso_callback"),
    path("accounts/password/reset/", core_views.password_reset, name="password_reset"),
    path(
        "accounts/password/reset/sent/",
        core_views.password_reset_done,
        name="password_reset_done",
    ),
    path(
        "accounts/password/reset/<uidb64>/<token>/",
        core_views.password_reset_confirm,
        name="password_reset_confirm",
    ),
    path(
        "accounts/password/reset/done/",
        core_views.password_reset_complete,
        name="password_reset_complete",
    ),
    path("i18n/setlang/", core_views.switch_language, name="set_language"),
    path("favicon.ico", core_views.favicon, name="favicon"),
    path("audit/verify/", core_views.audit_check, name="audit_check"),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("p/<slug:plan>/audit/", core_views.audit_trail, name="audit_trail"),
    path("p/<slug:plan>/audit/export.xlsx", core_views.audit_export, name="audit_export"),
    path("p/<slug:plan>/access/", account_views.access_list, name="access_list"),
    path("p/<slug:plan>/access/invite/", account_views.access_invite, name="access_invite"),
    path("p/<slug:plan>/access/<int:role>/edit/", account_views.access_edit, name="access_edit"),
    path(
        "p/<slug:plan>/access/<int:role>/resend/",
        account_views.access_resend,
        name="access_resend",
    ),
    path(
        "p/<slug:plan>/access/<int:role>/revoke/",
        account_views.access_revoke,
        name="access_revoke",
    ),
    path("p/<slug:plan>/directory/", include("masterplan.directory.urls")),
    path(
        "p/<slug:plan>/plan/",
        include(([*plans_urls.urlpatterns, *site_urls.plan_pages], plans_urls.app_name)),
    ),
    path("p/<slug:plan>/governance/", include("masterplan.governance.urls")),
    path("", include("masterplan.governance.feed_urls")),
    path("", include("masterplan.governance.rsvp_urls")),
    path("p/<slug:plan>/indicators/", include("masterplan.indicators.urls")),
    path("p/<slug:plan>/climate/", include("masterplan.climate.urls")),
    path("p/<slug:plan>/land/", include("masterplan.land.urls")),
    path("p/<slug:plan>/permits/", include("masterplan.permits.urls")),
    path("oparl/v1/", include("masterplan.governance.oparl.urls")),
]
