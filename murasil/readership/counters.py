"""View counters: counted in memory or Redis on the request, written to the database in batches.

Two stores, picked by the cache backend:

- Redis (production, several app servers): one hash of pending counts, HINCRBY on each view. A flush
  renames the hash away (atomic: each count belongs to exactly one flush, whichever server runs it),
  writes it, and only then deletes it. A failed write puts the counts back; a batch left behind by a
  crash after the commit is recognised by its `FlushedBatch` row and not written twice.
- Local memory (the embedded default): a counter per process, swapped out under a lock by that
  process's own flush, merged back if the write fails. Processes never see each other's counters, so
  each flushes its own: from the beacon path about once a minute, and when the process exits.
"""

import atexit
import collections
import datetime
import logging
import threading
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache, caches
from django.db import connection, transaction
from django.utils import timezone

from . import visitors
from .models import DailyArticleViews, FlushedBatch

log = logging.getLogger(__name__)

FLUSH_EVERY = getattr(settings, "MURASIL_VIEWS_FLUSH_SECONDS", 60)
# With the local cache, a process that has counted starts a timer to flush itself, so an idle worker's
# counts reach the database within FLUSH_EVERY too. Off in tests (a thread writing on its own
# connection would escape the test's transaction).
FLUSH_TIMER = getattr(settings, "MURASIL_VIEWS_FLUSH_TIMER", True)
# Rows per INSERT: 3 parameters each stays under SQLite's 32,766 and PostgreSQL's 65,535.
UPSERT_CHUNK = 5000
FLUSH_LOCK_KEY = "murasil:readership:flush-lock"
FLUSH_DUE_KEY = "murasil:readership:flush-due"
BATCH_RETENTION = datetime.timedelta(days=2)

Counts = dict[tuple[datetime.date, int], int]

# What record() did with a view.
COUNTED, REPEAT, LIMITED = "counted", "repeat", "limited"


@dataclass
class FlushResult:
    articles: int = 0  # distinct (article, day) counters written
    views: int = 0
    skipped: bool = False  # another flush held the lock


def write_counts(counts: Counts, batch: str | None = None) -> int:
    """Add `counts` to the daily rows in one transaction: all of them or, on an error, none.

    Returns the number of views written (counts for deleted articles are dropped). With `batch`, a
    batch already written is skipped, which makes retrying a Redis batch safe.
    """
    from murasil.news.models import Article

    with transaction.atomic():
        if batch is not None:
            if FlushedBatch.objects.filter(batch=batch).exists():
                return 0
            FlushedBatch.objects.create(batch=batch)
        ids = sorted({article_id for _, article_id in counts})
        existing: set[int] = set()
        for start in range(0, len(ids), UPSERT_CHUNK * 3):
            chunk = ids[start : start + UPSERT_CHUNK * 3]
            existing.update(Article.objects.filter(pk__in=chunk).values_list("pk", flat=True))
        rows = [(day, article_id, n) for (day, article_id), n in counts.items() if article_id in existing and n > 0]
        for start in range(0, len(rows), UPSERT_CHUNK):
            _upsert(rows[start : start + UPSERT_CHUNK])
        return sum(n for _, _, n in rows)


def _upsert(rows: list[tuple[datetime.date, int, int]]) -> None:
    """One INSERT … ON CONFLICT DO UPDATE that adds to the stored number (same SQL on SQLite and PostgreSQL).

    Django's bulk_create(update_conflicts=True) can only overwrite a column with the new value, not add
    to it, which would need a read first and lose counts to a concurrent flush.
    """
    table = connection.ops.quote_name(DailyArticleViews._meta.db_table)
    values = ", ".join(["(%s, %s, %s)"] * len(rows))
    params: list = []
    for day, article_id, n in rows:
        params += [article_id, day, n]
    sql = (
        f"INSERT INTO {table} (article_id, day, views) VALUES {values} "  # noqa: S608 - table name from the model
        f"ON CONFLICT (article_id, day) DO UPDATE SET views = {table}.views + excluded.views"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


class LocalStore:
    """Counts of this process, for the local-memory cache."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counts: collections.Counter = collections.Counter()
        self._exit_hook = False
        self._timer: threading.Timer | None = None

    def add(self, day: datetime.date, article_id: int) -> None:
        with self._lock:
            self._counts[(day, article_id)] += 1
            if not self._exit_hook:
                # A worker that stops (restart, deploy) writes what it counted first.
                atexit.register(self.flush_at_exit)
                self._exit_hook = True
            if FLUSH_TIMER and self._timer is None:
                self._timer = threading.Timer(FLUSH_EVERY, self._timed_flush)
                self._timer.daemon = True
                self._timer.start()

    def _timed_flush(self) -> None:
        from django.db import connections

        with self._lock:
            self._timer = None
        try:
            flush_views()
        except Exception:
            log.warning("Writing view counts failed; they are kept for the next flush.", exc_info=True)
        finally:
            connections.close_all()  # this thread's own connections

    def record(self, day: datetime.date, article_id: int, seen_key: str, rate_key: str) -> tuple[str, bool]:
        """Rate limit, dedupe and count one view; also says whether this process's flush is due."""
        due = cache.add(FLUSH_DUE_KEY, 1, FLUSH_EVERY)
        if visitors.over_rate_limit(rate_key):
            return LIMITED, due
        if not cache.add(seen_key, 1, visitors.DEDUPE_SECONDS):
            return REPEAT, due
        self.add(day, article_id)
        return COUNTED, due

    def pending(self) -> Counts:
        with self._lock:
            return dict(self._counts)

    def flush(self) -> FlushResult:
        with self._lock:
            counts, self._counts = self._counts, collections.Counter()
        if not counts:
            return FlushResult()
        try:
            written = write_counts(dict(counts))
        except BaseException:
            with self._lock:
                self._counts.update(counts)
            raise
        return FlushResult(articles=len(counts), views=written)

    def flush_at_exit(self) -> None:
        try:
            self.flush()
        except Exception:
            log.warning("Could not write the last view counts of this process.", exc_info=True)

    def clear(self) -> None:
        with self._lock:
            self._counts.clear()


# One round trip per view: flush due?, rate limit, dedupe, count. Keys and values as Django's RedisCache
# writes them (integers unpickled), so cache.get/add/set see the same entries.
RECORD_SCRIPT = """
local due = redis.call('SET', KEYS[4], 1, 'NX', 'EX', ARGV[5]) and 1 or 0
local rate = redis.call('INCR', KEYS[1])
if rate == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
if rate > tonumber(ARGV[2]) then return {2, due} end
if not redis.call('SET', KEYS[2], 1, 'NX', 'EX', ARGV[3]) then return {1, due} end
redis.call('HINCRBY', KEYS[3], ARGV[4], 1)
return {0, due}
"""


class RedisStore:
    """Counts of every app server, in one Redis hash."""

    _script = None

    def __init__(self) -> None:
        self.pending_key = cache.make_key("murasil:readership:pending")
        self.batches_key = cache.make_key("murasil:readership:batches")

    _client = None

    @property
    def client(self):
        # On the cache's own connection pool. Django builds a new client object on every call, which
        # costs about half a millisecond, so one is kept per process.
        if RedisStore._client is None:
            RedisStore._client = cache._cache.get_client(write=True)
        return RedisStore._client

    def _flushing_key(self, batch: str) -> str:
        return cache.make_key(f"murasil:readership:flushing:{batch}")

    def add(self, day: datetime.date, article_id: int) -> None:
        self.client.hincrby(self.pending_key, f"{day.isoformat()}:{article_id}", 1)

    def record(self, day: datetime.date, article_id: int, seen_key: str, rate_key: str) -> tuple[str, bool]:
        if RedisStore._script is None:
            RedisStore._script = self.client.register_script(RECORD_SCRIPT)
        keys = [cache.make_key(rate_key), cache.make_key(seen_key), self.pending_key, cache.make_key(FLUSH_DUE_KEY)]
        args = [visitors.RATE_SECONDS, visitors.RATE_LIMIT, visitors.DEDUPE_SECONDS, f"{day.isoformat()}:{article_id}"]
        outcome, due = RedisStore._script(keys=keys, args=[*args, FLUSH_EVERY], client=self.client)
        return (COUNTED, REPEAT, LIMITED)[outcome], bool(due)

    def pending(self) -> Counts:
        return _decode(self.client.hgetall(self.pending_key))

    def flush(self) -> FlushResult:
        # One flush at a time across servers; the batch bookkeeping keeps even overlapping ones exact.
        token = uuid.uuid4().hex
        if not cache.add(FLUSH_LOCK_KEY, token, 300):
            return FlushResult(skipped=True)
        try:
            result = FlushResult()
            client = self.client
            for leftover in client.smembers(self.batches_key):
                self._write_batch(leftover.decode(), result)
            # Under the lock nobody else removes the pending hash, so EXISTS then RENAME is safe.
            if client.exists(self.pending_key):
                batch = uuid.uuid4().hex
                pipe = client.pipeline(transaction=True)
                pipe.rename(self.pending_key, self._flushing_key(batch))
                pipe.sadd(self.batches_key, batch)
                pipe.execute()
                self._write_batch(batch, result)
            FlushedBatch.objects.filter(flushed_at__lt=timezone.now() - BATCH_RETENTION).delete()
            return result
        finally:
            if cache.get(FLUSH_LOCK_KEY) == token:
                cache.delete(FLUSH_LOCK_KEY)

    def _write_batch(self, batch: str, result: FlushResult) -> None:
        client = self.client
        key = self._flushing_key(batch)
        raw = client.hgetall(key)
        counts = _decode(raw)
        try:
            written = write_counts(counts, batch=batch) if counts else 0
        except BaseException:
            # Put the counts back for the next flush; until this succeeds the batch itself stays.
            pipe = client.pipeline(transaction=True)
            for field, value in raw.items():
                pipe.hincrby(self.pending_key, field, int(value))
            pipe.delete(key)
            pipe.srem(self.batches_key, batch)
            pipe.execute()
            raise
        pipe = client.pipeline(transaction=True)
        pipe.delete(key)
        pipe.srem(self.batches_key, batch)
        pipe.execute()
        result.articles += len(counts)
        result.views += written

    def clear(self) -> None:
        client = self.client
        for batch in client.smembers(self.batches_key):
            client.delete(self._flushing_key(batch.decode()))
        client.delete(self.pending_key, self.batches_key)


def _decode(raw: dict) -> Counts:
    counts: Counts = {}
    for field, value in raw.items():
        day, _, article_id = (field.decode() if isinstance(field, bytes) else field).partition(":")
        counts[(datetime.date.fromisoformat(day), int(article_id))] = int(value)
    return counts


_local_store = LocalStore()


def uses_redis() -> bool:
    from django.core.cache.backends.redis import RedisCache

    return isinstance(caches["default"], RedisCache)


def store() -> LocalStore | RedisStore:
    # While Redis is unreachable (murasil.core.cache's breaker is open) each process counts on its own
    # and writes its counts itself: nothing is lost and nothing counted twice, only deduplication is
    # per process for that time.
    if uses_redis() and getattr(caches["default"], "available", True):
        return RedisStore()
    return _local_store


def count_view(article_id: int, now: datetime.datetime | None = None) -> None:
    store().add(timezone.localdate(now or timezone.now()), article_id)


def flush_views() -> FlushResult:
    """Write pending counts to the database and refresh the most-read lists. Safe to run anywhere, any time."""
    from .most_read import refresh_most_read

    result = store().flush()
    if result.articles:
        refresh_most_read()
    return result


def flush_quietly() -> None:
    """The beacon path's flush (after its response, when record() said one is due): for when no
    scheduler runs. With Redis the due key is shared, so that is once a minute for all servers
    together, and the scheduler's flushes (`scheduled_flush`) push it back. With the local cache it is
    per process."""
    try:
        flush_views()
    except Exception:
        log.warning("Writing view counts failed; they are kept for the next flush.", exc_info=True)


def scheduled_flush() -> FlushResult:
    """Called by `murasil serve`'s scheduler loop every minute."""
    cache.set(FLUSH_DUE_KEY, 1, FLUSH_EVERY * 2)
    return flush_views()


def run_from_scheduler(report) -> None:
    """The one call `murasil serve` makes each minute; a failure is reported, never raised (counts are kept)."""
    try:
        scheduled_flush()
    except Exception as error:  # noqa: BLE001 - the scheduler loop must go on
        report(f"Writing article views failed: {error}")
