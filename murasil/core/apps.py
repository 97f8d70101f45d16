from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "murasil.core"
    label = "core"
    verbose_name = _("Site")

    def ready(self) -> None:
        from . import signal_handlers  # noqa: F401
