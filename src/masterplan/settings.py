"""Settings, all taken from the environment (see README.md, "Configuration").

Development needs no configuration: a SQLite database and a generated secret key live in
`var/`. Production is switched on with MASTERPLAN_PRODUCTION=1 and then requires SECRET_KEY,
ALLOWED_HOSTS and (in practice) a PostgreSQL DATABASE_URL.
"""

import os
import secrets
from pathlib import Path

import dj_database_url
import django_stubs_ext
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

# Lets classes such as ModelAdmin and ModelForm take the type arguments the type checker
# needs (`ModelAdmin[PlanRole]`) at run time, too.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = Path(os.environ.get("MASTERPLAN_HOME", Path.cwd()))
VAR_DIR = Path(os.environ.get("MASTERPLAN_VAR", PROJECT_DIR / "var"))


def env_flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


PRODUCTION = env_flag("MASTERPLAN_PRODUCTION")
DEBUG = env_flag("DEBUG", default=False)


def development_secret_key() -> str:
    """A key generated once into var/ so that sessions survive restarts in development."""
    path = VAR_DIR / "secret_key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(64))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY must be set when MASTERPLAN_PRODUCTION=1.")
    SECRET_KEY = development_secret_key()

ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get(
        "ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver"
    ).split(",")
    if h.strip()
]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "csp",
    "ninja",
    "django_tasks",
    "masterplan.core.tasks_config.BackgroundTasksConfig",  # django_tasks_db, in German
    "masterplan.core",
    "masterplan.directory",
    "masterplan.plans",
    "masterplan.land",
    "masterplan.permits",
    "masterplan.governance",
    "masterplan.indicators",
    "masterplan.climate",
    "masterplan.site",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
]

ROOT_URLCONF = "masterplan.urls"
WSGI_APPLICATION = "masterplan.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "masterplan.core.context_processors.navigation",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'masterplan.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the worker write while the web process reads; IMMEDIATE avoids
    # "database is locked" upgrades inside write transactions.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
# Failed logins allowed per username and per client address in LOGIN_RATE_WINDOW seconds.
LOGIN_RATE_LIMIT = int(os.environ.get("LOGIN_RATE_LIMIT", "5"))
LOGIN_RATE_WINDOW = int(os.environ.get("LOGIN_RATE_WINDOW", "900"))

# Single sign-on through the city's OpenID Connect provider (core/sso.py, docs/accounts.md):
# off unless client id and endpoints are set; then the login page offers it beside the password.
OIDC_RP_CLIENT_ID = os.environ.get("MASTERPLAN_OIDC_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = os.environ.get("MASTERPLAN_OIDC_CLIENT_SECRET", "")
OIDC_OP_ISSUER = os.environ.get("MASTERPLAN_OIDC_ISSUER", "")
OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ.get("MASTERPLAN_OIDC_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = os.environ.get("MASTERPLAN_OIDC_TOKEN_ENDPOINT", "")
OIDC_OP_USER_ENDPOINT = os.environ.get("MASTERPLAN_OIDC_USERINFO_ENDPOINT", "")
OIDC_OP_JWKS_ENDPOINT = os.environ.get("MASTERPLAN_OIDC_JWKS_ENDPOINT", "")
OIDC_RP_SIGN_ALGO = os.environ.get("MASTERPLAN_OIDC_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = os.environ.get("MASTERPLAN_OIDC_SCOPES", "openid email profile")
# Unknown people are refused unless this is set: access is given by invitation.
OIDC_CREATE_USER = env_flag("MASTERPLAN_OIDC_CREATE_USERS")
OIDC_BUTTON_LABEL = os.environ.get("MASTERPLAN_OIDC_BUTTON_LABEL", "")
OIDC_USE_NONCE = True
OIDC_USE_PKCE = env_flag("MASTERPLAN_OIDC_PKCE", default=True)
OIDC_TIMEOUT = float(os.environ.get("MASTERPLAN_OIDC_TIMEOUT", "10"))
OIDC_AUTHENTICATION_CALLBACK_URL = "sso_callback"
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
if OIDC_RP_CLIENT_ID and OIDC_OP_AUTHORIZATION_ENDPOINT:
    AUTHENTICATION_BACKENDS.append("masterplan.core.sso.CityAccountBackend")

LANGUAGE_CODE = "de"
LANGUAGES = [("de", _("German")), ("en", _("English"))]
# German times read "14:00 Uhr" (src/masterplan/formats/de/formats.py).
FORMAT_MODULE_PATH = ["masterplan.formats"]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": VAR_DIR / "media"},
    },
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = not PRODUCTION  # development: no collectstatic, no STATIC_ROOT needed

# Rendered PDFs (review report, climate report), keyed by what they show (core/pdf.py), and how
# long a request waits for a PDF to render before it answers "being prepared".
PDF_CACHE_DIR = Path(os.environ.get("PDF_CACHE_DIR", VAR_DIR / "cache" / "pdf"))
PDF_WAIT_SECONDS = float(os.environ.get("PDF_WAIT_SECONDS", "1.5"))

# Django's cache: built pages kept under a key of what they show (the review report page,
# plans/report_views.py). Local memory of each process by default; several processes or
# hosts can share one with CACHE_BACKEND=django.core.cache.backends.redis.RedisCache and
# CACHE_LOCATION=redis://host:6379 (needs the redis package), or
# django.core.cache.backends.db.DatabaseCache with a table name (`masterplan createcachetable`).
CACHES = {
    "default": {
        "BACKEND": os.environ.get("CACHE_BACKEND", "django.core.cache.backends.locmem.LocMemCache"),
        "LOCATION": os.environ.get("CACHE_LOCATION", "masterplan"),
    }
}
# How long a built review report page is kept at most (a change to the plan replaces it at
# once; this bounds what no audit entry of the plan records, e.g. a user's new name).
REVIEW_REPORT_CACHE_SECONDS = int(os.environ.get("REVIEW_REPORT_CACHE_SECONDS", "600"))

# Django's form templates, with <select> written in Python (core/form_renderer.py).
FORM_RENDERER = "masterplan.core.form_renderer.Renderer"

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Uploaded files (governance documents) live here and are served only by permission-checked
# views, never as static files.
MEDIA_ROOT = VAR_DIR / "media"
GOVERNANCE_DOCUMENT_MAX_BYTES = int(
    os.environ.get("GOVERNANCE_DOCUMENT_MAX_BYTES", str(20 * 1024 * 1024))
)

# E-mail (reminders): printed to the console unless EMAIL_HOST is set (see docs/governance.md).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "masterplan@localhost")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_SSL = os.environ.get("EMAIL_USE_SSL", "0") == "1"
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "0" if EMAIL_USE_SSL else "1") == "1"
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "20"))

# Uploads: the import framework enforces its own, clearer limits (see core/imports/reading.py).
DATA_UPLOAD_MAX_MEMORY_SIZE = 60 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
IMPORT_MAX_BYTES = int(os.environ.get("IMPORT_MAX_BYTES", str(50 * 1024 * 1024)))
IMPORT_MAX_ROWS = int(os.environ.get("IMPORT_MAX_ROWS", "250000"))
# Characters in one cell; 131072 is also the limit of Python's csv module.
IMPORT_MAX_CELL_CHARS = int(os.environ.get("IMPORT_MAX_CELL_CHARS", "131072"))
# Imports with more rows than this run as a background task with progress in the browser.
IMPORT_BACKGROUND_ROWS = int(os.environ.get("IMPORT_BACKGROUND_ROWS", "2000"))

# Base map of the land map: a tile URL template ("https://tile.example.org/{z}/{x}/{y}.png") and
# its attribution. None by default, so that the map works offline and sends no visitor to a
# third party: it then shows only the plan's zones and parcels on a plain background.
MAP_TILES_URL = os.environ.get("MASTERPLAN_MAP_TILES", "")
MAP_TILES_ATTRIBUTION = os.environ.get("MASTERPLAN_MAP_ATTRIBUTION", "")
MAP_TILES_ORIGIN = "/".join(MAP_TILES_URL.split("/")[:3]) if "://" in MAP_TILES_URL else ""

# Security: the same headers in development and production; cookies and HTTPS only where
# the site is served over TLS.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", *([MAP_TILES_ORIGIN] if MAP_TILES_ORIGIN else [])],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = PRODUCTION or env_flag("SECURE_COOKIES")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_flag("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_flag("SECURE_HSTS_PRELOAD", default=True)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

NINJA_PAGINATION_PER_PAGE = 50
