"""Settings shared by every environment. Everything that varies is read from the environment here."""

import datetime
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE

from .env import data_dir, env_bool, env_int, env_list, env_str

PACKAGE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = data_dir()

DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
# Absolute base URL of the public site, used in feeds, sitemaps, share links and emails.
MURASIL_SITE_URL = env_str("MURASIL_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
WAGTAILADMIN_BASE_URL = MURASIL_SITE_URL
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [MURASIL_SITE_URL])

INSTALLED_APPS = [
    "murasil.core",
    "murasil.news",
    "murasil.comments",
    "murasil.search",
    "murasil.syndication",
    "murasil.demo",
    "murasil.wordpress",
    "murasil.wp_api",
    "murasil.roles",
    "murasil.readership",
    "murasil.backup",
    "murasil.pagecache",
    "murasil.images",
    "django_tasks_db",
    "csp",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.frontend_cache",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    # First: a cached page is answered before anything else runs; it carries the headers the rest of
    # this list added when it was rendered (murasil/pagecache/middleware.py).
    "murasil.pagecache.middleware.PageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "murasil.core.request_checks.RejectNulBytesMiddleware",
    "murasil.core.middleware.DatabaseUnavailableMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # After WhiteNoise, which serves static files pre-compressed. Reader pages carry no secrets, and
    # Django masks CSRF tokens per response, which defeats BREACH-style guessing.
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Optional two-step verification for staff (murasil/core/two_factor.py).
    "django_otp.middleware.OTPMiddleware",
    "murasil.core.two_factor.RequireVerifiedMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # django-csp (reader and admin policies below) and Permissions-Policy.
    "murasil.core.middleware.ContentSecurityPolicyMiddleware",
    "murasil.core.middleware.SecurityHeadersMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "murasil.wordpress.legacy_urls.LegacyURLMiddleware",
    # Last: turns a lockout found during authentication into the lockout page (murasil/core/logins.py).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "murasil.urls"
WSGI_APPLICATION = "murasil.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "wagtail.contrib.settings.context_processors.settings",
                "murasil.core.context_processors.site_chrome",
            ],
        },
    },
]

# SQLite in the data directory unless DATABASE_URL points elsewhere (PostgreSQL in production).
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'murasil.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers and the single writer work side by side; IMMEDIATE avoids upgrade deadlocks.
    # Connections are kept (CONN_MAX_AGE above): reopening one per request re-reads the full-text
    # index's structure, about 100 ms at 100k articles.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
        "transaction_mode": "IMMEDIATE",
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A black-holed database host must cost a reader seconds (then a 503), not a hung worker.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", env_int("DATABASE_CONNECT_TIMEOUT", 5))

REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            # Django's RedisCache, falling back to this process's memory while Redis is unreachable.
            "BACKEND": "murasil.core.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "murasil",
        },
        "pages": {
            "BACKEND": "murasil.core.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "murasil-pages",
        },
    }
else:
    # Files in the data dir, shared by every worker, the scheduler and management commands: with a
    # per-process memory cache, a purge or a menu change made in one process would not reach the others.
    CACHES = {
        "default": {
            "BACKEND": "murasil.pagecache.backends.SharedFileCache",
            "LOCATION": str(DATA_DIR / "cache" / "default"),
            "OPTIONS": {"MAX_ENTRIES": 20_000},
        },
        "pages": {
            "BACKEND": "murasil.pagecache.backends.SharedFileCache",
            "LOCATION": str(DATA_DIR / "cache" / "pages"),
            "OPTIONS": {"MAX_ENTRIES": 50_000},
        },
    }

# Full-page cache for anonymous readers (murasil/pagecache): how long a copy is fresh when nothing
# purges it, and how long it is kept after that to serve while a new one renders or when rendering fails.
MURASIL_PAGE_CACHE = env_bool("MURASIL_PAGE_CACHE", True)
MURASIL_PAGE_CACHE_SECONDS = env_int("MURASIL_PAGE_CACHE_SECONDS", 600)
MURASIL_PAGE_CACHE_STALE_SECONDS = env_int("MURASIL_PAGE_CACHE_STALE_SECONDS", 86400)

# A CDN or nginx cache in front, purged with the app's own cache (Wagtail's frontend cache):
# MURASIL_PURGE_URLS lists caches that accept HTTP PURGE (nginx, Varnish), or MURASIL_PURGE_BACKEND=cloudflare
# with MURASIL_CLOUDFLARE_ZONE_ID and MURASIL_CLOUDFLARE_TOKEN.
WAGTAILFRONTENDCACHE = {
    f"http{number}": {"BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend", "LOCATION": location}
    for number, location in enumerate(env_list("MURASIL_PURGE_URLS", []), start=1)
}
if env_str("MURASIL_PURGE_BACKEND") == "cloudflare":
    WAGTAILFRONTENDCACHE["cloudflare"] = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudflareBackend",
        "ZONEID": env_str("MURASIL_CLOUDFLARE_ZONE_ID"),
        "BEARER_TOKEN": env_str("MURASIL_CLOUDFLARE_TOKEN"),
    }
elif env_str("MURASIL_PURGE_BACKEND") not in ("", "http"):
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("MURASIL_PURGE_BACKEND must be http or cloudflare.")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out username + address before the password is even checked.
    "murasil.core.logins.LoginThrottleBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Login throttling (django-axes): after MURASIL_LOGIN_FAILURE_LIMIT wrong passwords for one username
# from one address, that pair is refused for MURASIL_LOGIN_COOLOFF_MINUTES, even with the right password.
# Counted in the default cache (Redis in production; when Redis is down, the resilient cache counts in
# each process's memory, so logins keep working and are still throttled per process).
AXES_HANDLER = "axes.handlers.cache.AxesCacheHandler"
AXES_CACHE = "default"
AXES_FAILURE_LIMIT = env_int("MURASIL_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("MURASIL_LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "murasil.core.logins.login_client_ip"
AXES_LOCKOUT_CALLABLE = "murasil.core.logins.lockout_response"
AXES_SENSITIVE_PARAMETERS = ["password"]

# Optional TOTP two-step verification (django-otp): staff who enrolled an app must give its code.
WAGTAILADMIN_USER_LOGIN_FORM = "murasil.core.two_factor.LoginForm"
OTP_TOTP_ISSUER = env_str("MURASIL_SITE_NAME", "مراسل")  # the name authenticator apps show

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Language: Arabic by default for readers and editors; English available (editors pick it per user).
LANGUAGE_CODE = env_str("MURASIL_LANGUAGE", "ar")
LANGUAGES = [("ar", "العربية"), ("en", "English")]
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = env_str("MURASIL_TIME_ZONE", "Asia/Amman")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STATIC_ROOT = Path(env_str("MURASIL_STATIC_ROOT") or DATA_DIR / "static")
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MURASIL_MEDIA_ROOT") or DATA_DIR / "media")
# Without nginx in front (the embedded default) the app serves uploaded media itself.
MURASIL_SERVE_MEDIA = env_bool("MURASIL_SERVE_MEDIA", True)
STORAGES = {
    "default": {"BACKEND": "murasil.core.storage.SafeFileSystemStorage"},  # no half-written files
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

WAGTAIL_SITE_NAME = env_str("MURASIL_SITE_NAME", "مراسل")
# Gravatar is a third-party request from every admin page; editors upload avatars instead.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_I18N_ENABLED = False
# Wagtail's admin search boxes; reader, listing and API search use murasil.search.index instead.
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "murasil.search.wagtail_backend"}}
WAGTAILIMAGES_FORMAT_CONVERSIONS = {"bmp": "jpeg", "webp": "webp"}
# Uploads (docs/security.md): photos only, checked by content; never SVG (it can carry script).
WAGTAILIMAGES_EXTENSIONS = ["avif", "gif", "jpg", "jpeg", "png", "webp"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = env_int("MURASIL_MAX_IMAGE_MB", 20) * 2**20
# 60 million pixels (a 9500 × 6300 photo) per file, frames included: larger ones are refused before
# decoding, and Pillow itself refuses to open more (PIL.Image.MAX_IMAGE_PIXELS, set in murasil.images).
WAGTAILIMAGES_MAX_IMAGE_PIXELS = env_int("MURASIL_MAX_IMAGE_PIXELS", 60_000_000)
# Pillow verification and EXIF GPS / XMP location removal from the stored original (murasil/images/uploads.py).
WAGTAILIMAGES_IMAGE_FORM_BASE = "murasil.images.forms.SafeImageForm"
# Renditions are made ahead (on upload and publish, by murasil/images); a reader's request that meets a
# missing one queues it and shows an existing file instead of encoding it then (AVIF takes seconds).
# Turn this on only for development without a worker.
MURASIL_RENDITIONS_ON_REQUEST = env_bool("MURASIL_RENDITIONS_ON_REQUEST", False)
# AVIF is about a quarter smaller than WebP for the same photo but four to five times as slow to
# encode (0.21–0.29 s against 0.05–0.06 s for a 1200 px demo photo): a slow worker can leave it out.
MURASIL_AVIF = env_bool("MURASIL_AVIF", True)
TASKS = {
    # Wagtail's own tasks (reference index, file deletion) keep running at once, as by default.
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    # Rendition encoding: a queue in the database, worked by the process `murasil serve` starts
    # (or `murasil db_worker --backend renditions --queue-name renditions`).
    "renditions": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["renditions"]},
}
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAILEMBEDS_RESPONSIVE_HTML = True
WAGTAIL_DATE_FORMAT = "%Y-%m-%d"
WAGTAIL_DATETIME_FORMAT = "%Y-%m-%d %H:%M"

CSRF_FAILURE_VIEW = "murasil.comments.views.csrf_failure"
# Behind nginx, the client address is the last X-Forwarded-For entry (used for comment rate limits).
MURASIL_BEHIND_PROXY = env_bool("MURASIL_BEHIND_PROXY", False)

# Newsroom behaviour.
MURASIL_BREAKING_HOURS = env_int("MURASIL_BREAKING_HOURS", 6)
MURASIL_PAGE_SIZE = env_int("MURASIL_PAGE_SIZE", 12)

# Security defaults that hold in every environment (docs/security.md).
# Content-Security-Policy, by django-csp (murasil.core.middleware.ContentSecurityPolicyMiddleware).
# Reader pages load nothing from other hosts and run no inline script: the page cache serves one copy
# to every reader, so a per-request nonce cannot be used there (the cache refuses pages that used one).
# Embeds (iframes) are the one thing an editor may add from elsewhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "img-src": [SELF, "data:"],
        "style-src": [SELF],
        "script-src": [SELF, NONCE],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-src": ["https:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
# The Wagtail 7.4 admin, checked in Chromium (tests/security/test_admin_csp_browser.py): its edit forms
# still carry inline <script> blocks (widget set-up) and jQuery runs scripts inside the HTML of modals,
# so script-src needs 'unsafe-inline' there (and no nonce, which would make browsers ignore it); it
# needs no 'unsafe-eval'. Style attributes need 'unsafe-inline' in style-src; image previews and the
# focal-point tool use blob:/data: URLs. The rest stays as strict as the reader's policy.
MURASIL_ADMIN_CSP = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "img-src": [SELF, "data:", "blob:"],
        "style-src": [SELF, UNSAFE_INLINE],
        "script-src": [SELF, UNSAFE_INLINE],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "frame-src": [SELF, "https:"],
        "worker-src": [SELF, "blob:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [SELF],
    },
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
# Reader pages may not be framed at all; the admin may frame itself (Wagtail's preview panel).
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # the comment form (later) reads it from JS on cached pages

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "newsroom@localhost")
# With EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend (docs/deploy/README.md).
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
# With EMAIL_BACKEND=django.core.mail.backends.filebased.EmailBackend: one file per message here.
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(DATA_DIR / "mail"))
# Review notifications (submitted, approved, changes requested) come from the newsroom's address.
WAGTAILADMIN_NOTIFICATION_FROM_EMAIL = env_str("MURASIL_NOTIFICATION_FROM_EMAIL", DEFAULT_FROM_EMAIL)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.request": {"level": "ERROR"},
        "django_tasks": {"level": "WARNING"},
        # Its "AXES: BEGIN version …" line would open the output of every management command.
        "axes.apps": {"level": "WARNING"},
        "django_tasks_db": {"level": "WARNING"},
    },
}
