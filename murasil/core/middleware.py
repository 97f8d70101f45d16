"""Security headers Django does not set by itself, and the answer when the database is away."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

# Reader pages load nothing from other hosts: fonts, styles, scripts and images are all our own.
# Embeds (iframes) are the one thing an editor may add from elsewhere.
READER_CSP = "; ".join(
    [
        "default-src 'self'",
        "img-src 'self' data:",
        "style-src 'self'",
        "script-src 'self'",
        "font-src 'self'",
        "frame-src https:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'self'",
    ]
)


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        # The Wagtail admin relies on inline scripts and styles; the CSP covers the reader's side.
        if not request.path.startswith(("/admin/", "/django-admin/")):
            response.headers.setdefault("Content-Security-Policy", READER_CSP)
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()"
        )
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
