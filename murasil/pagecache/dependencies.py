"""Which views may be cached, and the lists each one shows (tags that no single object carries).

A page's object tags come from recording.py; what is added here is list membership: a new article
appears on its section's archive without any of that archive's current objects changing, so the
archive carries `section:<id>` and publishing purges it. Tag names:

- `home`, `feed` (site-wide feeds), `sitemaps`, `api` (every /wp-json/ answer), `search` (results),
  `comments` (the site-wide comment feed): purged by every change of their kind;
- `section:<id>` (archive and feeds of that section, children included), `tag:<slug>`,
  `reporter:<slug>`, `comments:<article id>`: one list each;
- `chrome` (menu, footer, settings shown on every HTML page) and `all` (every entry).
"""

from django.http import HttpRequest

# URL names (or dotted view paths for unnamed ones) whose 200 answers are stored, and their list tags.
READER_VIEWS: dict[str, tuple[str, ...]] = {
    "wagtail_serve": (),  # home, sections, static pages: wagtail_hooks.py adds home / section:<id>
    "murasil.wp_api.views.rest_route_or_home": (),  # "/" (home) or /?rest_route=… (api), below
    "news:article": (),
    "news:reporter": ("reporter",),
    "news:tag": ("tag",),
    "feed": ("feed",),
    "feed_atom": ("feed",),
    "reporter_feed": ("reporter",),
    "reporter_feed_atom": ("reporter",),
    "tag_feed": ("tag",),
    "tag_feed_atom": ("tag",),
    "section_feed": ("section",),
    "sitemap_index": ("sitemaps",),
    "sitemap_articles": ("sitemaps",),
    "sitemap_section": ("sitemaps",),
    "news_sitemap": ("sitemaps",),
    "robots_txt": (),
    "search:page": ("search",),
    "wp_api:index": ("api",),
    "wp_api:route": ("api",),
    "comments:feed": ("comments",),
    "comments:article_feed": ("comments_of_article",),
}


def is_reader_view(request: HttpRequest) -> bool:
    match = getattr(request, "resolver_match", None)
    return bool(match) and (match.view_name in READER_VIEWS or getattr(match.func, "murasil_page_cache", False))


def list_tags(request: HttpRequest) -> set[str]:
    match = request.resolver_match
    kinds = READER_VIEWS.get(match.view_name, ())
    kwargs = match.kwargs
    tags = set()
    for kind in kinds:
        if kind in ("reporter", "tag"):
            tags.add(f"{kind}:{kwargs['slug']}")
        elif kind == "section":
            section_id = _section_for_feed(request, kwargs.get("path", ""))
            tags.add(f"section:{section_id}" if section_id else "feed")
        elif kind == "comments_of_article":
            tags.update((f"comments:{kwargs['article_id']}", f"a:{kwargs['article_id']}"))
        else:
            tags.add(kind)
    if match.view_name == "murasil.wp_api.views.rest_route_or_home" and "rest_route" in request.GET:
        tags.add("api")
    return tags


def _section_for_feed(request: HttpRequest, path: str) -> int | None:
    """The section a `<section URL>feed/` answer is about (the view finds it the same way)."""
    from wagtail.models import Site

    from murasil.news.models import SectionPage

    site = Site.find_for_request(request)
    if not site:
        return None
    return SectionPage.objects.filter(url_path=site.root_page.url_path + path).values_list("id", flat=True).first()


def reader_page(view):
    """Mark a view (outside the list above) whose anonymous 200 answers may be stored."""
    view.murasil_page_cache = True
    return view
