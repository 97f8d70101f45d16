"""Requests no reader's browser sends: refused before any view sees them."""

from collections.abc import Callable

from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse


class RejectNulBytesMiddleware:
    """A NUL byte in the path or the query string is answered 400 (the site's own error page).

    PostgreSQL text cannot hold NUL, so any view that looks such a value up (a search filter, a slug,
    a feed's section path) would fail with a 500; SQLite would just find nothing. Browsers never send
    one; scanners do. Form fields are already covered (Django's forms refuse NUL)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path or any(
            "\x00" in key or any("\x00" in value for value in values) for key, values in request.GET.lists()
        ):
            raise BadRequest("NUL byte in the address")
        return self.get_response(request)
