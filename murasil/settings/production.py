"""Production: refuses to start without a real secret key and the hosts it serves."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .env import env_bool, env_int, env_list, env_str

SECRET_KEY = env_str("SECRET_KEY")
# Django's own deploy check (security.W009) wants at least 50 characters.
if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 10 or SECRET_KEY.startswith("django-insecure"):
    raise ImproperlyConfigured(
        "SECRET_KEY must be set to a random value of at least 50 characters in production "
        '(for example: python3 -c "import secrets; print(secrets.token_urlsafe(50))").'
    )
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [])
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must list the host names this site answers to in production.")

DEBUG = False
# Behind nginx terminating TLS; set MURASIL_HTTPS=false only for a plain-HTTP trial.
_HTTPS = env_bool("MURASIL_HTTPS", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = _HTTPS
CSRF_COOKIE_SECURE = _HTTPS
SECURE_SSL_REDIRECT = _HTTPS and env_bool("MURASIL_SSL_REDIRECT", True)
# Load balancers probe the app servers over plain HTTP; a redirect would read as "down".
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env_int("MURASIL_HSTS_SECONDS", 31536000 if _HTTPS else 0)
# Opt-in: a newsroom often keeps older sites on subdomains, and preloading is hard to undo. Left off,
# Django's deploy check would warn about them; that choice is documented in docs/security.md.
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("MURASIL_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("MURASIL_HSTS_PRELOAD", False)
SILENCED_SYSTEM_CHECKS = [
    *([] if SECURE_HSTS_INCLUDE_SUBDOMAINS or not _HTTPS else ["security.W005"]),
    *([] if SECURE_HSTS_PRELOAD or not _HTTPS else ["security.W021"]),
]
