"""Requests no reader's browser sends: refused before any view sees them."""

from collections.abc import Callable

from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse


class RejectNulBytesMiddleware:
    """A NUL byte in the path or the query string is answered 400: the site's own error page, or for
    the WordPress API its JSON error (rest_no_route for a path, rest_invalid_param naming the arguments).

    PostgreSQL text cannot hold NUL, so any view that looks such a value up (a search filter, a slug,
    a feed's section path) would fail with a 500; SQLite would just find nothing. Browsers never send
    one; scanners do. Form fields are already covered (Django's forms refuse NUL)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        bad_path = "\x00" in request.path
        bad_args = [key.replace("\x00", "") for key, values in request.GET.lists() if "\x00" in key + "".join(values)]
        if not (bad_path or bad_args):
            return self.get_response(request)
        if request.path.startswith("/wp-json/") or "rest_route" in request.GET:
            from murasil.wp_api.http import error_response, invalid_params, no_route

            if bad_path or "rest_route" in bad_args:
                return error_response(no_route())
            return error_response(
                invalid_params({name: ("rest_invalid_param", f"{name} contains a NUL byte.") for name in bad_args})
            )
        raise BadRequest("NUL byte in the address")
