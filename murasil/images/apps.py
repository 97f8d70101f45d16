from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImagesConfig(AppConfig):
    name = "murasil.images"
    label = "murasil_images"  # "images" would read like Wagtail's own app (wagtailimages)
    verbose_name = _("Photo renditions")

    def ready(self) -> None:
        from django.conf import settings

        from PIL import Image

        from . import signal_handlers  # noqa: F401

        # Pillow warns at this many pixels and refuses twice as many: a bomb that slips past the
        # upload checks (an image already stored, a rendition source) still cannot be decoded.
        Image.MAX_IMAGE_PIXELS = settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS
