"""Django settings for OrderHub. Every knob is an ORDERHUB_* variable (see the README)."""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from orderhub.config import env, env_bool, env_list, generated_secret, var_dir

PRODUCTION = env("ORDERHUB_ENV", "embedded") == "production"
VAR_DIR = var_dir()

if PRODUCTION:
    SECRET_KEY = env("ORDERHUB_SECRET_KEY")
    if not SECRET_KEY:
        raise ImproperlyConfigured("ORDERHUB_SECRET_KEY must be set when ORDERHUB_ENV=production")
else:
    SECRET_KEY = env("ORDERHUB_SECRET_KEY") or generated_secret(VAR_DIR / "secret_key")

DEBUG = env_bool("ORDERHUB_DEBUG", default=False)
ALLOWED_HOSTS = env_list(
    "ORDERHUB_ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"]
)
CSRF_TRUSTED_ORIGINS = env_list("ORDERHUB_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "orderhub.core",
    "orderhub.stores",
    "orderhub.orders",
    "orderhub.api",
    "orderhub.web",
    "orderhub.integrations",
    "orderhub.rules",
    "orderhub.jobs",
    "orderhub.integrations.salesforce",
    "ninja",  # serves Swagger UI's bundled assets, so /api/v2/docs works offline
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "orderhub.api.middleware.ApiMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "orderhub.urls"
WSGI_APPLICATION = "orderhub.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

_sqlite_path = VAR_DIR / "orderhub.sqlite3"
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{_sqlite_path}"), conn_max_age=60, conn_health_checks=True
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers run beside the one writer; the busy timeout makes a second
        # writer wait instead of failing; IMMEDIATE takes the write lock up front so a
        # transaction never has to upgrade (and deadlock) midway.
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DATABASES["default"].setdefault("TEST", {})

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "web:login"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = False
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # whitenoise warns on every request when it is missing
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
# The pages' front-end packages come from npm (package.json) and are served from node_modules.
_NODE_MODULES = Path(__file__).resolve().parents[2] / "node_modules"
STATICFILES_DIRS = [
    ("vendor/bootstrap", _NODE_MODULES / "bootstrap" / "dist"),
    ("vendor/bootstrap-icons", _NODE_MODULES / "bootstrap-icons" / "font"),
    ("vendor/htmx", _NODE_MODULES / "htmx.org" / "dist"),
]

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = PRODUCTION and env_bool("ORDERHUB_SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("ORDERHUB_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # The sweeper ticks every few seconds; its "job executed" lines would drown the log.
        "apscheduler": {"level": "WARNING"},
    },
}

# API v2 rate limit: a leaky bucket per store, as Order Desk documents it.
ORDERHUB_API_BUCKET_SIZE = int(env("ORDERHUB_API_BUCKET_SIZE", "20"))
ORDERHUB_API_REFILL_PER_SECOND = float(env("ORDERHUB_API_REFILL_PER_SECOND", "3"))

# Salesforce calls: retries of transient failures, their first backoff, records per page.
ORDERHUB_SALESFORCE_RETRIES = int(env("ORDERHUB_SALESFORCE_RETRIES", "4"))
ORDERHUB_SALESFORCE_BACKOFF_SECONDS = float(env("ORDERHUB_SALESFORCE_BACKOFF_SECONDS", "0.5"))
ORDERHUB_SALESFORCE_BATCH_SIZE = int(env("ORDERHUB_SALESFORCE_BATCH_SIZE", "2000"))

# Started beside the web server by `orderhub serve` (ORDERHUB_RUN_JOBS=false to skip).
ORDERHUB_SERVE_HOOKS = ["orderhub.jobs.runner.start_embedded_runner"]
