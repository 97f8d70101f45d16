"""What the home page shows, each part in a fixed number of queries."""

import datetime

from django.conf import settings
from django.db.models import F, Window
from django.db.models.functions import RowNumber

from .models import Article, SectionPage


def breaking_articles(now: datetime.datetime) -> list[Article]:
    since = now - datetime.timedelta(hours=settings.MURASIL_BREAKING_HOURS)
    return list(
        Article.objects.published()
        .filter(is_breaking=True, first_published_at__gte=since)
        .select_related("section")
        .only("id", "title", "slug", "first_published_at", "section__id", "section__slug")
        .newest_first()[:5]
    )


def lead_article(home) -> Article | None:
    published = Article.objects.published().for_cards()
    if home.lead_article_id:
        chosen = published.filter(pk=home.lead_article_id).first()
        if chosen:
            return chosen
    return published.filter(is_featured=True).newest_first().first() or published.newest_first().first()


def section_blocks(sections: list[SectionPage], per_section: int, exclude_ids: set[int]) -> list[dict]:
    """The newest articles of each top-level section (its children included), in one windowed query."""
    if not sections:
        return []
    ranked = (
        Article.objects.published()
        .for_cards()
        .filter(root_section__in=sections)
        .exclude(pk__in=exclude_ids)
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("root_section_id")],
                order_by=[F("first_published_at").desc(), F("id").desc()],
            )
        )
        .filter(rank__lte=per_section)
        .order_by("root_section_id", "rank")
    )
    by_section: dict[int, list[Article]] = {}
    for article in ranked:
        by_section.setdefault(article.root_section_id, []).append(article)
    return [{"section": s, "articles": by_section[s.pk]} for s in sections if by_section.get(s.pk)]


def front_page_context(home, now: datetime.datetime) -> dict:
    lead = lead_article(home)
    exclude = {lead.pk} if lead else set()
    latest = list(Article.objects.published().for_cards().exclude(pk__in=exclude).newest_first()[: home.latest_count])
    sections = list(
        SectionPage.objects.child_of(home).live().public().in_menu().only("id", "title", "slug", "url_path")
    )
    if not sections:
        sections = list(SectionPage.objects.child_of(home).live().public().only("id", "title", "slug", "url_path"))
    return {
        "lead": lead,
        "latest": latest,
        "section_blocks": section_blocks(sections, home.section_block_size, exclude),
        "most_read": [],  # filled by the analytics issue; the template keeps a place for it
    }
