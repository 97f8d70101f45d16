"""Keep `TagActivity` in step with publishing, in the same request (see tag_activity.py)."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from wagtail.signals import published, unpublished

from murasil.news.models import Article, ArticleTag

from . import tag_activity


@receiver(published, sender=Article)
@receiver(unpublished, sender=Article)
def article_published(sender, instance: Article, **kwargs) -> None:
    # Also runs when Wagtail's publish_scheduled withdraws an expired article.
    tag_activity.article_changed(instance.pk)


@receiver(post_save, sender=ArticleTag)
def tagging_saved(sender, instance: ArticleTag, raw: bool = False, **kwargs) -> None:
    if not raw:
        tag_activity.tagging_added(instance.tag_id, instance.content_object_id)


@receiver(post_delete, sender=ArticleTag)
def tagging_deleted(sender, instance: ArticleTag, **kwargs) -> None:
    # Deleting an article deletes its taggings first (and sends this), so deletion needs no handler.
    tag_activity.tagging_removed(instance.tag_id, instance.content_object_id)
