"""What a change affects: the tags to purge in the app's page cache, and the URLs to purge in a CDN or
nginx cache in front (Wagtail's frontend cache, configured by MURASIL_PURGE_* in settings).

`changed(tags, urls)` is the one call: it purges the tags at once (so the next request in this
transaction sees the change) and again after the transaction commits (so no render that read the
database before the commit survives), then sends the URLs to the frontend cache.
`article_change`, `comment_change`, … return (tags, urls) for one change; deploy scripts and nginx
docs can use them to see which URLs a change touches.
"""

from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.urls import NoReverseMatch, reverse

from . import store

# The site-wide lists every published-article change touches.
ARTICLE_LISTS = ("home", "feed", "sitemaps", "api", "search", "comments")


def changed(tags: Iterable[str], urls: Iterable[str] = ()) -> None:
    tags, urls = set(tags), sorted(set(urls))
    if not tags and not urls:
        return
    if not settings.MURASIL_PAGE_CACHE:
        tags = set()
    if tags:
        store.purge(tags)

    def after_commit() -> None:
        if tags:
            store.purge(tags)
        if urls and getattr(settings, "WAGTAILFRONTENDCACHE", None):
            from wagtail.contrib.frontend_cache.utils import purge_urls_from_cache

            purge_urls_from_cache(urls)

    transaction.on_commit(after_commit, robust=True)


def absolute(path: str) -> str:
    return settings.MURASIL_SITE_URL + path


def _url(name: str, **kwargs) -> str | None:
    try:
        return absolute(reverse(name, kwargs=kwargs or None))
    except NoReverseMatch:
        return None


def section_chain(section_id: int | None) -> list:
    """The section and every section above it."""
    from murasil.news.models import SectionPage

    if not section_id:
        return []
    section = SectionPage.objects.filter(pk=section_id).only("id", "path").first()
    if section is None:
        return []
    steplen = SectionPage.steplen
    paths = [section.path[:end] for end in range(steplen * 3, len(section.path) + 1, steplen)]
    return list(SectionPage.objects.filter(path__in=paths).order_by("path"))


def article_change(article) -> tuple[set[str], set[str]]:
    """Publishing, editing, unpublishing, expiring or deleting `article` (call before a delete)."""
    from murasil.news.models import ArticleReporter

    tags = {f"a:{article.pk}", f"comments:{article.pk}", *ARTICLE_LISTS}
    urls = {absolute(path) for path in ("/", "/feed/", "/feed/atom/", "/sitemap.xml", "/news-sitemap.xml")}
    urls |= {absolute("/wp-json/wp/v2/posts"), absolute("/comments/feed/")}
    if article.pk and article.section_id and article.slug:
        urls.add(article.full_url)
    if in_breaking_window(article):
        tags.add("breaking")  # it may be new in the strip on every page (pages already showing it have a:<id>)
    for section in section_chain(article.section_id):
        tags.add(f"section:{section.pk}")
        url = section.get_full_url()
        if url:
            urls |= {url, url + "feed/", url + "feed/atom/"}
    if article.pk:
        for slug in article.tags.values_list("slug", flat=True):
            tags.add(f"tag:{slug}")
            urls |= {u for u in (_url("news:tag", slug=slug), _url("tag_feed", slug=slug)) if u}
        reporters = ArticleReporter.objects.filter(article_id=article.pk).values_list("reporter__slug", flat=True)
        for slug in reporters:
            tags.add(f"reporter:{slug}")
            urls |= {u for u in (_url("news:reporter", slug=slug), _url("reporter_feed", slug=slug)) if u}
    if article.first_published_at:
        month = article.first_published_at
        urls.add(absolute(f"/sitemap-articles-{month:%Y-%m}.xml"))
    urls |= {absolute("/sitemap-tags.xml"), absolute("/sitemap-reporters.xml")}
    if article.pk:
        urls.add(absolute(f"/comments/feed/{article.pk}/"))
    return tags, urls


def in_breaking_window(article) -> bool:
    """Whether the article is (or, published, would be) in the breaking strip now."""
    return article.is_breaking


def comment_change(comment) -> tuple[set[str], set[str]]:
    """A comment approved, un-approved, edited or deleted: its article and the comment feeds."""
    tags = {f"a:{comment.article_id}", f"comments:{comment.article_id}", "comments", "api"}
    urls = {absolute("/comments/feed/"), absolute(f"/comments/feed/{comment.article_id}/")}
    urls.add(absolute("/wp-json/wp/v2/comments"))
    article = getattr(comment, "article", None)
    if article is not None and article.pk and article.section_id:
        urls.add(article.full_url)
    return tags, urls


def reporter_change(reporter) -> tuple[set[str], set[str]]:
    tags = {f"r:{reporter.pk}", f"reporter:{reporter.slug}", "api", "sitemaps"}
    urls = {u for u in (_url("news:reporter", slug=reporter.slug), _url("reporter_feed", slug=reporter.slug)) if u}
    return tags, urls | {absolute("/wp-json/wp/v2/users"), absolute("/sitemap-reporters.xml")}


def tag_change(tag) -> tuple[set[str], set[str]]:
    tags = {f"t:{tag.pk}", f"tag:{tag.slug}", "api", "sitemaps"}
    urls = {u for u in (_url("news:tag", slug=tag.slug), _url("tag_feed", slug=tag.slug)) if u}
    return tags, urls | {absolute("/wp-json/wp/v2/tags"), absolute("/sitemap-tags.xml")}


def page_change(page, moved: bool = False) -> tuple[set[str], set[str]]:
    """A section, static page or the home page published, unpublished, moved or deleted. Pages just
    below the home page are in the menu or the footer, on every page: those purge the chrome."""
    from murasil.news.models import SectionPage

    tags = {f"p:{page.pk}", "sitemaps", "api"}
    if isinstance(page.specific_deferred, SectionPage):
        tags.add(f"section:{page.pk}")
    if page.depth <= 3:
        tags.add("chrome")
    if moved:
        tags.add("all")  # its URL and every URL below it changed
    url = page.get_full_url()
    urls = {url} if url else set()
    return tags, urls | {absolute("/sitemap-pages.xml"), absolute("/wp-json/wp/v2/pages")}


def image_change(image) -> tuple[set[str], set[str]]:
    return {f"img:{image.pk}", "api"}, set()


def everything() -> tuple[set[str], set[str]]:
    """Settings shown everywhere (outlet name, comment rules): every entry."""
    return {"all"}, set()
