from django import template
from django.utils.translation import ngettext

from ..forms import CommentForm
from ..models import Comment, CommentSettings
from ..moderation import comments_closed
from ..text import render_text

register = template.Library()

# Only what a reader may see is loaded: email and IP address never reach the template.
PUBLIC_FIELDS = ("id", "article_id", "parent_id", "depth", "name", "url", "text", "is_staff_reply", "created_at")


@register.inclusion_tag("comments/section.html", takes_context=True)
def article_comments(context, article) -> dict:
    comments = list(
        Comment.objects.approved().filter(article=article).only(*PUBLIC_FIELDS).order_by("created_at", "id")
    )
    by_id = {c.pk: c for c in comments}
    roots = []
    for comment in comments:
        comment.thread = []
    for comment in comments:
        parent = by_id.get(comment.parent_id)
        # A reply whose parent was removed still shows, at the top level.
        (parent.thread if parent else roots).append(comment)
    request = context.get("request")
    conf = CommentSettings.load(request_or_site=request) if request else CommentSettings.load()
    closed = comments_closed(article, conf)
    return {
        "request": request,
        "article": article,
        "roots": roots,
        "count": len(comments),
        "closed": closed,
        "form": CommentForm(article=article, conf=conf),
        "replies_open": not closed,
        "enabled": conf.enabled,
        "settings": context.get("settings"),
    }


@register.filter
def comment_text(text: str):
    return render_text(text)


@register.filter
def comment_count_label(count: int) -> str:
    return ngettext("%(count)s comment", "%(count)s comments", count) % {"count": count}
