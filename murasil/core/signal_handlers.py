from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver

from wagtail.embeds.models import Embed

from .chrome import bump_chrome_version
from .models import NewsroomSettings, StandardPage
from .sanitize import clean_embed_html


@receiver(post_save, sender=NewsroomSettings)
@receiver(post_save, sender=StandardPage)
def chrome_changed(sender, **kwargs) -> None:
    bump_chrome_version()


@receiver(pre_save, sender=Embed)
def clean_embed(sender, instance: Embed, **kwargs) -> None:
    """Provider HTML is stored as the provider sent it by Wagtail; keep only the allowed frames and markup."""
    instance.html = clean_embed_html(instance.html)
