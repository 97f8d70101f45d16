from django.db.models.signals import post_save
from django.dispatch import receiver

from .chrome import bump_chrome_version
from .models import NewsroomSettings, StandardPage


@receiver(post_save, sender=NewsroomSettings)
@receiver(post_save, sender=StandardPage)
def chrome_changed(sender, **kwargs) -> None:
    bump_chrome_version()
