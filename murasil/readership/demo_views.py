"""Made-up daily view counts for the demo newsroom (never used outside `murasil demo`)."""

import datetime
import random
from collections.abc import Iterable

from django.utils import timezone

from .models import DailyArticleViews

DAYS = 30


def synthetic_daily_views(
    articles: Iterable[tuple[int, str, datetime.datetime]], today: datetime.date, rng: random.Random
) -> list[DailyArticleViews]:
    """Rows for `articles` (id, slug, first published), from the day each was published until today."""
    rows = []
    first_day = today - datetime.timedelta(days=DAYS - 1)
    for article_id, _slug, published_at in articles:
        interest = rng.lognormvariate(6.0, 0.9)  # a typical story a few hundred views on its first day
        start = max(first_day, timezone.localdate(published_at))
        for offset in range((today - start).days + 1):
            day = start + datetime.timedelta(days=offset)
            age = (day - timezone.localdate(published_at)).days
            weekend = 0.7 if day.weekday() in (4, 5) else 1.0
            views = int(interest * weekend * rng.uniform(0.8, 1.2) / (1 + age) ** 1.3)
            if views:
                rows.append(DailyArticleViews(article_id=article_id, day=day, views=views))
    DailyArticleViews.objects.bulk_create(rows, batch_size=2000)
    return rows
