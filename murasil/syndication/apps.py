from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SyndicationConfig(AppConfig):
    name = "murasil.syndication"
    # Not "syndication": that is the label of django.contrib.syndication.
    label = "murasil_syndication"
    verbose_name = _("Feeds and search engines")

    def ready(self) -> None:
        from . import signal_handlers  # noqa: F401
