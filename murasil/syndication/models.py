"""The one table syndication keeps: each tag's newest published article, for the tag sitemap."""

from django.db import models

from taggit.models import Tag

from murasil.news.models import Article


class TagActivity(models.Model):
    """A tag's newest published article and its first publication time (the tag sitemap's lastmod).

    Derived data, kept in step by signal_handlers.py (publish, unpublish, delete, tagging) and rebuilt
    in bulk by `tag_activity.rebuild()` (migration, `murasil refresh_tag_activity`, bulk imports).
    Readers never trust it blindly: a row counts only while its article is still published, so a
    stale row can make the sitemap slower, never wrong about what is public.
    """

    tag = models.OneToOneField(Tag, primary_key=True, on_delete=models.CASCADE, related_name="syndication_activity")
    article = models.ForeignKey(Article, null=True, on_delete=models.SET_NULL, related_name="+")
    published_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.tag_id}: {self.published_at:%Y-%m-%d %H:%M}"
