"""Small builders for test data: an Arabic newsroom in a few lines, through the real publishing actions."""

import datetime
import io
import itertools

from django.core.files.images import ImageFile
from django.utils import timezone

from wagtail.images import get_image_model
from wagtail.models import Collection
from wagtail.rich_text import RichText

from murasil.core.models import HomePage, StandardPage
from murasil.demo.images import news_photo
from murasil.news.models import Article, ArticleReporter, Reporter, SectionPage, default_breaking_until

_counter = itertools.count(1)


def home_page() -> HomePage:
    return HomePage.objects.get()


def ensure_site() -> HomePage:
    """Rebuild the root page, home page and site that migrations create (transactional tests flush them)."""
    from wagtail.models import Locale, Page, Site

    home = HomePage.objects.first()
    if home:
        return home
    Locale.objects.get_or_create(language_code="ar")
    if not Collection.get_first_root_node():
        Collection.add_root(name="Root")
    root = Page.get_first_root_node() or Page.add_root(title="Root", slug="root")
    home = root.add_child(instance=HomePage(title="الرئيسية", slug="home"))
    Site.objects.update_or_create(is_default_site=True, defaults={"hostname": "localhost", "root_page": home})
    return home


def make_section(title: str, slug: str, parent=None, in_menu: bool = True) -> SectionPage:
    parent = parent or home_page()
    section = SectionPage(title=title, slug=slug, show_in_menus=in_menu)
    parent.add_child(instance=section)
    section.save_revision().publish()
    return SectionPage.objects.get(pk=section.pk)


def make_static_page(title: str, slug: str, body: str) -> StandardPage:
    page = StandardPage(title=title, slug=slug, body=body)
    home_page().add_child(instance=page)
    page.save_revision().publish()
    return page


def make_image(title: str = "صورة اختبار", roles: tuple[str, ...] = ("featured",), size=(320, 180)):
    """A small photo with the renditions `roles` need made, as the worker would have made them."""
    from murasil.images.tasks import make_for_roles

    image = get_image_model()(title=title, collection=Collection.get_first_root_node())
    image.file = ImageFile(io.BytesIO(news_photo(next(_counter), size=size)), name="test.jpg")
    image.save()
    if roles:
        make_for_roles(image, roles)
    return image


def make_reporter(name: str, slug: str, **extra) -> Reporter:
    return Reporter.objects.create(name=name, slug=slug, **extra)


def make_article(
    section: SectionPage,
    title: str,
    *,
    reporters: tuple[Reporter, ...] = (),
    tags: tuple[str, ...] = (),
    published_at: datetime.datetime | None = None,
    publish: bool = True,
    paragraphs: tuple[str, ...] = ("فقرة أولى من نص الخبر للتجربة.",),
    **fields,
) -> Article:
    """An article published at `published_at` (default: now), or a draft when publish=False."""
    body = [("paragraph", RichText(f"<p>{text}</p>")) for text in paragraphs]
    if fields.pop("is_breaking", False):  # breaking for the usual hours after its publication
        fields.setdefault("breaking_until", default_breaking_until(published_at))
    article = Article(section=section, title=title, body=body, live=False, **fields)
    if publish:
        article.first_published_at = published_at or timezone.now()
    article.save()
    for order, reporter in enumerate(reporters):
        ArticleReporter.objects.create(article=article, reporter=reporter, sort_order=order)
    if tags:
        article.tags.add(*tags)
        article.save()
    revision = article.save_revision()
    if publish:
        revision.publish()
        Article.objects.filter(pk=article.pk).update(last_published_at=article.first_published_at)
    article.refresh_from_db()
    return article
