"""What the home page shows, each part in a fixed number of queries."""

import datetime

from .models import Article, SectionPage


def breaking_articles(now: datetime.datetime) -> list[Article]:
    """The strip: published articles whose breaking time is still ahead, newest first."""
    return list(
        Article.objects.published()
        .filter(breaking_until__gt=now)
        .select_related("section")
        .only("id", "title", "slug", "first_published_at", "breaking_until", "section__id", "section__slug")
        .newest_first()[:5]
    )


FEATURED_WINDOW = datetime.timedelta(days=7)


def lead_article(home, now: datetime.datetime) -> Article | None:
    """The chosen lead, else the newest featured story of the past week, else the newest story.

    The week bound keeps the featured lookup a short range of the publish-date index.
    """
    published = Article.objects.published().for_cards()
    if home.lead_article_id:
        chosen = published.filter(pk=home.lead_article_id).first()
        if chosen:
            return chosen
    featured = published.filter(is_featured=True, first_published_at__gte=now - FEATURED_WINDOW)
    return featured.newest_first().first() or published.newest_first().first()


def section_blocks(sections: list[SectionPage], per_section: int, exclude_ids: set[int]) -> list[dict]:
    """The newest articles of each top-level section (its children included).

    One short index range per section (root_section, newest first), then one query for the cards:
    a window over the whole archive would read every article (700 ms at 100k).
    """
    if not sections:
        return []
    ids_by_section = {
        section.pk: list(
            Article.objects.published()
            .filter(root_section=section)
            .exclude(pk__in=exclude_ids)
            .newest_first()
            .values_list("pk", flat=True)[:per_section]
        )
        for section in sections
    }
    wanted = [pk for ids in ids_by_section.values() for pk in ids]
    cards = {a.pk: a for a in Article.objects.for_cards().filter(pk__in=wanted)}
    blocks = []
    for section in sections:
        articles = [cards[pk] for pk in ids_by_section[section.pk] if pk in cards]
        if articles:
            blocks.append({"section": section, "articles": articles})
    return blocks


def front_page_context(home, now: datetime.datetime) -> dict:
    lead = lead_article(home, now)
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
    }
