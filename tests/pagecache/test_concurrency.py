"""Many readers at once: one render per page, stale copies while it runs, and stale copies on errors."""

from concurrent.futures import ThreadPoolExecutor

from django.test import Client, SimpleTestCase, override_settings

from murasil.pagecache import store

from .urls import Renders

READERS = 8


def fetch(path: str = "/slow/") -> tuple[int, str, str]:
    client = Client(raise_request_exception=False)
    response = client.get(path)
    return response.status_code, response.get("X-Cache", ""), response.content.decode()


def all_at_once(path: str = "/slow/") -> list[tuple[int, str, str]]:
    with ThreadPoolExecutor(READERS) as pool:
        return list(pool.map(fetch, [path] * READERS))


@override_settings(ROOT_URLCONF="tests.pagecache.urls")
class TestStampede(SimpleTestCase):
    def setUp(self):
        Renders.reset()
        self.addCleanup(Renders.reset)

    def test_a_cold_page_is_rendered_once_while_the_others_wait(self):
        Renders.delay = 0.4
        answers = all_at_once()
        self.assertEqual(Renders.count, 1)
        self.assertEqual({(status, body) for status, _, body in answers}, {(200, "render 1")})
        labels = sorted(label for _, label, _ in answers)
        self.assertEqual(labels, ["HIT"] * (READERS - 1) + ["MISS"])

    def test_a_purged_page_is_rendered_once_while_the_others_get_the_stale_copy(self):
        self.assertEqual(fetch(), (200, "MISS", "render 1"))
        store.purge({"test:slow"})
        Renders.delay = 0.4
        answers = all_at_once()
        self.assertEqual(Renders.count, 2)
        self.assertIn((200, "MISS", "render 2"), answers)
        self.assertEqual(answers.count((200, "STALE", "render 1")), READERS - 1)
        self.assertEqual(fetch(), (200, "HIT", "render 2"))

    def test_other_tags_leave_the_page_alone(self):
        fetch()
        store.purge({"test:other", "a:1", "section:2"})
        self.assertEqual(fetch(), (200, "HIT", "render 1"))


@override_settings(ROOT_URLCONF="tests.pagecache.urls")
class TestStaleOnError(SimpleTestCase):
    def setUp(self):
        Renders.reset()
        self.addCleanup(Renders.reset)

    def test_a_failing_render_is_answered_with_the_stale_copy(self):
        fetch()
        store.purge({"test:slow"})
        Renders.fail = True
        self.assertEqual(fetch(), (200, "STALE", "render 1"))
        self.assertEqual(fetch(), (200, "STALE", "render 1"), "the stale copy stays while rendering fails")
        Renders.fail = False
        self.assertEqual(fetch(), (200, "MISS", "render 4"))

    def test_without_a_copy_the_error_is_the_answer(self):
        Renders.fail = True
        self.assertEqual(fetch()[0], 500)
