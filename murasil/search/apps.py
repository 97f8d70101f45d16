from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "murasil.search"
    label = "murasil_search"  # "search" would clash with nothing today, but Wagtail's is "wagtailsearch"
    verbose_name = _("Search")

    def ready(self) -> None:
        from . import signal_handlers  # noqa: F401
