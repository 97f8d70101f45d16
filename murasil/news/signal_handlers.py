"""Keep derived data and caches in step with what editors publish."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from wagtail.signals import page_published, page_unpublished, post_page_move, published, unpublished

from murasil.core.chrome import bump_chrome_version

from .models import Article, Reporter, SectionPage, root_section_id_for


@receiver(post_page_move)
def refresh_root_sections(sender, instance, **kwargs) -> None:
    """A moved section (and its children) may now sit under another top-level section."""
    sections = SectionPage.objects.descendant_of(instance, inclusive=True)
    for section in sections:
        Article.objects.filter(section=section).update(root_section_id=root_section_id_for(section))
    bump_chrome_version()


@receiver(published, sender=Article)
@receiver(unpublished, sender=Article)
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
