"""HoiCCB settings: one module, every deployment difference comes from the environment.

See `.env.example` and the README's configuration table for each variable.
"""

import os
from pathlib import Path
from typing import Any

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured

from hoiccb.lib import deploy

BASE_DIR = Path(__file__).resolve().parent.parent


def load_dotenv(path: Path) -> None:
    """Read KEY=VALUE lines of a .env file; variables already in the environment win."""
    if not path.is_file():
        return
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#") and "=" in line:
            key, value = line.split("=", 1)
            os.environ.setdefault(key.strip(), value.strip().strip("'\""))


load_dotenv(BASE_DIR / ".env")


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG")
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY phải được đặt khi DEBUG tắt (xem .env.example).")
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production-0123456789abcdef"  # noqa: S105 - DEBUG only

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" + (",testserver" if DEBUG else ""))
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "hoiccb.lib.admin_site.HoiCCBAdminConfig",  # django.contrib.admin with Vietnamese headings
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # Before django_tasks_db: its `db_worker` command (with a heartbeat) wins the name.
    "hoiccb.lib",
    "django_tasks",
    "django_tasks_db",
    "hoiccb.accounts",
    "hoiccb.org",
    "hoiccb.news",
    "hoiccb.members",
    "hoiccb.activities",
    "hoiccb.awards",
    "hoiccb.reports",
    "hoiccb.meetings",
    "hoiccb.finance",
    "hoiccb.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): whether this session passed the second step of the login.
    "django_otp.middleware.OTPMiddleware",
    # Content-Security-Policy (no inline script), Permissions-Policy, no-store on logged-in pages.
    "csp.middleware.CSPMiddleware",
    "hoiccb.accounts.middleware.SecurityHeadersMiddleware",
    # htmx requests whose session expired get the login page as a full page.
    "hoiccb.accounts.middleware.HtmxLoginRedirectMiddleware",
    # An idle session of a role that sees sensitive data ends; such a role must pass the second step.
    "hoiccb.accounts.middleware.IdleTimeoutMiddleware",
    "hoiccb.accounts.middleware.SecondFactorMiddleware",
    # A one-time password (bulk-created accounts) is replaced before anything else.
    "hoiccb.accounts.middleware.PasswordChangeMiddleware",
    # Deny by default: every view needs a login unless marked @login_not_required.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Under DEBUG too, a missing page is the Vietnamese 404 page, not Django's English one.
    "hoiccb.lib.errors.VietnameseErrorPagesMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks, so that it sees the final authentication result.
    "axes.middleware.AxesMiddleware",
    # After everything that reads the session and the user: only the view itself may read the replica.
    "hoiccb.lib.replica.ReplicaMiddleware",
]

ROOT_URLCONF = "hoiccb.urls"
CSRF_FAILURE_VIEW = "hoiccb.accounts.views.csrf_failure"
WSGI_APPLICATION = "hoiccb.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "hoiccb.accounts.context_processors.access",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------
# SQLite is the embedded default; PostgreSQL is chosen by DATABASE_URL.
SQLITE_PATH = BASE_DIR / "var" / "hoiccb.sqlite3"
DATABASES: dict[str, Any] = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{SQLITE_PATH}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            # IMMEDIATE takes the write lock at BEGIN, so two writers queue on the
            # busy timeout instead of failing with "database is locked" mid-transaction.
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": (
                "PRAGMA journal_mode=WAL;"
                "PRAGMA synchronous=NORMAL;"
                "PRAGMA foreign_keys=ON;"
                "PRAGMA cache_size=-32000;"
                "PRAGMA mmap_size=268435456;"
            ),
        }
    )
    SQLITE_PATH.parent.mkdir(exist_ok=True)
# Behind PgBouncer in transaction mode (README "Triển khai nhiều máy"): no server-side cursors
# and no prepared statements.
DATABASE_POOLER = env_bool("DATABASE_POOLER")
if DATABASE_POOLER:
    deploy.pooled(DATABASES["default"])
# A streaming replica for heavy read-only pages (hoiccb/lib/replica.py); writes and
# migrations stay on the primary, and a user who just wrote reads the primary for
# REPLICA_PIN_SECONDS.
_replica = deploy.replica_setting(
    os.environ.get("DATABASE_REPLICA_URL", ""), DATABASES["default"], pooler=env_bool("DATABASE_REPLICA_POOLER")
)
if _replica is not None:
    DATABASES[deploy.REPLICA] = _replica
    DATABASE_ROUTERS = ["hoiccb.lib.replica.ReplicaRouter"]
REPLICA_PIN_SECONDS = int(os.environ.get("REPLICA_PIN_SECONDS", "30"))
# A replica that does not answer is left alone this long; its pages read the primary meanwhile.
REPLICA_DOWN_SECONDS = int(os.environ.get("REPLICA_DOWN_SECONDS", "30"))
# /readyz reports the replica as behind past this many seconds of lag.
REPLICA_MAX_LAG_SECONDS = float(os.environ.get("REPLICA_MAX_LAG_SECONDS", "30"))

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Authentication -------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"hoiccb.accounts.validators.{name}"}
    for name in (
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    )
]
# Login throttling: after AXES_FAILURE_LIMIT failures the username+IP pair is locked.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_MINUTES", "15")) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# The address is the client's, not the proxy's (hoiccb/lib/http.py, TRUSTED_PROXIES below).
AXES_CLIENT_IP_CALLABLE = "hoiccb.lib.http.client_ip"
# Every failure is logged, so hoiccb/accounts/throttle.py can count them per address and per username.
AXES_ENABLE_ACCESS_FAILURE_LOG = True
# One address failing this often in the window (any usernames) is refused until they age out.
LOGIN_IP_FAILURE_LIMIT = int(os.environ.get("LOGIN_IP_FAILURE_LIMIT", "20"))
LOGIN_IP_WINDOW_MINUTES = int(os.environ.get("LOGIN_IP_WINDOW_MINUTES", "15"))
# One username failing this often from anywhere is refused for a short window only, and never
# at an address where it recently logged in: a stranger cannot lock `admin` out for long.
LOGIN_USERNAME_FAILURE_LIMIT = int(os.environ.get("LOGIN_USERNAME_FAILURE_LIMIT", "10"))
LOGIN_USERNAME_WINDOW_MINUTES = int(os.environ.get("LOGIN_USERNAME_WINDOW_MINUTES", "2"))
# Reverse proxies (addresses or networks) whose X-Forwarded-For is believed; empty: none.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES")

# --- Locale ---------------------------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt")]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["hoiccb.formats"]

# --- Static and media -------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))
# Photos and documents of activities (hoiccb.activities.uploads).
ACTIVITY_UPLOAD_MAX_BYTES = int(os.environ.get("ACTIVITY_UPLOAD_MAX_BYTES", 10 * 1024 * 1024))
# Every file goes through the storage API (hoiccb/lib/storage.py): MEDIA_ROOT by default,
# a private S3-compatible bucket with STORAGE_URL=s3://key:secret@host:port/bucket.
STORAGES = {
    "default": deploy.storage_setting(os.environ.get("STORAGE_URL", "")),
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Member list imports (hoiccb.lib.sheets.reading): what an upload may be.
IMPORT_MAX_BYTES = int(os.environ.get("IMPORT_MAX_BYTES", 20 * 1024 * 1024))
IMPORT_MAX_UNPACKED_BYTES = int(os.environ.get("IMPORT_MAX_UNPACKED_BYTES", 300 * 1024 * 1024))
IMPORT_MAX_COMPRESSION_RATIO = 150
IMPORT_MAX_ROWS = int(os.environ.get("IMPORT_MAX_ROWS", 200_000))
IMPORT_MAX_COLUMNS = 100
# Untrusted spreadsheets and documents are parsed in a child process with these limits
# (hoiccb/lib/sandbox.py): memory above what the parent maps, and CPU seconds.
UNTRUSTED_PARSE_MEMORY_BYTES = int(os.environ.get("UNTRUSTED_PARSE_MEMORY_BYTES", 512 * 1024 * 1024))
UNTRUSTED_PARSE_SECONDS = int(os.environ.get("UNTRUSTED_PARSE_SECONDS", 60))
# The place of an official document's date line ("Yên Bái, ngày …") when neither the issuing
# unit nor any unit above it has one (org.Unit.place).
DOCUMENT_DEFAULT_PLACE = os.environ.get("DOCUMENT_DEFAULT_PLACE", "Yên Bái")
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# The cache carries the progress of background jobs from the worker to the web
# process (a job's own transaction hides its writes until it ends), worker heartbeats and
# the news token, so it must be shared: a directory of files on one machine, Redis
# (CACHE_URL=redis://host:6379/0) across machines.
CACHES = {
    "default": deploy.cache_setting(
        os.environ.get("CACHE_URL", ""), default_dir=os.environ.get("CACHE_DIR", str(BASE_DIR / "var" / "cache"))
    )
}

# --- Background tasks -------------------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}
# A worker beats every few seconds (hoiccb/lib/jobs.py); a running job whose worker has
# not beaten for JOB_WORKER_DEAD_AFTER_SECONDS is marked failed and its import put back.
JOB_HEARTBEAT_SECONDS = float(os.environ.get("JOB_HEARTBEAT_SECONDS", 10))
JOB_WORKER_DEAD_AFTER_SECONDS = float(os.environ.get("JOB_WORKER_DEAD_AFTER_SECONDS", 60))
JOB_REAP_SECONDS = float(os.environ.get("JOB_REAP_SECONDS", 60))
# Test hook only: seconds an import commit pauses after each progress report inside its
# transaction, so a test can kill the worker mid-commit. Never set in production.
IMPORT_COMMIT_TEST_PAUSE_SECONDS = float(os.environ.get("IMPORT_COMMIT_TEST_PAUSE_SECONDS", 0))

# --- Email ------------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "hoiccb@localhost")

# --- Security (production) --------------------------------------------------------
SESSION_COOKIE_AGE = 60 * 60 * 10
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_HTTPS_PROXY") else None
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
# Load balancers probe the web processes over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD")
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# No inline script anywhere (static/app.js carries what inline handlers did); style attributes
# stay allowed (progress bars and chart heights are computed in templates).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# The app uses none of these browser features.
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()"
)

# --- Second factor and idle sessions ---------------------------------------------
# Roles that see sensitive data (CCCD, party, health, policy) must log in with a TOTP code
# (or a recovery code); other roles may enrol. On by default in production; the demo and the
# test suite (DEBUG=1) turn it off unless OTP_REQUIRED is set.
OTP_REQUIRED_FOR_SENSITIVE = env_bool("OTP_REQUIRED", not DEBUG)
OTP_TOTP_ISSUER = os.environ.get("OTP_TOTP_ISSUER", "HoiCCB")
OTP_RECOVERY_CODES = 10
# A session of such a role ends after this long without a request.
SENSITIVE_IDLE_SECONDS = int(os.environ.get("SENSITIVE_IDLE_MINUTES", "30")) * 60
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]

# --- Application ------------------------------------------------------------------
# Page size of member lists; pages are keyset-based so no COUNT(*) is needed.
MEMBER_PAGE_SIZE = int(os.environ.get("MEMBER_PAGE_SIZE", "50"))
DEMO_PASSWORD = os.environ.get("DEMO_PASSWORD", "hoiccb-demo")
# Public news pages are cached at most this long (0: off); publishing invalidates at once.
NEWS_CACHE_SECONDS = int(os.environ.get("NEWS_CACHE_SECONDS", "60"))
# How often each process re-reads the token that says whether the public news changed.
NEWS_CACHE_CHECK_SECONDS = float(os.environ.get("NEWS_CACHE_CHECK_SECONDS", "1"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "axes": {"level": "WARNING"},
        # WeasyPrint's font subsetting logs every table of every font at INFO.
        "fontTools": {"level": "WARNING"},
    },
}
