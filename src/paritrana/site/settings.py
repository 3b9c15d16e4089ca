"""Django settings of Paritrana.

Environment:
- ``PARITRANA_HOME``: folder of the local data (SQLite database, secret key);
  default ``$XDG_DATA_HOME/paritrana`` or ``~/.local/share/paritrana``.
- ``PARITRANA_DATABASE_URL``: ``postgresql://user:password@host:port/dbname`` to use
  PostgreSQL instead of SQLite.
- ``PARITRANA_SECRET_KEY``, ``PARITRANA_DEBUG`` (1/0), ``PARITRANA_ALLOWED_HOSTS`` (comma-separated).
- ``PARITRANA_HTTPS=1`` (HTTPS: redirect, HSTS, Secure cookies), ``PARITRANA_PROXY_SSL_HEADER=1`` (behind a TLS
  proxy sending ``X-Forwarded-Proto``), ``PARITRANA_DEMO=1`` (a local demonstration; set by ``paritrana demo``).
  Outside demo mode the server refuses to start without a real key, the allowed hosts and HTTPS
  (``site.deployment``, decision 0010).
- ``PARITRANA_UPLOAD_MAX_BYTES``, ``…_MAX_UNZIPPED_BYTES``, ``…_MAX_CELLS``, ``…_MAX_ROWS``, ``…_ERRORS_SHOWN``,
  ``…_MAX_NAME``: the limits of an uploaded file (``paritrana.core.limits``, decision 0011).
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from django.utils.translation import gettext_lazy as _

from paritrana.site import deployment

PACKAGE_DIR = Path(__file__).resolve().parent.parent


def paritrana_home() -> Path:
    """The folder of the local data, from ``PARITRANA_HOME`` or the XDG default."""
    if home := os.environ.get("PARITRANA_HOME"):
        return Path(home).expanduser()
    xdg = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(xdg) / "paritrana"


def database_from_url(url: str) -> dict[str, Any]:
    """Django's DATABASES entry for ``postgresql://user:password@host:port/dbname``."""
    parts = urlsplit(url)
    if parts.scheme not in {"postgresql", "postgres"}:
        raise ValueError(f"PARITRANA_DATABASE_URL must start with postgresql://, not {parts.scheme}://")
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": unquote(parts.path.lstrip("/")),
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": parts.hostname or "",
        "PORT": str(parts.port or ""),
        "CONN_MAX_AGE": 0,
        "TEST": {"NAME": "test_" + unquote(parts.path.lstrip("/"))},
    }


HOME = paritrana_home()
DEPLOYMENT = deployment.from_env(os.environ)
DEBUG = DEPLOYMENT.debug
# the development key when none is given: the tests and commands use it; a server refuses it outside demo mode
SECRET_KEY = DEPLOYMENT.secret_key
ALLOWED_HOSTS = DEPLOYMENT.allowed_hosts
# why a server would refuse to start ('' when it may): read by the WSGI entry point and ``paritrana serve``
PARITRANA_START_REFUSAL = deployment.refusal(DEPLOYMENT)

if url := os.environ.get("PARITRANA_DATABASE_URL"):
    DATABASES = {"default": database_from_url(url)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": HOME / "paritrana.sqlite3",
            "OPTIONS": {"transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"},
        }
    }

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    # WhiteNoise serves the static files (also under runserver, so the demo serves them the same way)
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "simple_history",
    "axes",
    "ninja",
    "paritrana.core",
    "paritrana.registry",
    "paritrana.accounts",
    "paritrana.contributions",
    "paritrana.claims",
    "paritrana.coverage",
    "paritrana.programmes",
    "paritrana.award",
    "paritrana.projection",
    "paritrana.scenarios",
    "paritrana.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy on every response: scripts and styles from this site only (decision 0010)
    "paritrana.web.middleware.ContentSecurityPolicy",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Bahasa Indonesia unless the language switch chose otherwise (not the browser's Accept-Language)
    "paritrana.web.middleware.IndonesianByDefault",
    "django.middleware.locale.LocaleMiddleware",
    # an upload Django cannot parse: a clear 400 in the user's language, before the CSRF check reads the form
    "paritrana.site.middleware.UnreadableUploads",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # a domain error a page let rise (not allowed, not found, invalid) as its error page, in the user's language
    "paritrana.web.errors.DomainErrors",
    # last, as django-axes asks
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # first, as django-axes asks: it refuses log-ins of a locked-out user
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "paritrana.site.urls"
WSGI_APPLICATION = "paritrana.site.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "paritrana.registry.context_processors.data_attribution",
            ],
        },
    },
]

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

# Log-in throttling (django-axes): 5 failures for one user name from one address lock it for 15 minutes.
AXES_ENABLED = os.environ.get("PARITRANA_AXES_ENABLED", "1") == "1"
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = None

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # HTMX reads it to send the token header
# HTTPS declared: redirect, HSTS (a year, sub-domains, preload), Secure cookies; the proxy's header if trusted
_security = deployment.security_settings(DEPLOYMENT)
SECURE_SSL_REDIRECT = _security["SECURE_SSL_REDIRECT"]
SECURE_HSTS_SECONDS = _security["SECURE_HSTS_SECONDS"]
SECURE_HSTS_INCLUDE_SUBDOMAINS = _security["SECURE_HSTS_INCLUDE_SUBDOMAINS"]
SECURE_HSTS_PRELOAD = _security["SECURE_HSTS_PRELOAD"]
SESSION_COOKIE_SECURE = _security["SESSION_COOKIE_SECURE"]
CSRF_COOKIE_SECURE = _security["CSRF_COOKIE_SECURE"]
SECURE_PROXY_SSL_HEADER = _security["SECURE_PROXY_SSL_HEADER"]
SECURE_CONTENT_TYPE_NOSNIFF = _security["SECURE_CONTENT_TYPE_NOSNIFF"]
SECURE_REFERRER_POLICY = _security["SECURE_REFERRER_POLICY"]
SECURE_CROSS_ORIGIN_OPENER_POLICY = _security["SECURE_CROSS_ORIGIN_OPENER_POLICY"]
X_FRAME_OPTIONS = _security["X_FRAME_OPTIONS"]

LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR.parent.parent / "locale", PACKAGE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Jakarta"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = HOME / "static"
# WhiteNoise serves them: compressed once collected (``paritrana serve`` collects them at start), else found
# in the apps as they are (the tests, the demo)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

NINJA_PAGINATION_PER_PAGE = 50
NINJA_PAGINATION_MAX_LIMIT = 500

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"axes": {"handlers": ["console"], "level": "WARNING"}},
}

# A claim's document: at most PARITRANA_MAX_DOCUMENT_BYTES (5 MB unless set). Sent base64 in a JSON body it
# grows by a third, so the API takes bodies up to that and a third, plus room for the rest (at least 8 MB;
# Django's default is 2.5 MB).
PARITRANA_MAX_DOCUMENT_BYTES = int(os.environ.get("PARITRANA_MAX_DOCUMENT_BYTES", str(5 * 1024 * 1024)))
# requests an address may make of the public calculator (pages and API) a minute, counted in the database
PARITRANA_PUBLIC_PER_MINUTE = int(os.environ.get("PARITRANA_PUBLIC_PER_MINUTE", "30"))
DATA_UPLOAD_MAX_MEMORY_SIZE = max(8 * 1024 * 1024, PARITRANA_MAX_DOCUMENT_BYTES * 4 // 3 + 1024 * 1024)

# Uploaded files (decision 0011): a file's bytes are counted as they arrive and refused past the limit
FILE_UPLOAD_HANDLERS = [
    "paritrana.core.uploads.BoundedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
UPLOAD_LIMITS = {
    field: int(value)
    for field in ("max_bytes", "max_unzipped_bytes", "max_cells", "max_rows", "errors_shown", "max_name")
    if (value := os.environ.get(f"PARITRANA_UPLOAD_{field.upper()}"))
}
