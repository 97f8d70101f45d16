"""`_embed` for posts: the author, featured photo, terms and replies WordPress puts under `_embedded`.

Each related kind is fetched once for the whole page of posts and given in WordPress's "embed"
context (a shorter field list), so `?_embed` costs a fixed number of extra queries.
"""

from collections import defaultdict

from .public_ids import PublicIds

EMBED_REPLIES = 10  # WordPress embeds the first page of the replies collection


def embed_view(resource, items: list[dict]) -> list[dict]:
    return [{key: item[key] for key in resource.embed_fields if key in item} for item in items]


def embed_posts(items: list[dict], articles: list, rels: set[str] | None) -> None:
    from .media import MediaResource
    from .people import CommentResource, UserResource
    from .terms import CategoryResource, TagResource

    def asked(rel: str) -> bool:
        return rels is None or rel in rels

    embedded: dict[int, dict] = defaultdict(dict)
    if asked("author"):
        users = UserResource()
        wanted = {item["author"] for item in items if item["author"]}
        by_id = _by_public_id(users, wanted)
        for item in items:
            if item["author"] in by_id:
                embedded[item["id"]]["author"] = [by_id[item["author"]]]
    if asked("wp:featuredmedia"):
        media = MediaResource()
        by_id = _by_public_id(media, {item["featured_media"] for item in items if item["featured_media"]})
        for item in items:
            if item["featured_media"] in by_id:
                embedded[item["id"]]["wp:featuredmedia"] = [by_id[item["featured_media"]]]
    if asked("wp:term"):
        categories = _by_public_id(CategoryResource(), {c for item in items for c in item["categories"]})
        tags = _by_public_id(TagResource(), {t for item in items for t in item["tags"]})
        for item in items:
            embedded[item["id"]]["wp:term"] = [
                [categories[c] for c in item["categories"] if c in categories],
                [tags[t] for t in item["tags"] if t in tags],
            ]
    if asked("replies"):
        comments = CommentResource()
        by_article: dict[int, list] = defaultdict(list)
        rows = comments.visible().filter(article_id__in=[a.pk for a in articles]).order_by("-created_at", "-pk")
        for comment in rows:
            if len(by_article[comment.article_id]) < EMBED_REPLIES:
                by_article[comment.article_id].append(comment)
        chosen = [c for article in articles for c in by_article[article.pk]]
        serialized = iter(embed_view(comments, comments.serialize(chosen, PublicIds(), None)))
        for item, article in zip(items, articles, strict=True):
            replies = [next(serialized) for _ in by_article[article.pk]]
            if replies:
                embedded[item["id"]]["replies"] = [replies]
    for item in items:
        if embedded.get(item["id"]):
            item["_embedded"] = embedded[item["id"]]


def _by_public_id(resource, public_ids: set[int]) -> dict[int, dict]:
    """Visible objects of a resource by public id, serialized in the embed context."""
    from .public_ids import to_object_ids

    if not public_ids:
        return {}
    pks = to_object_ids(resource.kind, sorted(public_ids))
    objects = list(resource.visible().filter(pk__in=pks))
    return {item["id"]: item for item in embed_view(resource, resource.serialize(objects, PublicIds(), None))}
