"""Maillage settings, read from the environment.

Production is the default: DEBUG is off unless MAILLAGE_DEBUG=1, and the platform refuses to
start without its own MAILLAGE_SECRET_KEY (./run makes one and keeps it in var/secret-key).
Production sets MAILLAGE_SECRET_KEY, MAILLAGE_ALLOWED_HOSTS, DATABASE_URL and the e-mail
variables; `manage.py check --deploy` then passes (a test proves it). README.md lists them all.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on", "oui"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# The test run (pytest) is a developer's run: DEBUG-derived defaults (plain HTTP, console
# e-mail) and the development key. Django still runs each test with DEBUG off.
TESTING = "pytest" in sys.modules
DEBUG = env_bool("MAILLAGE_DEBUG", TESTING)
DEVELOPMENT_KEY = "django-insecure-maillage-development-only"
SECRET_KEY = env_str("MAILLAGE_SECRET_KEY") or (DEVELOPMENT_KEY if DEBUG else "")
if not DEBUG and SECRET_KEY in ("", DEVELOPMENT_KEY):
    # The development key is public: with it, a copy of the database is enough to forge
    # questionnaire, invitation and password-reset links. Refuse to start rather than serve.
    raise ImproperlyConfigured(
        "MAILLAGE_SECRET_KEY is missing (or is the public development key) while DEBUG is off. "
        "Set MAILLAGE_SECRET_KEY to a long random value (./run makes one in var/secret-key), "
        "or MAILLAGE_DEBUG=1 on a developer's machine."
    )
ALLOWED_HOSTS = env_list("MAILLAGE_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("MAILLAGE_CSRF_TRUSTED_ORIGINS")
SITE_URL = env_str("MAILLAGE_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.humanize",  # allauth.mfa's list of security keys (« il y a 2 jours »)
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "allauth",
    "allauth.account",
    # Second factors (TOTP, security keys, recovery codes): required of staff (core.mfa).
    "allauth.mfa",
    # Single sign-on through OpenID Connect, shown only when MAILLAGE_OIDC_* is set (below).
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "maillage.core",
    "maillage.programs",
    "maillage.intake",
    "maillage.selection",
    "maillage.inclusion",
    "maillage.training",
    "maillage.portability",
    "maillage.matching",
    "maillage.mentoring",
    "maillage.evaluation",
    "maillage.alerts",
    "maillage.tools",
    "maillage.measurement",
    "maillage.resources",
    "maillage.directory",
    "maillage.practice",
    "maillage.governance",
    "maillage.reports",
    "maillage.accreditation",
    "maillage.demo",
    "maillage.privacy",
]

MIDDLEWARE = [
    # Every request gets an id (X-Request-ID) and a log line; first, so that all is in it.
    "maillage.core.logs.RequestLogMiddleware",
    # /healthz answers here, before the host check, the HTTPS redirect and the session.
    "maillage.core.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Security headers outside the idle timeout, so that its redirect carries them too.
    "maillage.core.middleware.SecurityHeadersMiddleware",
    "maillage.core.middleware.IdleTimeoutMiddleware",
    "maillage.core.middleware.AuditActorMiddleware",
    "maillage.core.middleware.DomainErrorMiddleware",
    # The database out of reach for a moment: a reading page is tried once more, then a 503
    # page that keeps what was typed (core.unavailable, with handler500 in maillage/urls.py).
    "maillage.core.unavailable.DatabaseRetryMiddleware",
    # A create form counts once, whatever the clicks (`{% form_token %}`, core.once).
    "maillage.core.once.FormTokenMiddleware",
    # Axes last: it needs the authenticated user and answers lockouts itself.
    "axes.middleware.AxesMiddleware",
    # Staff without a second factor are sent to « Sécurité du compte » until they add one.
    "maillage.core.mfa.MFARequiredMiddleware",
]

ROOT_URLCONF = "maillage.urls"
WSGI_APPLICATION = "maillage.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "maillage" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "maillage.programs.context_processors.navigation",
            ],
            # `{% form_token %}` in every create form, without a `{% load %}` in each.
            "builtins": ["maillage.core.templatetags.once"],
        },
    },
    {
        # Plain-text e-mails: rendered without HTML escaping, or « d’entraide & Cie » would
        # arrive as « d&#x27;entraide &amp; Cie ». Used through core.emails.render_text only.
        "NAME": "text",
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "maillage" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {"autoescape": False},
    },
]

DATA_DIR = Path(env_str("MAILLAGE_DATA_DIR", str(BASE_DIR / "var")))
if not env_str("DATABASE_URL"):
    # SQLite makes its file but not its folder: a fresh clone has no var/ yet.
    DATA_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{DATA_DIR / 'maillage.sqlite3'}"),
        conn_max_age=env_int("MAILLAGE_DB_CONN_MAX_AGE", 0),
        # A kept connection (MAILLAGE_DB_CONN_MAX_AGE > 0) is checked before a request reuses
        # it, so a PostgreSQL restart costs a reconnection, not an error page.
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite out of the box must hold a program's worth of people while the worker and the daily
    # jobs write too: WAL lets readers go on during a write; IMMEDIATE takes the write lock when a
    # transaction starts, so a second writer waits for it (up to the timeout) instead of failing
    # with "database is locked" when its read turns into a write; NORMAL is WAL's safe fsync.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": env_int("MAILLAGE_SQLITE_TIMEOUT", 20),
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
        **DATABASES["default"].get("OPTIONS", {}),
    }
    # Tests use a file, not memory, so that threads and the live server share one database as
    # they do in real use; pytest-django adds a suffix per xdist worker.
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test-maillage.sqlite3")}
    DATA_DIR.mkdir(parents=True, exist_ok=True)
# Connection pooling (Django 5.2 with psycopg's pool, `pip install maillage[server]`):
# MAILLAGE_DB_POOL=1 keeps up to MAILLAGE_DB_POOL_MAX open connections per web process instead
# of one new connection per request. Persistent connections (CONN_MAX_AGE) and the pool exclude
# each other: the pool wins.
if env_bool("MAILLAGE_DB_POOL"):
    if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        raise ImproperlyConfigured(
            "MAILLAGE_DB_POOL=1 needs PostgreSQL (DATABASE_URL=postgres://…)."
        )
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": env_int("MAILLAGE_DB_POOL_MIN", 2),
        "max_size": env_int("MAILLAGE_DB_POOL_MAX", 10),
        "timeout": env_int("MAILLAGE_DB_POOL_TIMEOUT", 10),
    }
# A read replica (core.replica): GET pages read from it until they write; everything else, the
# worker and commands use the primary. The replica is never migrated (it copies the primary).
REPLICA_URL = env_str("MAILLAGE_REPLICA_URL")
MAILLAGE_REPLICA_STICKY_SECONDS = env_int("MAILLAGE_REPLICA_STICKY_SECONDS", 10)
if REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(
        REPLICA_URL, conn_max_age=env_int("MAILLAGE_DB_CONN_MAX_AGE", 0), conn_health_checks=True
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    if "pool" in DATABASES["default"].get("OPTIONS", {}):
        DATABASES["replica"]["CONN_MAX_AGE"] = 0
        DATABASES["replica"].setdefault("OPTIONS", {})["pool"] = DATABASES["default"]["OPTIONS"][
            "pool"
        ]
    DATABASE_ROUTERS = ["maillage.core.replica.ReplicaRouter"]
    MIDDLEWARE.insert(2, "maillage.core.replica.ReplicaMiddleware")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# One cache shared by every web process and the worker: rate limits (sign-in, password reset,
# the public form) and the « once an hour » confirmation e-mail count there, so they hold
# whichever process answers. Django's database cache by default (nothing to install: its table
# is made by a migration, core 0006, so that every `migrate` has it); Redis when
# MAILLAGE_REDIS_URL is set (`pip install maillage[redis]` brings redis-py).
REDIS_URL = env_str("MAILLAGE_REDIS_URL")
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "maillage",
    }
    if REDIS_URL
    else {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "maillage_cache",
        "OPTIONS": {"MAX_ENTRIES": env_int("MAILLAGE_CACHE_MAX_ENTRIES", 100_000)},
    },
    # Rendered rows of the long pages (maillage/core/fragments.py), keyed by their content's
    # revision: each web process keeps its own in memory (no query, no round trip; a key that
    # carries its revision is never stale, only missed by another process). About 2 KB a row:
    # 20,000 rows ≈ 40 MB a process at most. MAILLAGE_FRAGMENT_CACHE=redis://… shares them.
    "fragments": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": env_str("MAILLAGE_FRAGMENT_CACHE"),
        "KEY_PREFIX": "maillage-fragments",
        # A cache out of reach must not hold a page: half a second, then the page renders
        # its fragments itself (core.fragments).
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }
    if env_str("MAILLAGE_FRAGMENT_CACHE")
    else {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "maillage-fragments",
        "OPTIONS": {"MAX_ENTRIES": env_int("MAILLAGE_FRAGMENT_CACHE_ENTRIES", 20_000)},
    },
}

AUTHENTICATION_BACKENDS = [
    # Axes first so a locked-out address is refused before any password check.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "programs:dashboard"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = env_str("MAILLAGE_EMAIL_VERIFICATION", "optional")
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_GET = False
# Whoever follows an invitation or reset link and chooses a password is signed in there and
# then: asking for the password they have just typed again is a second step for nothing.
ACCOUNT_LOGIN_ON_PASSWORD_RESET = True
# Accounts are created by coordinators (or the demo loader); self-service sign-up stays closed.
ACCOUNT_ADAPTER = "maillage.core.auth.ClosedSignupAdapter"
ACCOUNT_FORMS = {"login": "maillage.core.auth.LoginForm"}
# Rate limits of allauth, kept in the shared cache (CACHES): a burst of sign-ins from one
# address, and password reset e-mails (per address, and per account so nobody's mailbox is
# flooded). Wrong passwords are counted by django-axes alone (below: per account, in the
# database): allauth's own count refused a whole address and showed another page than axes'.
ACCOUNT_RATE_LIMITS = {
    "login": env_str("MAILLAGE_RATE_LOGIN", "60/m/ip"),
    "login_failed": None,
    "reset_password": env_str("MAILLAGE_RATE_PASSWORD_RESET", "20/m/ip,5/h/key"),
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
}
# The public interest form: valid submissions per client address and per e-mail typed, in an
# hour (0 turns a limit off). The applicant's confirmation e-mail leaves at most once an hour
# per e-mail address, whatever the number of submissions.
MAILLAGE_FORM_RATE_PER_ADDRESS = env_int("MAILLAGE_FORM_RATE_PER_ADDRESS", 20)
MAILLAGE_FORM_RATE_PER_EMAIL = env_int("MAILLAGE_FORM_RATE_PER_EMAIL", 3)

AXES_FAILURE_LIMIT = env_int("MAILLAGE_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("MAILLAGE_LOGIN_COOLOFF_MINUTES", 30) / 60  # hours
# Locked per account, and per account and address: never per address alone, or five wrong
# passwords of one person would lock out everyone behind the same office or proxy.
AXES_LOCKOUT_PARAMETERS = ["username", ["username", "ip_address"]]
# allauth authenticates with `email=`, and its form posts `login`: the callable reads either.
AXES_USERNAME_CALLABLE = "maillage.core.auth.attempted_login"
# The client's address. Directly exposed, it is REMOTE_ADDR and X-Forwarded-For is ignored
# (anyone can write it). Behind N reverse proxies, set MAILLAGE_PROXY_COUNT=N (and, better,
# MAILLAGE_TRUSTED_PROXIES to their addresses): the address is then read from
# MAILLAGE_CLIENT_IP_HEADERS (X-Forwarded-For by default).
_PROXY_COUNT = env_int("MAILLAGE_PROXY_COUNT", 0)
AXES_IPWARE_PROXY_COUNT = _PROXY_COUNT or None
AXES_IPWARE_PROXY_TRUSTED_IPS = env_list("MAILLAGE_TRUSTED_PROXIES") or None
AXES_IPWARE_META_PRECEDENCE_ORDER = env_list(
    "MAILLAGE_CLIENT_IP_HEADERS",
    "HTTP_X_FORWARDED_FOR,REMOTE_ADDR"
    if _PROXY_COUNT or env_list("MAILLAGE_TRUSTED_PROXIES")
    else "REMOTE_ADDR",
)
# allauth's own per-address limits (sign-ins a minute, password reset requests) read the same.
ALLAUTH_TRUSTED_PROXY_COUNT = _PROXY_COUNT
AXES_RESET_ON_SUCCESS = True

# Second factor (allauth.mfa). Administrators, coordinators and network staff must add one
# before anything else (core.mfa.MFARequiredMiddleware); everyone else may. MAILLAGE_MFA_REQUIRED=0
# turns the requirement off (the demo, the test suite), never the second factor of those who have one.
MAILLAGE_MFA_REQUIRED = env_bool("MAILLAGE_MFA_REQUIRED", True)
MFA_SUPPORTED_TYPES = ["totp", "webauthn", "recovery_codes"]
MFA_TOTP_ISSUER = "Maillage"
MFA_TOTP_TOLERANCE = 1  # a code from the previous or next 30 s: phone clocks drift
# A security key needs HTTPS; a developer's http://127.0.0.1 is allowed with DEBUG only.
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG
MFA_PASSKEY_LOGIN_ENABLED = False
# allauth refuses a factor while an address is unverified (against someone who signs up with
# another's address and locks its owner out); sign-up is closed here, accounts are opened by a
# coordination for a known address, and staff must not be stuck between « add a factor » and
# « verify your address first ».
MFA_ALLOW_UNVERIFIED_EMAIL = True  # a key is a second factor here, never the password

# Single sign-on (optional): one OpenID Connect provider, configured entirely by environment.
# Unset, nothing is shown. Accounts are matched by verified e-mail to people already in
# Maillage; nobody is created by signing in (core.auth.SocialAccountAdapter).
MAILLAGE_OIDC_PROVIDER_ID = env_str("MAILLAGE_OIDC_PROVIDER_ID", "sso")
MAILLAGE_OIDC_NAME = env_str("MAILLAGE_OIDC_NAME", "")
MAILLAGE_OIDC_SERVER_URL = env_str("MAILLAGE_OIDC_SERVER_URL", "")
MAILLAGE_OIDC_CLIENT_ID = env_str("MAILLAGE_OIDC_CLIENT_ID", "")
MAILLAGE_OIDC_SECRET = env_str("MAILLAGE_OIDC_SECRET", "")
SOCIALACCOUNT_ADAPTER = "maillage.core.auth.SocialAccountAdapter"
SOCIALACCOUNT_ONLY = False
SOCIALACCOUNT_LOGIN_ON_GET = False  # the button posts; a GET shows a confirmation page
SOCIALACCOUNT_AUTO_SIGNUP = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True  # a verified e-mail signs in its existing account
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_PROVIDERS = {
    "openid_connect": {
        "OAUTH_PKCE_ENABLED": True,
        "APPS": [
            {
                "provider_id": MAILLAGE_OIDC_PROVIDER_ID,
                "name": MAILLAGE_OIDC_NAME or "SSO",
                "client_id": MAILLAGE_OIDC_CLIENT_ID,
                "secret": MAILLAGE_OIDC_SECRET,
                "settings": {"server_url": MAILLAGE_OIDC_SERVER_URL},
            }
        ]
        if MAILLAGE_OIDC_SERVER_URL and MAILLAGE_OIDC_CLIENT_ID
        else [],
    }
}
AXES_LOCKOUT_TEMPLATE = "account/lockout.html"
AXES_VERBOSE = False

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("Français")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "maillage" / "locale"]
TIME_ZONE = "America/Toronto"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("MAILLAGE_STATIC_ROOT", str(DATA_DIR / "static")))
STATICFILES_DIRS = [BASE_DIR / "maillage" / "static"]
# Uploads live outside the web root and are served only through views that check access.
MEDIA_ROOT = Path(env_str("MAILLAGE_MEDIA_ROOT", str(DATA_DIR / "uploads")))
# The database out of reach: seconds before a reading page is tried again once, and the
# Retry-After of the 503 page shown when that fails too (core.unavailable).
MAILLAGE_DB_RETRY_DELAY = float(env_str("MAILLAGE_DB_RETRY_DELAY", "1.0"))
MAILLAGE_DB_RETRY_AFTER = env_int("MAILLAGE_DB_RETRY_AFTER", 15)
# A published report's PDF is rendered by the worker when it is published (reports.tasks),
# so that the first reader does not wait; off in the tests, where tasks run at once.
MAILLAGE_REPORT_PDF_ON_PUBLISH = env_bool("MAILLAGE_REPORT_PDF_ON_PUBLISH", True)
# Where `manage.py backup` writes its archives when not told (they hold personal data: keep
# this folder off the web root and copy it elsewhere; see the README's « Sauvegardes »).
MAILLAGE_BACKUP_DIR = Path(env_str("MAILLAGE_BACKUP_DIR", str(DATA_DIR / "backups")))
# MAILLAGE_STORAGE=s3: uploads on S3-compatible object storage (AWS, OVHcloud, Scaleway, MinIO,
# Ceph…; `pip install maillage[server]`), shared by web processes and workers on several
# machines. Files stay private (no public ACL, no public URL): views read them through the
# storage API and answer only who may see them, as on the local disk.
MAILLAGE_STORAGE = env_str("MAILLAGE_STORAGE", "local")
if MAILLAGE_STORAGE not in ("local", "s3"):
    raise ImproperlyConfigured("MAILLAGE_STORAGE is « local » (default) or « s3 ».")
_S3_OPTIONS = {
    "bucket_name": env_str("MAILLAGE_S3_BUCKET"),
    "endpoint_url": env_str("MAILLAGE_S3_ENDPOINT_URL") or None,
    "region_name": env_str("MAILLAGE_S3_REGION") or None,
    "access_key": env_str("MAILLAGE_S3_ACCESS_KEY_ID") or None,
    "secret_key": env_str("MAILLAGE_S3_SECRET_ACCESS_KEY") or None,
    "location": env_str("MAILLAGE_S3_PREFIX", "uploads"),
    "default_acl": None,  # the bucket's (private) policy
    "querystring_auth": True,  # a URL, if one is ever made, is signed and short-lived
    "querystring_expire": 300,
    "file_overwrite": False,  # two uploads with the same name never replace each other
    "addressing_style": env_str("MAILLAGE_S3_ADDRESSING_STYLE") or None,
}
if MAILLAGE_STORAGE == "s3" and not _S3_OPTIONS["bucket_name"]:
    raise ImproperlyConfigured("MAILLAGE_STORAGE=s3 needs MAILLAGE_S3_BUCKET.")
STORAGES = {
    "default": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": _S3_OPTIONS}
    if MAILLAGE_STORAGE == "s3"
    else {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

EMAIL_BACKEND = env_str(
    "MAILLAGE_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("MAILLAGE_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("MAILLAGE_EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("MAILLAGE_EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("MAILLAGE_EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("MAILLAGE_EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = env_int("MAILLAGE_EMAIL_TIMEOUT", 20)
DEFAULT_FROM_EMAIL = env_str("MAILLAGE_FROM_EMAIL", "Maillage <noreply@maillage.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

TASKS = {
    "default": {
        "BACKEND": env_str("MAILLAGE_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

# Production hardening: all of it switches on when DEBUG is off. MAILLAGE_HTTPS=0 keeps plain
# HTTP with DEBUG off, for ./run on http://127.0.0.1 (secure cookies would never come back).
HTTPS = env_bool("MAILLAGE_HTTPS", not DEBUG)
# Trust X-Forwarded-Proto only behind a proxy that sets it (anyone can send the header).
if env_bool("MAILLAGE_BEHIND_PROXY", bool(_PROXY_COUNT or env_list("MAILLAGE_TRUSTED_PROXIES"))):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = env_bool("MAILLAGE_SSL_REDIRECT", HTTPS)
SECURE_HSTS_SECONDS = env_int("MAILLAGE_HSTS_SECONDS", 31536000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = env_bool("MAILLAGE_HSTS_PRELOAD", False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# A session ends after this many minutes without a request (core.middleware.IdleTimeoutMiddleware
# moves the expiry at each request); « Se souvenir de moi » keeps it for REMEMBER_DAYS instead.
MAILLAGE_IDLE_MINUTES = env_int("MAILLAGE_IDLE_MINUTES", 30)
MAILLAGE_REMEMBER_DAYS = env_int("MAILLAGE_REMEMBER_DAYS", 14)
SESSION_COOKIE_AGE = MAILLAGE_REMEMBER_DAYS * 24 * 3600
ACCOUNT_SESSION_REMEMBER = None  # the sign-in form's « Se souvenir de moi » box decides
# Content Security Policy (core.middleware.SecurityHeadersMiddleware): our own files only, no
# inline script or style. MAILLAGE_CSP_REPORT_URI adds a report-uri where violations go.
MAILLAGE_CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        # The single sign-on button's POST is answered by a redirect to the provider.
        "form-action 'self'"
        + (f" {_origin(MAILLAGE_OIDC_SERVER_URL)}" if MAILLAGE_OIDC_SERVER_URL else ""),
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "object-src 'none'",
    ]
    + (
        [f"report-uri {env_str('MAILLAGE_CSP_REPORT_URI')}"]
        if env_str("MAILLAGE_CSP_REPORT_URI")
        else []
    )
)
SILENCED_SYSTEM_CHECKS = env_list("MAILLAGE_SILENCED_CHECKS")
if not DEBUG:
    # HSTS preload is a per-domain decision taken by the operator.
    SILENCED_SYSTEM_CHECKS.append("security.W021")

# Logs to stdout with time, level, request id and user id (core.logs); one JSON object a line
# with MAILLAGE_LOG_FORMAT=json. INFO logs one line per request.
from maillage.core.logs import logging_config  # noqa: E402  (needs nothing from Django)

LOGGING = logging_config(
    fmt=env_str("MAILLAGE_LOG_FORMAT", "text"),
    level=env_str("MAILLAGE_LOG_LEVEL", "WARNING" if TESTING else "INFO"),
)

# Error reports to Sentry or a compatible service, without personal data (core.errortracking).
SENTRY_DSN = env_str("SENTRY_DSN")
if SENTRY_DSN:
    from maillage.core.errortracking import init_sentry  # noqa: E402

    init_sentry(
        dsn=SENTRY_DSN,
        environment=env_str("SENTRY_ENVIRONMENT"),
        release=env_str("SENTRY_RELEASE"),
        traces_sample_rate=float(env_str("SENTRY_TRACES_SAMPLE_RATE", "0") or 0),
    )

# The task worker's heartbeat (core.heartbeat): written every MAILLAGE_HEARTBEAT_SECONDS;
# /healthz answers 503 once the last one is older than MAILLAGE_HEARTBEAT_MAX_AGE.
MAILLAGE_HEARTBEAT_SECONDS = env_int("MAILLAGE_HEARTBEAT_SECONDS", 30)
MAILLAGE_HEARTBEAT_MAX_AGE = env_int("MAILLAGE_HEARTBEAT_MAX_AGE", 120)
# Finished background tasks are kept this many days, then pruned by the scheduler.
MAILLAGE_TASK_RESULTS_DAYS = env_int("MAILLAGE_TASK_RESULTS_DAYS", 14)
# An uploaded import file (personal data) is deleted once its import is done or discarded; one
# left waiting for its confirmation is given up after this many days (portability.jobs).
MAILLAGE_IMPORT_FILE_DAYS = env_int("MAILLAGE_IMPORT_FILE_DAYS", 7)

# Uploads of shared tools and imports: the largest file accepted, in megabytes.
MAILLAGE_UPLOAD_MAX_MB = env_int("MAILLAGE_UPLOAD_MAX_MB", 20)

# Matching: the text-fit backend ("auto" = the semantic model where installed, else lexical),
# the engine's time limit in seconds, and the size above which a run goes to the worker.
MATCHING_FIT_BACKEND = env_str("MAILLAGE_MATCHING_FIT_BACKEND", "auto")
MATCHING_TIME_LIMIT = env_int("MAILLAGE_MATCHING_TIME_LIMIT", 20)
MATCHING_SYNC_MAX = env_int("MAILLAGE_MATCHING_SYNC_MAX", 400)
# A run still under way after this many seconds died with its process: it no longer blocks a
# new launch (one run at a time per program; see matching.services._start_run).
MATCHING_LOST_AFTER = env_int("MAILLAGE_MATCHING_LOST_AFTER", 1800)

# Reports: smallest count shown in a published table (never below 5).
MAILLAGE_SMALL_CELL_K = max(5, env_int("MAILLAGE_SMALL_CELL_K", 10))
# …and how wide a hidden figure's feasible range must stay given what is published: counts of
# people (default k), activity figures standing for one group (meetings, hours; default 3).
MAILLAGE_SMALL_CELL_WIDTH = env_int("MAILLAGE_SMALL_CELL_WIDTH", 0) or None
MAILLAGE_SMALL_CELL_ACTIVITY_WIDTH = env_int("MAILLAGE_SMALL_CELL_ACTIVITY_WIDTH", 3)


# --- Protection of personal information (Québec's Law 25) -----------------------------------
# The person in charge, published on the privacy page (« Confidentialité », linked from every
# page). By default the organization's highest authority; the title says who it is.
PRIVACY_OFFICER_NAME = env_str("MAILLAGE_PRIVACY_OFFICER_NAME", "")
PRIVACY_OFFICER_TITLE = env_str(
    "MAILLAGE_PRIVACY_OFFICER_TITLE",
    "Responsable de la protection des renseignements personnels",
)
PRIVACY_OFFICER_EMAIL = env_str("MAILLAGE_PRIVACY_OFFICER_EMAIL", "")
PRIVACY_OFFICER_PHONE = env_str("MAILLAGE_PRIVACY_OFFICER_PHONE", "")
PRIVACY_OFFICER_ADDRESS = env_str("MAILLAGE_PRIVACY_OFFICER_ADDRESS", "")
# Accounts (by e-mail) that read the audit trail; an administrator may also give the Django
# permission « core.view_auditentry » (directly or through a group) in the admin.
PRIVACY_OFFICER_ACCOUNTS = [e.lower() for e in env_list("MAILLAGE_PRIVACY_OFFICER_ACCOUNTS")]
# Retention periods (privacy.retention.RULES), in days, by rule: MAILLAGE_RETENTION_PEOPLE=1825
# keeps the people of closed programs five years instead of three. Unknown keys are refused at
# start-up by the privacy app's check (so is a period under one day).
MAILLAGE_RETENTION = {
    name.removeprefix("MAILLAGE_RETENTION_").lower(): env_int(name, 0)
    for name in sorted(os.environ)
    if name.startswith("MAILLAGE_RETENTION_") and os.environ[name].strip()
}
