"""Security headers Django does not set by itself, and the answer when the database is away."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from csp.middleware import CSPMiddleware, PolicyParts
from csp.utils import default_config

# The Wagtail admin and Django's admin get their own policy (settings.MURASIL_ADMIN_CSP).
ADMIN_PREFIXES = ("/admin/", "/django-admin/")
PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=(), browsing-topics=()"
)


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp with two policies: CONTENT_SECURITY_POLICY for readers, MURASIL_ADMIN_CSP for the admin.

    A reader page that read `request.csp_nonce` gets a nonce in its header; the page cache refuses to
    store such a page (murasil/pagecache/responses.py), since one nonce served to every reader is no nonce.
    """

    def get_policy_parts(self, request: HttpRequest, response: HttpResponse, report_only: bool = False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and parts.config is None and request.path_info.startswith(ADMIN_PREFIXES):
            parts.config = default_config(settings.MURASIL_ADMIN_CSP["DIRECTIVES"])
        return parts


class SecurityHeadersMiddleware:
    """Permissions-Policy on every response, and the admin's X-Frame-Options.

    Must come after XFrameOptionsMiddleware in MIDDLEWARE (so its answer is seen first)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        if request.path_info.startswith(ADMIN_PREFIXES):
            # Wagtail's preview panel frames the admin's own preview view; reader pages get DENY
            # (X_FRAME_OPTIONS) from XFrameOptionsMiddleware, which leaves a header set here alone.
            response.headers.setdefault("X-Frame-Options", "SAMEORIGIN")
        return response


class DatabaseUnavailableMiddleware:
    """A friendly Arabic 503 with Retry-After when a view or template cannot reach the database."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        from .unavailable import is_database_outage, unavailable_response

        if is_database_outage(exception):
            return unavailable_response(request, exception)
        return None
