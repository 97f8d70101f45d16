"""Admin login throttling (django-axes): the client address it counts by, and the lockout answer."""

import math

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import ngettext

from axes.backends import AxesStandaloneBackend
from axes.helpers import get_cool_off

from murasil.comments.moderation import client_ip


class LoginThrottleBackend(AxesStandaloneBackend):
    """Axes' lockout check for logins over HTTP; authentication without a request (a management
    command, the test client's login()) has no address to count and is not a web-facing guess."""

    def authenticate(
        self, request: HttpRequest | None, username: str | None = None, password: str | None = None, **kwargs
    ):
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)


def login_client_ip(request: HttpRequest) -> str:
    """The address failures are counted for: the same one comment rate limits use (nginx-aware)."""
    return client_ip(request) or ""


def lockout_response(request: HttpRequest, original_response: HttpResponse | None, credentials: dict | None):
    """The admin's login page, with an Arabic explanation instead of the form, and 429."""
    cool_off = get_cool_off(request)
    minutes = max(1, math.ceil(cool_off.total_seconds() / 60)) if cool_off else 0
    message = ngettext(
        "Too many failed sign-in attempts. Sign-in is blocked for this account from your address for "
        "%(minutes)d minute; try again after that, or ask an administrator.",
        "Too many failed sign-in attempts. Sign-in is blocked for this account from your address for "
        "%(minutes)d minutes; try again after that, or ask an administrator.",
        minutes,
    ) % {"minutes": minutes}
    response = render(request, "core/security/locked_out.html", {"message": message}, status=429)
    if cool_off:
        response["Retry-After"] = str(int(cool_off.total_seconds()))
    return response
