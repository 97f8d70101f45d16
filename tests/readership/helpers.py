"""Shared set-up: a small published newsroom and a clean counter store (local memory or Redis)."""

from django.test import Client

from murasil.readership import counters

READER_UA = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131 Mobile"


def clear_counters() -> None:
    counters.store().clear()


def beacon(client: Client, article_id: int, ip: str = "203.0.113.7", ua: str = READER_UA, **extra):
    """POST the beacon. The test client closes the response as a WSGI server does, which runs a due flush."""
    return client.post(f"/readership/view/{article_id}/", REMOTE_ADDR=ip, HTTP_USER_AGENT=ua, **extra)
