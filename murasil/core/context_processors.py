from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject


def site_chrome(request: HttpRequest) -> dict:
    """Menu, footer and breaking strip for public templates; lazy, so admin pages never pay for it."""
    from .chrome import site_chrome_data

    return {"chrome": SimpleLazyObject(site_chrome_data)}
