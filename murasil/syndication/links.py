"""Absolute addresses and the outlet's identity, as every machine-readable output needs them."""

from django.conf import settings
from django.http import HttpRequest
from django.templatetags.static import static
from django.utils.encoding import iri_to_uri


def absolute(url: str) -> str:
    """A full address on the public site (MURASIL_SITE_URL), for a path or an already full URL."""
    if not url.startswith(("http://", "https://")):
        url = settings.MURASIL_SITE_URL + url
    return iri_to_uri(url)


def newsroom(request: HttpRequest | None = None):
    """The site settings, cached on the request when there is one (logo and share image selected)."""
    from murasil.core.models import NewsroomSettings

    return NewsroomSettings.load(request_or_site=request) if request else NewsroomSettings.load()


def logo_image(conf) -> dict:
    """The publisher logo as {url, width, height}: the uploaded one, or the platform's default."""
    if conf.logo:
        from murasil.images import renditions
        from murasil.images.specs import LOGO

        rendition = renditions.one(conf.logo, LOGO)
        return {"url": absolute(rendition.url), "width": rendition.width, "height": rendition.height}
    return {"url": absolute(static("murasil/logo.png")), "width": 600, "height": 60}
