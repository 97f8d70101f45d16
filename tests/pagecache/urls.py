"""Views for the page cache's own tests: slow, failing on demand, setting a cookie. No database."""

import threading
import time

from django.http import HttpResponse
from django.urls import path

from murasil.pagecache.dependencies import reader_page
from murasil.pagecache.recording import depends_on


class Renders:
    """Counts renders; `delay` makes each one slow, `fail` makes them answer 500."""

    lock = threading.Lock()
    count = 0
    delay = 0.0
    fail = False

    @classmethod
    def reset(cls) -> None:
        cls.count, cls.delay, cls.fail = 0, 0.0, False


@reader_page
def slow(request):
    with Renders.lock:
        Renders.count += 1
        number = Renders.count
    time.sleep(Renders.delay)
    depends_on(request, "test:slow")
    if Renders.fail:
        raise RuntimeError("the database is down")
    return HttpResponse(f"render {number}", content_type="text/plain; charset=utf-8")


@reader_page
def with_cookie(request):
    response = HttpResponse("for one reader", content_type="text/plain")
    response.set_cookie("reader", "42")
    return response


@reader_page
def varies(request):
    response = HttpResponse("by language", content_type="text/plain")
    response["Vary"] = "Accept-Language"
    return response


@reader_page
def with_nonce(request):
    # An inline script allowed by this request's nonce: django-csp then puts the nonce in the header.
    html = f'<!doctype html><title>x</title><script nonce="{request.csp_nonce}">document.title = "y";</script>'
    return HttpResponse(html, content_type="text/html; charset=utf-8")


urlpatterns = [
    path("nonce/", with_nonce),
    path("slow/", slow),
    path("cookie/", with_cookie),
    path("varies/", varies),
]
