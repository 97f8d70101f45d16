"""Purge exactly what a change shows up on (purge.py says what that is), for every kind of change.

Articles are snippets, which neither Wagtail's frontend cache nor anything else purges by itself:
publish, unpublish (also expiry, by publish_scheduled), saves of the live row and deletes are hooked
here. Saving a draft of a live article changes nothing a reader sees and purges nothing.
"""

from django.db.models.signals import post_delete, post_save, pre_delete
from django.dispatch import receiver

from taggit.models import Tag
from wagtail.images import get_image_model
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished, post_page_move, published, unpublished

from murasil.comments.models import Comment, CommentSettings
from murasil.core.models import NewsroomSettings
from murasil.news.models import Article, Reporter
from murasil.search.models import Synonym

from . import purge

# Fields Wagtail's revisions, locking and workflows write on the live row without changing it for readers.
BOOKKEEPING_FIELDS = frozenset(
    {
        "latest_revision",
        "latest_revision_id",
        "has_unpublished_changes",
        "draft_title",
        "locked",
        "locked_at",
        "locked_by",
        "locked_by_id",
        "live_revision",
        "live_revision_id",
        "latest_revision_created_at",
        "owner",
        "owner_id",
    }
)


@receiver(published, sender=Article)
@receiver(unpublished, sender=Article)
def article_published(sender, instance: Article, **kwargs) -> None:
    purge.changed(*purge.article_change(instance))


@receiver(post_save, sender=Article)
def article_saved(sender, instance: Article, created: bool, update_fields=None, raw: bool = False, **kwargs) -> None:
    if raw or (created and not instance.live):
        return
    if update_fields is not None and set(update_fields) <= BOOKKEEPING_FIELDS:
        return
    purge.changed(*purge.article_change(instance))


@receiver(pre_delete, sender=Article)
def article_deleting(sender, instance: Article, **kwargs) -> None:
    # Its tags, reporters and section are still there to be read; the purge waits for the delete.
    instance._pagecache_change = purge.article_change(instance)


@receiver(post_delete, sender=Article)
def article_deleted(sender, instance: Article, **kwargs) -> None:
    tags, urls = getattr(instance, "_pagecache_change", ({f"a:{instance.pk}"}, set()))
    purge.changed(tags, urls)


@receiver(post_save, sender=Comment)
def comment_saved(sender, instance: Comment, created: bool, raw: bool = False, **kwargs) -> None:
    # A new comment awaiting moderation changes no public page; every other save may (approve,
    # un-approve, an editor's correction).
    if raw or (created and instance.status != Comment.Status.APPROVED):
        return
    purge.changed(*purge.comment_change(instance))


@receiver(post_delete, sender=Comment)
def comment_deleted(sender, instance: Comment, **kwargs) -> None:
    if instance.status == Comment.Status.APPROVED:
        purge.changed(*purge.comment_change(instance))


@receiver(post_save, sender=Reporter)
@receiver(post_delete, sender=Reporter)
def reporter_changed(sender, instance: Reporter, raw: bool = False, **kwargs) -> None:
    if not raw:
        purge.changed(*purge.reporter_change(instance))


@receiver(post_save, sender=Tag)
@receiver(post_delete, sender=Tag)
def tag_changed(sender, instance: Tag, raw: bool = False, **kwargs) -> None:
    if not raw:
        purge.changed(*purge.tag_change(instance))


@receiver(page_published)
@receiver(page_unpublished)
def page_published_or_withdrawn(sender, instance: Page, **kwargs) -> None:
    purge.changed(*purge.page_change(instance))


@receiver(post_page_move)
def page_moved(sender, instance: Page, **kwargs) -> None:
    purge.changed(*purge.page_change(instance, moved=True))


@receiver(pre_delete)
def page_deleting(sender, instance, **kwargs) -> None:
    # Any page model (the signal comes once per class in its chain): read while the rows exist.
    if sender is Page:
        instance._pagecache_change = purge.page_change(instance)


@receiver(post_delete)
def page_deleted(sender, instance, **kwargs) -> None:
    if sender is Page and hasattr(instance, "_pagecache_change"):
        purge.changed(*instance._pagecache_change)


@receiver(post_save, sender=get_image_model())
@receiver(post_delete, sender=get_image_model())
def image_changed(sender, instance, created: bool = False, raw: bool = False, **kwargs) -> None:
    if not raw and not created:
        purge.changed(*purge.image_change(instance))


@receiver(post_save, sender=NewsroomSettings)
@receiver(post_save, sender=CommentSettings)
def settings_changed(sender, created: bool = False, raw: bool = False, **kwargs) -> None:
    # Settings rows are created with their defaults the first time a page reads them: nothing changes.
    if not raw and not created:
        purge.changed(*purge.everything())


@receiver(post_save, sender=Synonym)
@receiver(post_delete, sender=Synonym)
def synonyms_changed(sender, **kwargs) -> None:
    purge.changed({"search"})
