"""The generational-tag store behaves the same on every backend: memory, the shared file cache, Redis."""

import os
import tempfile

from django.core.cache import caches
from django.test import SimpleTestCase, override_settings

import pytest

from murasil.pagecache import store

BACKENDS = {
    "memory": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "store-test"},
    "files": {"BACKEND": "murasil.pagecache.backends.SharedFileCache", "LOCATION": tempfile.mkdtemp()},
}
if os.environ.get("REDIS_URL"):
    BACKENDS["redis"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ["REDIS_URL"],
        "KEY_PREFIX": "murasil-store-test",
    }


def entry(body: bytes = b"page", tags=("a:1", "section:2")) -> store.Entry:
    return store.Entry(200, [("Content-Type", "text/plain")], body, '"e"', '"e"', 0, 2e9, tuple(tags), (), "/x")


@pytest.fixture(params=sorted(BACKENDS))
def backend(request, settings):
    settings.CACHES = {"default": BACKENDS["memory"], "pages": BACKENDS[request.param]}
    caches["pages"].clear()
    yield request.param
    caches["pages"].clear()


def stored(body: bytes = b"page", tags=("a:1", "section:2")) -> bool:
    found = store.lookup("e:x", "n:x")
    return store.store({"e:x": entry(body, tags)}, tuple(tags), found.clock, 60)


def is_fresh() -> bool:
    return store.lookup("e:x", "n:x").fresh


def test_store_then_hit(backend):
    assert not is_fresh()
    assert stored()
    assert is_fresh()
    assert store.lookup("e:x", "n:x").entry.body == b"page"


def test_a_purge_of_one_of_its_tags_makes_it_stale_and_keeps_it(backend):
    stored()
    store.purge({"section:2"})
    found = store.lookup("e:x", "n:x")
    assert not found.fresh
    assert found.entry.body == b"page", "the stale copy stays for stampedes and errors"


def test_other_tags_leave_it_fresh(backend):
    stored()
    store.purge({"section:3", "a:10", "a:"})
    assert is_fresh()


def test_a_render_that_overlaps_a_purge_is_not_stored(backend):
    before = store.lookup("e:x", "n:x")  # the render starts: clock read before the database
    store.purge({"home"})  # meanwhile, any publish
    assert not store.store({"e:x": entry()}, ("a:1", "section:2"), before.clock, 60)
    assert store.lookup("e:x", "n:x").entry is None


def test_a_lost_generation_is_a_miss_never_a_stale_hit(backend):
    stored()
    caches["pages"].delete(store.tag_key("a:1"))  # evicted
    assert not is_fresh()
    assert stored(b"again")
    assert is_fresh()


def test_a_flushed_cache_starts_over(backend):
    stored()
    caches["pages"].clear()
    assert store.lookup("e:x", "n:x").entry is None
    assert stored()
    assert is_fresh()


def test_purges_from_another_process_are_seen(backend):
    stored()
    assert is_fresh()  # this process now remembers the generations
    # Another process purges: it writes the same keys; this process has only its memory of them.
    generation = store.new_token()
    cache = caches["pages"]
    cache.set(store.CLOCK_KEY, store.new_token(), None)
    cache.set(store.tag_key("a:1"), generation, None)
    cache.set(store.CLOCK_KEY, store.new_token(), None)
    assert not is_fresh()


def test_locks_are_exclusive(backend):
    token = store.acquire("l:x")
    assert token
    assert store.acquire("l:x") is None
    store.release("l:x", token)
    assert store.acquire("l:x")


class TestFileCacheAcrossProcesses(SimpleTestCase):
    """Two processes (here: two cache objects on one folder, as two workers have) see one cache."""

    def test_a_purge_in_one_worker_reaches_the_other(self):
        folder = tempfile.mkdtemp()
        config = {"BACKEND": "murasil.pagecache.backends.SharedFileCache", "LOCATION": folder}
        with override_settings(CACHES={"default": BACKENDS["memory"], "pages": config}):
            assert stored()
            assert is_fresh()
            from django.core.cache.backends.filebased import FileBasedCache

            other = FileBasedCache(folder, {})
            other.set(store.CLOCK_KEY, "other-1", None)
            other.set(store.tag_key("section:2"), "other-generation", None)
            other.set(store.CLOCK_KEY, "other-2", None)
            assert not is_fresh()
