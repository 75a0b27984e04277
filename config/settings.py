"""Segmenta settings: one module, the environment decides.

DATABASE_URL picks the database (SQLite file in the project root by default);
DEBUG, SECRET_KEY and ALLOWED_HOSTS come from the environment with defaults that
are safe on a developer's machine.
"""

from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from core.proxies import trusted_networks

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DEBUG", default=True)

SECRET_KEY = env("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "Set SECRET_KEY in the environment when DEBUG is off."
        )
    SECRET_KEY = "django-insecure-local-development-only"

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

DJANGO_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]
THIRD_PARTY_APPS = [
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "django_countries",
    "django_tasks_db",
    "axes",
]
LOCAL_APPS = [
    "core",
    "contacts",
    "interactions",
    "segmentation",
]
INSTALLED_APPS = DJANGO_APPS + THIRD_PARTY_APPS + LOCAL_APPS

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # A write that cannot get the database's lock in time: 503, try again.
    "core.middleware.DatabaseBusyMiddleware",
    # Last, so it turns a refused login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE transactions take the write lock up front, so concurrent writers
    # queue on the busy timeout instead of failing with "database is locked"; one
    # that waits longer gets the "busy, try again" page (core/middleware.py).
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # Behind PgBouncer in transaction pooling, a server-side cursor (QuerySet.iterator)
    # could outlive its transaction on a server connection another client then gets:
    # Django's docs say to turn them off there (docs/deployment.md).
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = env.bool(
        "DISABLE_SERVER_SIDE_CURSORS", default=False
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# django-axes refuses a login after AXES_FAILURE_LIMIT wrong passwords, before it
# checks the password, so it must be the first backend.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_COOLOFF_MINUTES", default=15))
# The pair, not each alone: by user alone, anyone could lock a colleague out from
# anywhere; by address alone, one office behind one NAT (or every user behind a
# proxy not in TRUSTED_PROXIES) would be locked out together.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "core.login.locked_out"
# The client's address: REMOTE_ADDR, or X-Forwarded-For when a trusted proxy
# (TRUSTED_PROXIES, below) sent the request.
AXES_CLIENT_IP_CALLABLE = "core.proxies.client_address"
# Its start-up banner on every manage.py command is noise; lockouts are still logged.
AXES_VERBOSE = False
# The reverse proxies (load balancers) in front of the app servers: addresses or
# networks. Only a request from one of them has its X-Forwarded-For header read
# for the client's address (core/proxies.py); empty, the header is never read.
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])
try:
    trusted_networks(TRUSTED_PROXIES)
except ValueError as error:
    raise ImproperlyConfigured(f"TRUSTED_PROXIES: {error}") from None
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en"
# Each language is named in itself, as the language switcher shows it.
LANGUAGES = [
    ("en", "English"),
    ("sv", "Svenska"),
    ("fr", "Français"),
    ("cs", "Čeština"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Our date formats where Django's could be misread (config/formats/<language>/).
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = env("TIME_ZONE", default="Europe/Stockholm")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
# Nothing serves MEDIA_URL: stored files go out only through views that check
# who asks (core/files.py), so no web server may serve MEDIA_ROOT either.
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
# Who sends a stored file once a view has allowed it: Django (empty), or the web
# server in front, told by a header: "X-Accel-Redirect" (nginx; the file's name
# follows SENDFILE_URL_PREFIX, an `internal` location) or "X-Sendfile" (Apache
# mod_xsendfile; the file's path).
SENDFILE_HEADER = env("SENDFILE_HEADER", default="")
SENDFILE_URL_PREFIX = env("SENDFILE_URL_PREFIX", default="/protected-files/")
if SENDFILE_HEADER not in ("", "X-Accel-Redirect", "X-Sendfile"):
    raise ImproperlyConfigured(
        "SENDFILE_HEADER must be empty, X-Accel-Redirect (nginx) or X-Sendfile (Apache)."
    )
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Uploads larger than this go to a temporary file instead of memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# What a contact import reads at most, whatever a file declares.
CONTACT_IMPORT_MAX_ROWS = env.int("CONTACT_IMPORT_MAX_ROWS", default=1_000_000)
CONTACT_IMPORT_MAX_COLUMNS = env.int("CONTACT_IMPORT_MAX_COLUMNS", default=200)

# Background jobs (big letter batches) are rows in the database, run by
# `manage.py run_worker` (as many as there are cores): no broker to operate.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# A worker whose heartbeat is older than this is taken as dead and its work is
# queued again (core/jobs/workers.py); the reaper looks every JOB_REAP_SECONDS.
JOB_STALE_SECONDS = env.float("JOB_STALE_SECONDS", default=30)
JOB_REAP_SECONDS = env.float("JOB_REAP_SECONDS", default=5)
# A job or chunk whose worker was lost this many times fails (with a Retry button).
JOB_MAX_ATTEMPTS = env.int("JOB_MAX_ATTEMPTS", default=3)
# The workers' heartbeat files; workers on several machines must share it.
JOB_HEARTBEAT_DIR = env.path("JOB_HEARTBEAT_DIR", default=BASE_DIR / "var" / "workers")
# Separate letters are made this many to a task, so N workers make a batch N× faster.
LETTERS_PER_CHUNK = env.int("LETTERS_PER_CHUNK", default=250)
# A combined download of more letters than this comes as a zip of volumes, each
# made by one task, so a worker's memory is bounded by one volume.
LETTERS_PER_VOLUME = env.int("LETTERS_PER_VOLUME", default=1000)
# Above these sizes the work runs as a job, so no request comes near the web
# server's timeout (docs/deployment.md); each is about 2 s of work on a quiet
# 2-core machine (docs/benchmarks.md).
IMPORT_ROWS_IN_REQUEST = env.int("IMPORT_ROWS_IN_REQUEST", default=20_000)
LOG_LINES_IN_REQUEST = env.int("LOG_LINES_IN_REQUEST", default=50_000)
CANCEL_ENTRIES_IN_REQUEST = env.int("CANCEL_ENTRIES_IN_REQUEST", default=50_000)
STEP_LINES_IN_REQUEST = env.int("STEP_LINES_IN_REQUEST", default=100_000)
# Exports of more rows than this run as a job; smaller ones stream in the request.
EXPORT_ROWS_IN_REQUEST = env.int("EXPORT_ROWS_IN_REQUEST", default=10_000)
# Rows per Excel sheet, header included (Excel's limit; lowered in tests).
XLSX_ROWS_PER_SHEET = env.int("XLSX_ROWS_PER_SHEET", default=1_048_576)

# PDF letters: LibreOffice kept warm by unoserver, which runs from its own
# virtualenv (`make unoserver`). UNOSERVER_PORT names one already running; unset,
# the process that converts starts its own (core/office.py).
UNOSERVER_DIR = env.path("UNOSERVER_DIR", default=BASE_DIR / ".unoserver")
UNOSERVER_PORT = env.int("UNOSERVER_PORT", default=None)
# Each `run_worker` starts its own unoserver (own free ports) where LibreOffice
# is installed and UNOSERVER_PORT is unset, and stops it when it stops.
WORKER_UNOSERVER = env.bool("WORKER_UNOSERVER", default=True)
# Shared by every process (rate limits): the database by default (the table is
# made by `manage.py createcachetable`), Redis when CACHE_URL says so.
CACHES = {"default": env.cache_url("CACHE_URL", default="dbcache://segmenta_cache")}

# E-mail. EMAIL_URL (smtp://user:password@host:587, smtp+tls://…, smtps://…)
# names the SMTP server. Without it, DEBUG writes each message as an .eml file
# into MAIL_OUTBOX (nothing leaves the machine); production uses an SMTP server
# on localhost:25.
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Segmenta <segmenta@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
MAIL_OUTBOX = env.path("MAIL_OUTBOX", default=BASE_DIR / "outbox")
_email_url = env("EMAIL_URL", default="")
if _email_url:
    _email = env.email_url_config(_email_url)
    _smtp_options = {
        "host": _email.get("EMAIL_HOST") or "localhost",
        "port": _email.get("EMAIL_PORT") or None,
        "username": _email.get("EMAIL_HOST_USER", ""),
        "password": _email.get("EMAIL_HOST_PASSWORD", ""),
        "use_tls": bool(_email.get("EMAIL_USE_TLS")),
        "use_ssl": bool(_email.get("EMAIL_USE_SSL")),
        "timeout": 60,
    }
    MAILERS = {
        "default": {
            "BACKEND": _email["EMAIL_BACKEND"],
            "OPTIONS": _smtp_options
            if _email["EMAIL_BACKEND"].endswith("smtp.EmailBackend")
            else {},
        }
    }
elif DEBUG:
    MAILERS = {
        "default": {
            "BACKEND": "core.mail.EmlFolderBackend",
            "OPTIONS": {"file_path": MAIL_OUTBOX},
        }
    }
else:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "localhost", "port": 25, "timeout": 60},
        }
    }
# Messages a minute for all senders together (0: no limit); providers set one.
EMAIL_RATE_PER_MINUTE = env.int("EMAIL_RATE_PER_MINUTE", default=0)
# A merged letter larger than this is not attached; the e-mail fails instead.
EMAIL_MAX_ATTACHMENT_BYTES = env.int(
    "EMAIL_MAX_ATTACHMENT_BYTES", default=10 * 1024 * 1024
)
# Seconds to wait before each retry after a temporary SMTP error (4xx, timeout,
# connection refused or dropped).
EMAIL_RETRY_DELAYS = [5, 30, 120]
# How long the unsubscribe link of an e-mail works, and how often one address
# may use such links.
UNSUBSCRIBE_LINK_MAX_AGE_DAYS = env.int("UNSUBSCRIBE_LINK_MAX_AGE_DAYS", default=90)
UNSUBSCRIBE_RATE_PER_MINUTE = 20

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
# Widgets through Jinja2 (the same HTML, several times faster for long selects):
# core/form_renderer.py.
FORM_RENDERER = "core.form_renderer.JinjaWidgetsRenderer"

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "frame-ancestors": [CSP.NONE],
}
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https")
    if env.bool("BEHIND_HTTPS_PROXY", default=False)
    else None
)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
# The load balancer's health check asks over plain HTTP, straight to each server.
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool(
    "SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG
)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    # unoserver's client logs three INFO lines for every PDF it converts.
    "loggers": {"unoserver": {"level": "WARNING"}},
}
