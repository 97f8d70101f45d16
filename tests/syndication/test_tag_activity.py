"""TagActivity (each tag's newest published article) follows publishing, and the tag sitemap never
trusts a stale row: what it lists and the times it shows are always the published articles'."""

import datetime

from django.conf import settings
from django.utils import timezone
from django.utils.encoding import iri_to_uri

from taggit.models import Tag

from murasil.news.models import Article
from murasil.syndication import tag_activity
from murasil.syndication.models import TagActivity
from murasil.syndication.sitemaps import tags_with_published_work
from tests.factories import make_article

from .base import SyndicationTestCase
from .test_sitemaps import SitemapTestCase


def stored() -> dict[int, tuple[int, datetime.datetime]]:
    return {row.tag_id: (row.article_id, row.published_at) for row in TagActivity.objects.all()}


def truth() -> dict[int, tuple[int, datetime.datetime]]:
    """Computed the slow, obvious way, straight from the published articles."""
    newest = {}
    for article in Article.objects.published().newest_first().prefetch_related("tags"):
        for tag in article.tags.all():
            newest.setdefault(tag.pk, (article.pk, article.first_published_at))
    return newest


class TestKeptInStep(SyndicationTestCase):
    def setUp(self):
        self.baghdad = Tag.objects.get(name="بغداد")

    def test_signals_agree_with_a_rebuild_from_scratch(self):
        # setUpTestData published, scheduled and withdrew articles through Wagtail, and expired one
        # behind its back (an UPDATE, no signal): only rows naming that one may differ from the truth.
        kept, expected = stored(), truth()
        stale = {tag for tag, (article, _when) in kept.items() if article == self.expired.pk}
        self.assertEqual(
            {k: v for k, v in kept.items() if k not in stale}, {k: v for k, v in expected.items() if k not in stale}
        )
        self.assertEqual(tag_activity.rebuild(), len(expected))
        self.assertEqual(stored(), expected)

    def test_publish_raises_unpublish_and_delete_lower(self):
        tag_activity.rebuild()
        before = stored()[self.baghdad.pk]
        newer = make_article(self.iraq, "خبر أحدث عن بغداد", tags=("بغداد", "وسم جديد"))
        new_tag = Tag.objects.get(name="وسم جديد")
        self.assertEqual(stored()[self.baghdad.pk], (newer.pk, newer.first_published_at))
        self.assertEqual(stored()[new_tag.pk], (newer.pk, newer.first_published_at))
        newer.unpublish()
        self.assertEqual(stored()[self.baghdad.pk], before)
        self.assertNotIn(new_tag.pk, stored())
        self.assertEqual(stored(), truth())

        again = make_article(self.iraq, "خبر آخر عن بغداد", tags=("بغداد",))
        self.assertEqual(stored()[self.baghdad.pk][0], again.pk)
        again.delete()
        self.assertEqual(stored(), truth())

    def test_an_older_publish_does_not_lower_a_row(self):
        tag_activity.rebuild()
        before = stored()[self.baghdad.pk]
        make_article(
            self.iraq, "خبر قديم عن بغداد", tags=("بغداد",), published_at=timezone.now() - datetime.timedelta(days=400)
        )
        self.assertEqual(stored()[self.baghdad.pk], before)

    def test_losing_the_tag_in_a_new_revision(self):
        newest = make_article(self.iraq, "خبر يفقد وسمه", tags=("بغداد",))
        self.assertEqual(stored()[self.baghdad.pk][0], newest.pk)
        newest.tags.set(["وسم آخر"])
        newest.save_revision().publish()
        self.assertEqual(stored(), truth())
        self.assertNotEqual(stored()[self.baghdad.pk][0], newest.pk)


class TestSitemapNeverTrustsAStaleRow(SitemapTestCase):
    def tag_lastmods(self) -> dict[str, datetime.datetime]:
        prefix = f"{settings.MURASIL_SITE_URL}/tag/"
        return {
            url.removeprefix(prefix).rstrip("/"): datetime.datetime.fromisoformat(lastmod)
            for url, lastmod in self.urls("/sitemap-tags.xml").items()
        }

    def expected(self) -> dict[str, datetime.datetime]:
        slugs = dict(Tag.objects.values_list("pk", "slug"))
        return {iri_to_uri(slugs[tag]): when.replace(microsecond=0) for tag, (_a, when) in truth().items()}

    def seen(self) -> dict[str, datetime.datetime]:
        return {slug: when.replace(microsecond=0) for slug, when in self.tag_lastmods().items()}

    def test_the_stored_time_is_what_the_sitemap_shows(self):
        baghdad = Tag.objects.get(name="بغداد")
        marker = datetime.datetime(2025, 1, 2, 3, 4, 5, tzinfo=datetime.UTC)
        TagActivity.objects.filter(tag=baghdad).update(published_at=marker)
        self.assertEqual(tags_with_published_work().get(pk=baghdad.pk).newest, marker)

    def test_missing_rows_are_computed(self):
        TagActivity.objects.all().delete()  # as after a bulk import that sent no signals
        self.assertEqual(self.seen(), self.expected())

    def test_an_expired_newest_article_is_skipped_at_once(self):
        tag_activity.rebuild()
        baghdad = Tag.objects.get(name="بغداد")
        solo = make_article(self.iraq, "خبر وحيد بوسمه", tags=("بغداد", "وسم يتيم"))
        self.assertEqual(stored()[baghdad.pk][0], solo.pk)
        # It expires; Wagtail's publish_scheduled has not withdrawn it yet (live is still True).
        Article.objects.filter(pk=solo.pk).update(expire_at=timezone.now() - datetime.timedelta(seconds=1))
        self.assertEqual(stored()[baghdad.pk][0], solo.pk)
        seen = self.seen()
        self.assertNotIn(iri_to_uri(Tag.objects.get(name="وسم يتيم").slug), seen)
        self.assertEqual(seen, self.expected())

    def test_a_row_naming_a_withdrawn_article_behind_wagtails_back(self):
        tag_activity.rebuild()
        Article.objects.filter(pk=self.lead.pk).update(live=False)
        self.assertEqual(self.seen(), self.expected())
