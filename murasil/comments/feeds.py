"""RSS feeds of approved comments: site-wide and per article. Names only — never an email address."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from murasil.news.models import Article

from .models import Comment
from .text import render_text

FEED_SIZE = 50


class LatestCommentsFeed(Feed):
    def title(self):
        from murasil.core.models import NewsroomSettings

        return _("Latest comments on %(site)s") % {"site": NewsroomSettings.load().outlet_name}

    def link(self):
        return "/"

    def description(self):
        return self.title()

    def items(self):
        return Comment.objects.public().select_related("article__section").order_by("-created_at", "-id")[:FEED_SIZE]

    def item_title(self, item: Comment) -> str:
        return _("%(name)s on: %(title)s") % {"name": item.name, "title": item.article.title}

    def item_description(self, item: Comment) -> str:
        return render_text(item.text)

    def item_link(self, item: Comment) -> str:
        return settings.MURASIL_SITE_URL + item.get_absolute_url()

    def item_guid(self, item: Comment) -> str:
        return self.item_link(item)

    def item_author_name(self, item: Comment) -> str:
        return item.name

    def item_pubdate(self, item: Comment):
        return item.created_at


class ArticleCommentsFeed(LatestCommentsFeed):
    def get_object(self, request, article_id: int):
        return get_object_or_404(Article.objects.published().select_related("section"), pk=article_id)

    def title(self, obj=None):
        return _("Comments on: %(title)s") % {"title": obj.title}

    def link(self, obj=None):
        return obj.get_absolute_url()

    def description(self, obj=None):
        return self.title(obj)

    def items(self, obj=None):
        return (
            Comment.objects.approved()
            .filter(article=obj)
            .select_related("article__section")
            .order_by("-created_at", "-id")[:FEED_SIZE]
        )
