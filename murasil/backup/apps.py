from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BackupConfig(AppConfig):
    name = "murasil.backup"
    label = "murasil_backup"
    verbose_name = _("Backups")
