from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImagesConfig(AppConfig):
    name = "murasil.images"
    label = "murasil_images"  # "images" would read like Wagtail's own app (wagtailimages)
    verbose_name = _("Photo renditions")

    def ready(self) -> None:
        from . import signal_handlers  # noqa: F401
