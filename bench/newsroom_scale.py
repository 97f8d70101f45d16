"""A newsroom of N published articles for the benchmarks, written in bulk (no signals, no revisions).

Sections: 8 top-level sections with 2 child sections each; articles are spread over all 24, 300 a day
going back from now (so 100,000 articles are about 11 months and 1,000,000 about 9 years). Each has
a kicker, a standfirst and a body of three paragraphs stitched from the demo newsroom's sentences
(real Arabic word distribution), one reporter of 150 (a second one on every fifth article), two tags
of 3,000, no photo. The newest three are breaking news and every 50th is featured, so the home page
has its lead story and strip. Afterwards what signals would have kept in step is rebuilt
(`tag_activity.rebuild()`) and the planner's statistics are refreshed.
"""

import datetime
import random
import time
from collections.abc import Callable

PER_DAY = 300
SECTIONS = [
    ("politics", "سياسة"), ("economy", "اقتصاد"), ("sport", "رياضة"), ("culture", "ثقافة"),
    ("tech", "تقنية"), ("health", "صحة"), ("world", "عربي و دولي"), ("local", "محليات"),
]  # fmt: skip
KICKERS = ["عاجل", "تقرير", "متابعة", "حوار", "تحليل", "خاص", "بالأرقام", ""]
BATCH = 2000


def demo_sentences() -> tuple[list[str], list[str]]:
    from murasil.demo import content

    sentences = []
    for item in content.ARTICLES:
        for block in item["body"]:
            if block[0] == "p":
                sentences += [s.strip() + "." for s in block[1].split(".") if len(s.split()) > 4]
    return sentences, [item["title"] for item in content.ARTICLES]


def make_sections():
    from murasil.core.models import HomePage
    from murasil.news.models import SectionPage

    home = HomePage.objects.get()
    tops, leaves = [], []
    for slug, title in SECTIONS:
        top = home.add_child(instance=SectionPage(title=title, slug=slug, show_in_menus=True))
        top.save_revision().publish()
        tops.append(top)
        leaves.append((top, top))
        for number in (1, 2):
            child = top.add_child(instance=SectionPage(title=f"{title} {number}", slug=f"{slug}-{number}"))
            child.save_revision().publish()
            leaves.append((child, top))
    return tops, leaves


def fill(count: int, seed: int = 7, progress: Callable[[int], None] | None = None) -> float:
    """Create `count` published articles; returns the seconds the rows took."""
    from django.db import connection, transaction
    from django.utils import timezone

    from taggit.models import Tag

    from murasil.news.models import Article, ArticleReporter, ArticleTag, Reporter

    rng = random.Random(seed)
    sentences, titles = demo_sentences()
    _, leaves = make_sections()
    reporters = Reporter.objects.bulk_create(
        Reporter(name=f"مراسل رقم {i}", slug=f"reporter-{i}", job_title="مراسل") for i in range(150)
    )
    tags = Tag.objects.bulk_create(Tag(name=f"وسم {i}", slug=f"tag-{i}") for i in range(3000))
    now = timezone.now()
    step = datetime.timedelta(days=1) / PER_DAY
    started = time.perf_counter()
    for first in range(0, count, BATCH):
        rows = []
        for i in range(first, min(first + BATCH, count)):
            section, top = leaves[i % len(leaves)]
            when = now - step * (i + 1)
            body = [("paragraph", "<p>" + " ".join(rng.sample(sentences, 4)) + "</p>") for _ in range(3)]
            rows.append(
                Article(
                    section=section, root_section=top, title=f"{rng.choice(titles)} ({i})", slug=f"news-{i}",
                    kicker=rng.choice(KICKERS), standfirst=rng.choice(sentences), body=body, live=True,
                    first_published_at=when, last_published_at=when, word_count=180,
                    breaking_until=when + datetime.timedelta(hours=6) if i < 3 else None,
                    is_featured=i % 50 == 0, source="مراسل",
                )
            )  # fmt: skip
        with transaction.atomic():
            made = Article.objects.bulk_create(rows)
            ArticleReporter.objects.bulk_create(
                [ArticleReporter(article=a, reporter=reporters[a.pk % 150], sort_order=0) for a in made]
                + [
                    ArticleReporter(article=a, reporter=reporters[(a.pk * 7 + 1) % 150], sort_order=1)
                    for a in made
                    if a.pk % 5 == 0 and (a.pk * 7 + 1) % 150 != a.pk % 150
                ]
            )
            ArticleTag.objects.bulk_create(
                # 6·pk + 13 is odd, so the two tags of an article always differ.
                ArticleTag(content_object=a, tag=tags[tag])
                for a in made
                for tag in (a.pk % 3000, (a.pk * 7 + 13) % 3000)
            )
        if progress:
            progress(first + len(rows))
    loaded = time.perf_counter() - started
    from murasil.syndication import tag_activity

    tag_activity.rebuild()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    return loaded
