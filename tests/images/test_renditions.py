"""Reader photos: AVIF/WebP/JPEG pictures sized to the layout, made ahead and never on a reader's request."""

import io
import re
from unittest import mock

from django.core.management import CommandError, call_command
from django.db import connection
from django.test import TestCase, override_settings
from django.test.utils import CaptureQueriesContext

from wagtail.images import get_image_model
from wagtail.rich_text import RichText

from django_tasks import task_backends

from murasil.images import renditions, specs
from murasil.images.backfill import make_all
from murasil.images.tasks import make_for_roles
from murasil.news.models import Article
from tests.factories import make_article, make_image
from tests.newsroom import NewsroomTestCase

DUMMY_QUEUE = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "renditions": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": ["renditions"]},
}
DB_QUEUE = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "renditions": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["renditions"]},
}


def queued() -> list:
    return task_backends["renditions"].results


# The test settings leave AVIF out (its encoding is slow); these tests are about it.
WITH_AVIF = override_settings(MURASIL_AVIF=True)


def pictures(html: str) -> list[str]:
    return re.findall(r"<picture>.*?</picture>", html, re.S)


@WITH_AVIF
class TestSpecs(TestCase):
    def test_avif_first_when_pillow_writes_it(self):
        image = make_image(roles=())
        with mock.patch.object(specs, "avif_available", return_value=True):
            self.assertEqual(specs.picture_formats(image), ("avif", "webp", "jpeg"))
            wanted = specs.role_specs(image, ["featured"])
        self.assertIn("fill-480x270|format-avif", wanted)
        self.assertIn(specs.OG_IMAGE, wanted)
        self.assertEqual(len(wanted), len(set(wanted)))

    def test_without_avif_pages_offer_webp_and_the_fallback(self):
        image = make_image(roles=())
        with mock.patch.object(specs, "avif_available", return_value=False):
            wanted = specs.role_specs(image, ["featured", "body"])
        self.assertFalse([spec for spec in wanted if "avif" in spec])
        self.assertIn("width-800|format-webp", wanted)

    def test_png_drawings_fall_back_to_png(self):
        image = make_image(roles=())
        image.file.name = "chart.png"
        self.assertEqual(specs.fallback_format(image), "png")

    def test_pillow_here_writes_avif(self):
        self.assertTrue(specs.avif_available())

    def test_the_setting_leaves_avif_out(self):
        image = make_image(roles=())
        with override_settings(MURASIL_AVIF=False), mock.patch.object(specs, "avif_available", return_value=True):
            self.assertEqual(specs.picture_formats(image), ("webp", "jpeg"))
            wanted = specs.role_specs(image, ["featured"])
        self.assertFalse([spec for spec in wanted if "avif" in spec])


@WITH_AVIF
@override_settings(TASKS=DUMMY_QUEUE)
class TestReaderPages(NewsroomTestCase):
    def test_featured_photo_is_a_responsive_picture(self):
        page = self.client.get(self.lead.get_absolute_url()).content.decode()
        featured = re.search(r'<figure class="featured-image">.*?</figure>', page, re.S).group(0)
        self.assertIn('type="image/avif"', featured)
        self.assertIn('type="image/webp"', featured)
        self.assertRegex(featured, r'<img [^>]*src="[^"]+\.jpg"')
        self.assertRegex(featured, r'width="\d+" ?|height="\d+"')
        self.assertIn('sizes="(min-width: 48rem) 47.5rem, calc(100vw - 2rem)"', featured)
        self.assertIn('fetchpriority="high"', featured)
        self.assertNotIn('loading="lazy"', featured)
        self.assertEqual(page.count('fetchpriority="high"'), 1, "only the lead image is fetched first")
        self.assertEqual(queued(), [], "every rendition existed: nothing was queued")

    def test_cards_below_the_fold_load_lazily(self):
        home = self.client.get("/").content.decode()
        cards = pictures(home)
        self.assertTrue(cards)
        lead, others = cards[0], cards[1:]
        self.assertIn('fetchpriority="high"', lead)
        for card in others:
            self.assertIn('loading="lazy"', card)
            self.assertIn('decoding="async"', card)
            self.assertNotIn("fetchpriority", card)
        self.assertEqual(home.count('fetchpriority="high"'), 1)

    def test_first_card_of_a_list_is_the_pages_lead_image(self):
        page = self.client.get("/arab-world/iraq/").content.decode()
        cards = pictures(page)
        self.assertIn('fetchpriority="high"', cards[0])
        self.assertTrue(all('loading="lazy"' in card for card in cards[1:]))

    def test_small_original_gets_each_width_once(self):
        """A 320 px photo cannot be enlarged: srcset must not list the same width twice."""
        page = self.client.get(self.lead.get_absolute_url()).content.decode()
        for srcset in re.findall(r'srcset="([^"]+)"', page):
            widths = re.findall(r" (\d+)w", srcset)
            self.assertEqual(len(widths), len(set(widths)), srcset)

    def test_photo_in_the_body_and_reporter_photo(self):
        photo = make_image("صورة في المتن", roles=("body",), size=(1000, 750))
        article = Article.objects.get(pk=self.related.pk)
        body = [("paragraph", RichText("<p>فقرة.</p>")), ("image", {"image": photo, "caption": "سوق", "credit": ""})]
        article.body = body
        article.save_revision().publish()
        page = self.client.get(article.get_absolute_url()).content.decode()
        figure = re.search(r'<figure class="body-image">.*?</figure>', page, re.S).group(0)
        self.assertIn('loading="lazy"', figure)
        self.assertIn(" 480w", figure)
        self.assertIn(" 800w", figure)
        self.assertRegex(figure, r'<img [^>]*height="360"[^>]*width="480"')  # the photo's own shape
        make_for_roles(self.huda.photo, ["reporter"])
        reporter = self.client.get("/author/huda/").content.decode()
        portrait = pictures(reporter)[0]
        self.assertIn('sizes="6rem"', portrait)
        self.assertIn('class="reporter-photo"', portrait)


@WITH_AVIF
@override_settings(TASKS=DUMMY_QUEUE)
class TestNoEncodingOnRequest(NewsroomTestCase):
    def setUp(self):
        self.photo = make_image("صورة جديدة", roles=(), size=(1600, 900))
        Article.objects.filter(pk=self.related.pk).update(featured_image=self.photo)
        self.rendition_model = get_image_model().get_rendition_model()

    def test_missing_renditions_are_queued_and_the_original_shown(self):
        before = self.rendition_model.objects.count()
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.get(self.related.get_absolute_url())
        self.assertEqual(self.rendition_model.objects.count(), before, "a reader's request encoded a photo")
        page = response.content.decode()
        featured = re.search(r'<figure class="featured-image">.*?</figure>', page, re.S).group(0)
        self.assertIn(self.photo.file.url, featured)
        self.assertRegex(featured, r'<img [^>]*height="270"[^>]*width="480"')  # laid out as the rendition will be
        self.assertEqual(len(queued()), 1)
        task = queued()[0]
        self.assertEqual(task.args[0], self.photo.pk)
        # Readers arriving meanwhile queue nothing more.
        with self.captureOnCommitCallbacks(execute=True):
            self.client.get(self.related.get_absolute_url())
        self.assertEqual(len(queued()), 1)
        # The worker makes everything the photo's uses need, not only what the page asked first.
        from murasil.images.tasks import make_renditions_task

        make_renditions_task.call(*task.args)
        made = set(self.photo.renditions.values_list("filter_spec", flat=True))
        self.assertTrue(set(specs.role_specs(self.photo, ["featured"])) <= made)

    def test_structured_data_and_feeds_use_the_original_meanwhile(self):
        before = self.rendition_model.objects.count()
        page = self.client.get(self.related.get_absolute_url()).content.decode()
        self.assertIn(f'"url":"http://127.0.0.1:8000{self.photo.file.url}","width":1600,"height":900', page)
        feed = self.client.get("/feed/").content.decode()
        self.assertIn(self.photo.file.url, feed)
        self.assertEqual(self.rendition_model.objects.count(), before)

    @override_settings(MURASIL_RENDITIONS_ON_REQUEST=True)
    def test_development_setting_makes_them_on_request(self):
        self.client.get(self.related.get_absolute_url())
        self.assertTrue(self.photo.renditions.filter(filter_spec="fill-480x270|format-avif").exists())

    def test_page_with_a_missing_rendition_is_cached_briefly(self):
        from django.core.cache import cache

        from murasil.news.fragments import INCOMPLETE_TTL, parts_key

        self.client.get(self.related.get_absolute_url())
        stored = cache.get(parts_key(self.related.pk))
        import time

        self.assertLessEqual(stored["main"][2] - time.time(), INCOMPLETE_TTL)
        self.assertGreater(stored["comments"][2] - time.time(), INCOMPLETE_TTL)


@WITH_AVIF
class TestMadeAhead(NewsroomTestCase):
    def test_upload_queues_the_featured_set(self):
        with override_settings(TASKS=DUMMY_QUEUE):
            with self.captureOnCommitCallbacks(execute=True):
                photo = make_image("رفع جديد", roles=())
            self.assertEqual([r.args[0] for r in queued()], [photo.pk])
            self.assertEqual(set(queued()[0].args[1]), set(specs.role_specs(photo, ["featured"])))

    def test_upload_then_the_worker_makes_them(self):
        with self.captureOnCommitCallbacks(execute=True):  # test settings: the queue runs at once
            photo = make_image("رفع جديد", roles=())
        made = set(photo.renditions.values_list("filter_spec", flat=True))
        self.assertEqual(made, set(specs.role_specs(photo, ["featured"])))
        avif = photo.renditions.get(filter_spec="fill-480x270|format-avif")
        self.assertEqual(avif.file.open("rb").read(12)[4:12], b"ftypavif")

    def test_publishing_queues_the_body_photos(self):
        photo = make_image("صورة المتن", roles=())
        article = make_article(self.world, "خبر بصورة في متنه", publish=False)
        article.body = [("image", {"image": photo, "caption": "", "credit": ""})]
        article.save()
        with override_settings(TASKS=DUMMY_QUEUE):
            with self.captureOnCommitCallbacks(execute=True):
                article.save_revision().publish()
            wanted = {spec for result in queued() if result.args[0] == photo.pk for spec in result.args[1]}
        self.assertIn("width-800|format-webp", wanted)
        self.assertIn(specs.FEED_BODY_PHOTO, wanted)

    def test_make_renditions_backfills_everything_once(self):
        photo = make_image("قديمة", roles=())
        Article.objects.filter(pk=self.related.pk).update(featured_image=photo)
        out = io.StringIO()
        call_command("make_renditions", stdout=out, stderr=io.StringIO())
        self.assertIn("photos looked at", out.getvalue())
        self.assertEqual(make_all()[1], 0, "a second run finds nothing to do")
        self.assertTrue(photo.renditions.filter(filter_spec=specs.OG_IMAGE).exists())
        portrait = self.huda.photo.renditions.filter(filter_spec="fill-192x192|format-webp")
        self.assertTrue(portrait.exists(), "reporter photos get their portrait sizes")

    def test_make_renditions_rejects_an_unknown_photo(self):
        with self.assertRaisesMessage(CommandError, "No photo with id 999999"):
            call_command("make_renditions", image=[999999], stdout=io.StringIO())

    @override_settings(TASKS=DB_QUEUE)
    def test_database_queue_is_worked_by_db_worker(self):
        photo = make_image("للطابور", roles=())
        from murasil.images.tasks import queue_renditions

        with self.captureOnCommitCallbacks(execute=True):
            queue_renditions(photo, ["fill-480x270|format-webp"])
        from django_tasks_db.models import DBTaskResult

        self.assertEqual(DBTaskResult.objects.filter(status="READY").count(), 1)
        self.assertFalse(photo.renditions.exists())
        # The worker closes connections it thinks are old; here that would be the test's transaction.
        with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
            call_command("db_worker", "--backend", "renditions", "--queue-name", "renditions", "--batch", verbosity=0)
        self.assertTrue(photo.renditions.filter(filter_spec="fill-480x270|format-webp").exists())
        self.assertEqual(DBTaskResult.objects.filter(status="SUCCESSFUL").count(), 1)


@WITH_AVIF
class TestListsStayCheap(NewsroomTestCase):
    def test_renditions_of_many_photos_in_one_query(self):
        from murasil.images.prefetch import with_renditions

        photos = list(get_image_model().objects.all())
        self.assertGreaterEqual(len(photos), 2)
        with_renditions(photos)
        with CaptureQueriesContext(connection) as queries:
            for photo in photos:
                renditions.existing(photo, specs.picture_specs(photo, specs.LANDSCAPE))
        self.assertEqual(len(queries), 0)
