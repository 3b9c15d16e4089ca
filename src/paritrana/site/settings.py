"""Django settings of Paritrana.

Environment:
- ``PARITRANA_HOME``: folder of the local data (SQLite database, secret key);
  default ``$XDG_DATA_HOME/paritrana`` or ``~/.local/share/paritrana``.
- ``PARITRANA_DATABASE_URL``: ``postgresql://user:password@host:port/dbname`` to use
  PostgreSQL instead of SQLite.
- ``PARITRANA_SECRET_KEY``, ``PARITRANA_DEBUG`` (1/0), ``PARITRANA_ALLOWED_HOSTS`` (comma-separated).
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from django.utils.translation import gettext_lazy as _

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
DEBUG = os.environ.get("PARITRANA_DEBUG", "0") == "1"
SECRET_KEY = os.environ.get(
    "PARITRANA_SECRET_KEY", "django-insecure-paritrana-development-key-set-PARITRANA_SECRET_KEY"
)
ALLOWED_HOSTS = [h for h in os.environ.get("PARITRANA_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h]

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
    "django.contrib.staticfiles",
    "django_htmx",
    "simple_history",
    "axes",
    "ninja",
    "paritrana.registry",
    "paritrana.accounts",
    "paritrana.contributions",
    "paritrana.claims",
    "paritrana.coverage",
    "paritrana.programmes",
    "paritrana.award",
    "paritrana.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Bahasa Indonesia unless the language switch chose otherwise (not the browser's Accept-Language)
    "paritrana.web.middleware.IndonesianByDefault",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
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
SESSION_COOKIE_SECURE = not DEBUG and os.environ.get("PARITRANA_HTTPS", "0") == "1"
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR.parent.parent / "locale", PACKAGE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Jakarta"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = HOME / "static"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

NINJA_PAGINATION_PER_PAGE = 50
NINJA_PAGINATION_MAX_LIMIT = 500

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"axes": {"handlers": ["console"], "level": "WARNING"}},
}

# a claim's document may be 5 MB (claims.services.claims.MAX_DOCUMENT_BYTES); sent base64 in a JSON body it
# grows by a third, so the API takes bodies up to 8 MB (Django's default is 2.5 MB)
DATA_UPLOAD_MAX_MEMORY_SIZE = 8 * 1024 * 1024
