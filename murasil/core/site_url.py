"""Keep Wagtail's default Site in step with MURASIL_SITE_URL, so every absolute link agrees."""

from urllib.parse import urlsplit

from django.conf import settings

from wagtail.models import Site


def sync_default_site() -> None:
    parts = urlsplit(settings.MURASIL_SITE_URL)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    site = Site.objects.filter(is_default_site=True).first()
    if site and (site.hostname, site.port) != (parts.hostname, port):
        site.hostname, site.port = parts.hostname, port
        site.save()
