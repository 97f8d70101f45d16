"""Old WordPress links keep working: every address the old site answered gets a 301 to its new home.

Looked up only when Murasil itself has nothing at an address (a 404), or on the home page with
WordPress's query forms (?p=123, ?page_id=, ?cat=, ?tag=, ?author=, ?s=, ?feed=). In order:
1. the exact old permalink of a post, page, category, tag, author or upload (stored at import);
2. /archives/123 and the query forms, by WordPress ID;
3. category, tag and author archives by slug, whatever the category path;
4. the site's permalink structure (WordPressSettings), so /2024/05/02/slug/ finds the post by slug or ID
   even when the date part differs; then the last path segment as a post slug.
Suffixes WordPress adds (feed/, amp/, page/2/, comment-page-1/, embed/) lead to the same object, feeds
to its Murasil feed. Unpublished objects never redirect: an old link to a draft stays a 404.
"""

import re
from urllib.parse import urlencode

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.urls import reverse

from .models import WordPressObject, WordPressSettings
from .permalinks import normalize_path, structure_regex

Kind = WordPressObject.Kind
SUFFIX = re.compile(
    r"^(?P<base>.*?)(?:/(?P<suffix>feed(?:/(?:rss2?|atom|rdf|rss))?|rss2?|atom|amp|embed|trackback|"
    r"comment-page-\d+|page/\d+))+$"
)
QUERY_KINDS = {
    "p": Kind.POST,
    "page_id": Kind.PAGE,
    "cat": Kind.CATEGORY,
    "author": Kind.USER,
    "attachment_id": Kind.ATTACHMENT,
}
IMPORTED_KEY = "murasil:wordpress:imported"


def has_imports() -> bool:
    """Whether this site was ever imported into: without that, 404s cost no query."""
    found = cache.get(IMPORTED_KEY)
    if found is None:
        found = WordPressObject.objects.exists()
        # "Not yet" is remembered briefly: an import in another process (with a per-process cache)
        # must start answering old links within a minute.
        cache.set(IMPORTED_KEY, found, 300 if found else 60)
    return found


def target_of(mapping: WordPressObject | None, feed: bool = False) -> str | None:
    """The Murasil address of a mapped object, if a reader may see it; with feed=True, its feed."""
    if mapping is None:
        return None
    kind, pk = mapping.kind, mapping.object_id
    if kind in (Kind.POST, Kind.OLD_SLUG):
        from murasil.news.models import Article

        article = Article.objects.published().select_related("section").filter(pk=pk).first()
        if article is None:
            return None
        return reverse("comments:article_feed", args=[article.pk]) if feed else article.get_absolute_url()
    if kind in (Kind.PAGE, Kind.CATEGORY):
        from wagtail.models import Page

        page = Page.objects.live().public().filter(pk=pk).first()
        if page is None:
            return None
        url = page.get_url()
        return url + "feed/" if feed and kind == Kind.CATEGORY and url else url
    if kind == Kind.TAG:
        from taggit.models import Tag

        tag = Tag.objects.filter(pk=pk).first()
        if tag is None:
            return None
        url = reverse("news:tag", args=[tag.slug])
        return url + "feed/" if feed else url
    if kind == Kind.USER:
        from murasil.news.models import Reporter

        reporter = Reporter.objects.filter(pk=pk).first()
        if reporter is None:
            return None
        url = reporter.get_absolute_url()
        return url + "feed/" if feed else url
    if kind == Kind.ATTACHMENT:
        return _upload_url(mapping)
    return None


def _upload_url(mapping: WordPressObject) -> str | None:
    if (mapping.data or {}).get("type") == "document":
        from wagtail.documents import get_document_model

        document = get_document_model().objects.filter(pk=mapping.object_id).first()
        return document.url if document else None
    from wagtail.images import get_image_model

    image = get_image_model().objects.filter(pk=mapping.object_id).first()
    return image.file.url if image else None


def _by_slug(kind: str, slug: str) -> WordPressObject | None:
    matches = list(WordPressObject.objects.filter(kind=kind, slug=slug)[:2])
    return matches[0] if len(matches) == 1 else None


def resolve_query(params) -> str | None:
    """WordPress's query-string addresses on the home page."""
    for key, kind in QUERY_KINDS.items():
        value = params.get(key, "")
        if value.isdigit():
            return target_of(WordPressObject.objects.filter(kind=kind, wp_id=int(value)).first())
    if params.get("tag"):
        return target_of(_by_slug(Kind.TAG, params["tag"]))
    if params.get("s"):
        return reverse("search:page") + "?" + urlencode({"q": params["s"]})
    if params.get("feed"):
        return "/feed/atom/" if params["feed"] == "atom" else "/feed/"
    return None


def resolve_path(path: str) -> str | None:
    """The new address for an old WordPress path, or None."""
    path = normalize_path(path)
    match = SUFFIX.match(path)
    base, suffix = (match.group("base"), match.group(0)[len(match.group("base")) :]) if match else (path, "")
    feed = "/feed" in suffix or suffix.startswith(("/rss", "/atom"))
    if base == "" and feed:
        return "/feed/atom/" if "atom" in suffix else "/feed/"
    if base == "":
        return None
    mapping = WordPressObject.objects.filter(legacy_path=base).exclude(kind=Kind.USER).first()
    if mapping is None and base.startswith("/wp-content/uploads/"):
        from .media import unsized

        mapping = WordPressObject.objects.filter(kind=Kind.ATTACHMENT, legacy_path=unsized(base)).first()
    if mapping is not None:
        return target_of(mapping, feed)
    if match := re.match(r"^/archives/(\d+)$", base):
        return target_of(WordPressObject.objects.filter(kind=Kind.POST, wp_id=int(match.group(1))).first(), feed)
    link_settings = WordPressSettings.load()
    segments = base.strip("/").split("/")
    if len(segments) >= 2 and segments[0] == link_settings.category_base:
        return target_of(_by_slug(Kind.CATEGORY, segments[-1]), feed)
    if len(segments) == 2 and segments[0] == link_settings.tag_base:
        return target_of(_by_slug(Kind.TAG, segments[1]), feed)
    if len(segments) == 2 and segments[0] == "author":
        return target_of(_by_slug(Kind.USER, segments[1]), feed)
    regex = structure_regex(link_settings.permalink_structure)
    if regex and (match := regex.match(base)):
        found = match.groupdict()
        if found.get("post_id"):
            return target_of(WordPressObject.objects.filter(kind=Kind.POST, wp_id=int(found["post_id"])).first(), feed)
        if found.get("postname"):
            slug = found["postname"]
            return target_of(_by_slug(Kind.POST, slug) or _by_slug(Kind.OLD_SLUG, slug), feed)
    if segments and segments[-1]:
        return target_of(_by_slug(Kind.POST, segments[-1]) or _by_slug(Kind.OLD_SLUG, segments[-1]), feed)
    return None


class LegacyURLMiddleware:
    """301s from the old WordPress addresses (see the module docstring)."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method in ("GET", "HEAD") and request.path == "/" and request.GET and has_imports():
            target = resolve_query(request.GET)
            if target:
                return HttpResponsePermanentRedirect(target)
        response = self.get_response(request)
        if response.status_code == 404 and request.method in ("GET", "HEAD") and has_imports():
            target = resolve_path(request.path)
            if target and normalize_path(target) != normalize_path(request.path):
                return HttpResponsePermanentRedirect(target)
        return response
