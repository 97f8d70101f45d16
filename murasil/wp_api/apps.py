from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WordPressApiConfig(AppConfig):
    name = "murasil.wp_api"
    label = "wp_api"
    verbose_name = _("WordPress-compatible API")
