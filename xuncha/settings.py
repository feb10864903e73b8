"""Django settings for xuncha: one file, read from the environment, SQLite by default.

Every setting a site may change is an ``XUNCHA_*`` environment variable documented in
``.env.example``. Bad values fail loudly at start-up rather than half-working.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name: str, default: str = "False") -> bool:
    value = os.environ.get(name, default).strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off", ""):
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def envint(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, not {value!r}") from None


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DATA_DIR = Path(os.environ.get("XUNCHA_DATA_DIR") or BASE_DIR / "var").resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    """The configured key, else one generated once per data directory and kept there.

    A per-install random key is what an intranet machine needs: nothing secret in the repository
    and sessions that survive a restart.
    """
    configured = os.environ.get("XUNCHA_SECRET_KEY", "").strip()
    if configured:
        return configured
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        key_file.chmod(0o600)
    return key_file.read_text(encoding="utf-8").strip()


SECRET_KEY = _secret_key()

# The keys that sign the history (xuncha.workflow.auditkeys), kept out of the database so SQL
# access alone cannot rewrite a sign-off. XUNCHA_AUDIT_KEY (+ the retired keys in
# XUNCHA_AUDIT_OLD_KEYS) wins; otherwise a key ring file generated once, like SECRET_KEY.
AUDIT_KEY_FILE = Path(os.environ.get("XUNCHA_AUDIT_KEY_FILE") or DATA_DIR / "audit_keys").resolve()


def _audit_keys() -> list[str]:
    from xuncha.workflow import auditkeys

    current = os.environ.get("XUNCHA_AUDIT_KEY", "").strip()
    keys = (
        [*envlist("XUNCHA_AUDIT_OLD_KEYS", ""), current]
        if current
        else auditkeys.ensure_file(AUDIT_KEY_FILE)
    )
    try:
        auditkeys.ring(keys)
    except auditkeys.KeyRingError as error:
        raise ImproperlyConfigured(f"XUNCHA_AUDIT_KEY / {AUDIT_KEY_FILE}: {error}") from None
    return keys


AUDIT_KEYS = _audit_keys()
DEBUG = envbool("XUNCHA_DEBUG")
ALLOWED_HOSTS = envlist("XUNCHA_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = envlist("XUNCHA_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "xuncha.inspections",
    "xuncha.accounts",
    "xuncha.workflow",
    "xuncha.api",
    "xuncha.search",
    "xuncha.assessment",
    "xuncha.similar",
    "xuncha.pagecache",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "xuncha.web",
]

MIDDLEWARE = [
    "xuncha.headers.SecurityHeadersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A form sent after the session expired leads back to its page after logging in again.
    "xuncha.web.middleware.SessionExpiryMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into its lockout response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "xuncha.urls"
WSGI_APPLICATION = "xuncha.wsgi.application"

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

DATABASE_URL = os.environ.get("XUNCHA_DATABASE_URL", "").strip()
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(DATA_DIR / "xuncha.sqlite3"),
            # WAL lets readers go on while one request writes; the timeout rides out short locks.
            "OPTIONS": {
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

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
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Repeated failed logins for one user name from one address lock that pair out for a while.
AXES_ENABLED = envbool("XUNCHA_LOGIN_THROTTLE", "True")
AXES_FAILURE_LIMIT = envint("XUNCHA_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = envint("XUNCHA_LOGIN_COOLOFF_MINUTES", 15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# The lock-out page says how long the lock-out lasts and what to do (web/locked_out.html).
AXES_LOCKOUT_CALLABLE = "xuncha.web.views.account.locked_out"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "todo"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = os.environ.get("XUNCHA_TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # whitenoise looks here as well as in the apps' folders
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Serving straight from the apps' static folders means no collectstatic step can be forgotten.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_ROOT = DATA_DIR / "media"
# Evidence files live outside any web root and are only served through a permission check.
EVIDENCE_ROOT = DATA_DIR / "evidence"
EVIDENCE_MAX_BYTES = envint("XUNCHA_EVIDENCE_MAX_MB", 20) * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = EVIDENCE_MAX_BYTES + 1024 * 1024

# Deadline colour levels (days before the due date) and defaults for new rounds.
DEADLINE_NOTICE_DAYS = envint("XUNCHA_DEADLINE_NOTICE_DAYS", 20)
DEADLINE_WARNING_DAYS = envint("XUNCHA_DEADLINE_WARNING_DAYS", 10)
PLAN_DUE_DAYS = envint("XUNCHA_PLAN_DUE_DAYS", 30)
CLUE_FOLLOW_UP_MONTHS = envint("XUNCHA_CLUE_FOLLOW_UP_MONTHS", 3)

EMAIL_BACKEND = os.environ.get(
    "XUNCHA_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = os.environ.get("XUNCHA_EMAIL_FROM", "xuncha@localhost")
# Events of one kind about one unit, while unread and this recent, are grouped in one message.
NOTIFICATION_GROUP_MINUTES = envint("XUNCHA_NOTIFICATION_GROUP_MINUTES", 120)

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = envbool("XUNCHA_SECURE_COOKIES")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
# A stale form gets a page in Chinese that says what happened, not Django's debug text.
CSRF_FAILURE_VIEW = "xuncha.web.views.errors.csrf_failure"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("XUNCHA_LOG_LEVEL", "INFO")},
}

# Pages of long lists.
PAGE_SIZE = envint("XUNCHA_PAGE_SIZE", 50)

# `xuncha serve` worker processes sharing the port (one Python process serves pages on one core
# at a time; set it to the number of cores on a machine that serves only xuncha).
WORKERS = envint("XUNCHA_WORKERS", 1)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "xuncha.api.authentication.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "EXCEPTION_HANDLER": "xuncha.api.errors.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "xuncha 巡察整改 API",
    "DESCRIPTION": "巡察整改管理系统的 REST API。令牌由 `xuncha token 用户名` 签发，"
    "请求头 `Authorization: Bearer <令牌>`。",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI's files come from the drf-spectacular-sidecar package and are served locally:
    # intranet sites have no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}


# --- HTTPS behind a proxy, and the headers every response carries ---

# Served over HTTPS behind a reverse proxy (docs/deployment.md): the proxy terminates TLS and
# says so in X-Forwarded-Proto, which is only trustworthy because `xuncha serve` listens on
# 127.0.0.1 where nothing but the proxy reaches it.
HTTPS = envbool("XUNCHA_HTTPS")
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = HTTPS or SESSION_COOKIE_SECURE
#: The proxy's address as `xuncha serve` sees it; only its X-Forwarded-* headers are believed.
TRUSTED_PROXY = os.environ.get("XUNCHA_TRUSTED_PROXY", "127.0.0.1").strip()
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = envint("XUNCHA_HSTS_SECONDS", 365 * 24 * 3600)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    # Only says the site agrees to be preloaded; nothing is listed without a separate request.
    SECURE_HSTS_PRELOAD = True

# Every response (xuncha.headers): scripts, styles, images, fonts and requests from this site
# only; no inline script or style, no plugins, not framed, forms post only here.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)


# --- hostile input, tokens, throttling (issue 8) ---

# Ids beyond 64 bits, NUL characters in queries and forms, and JSON for every API 404/405
# (xuncha.guard), after authentication so the refusal page knows its user.
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.messages.middleware.MessageMiddleware") + 1,
    "xuncha.guard.HostileInputMiddleware",
)

#: API tokens expire this many days after issue (0: never).
TOKEN_DAYS = envint("XUNCHA_TOKEN_DAYS", 90)
#: Bad API tokens from one address within the window before it gets 429 for the window.
API_TOKEN_FAILURE_LIMIT = envint("XUNCHA_API_TOKEN_FAILURE_LIMIT", 20)
API_TOKEN_FAILURE_MINUTES = envint("XUNCHA_API_TOKEN_FAILURE_MINUTES", 15)
# The API's schema and its docs page are for signed-in users (session or token) only.
SPECTACULAR_SETTINGS["SERVE_PERMISSIONS"] = ["rest_framework.permissions.IsAuthenticated"]
#: The most a .docx/.xlsx (notice, user sheet, evidence) may unpack to; larger is refused
#: before unpacking (xuncha.zipguard reads the same variable).
MAX_UNPACKED_BYTES = envint("XUNCHA_MAX_UNPACKED_MB", 50) * 1024 * 1024
#: All files of one request together (each file also has XUNCHA_EVIDENCE_MAX_MB); a larger
#: request is refused with 413 before its body is read (xuncha.guard).
UPLOAD_MAX_BYTES_PER_REQUEST = envint("XUNCHA_UPLOAD_MAX_MB_PER_REQUEST", 60) * 1024 * 1024
# Password spraying: this many failed logins from one address, across all user names, within
# the cool-off time lock the address out as well (xuncha.accounts.throttle); both rules apply.
AXES_HANDLER = "xuncha.accounts.throttle.SprayAwareHandler"
LOGIN_IP_FAILURE_LIMIT = envint("XUNCHA_LOGIN_IP_FAILURE_LIMIT", 20)


# --- rendered pages (xuncha.pagecache) ---

#: Rendered read pages kept per process, keyed by user, path, day and the data version that
#: every write moves (xuncha.pagecache); 0 renders every request afresh.
PAGE_CACHE_ENTRIES = envint("XUNCHA_PAGE_CACHE_ENTRIES", 2000)
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "pages": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "xuncha-pages",
        "TIMEOUT": 600,
        "OPTIONS": {"MAX_ENTRIES": max(PAGE_CACHE_ENTRIES, 1)},
    },
}


# --- background jobs: ledger import and export (ledgerweb) ---

# django-tasks (the backport of Django 6's django.tasks) with its database backend: jobs wait in
# a table, so SQLite and PostgreSQL both work and nothing else has to run but `xuncha serve`,
# which starts the worker processes (`xuncha db_worker`) beside the web server.
INSTALLED_APPS += ["django_tasks", "django_tasks_db", "xuncha.jobs"]
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
#: Worker processes `xuncha serve` starts for background jobs (0: start none, run them yourself
#: with `xuncha db_worker`).
TASK_WORKERS = envint("XUNCHA_TASK_WORKERS", 1)
#: Uploaded ledgers waiting to be imported and exported ledgers waiting to be downloaded, one
#: folder per job, under the data directory (never a web root).
JOBS_ROOT = Path(os.environ.get("XUNCHA_JOBS_DIR") or DATA_DIR / "jobs").resolve()
#: The largest ledger the web page and the API accept (100,000 rows are about 10 MB).
LEDGER_MAX_BYTES = envint("XUNCHA_LEDGER_MAX_MB", 50) * 1024 * 1024
#: Days a finished job's exported file is kept for download.
JOB_FILE_DAYS = envint("XUNCHA_JOB_FILE_DAYS", 7)
# Uploads too large for memory are spooled under the data directory, not the shared /tmp.
FILE_UPLOAD_TEMP_DIR = str(DATA_DIR / "upload-tmp")
Path(FILE_UPLOAD_TEMP_DIR).mkdir(exist_ok=True)
# Two "status" choice sets in the API schema (a measure's, a job's): each gets a fixed name.
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"] = {
    "StatusEnum": "xuncha.inspections.models.RectificationStatus",
    "JobStatusEnum": "xuncha.jobs.models.JobStatus",
}

# --- importpg ---
#: Uploaded ledgers up to this size are read wholly at upload (a bad file is refused on the
#: spot) and the API previews them in the request; larger ones are previewed by a worker.
LEDGER_INLINE_PREVIEW_BYTES = envint("XUNCHA_LEDGER_INLINE_PREVIEW_KB", 256) * 1024
#: Seconds without a heartbeat after which a running job's worker counts as dead (the job
#: is marked failed: see xuncha.jobs.services.reap_stale). Workers beat every 5 s.
JOB_STALE_SECONDS = envint("XUNCHA_JOB_STALE_SECONDS", 60)
