"""The index follows publishing at once: publish, edit, unpublish and delete update it right there."""

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from wagtail.signals import published, unpublished

from murasil.news.models import Article

from .index import SYNONYMS_KEY, index_article, remove_article
from .models import Synonym
from .related import refresh_related


@receiver(post_save, sender=Article)
def article_saved(sender, instance: Article, **kwargs) -> None:
    # Saving a draft of a live article leaves its live row as it was; reindexing reads that row.
    index_article(instance.pk)


@receiver(published, sender=Article)
@receiver(unpublished, sender=Article)
def article_published(sender, instance: Article, **kwargs) -> None:
    # After publishing, tags and other child rows are saved too: index once more with them, and
    # store this article's related list.
    index_article(instance.pk)
    refresh_related(instance.pk)


@receiver(post_delete, sender=Article)
def article_deleted(sender, instance: Article, **kwargs) -> None:
    remove_article(instance.pk)


@receiver(post_save, sender=Synonym)
@receiver(post_delete, sender=Synonym)
def synonyms_changed(sender, **kwargs) -> None:
    cache.delete(SYNONYMS_KEY)
