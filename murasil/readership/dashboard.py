"""Panels for the admin dashboard: readership (chart, top articles) and the newsroom's queues.

Editors (who may edit every article) see the whole site; a reporter sees the views of their own
articles, their own articles in review and scheduled, and no comment queue unless they moderate.
"""

import datetime
from collections.abc import Mapping
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from wagtail.admin.ui.components import Component
from wagtail.models import Revision, WorkflowState

from murasil.core.dates import gregorian_month, to_digits
from murasil.news.models import Article

from .chart import Day, render_svg
from .models import DailyArticleViews
from .most_read import _published_views, top_articles

CHART_DAYS = 30
TOP_COUNT = 10
QUEUE_COUNT = 8


def sees_whole_site(user) -> bool:
    return user.is_superuser or user.has_perm("news.change_article")


def may_use_newsroom(user) -> bool:
    return sees_whole_site(user) or user.has_perm("news.add_article")


def _newsroom_format() -> tuple[str, str]:
    from murasil.core.models import NewsroomSettings

    conf = NewsroomSettings.load()
    return conf.month_names, conf.digits


def daily_series(user, today: datetime.date, days: int = CHART_DAYS) -> list[tuple[datetime.date, int]]:
    """Views per day, oldest first, every day present (0 when nobody read)."""
    first = today - datetime.timedelta(days=days - 1)
    rows = DailyArticleViews.objects.filter(day__gte=first, day__lte=today)
    if not sees_whole_site(user):
        rows = rows.filter(article__owner=user)
    totals = dict(rows.values_list("day").annotate(total=Sum("views")).order_by())
    every_day = [first + datetime.timedelta(days=n) for n in range(days)]
    return [(day, totals.get(day, 0)) for day in every_day]


def top_for(user, period: str, now: datetime.datetime) -> list[dict]:
    rows = _published_views(now)
    if not sees_whole_site(user):
        rows = rows.filter(article__owner=user)
    pairs = top_articles(period, now, limit=TOP_COUNT, rows=rows)
    articles = (
        Article.objects.select_related("section")
        .only("id", "title", "slug", "section__slug")
        .in_bulk([pk for pk, _ in pairs])
    )
    return [{"article": articles[pk], "views": views} for pk, views in pairs if pk in articles]


class ReadershipPanel(Component):
    name = "readership"
    template_name = "readership/dashboard/readership_panel.html"
    order = 90  # above Wagtail's own panels (its first is 110)

    def render_html(self, parent_context: Mapping[str, Any] | None = None) -> str:
        if not may_use_newsroom(parent_context["request"].user):
            return ""
        return super().render_html(parent_context)

    def get_context_data(self, parent_context: Mapping[str, Any] | None = None) -> Mapping[str, Any]:
        user = parent_context["request"].user
        now = timezone.now()
        today = timezone.localdate(now)
        region, digit_style = _newsroom_format()

        def label(day: datetime.date) -> str:
            return to_digits(f"{day.day} {gregorian_month(day.month, region)}", digit_style)

        def number(value: int) -> str:
            return to_digits(f"{value:,}", digit_style)

        series = daily_series(user, today)
        days = [Day(day, views, label(day)) for day, views in series]
        whole = sees_whole_site(user)
        total = sum(d.views for d in days)
        title = _("Article views per day, last 30 days") if whole else _("Views of your articles per day, last 30 days")
        description = _("%(total)s views in 30 days; most on %(day)s (%(views)s).") % {
            "total": number(total),
            "day": max(days, key=lambda d: d.views).label if total else "—",
            "views": number(max(d.views for d in days)) if total else number(0),
        }
        return {
            "whole_site": whole,
            "chart": render_svg(days, title, description, digits=lambda text: to_digits(text, digit_style)),
            "chart_title": title,
            "days": [{"label": d.label, "views": number(d.views), "day": d.day} for d in reversed(days)],
            "total_30": number(total),
            "total_7": number(sum(d.views for d in days[-7:])),
            "today": number(days[-1].views if days else 0),
            "top_day": [{**item, "views": number(item["views"])} for item in top_for(user, "day", now)],
            "top_week": [{**item, "views": number(item["views"])} for item in top_for(user, "week", now)],
        }


def _article_content_type() -> ContentType:
    return ContentType.objects.get_for_model(Article)


def articles_in_review(user) -> list[dict]:
    """Articles with a workflow in progress, whatever workflow the newsroom configures."""
    states = (
        WorkflowState.objects.active()
        .filter(base_content_type=_article_content_type())
        .select_related("current_task_state__task", "requested_by", "workflow")
        .order_by("-created_at")
    )
    if not sees_whole_site(user):
        own = Article.objects.filter(owner=user).values_list("pk", flat=True)
        states = states.filter(Q(requested_by=user) | Q(object_id__in=[str(pk) for pk in own]))
    states = list(states[:QUEUE_COUNT])
    articles = Article.objects.in_bulk([int(state.object_id) for state in states])
    return [
        {"article": articles[int(state.object_id)], "state": state}
        for state in states
        if int(state.object_id) in articles
    ]


def scheduled_articles(user) -> list[dict]:
    """Revisions approved to go live later (Wagtail's scheduled publishing), soonest first."""
    revisions = Revision.objects.filter(
        base_content_type=_article_content_type(), approved_go_live_at__isnull=False
    ).order_by("approved_go_live_at")
    if not sees_whole_site(user):
        own = Article.objects.filter(owner=user).values_list("pk", flat=True)
        revisions = revisions.filter(object_id__in=[str(pk) for pk in own])
    revisions = list(revisions.only("id", "object_id", "approved_go_live_at", "user")[:QUEUE_COUNT])
    articles = Article.objects.in_bulk([int(r.object_id) for r in revisions])
    return [
        {"article": articles[int(r.object_id)], "go_live_at": r.approved_go_live_at}
        for r in revisions
        if int(r.object_id) in articles
    ]


class NewsroomQueuesPanel(Component):
    name = "newsroom_queues"
    template_name = "readership/dashboard/queues_panel.html"
    order = 95

    def render_html(self, parent_context: Mapping[str, Any] | None = None) -> str:
        if not may_use_newsroom(parent_context["request"].user):
            return ""
        return super().render_html(parent_context)

    def get_context_data(self, parent_context: Mapping[str, Any] | None = None) -> Mapping[str, Any]:
        from murasil.comments.models import Comment

        user = parent_context["request"].user
        context: dict[str, Any] = {
            "whole_site": sees_whole_site(user),
            "in_review": articles_in_review(user),
            "scheduled": scheduled_articles(user),
            "moderates": user.has_perm("comments.change_comment"),
        }
        if context["moderates"]:
            pending = Comment.objects.filter(status=Comment.Status.PENDING)
            context["pending_count"] = pending.count()
            context["pending"] = list(
                pending.select_related("article")
                .only("id", "name", "text", "created_at", "article__title")
                .order_by("-created_at")[:5]
            )
        return context
