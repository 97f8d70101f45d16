"""Keep derived data and caches in step with what editors publish."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from taggit.models import Tag
from wagtail.images import get_image_model
from wagtail.models import Site
from wagtail.signals import page_published, page_unpublished, post_page_move, published, unpublished

from murasil.comments.models import Comment, CommentSettings
from murasil.core.chrome import bump_chrome_version
from murasil.core.models import NewsroomSettings

from .fragments import bump_fragments_version, forget_article
from .models import Article, Reporter, SectionPage, root_section_id_for


@receiver(post_page_move)
def refresh_root_sections(sender, instance, **kwargs) -> None:
    """A moved section (and its children) may now sit under another top-level section."""
    sections = SectionPage.objects.descendant_of(instance, inclusive=True)
    for section in sections:
        Article.objects.filter(section=section).update(root_section_id=root_section_id_for(section))
    bump_chrome_version()
    bump_fragments_version()


@receiver(published, sender=Article)
@receiver(unpublished, sender=Article)
@receiver(post_delete, sender=Article)
@receiver(page_published)
@receiver(page_unpublished)
def content_changed(sender, **kwargs) -> None:
    bump_chrome_version()


@receiver(post_save, sender=SectionPage)
@receiver(post_save, sender=Reporter)
@receiver(post_delete, sender=Reporter)
def chrome_inputs_saved(sender, **kwargs) -> None:
    """Menus and the search page's section and reporter filters are cached with the chrome."""
    bump_chrome_version()
    bump_fragments_version()


@receiver(page_published)
@receiver(page_unpublished)
@receiver(post_save, sender=Reporter)
@receiver(post_delete, sender=Reporter)
@receiver(post_save, sender=Tag)
@receiver(post_delete, sender=Tag)
@receiver(post_save, sender=NewsroomSettings)
@receiver(post_save, sender=CommentSettings)
@receiver(post_save, sender=Site)
@receiver(post_delete, sender=get_image_model())
def shown_on_many_articles(sender, **kwargs) -> None:
    """A section, byline, tag, setting or photo changed: every cached article part is rendered again."""
    bump_fragments_version()
    transaction.on_commit(bump_fragments_version)  # and once more, for a reader who rendered in between


@receiver(post_save, sender=get_image_model())
def photo_changed(sender, created=False, **kwargs) -> None:
    if not created:  # a new file or focal point means new rendition addresses
        shown_on_many_articles(sender)


@receiver(post_save, sender=Comment)
@receiver(post_delete, sender=Comment)
def comment_changed(sender, instance, created=False, **kwargs) -> None:
    if created and instance.status != Comment.Status.APPROVED:
        return  # awaiting moderation: readers see nothing new
    forget_article(instance.article_id)
    transaction.on_commit(lambda: forget_article(instance.article_id))
