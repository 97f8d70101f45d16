"""A withdrawn or deleted article stops being counted at once and never shows in the most-read lists."""

from django.core.cache import cache
from django.db.models.signals import post_delete
from django.dispatch import receiver

from wagtail.signals import published, unpublished

from murasil.news.models import Article

from .most_read import forget_most_read
from .views import published_key


@receiver(published, sender=Article)
@receiver(unpublished, sender=Article)
def article_visibility_changed(sender, instance, **kwargs) -> None:
    # The lists themselves follow the chrome version, which these signals bump (news/signal_handlers.py).
    cache.delete(published_key(instance.pk))


@receiver(post_delete, sender=Article)
def article_deleted(sender, instance, **kwargs) -> None:
    cache.delete(published_key(instance.pk))
    forget_most_read()
