"""Uncached article pages at archive scale: requests/s through the real server, with wrk.

Usage: ./run setup-bench   (once: installs wrk)
       .venv/bin/python bench/article_speed.py [--articles 100000] [--urls 300] [--duration 10]
       (--keep leaves the database in place, --reuse measures it again without rebuilding it;
        --profile N renders N article pages in-process under cProfile and prints where the time goes)

Builds a throw-away newsroom (SQLite in a temporary data dir, or a database next to DATABASE_URL's)
of N published articles written from the demo newsroom's sentences: every article has a body of
paragraphs, a subheading and a quote, most a featured photo, a quarter a photo in the body, one or
two reporters, three tags, a stored related list and, for a third of them, approved comments. Photos
come from a pool of drawn 2000 px pictures whose renditions are made before the server starts, as
publishing does in production. Then it starts `murasil serve` (its default worker count, no full-page
cache), warms it with wrk over a set of different article URLs, and measures with
`wrk -t2 -c16 -d10s`: the warm article pages, articles each seen about once (cold fragment caches),
and robots.txt through the same server as the reference.
"""

import argparse
import datetime
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import drop_database, running_server, use_fresh_database  # noqa: E402

KEPT_DIR = Path(tempfile.gettempdir()) / "murasil-bench-article-kept"
SECTIONS = [("politics", None), ("economy", None), ("sport", None), ("culture", None), ("tech", None)]
CHILD_SECTIONS = [("iraq", "politics"), ("gulf", "politics")]
PHOTOS = 24
REPORTERS = 150
TAGS = 3000
BATCH = 5000


def setup_django(args) -> str | None:
    data_dir = KEPT_DIR if (args.keep or args.reuse) else Path(tempfile.mkdtemp(prefix="murasil-bench-article-"))
    if args.keep and not args.reuse and data_dir.exists():
        shutil.rmtree(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    os.environ.update(
        {
            "MURASIL_DATA_DIR": str(data_dir),
            "DJANGO_SETTINGS_MODULE": "murasil.settings.local",
            "ALLOWED_HOSTS": "127.0.0.1,testserver",
        }
    )
    if not args.redis:
        os.environ.pop("REDIS_URL", None)
    original = None
    if os.environ.get("DATABASE_URL"):
        if args.reuse:
            original = os.environ["DATABASE_URL"]
            os.environ["DATABASE_URL"] = original.rsplit("/", 1)[0] + "/" + args.database_name
        else:
            original = use_fresh_database(args.database_name)
    import django

    django.setup()
    return original


def sentences() -> list[str]:
    from murasil.demo import content

    found = []
    for item in content.ARTICLES:
        for block in item["body"]:
            if block[0] == "p":
                found += [s.strip() + "." for s in block[1].split(".") if len(s.split()) > 4]
    return found


def make_photos(count: int) -> list:
    import io

    from django.core.files.images import ImageFile

    from wagtail.images import get_image_model
    from wagtail.models import Collection

    from murasil.demo.images import news_photo, portrait

    image_model = get_image_model()
    root = Collection.get_first_root_node()
    photos = []
    for i in range(count):
        photo = image_model(title=f"صورة {i}", collection=root)
        photo.file = ImageFile(io.BytesIO(news_photo(i, size=(2000, 1125))), name=f"bench-{i}.jpg")
        photo.save()
        photos.append(photo)
    faces = []
    for i in range(8):
        face = image_model(title=f"مراسل {i}", collection=root)
        face.file = ImageFile(io.BytesIO(portrait(i)), name=f"bench-face-{i}.jpg")
        face.save()
        faces.append(face)
    return photos, faces


def fill(articles: int, rng: random.Random) -> float:
    """Bulk-load the archive; return the seconds taken."""
    from django.db import connection
    from django.utils import timezone

    from taggit.models import Tag

    from murasil.comments.models import Comment
    from murasil.core.models import HomePage
    from murasil.news.models import Article, ArticleReporter, ArticleTag, Reporter, SectionPage

    started = time.perf_counter()
    home = HomePage.objects.get()
    by_slug = {}
    for slug, parent in SECTIONS + CHILD_SECTIONS:
        section = SectionPage(title=f"قسم {slug}", slug=slug, show_in_menus=parent is None)
        (by_slug[parent] if parent else home).add_child(instance=section)
        section.save_revision().publish()
        by_slug[slug] = section
    sections = [by_slug[slug] for slug, _ in SECTIONS + CHILD_SECTIONS]
    roots = {slug: by_slug[parent or slug] for slug, parent in SECTIONS + CHILD_SECTIONS}
    photos, faces = make_photos(PHOTOS)
    reporters = Reporter.objects.bulk_create(
        Reporter(
            name=f"مراسل رقم {i}", slug=f"r{i}", job_title="مراسل", bio="يغطي الأخبار اليومية.", photo=faces[i % 8]
        )
        for i in range(REPORTERS)
    )
    tags = Tag.objects.bulk_create(Tag(name=f"وسم {i}", slug=f"t{i}") for i in range(TAGS))
    text = sentences()
    now = timezone.now()
    step = datetime.timedelta(days=1) / 300
    for first in range(0, articles, BATCH):
        rows, links, taggings, comments = [], [], [], []
        for i in range(first, min(first + BATCH, articles)):
            pk = i + 1
            section = sections[i % len(sections)]
            when = now - step * (i + 1)
            body = [{"type": "paragraph", "value": "<p>" + " ".join(rng.sample(text, 3)) + "</p>"} for _ in range(3)]
            body.append({"type": "heading", "value": rng.choice(text)[:60]})
            body.append({"type": "quote", "value": {"text": rng.choice(text), "attribution": "مسؤول محلي"}})
            if i % 4 == 0:
                photo = photos[(i * 7) % PHOTOS]
                body.append({"type": "image", "value": {"image": photo.pk, "caption": "صورة من الموقع", "credit": ""}})
            body += [{"type": "paragraph", "value": "<p>" + " ".join(rng.sample(text, 3)) + "</p>"} for _ in range(3)]
            # Neighbours in the same section: the stored related list the search app would compute.
            related = [pk + len(sections) * k for k in (-3, -2, -1, 1, 2, 3) if 0 < pk + len(sections) * k <= articles]
            commented = i % 3 == 0
            rows.append(
                Article(
                    pk=pk, section=section, root_section=roots[section.slug], title=rng.choice(text)[:90],
                    slug=f"a{pk}", kicker="متابعة" if i % 5 == 0 else "", standfirst=rng.choice(text),
                    body=body, live=True, first_published_at=when, last_published_at=when, word_count=420,
                    featured_image=photos[i % PHOTOS] if i % 5 else None, featured_image_caption="صورة من الموقع",
                    featured_image_credit="الرافد", related_ids=related, comment_count=4 if commented else 0,
                )
            )  # fmt: skip
            for order in range(1 + i % 2):
                links.append(
                    ArticleReporter(article_id=pk, reporter=reporters[(i + order * 37) % REPORTERS], sort_order=order)
                )
            for k in (1, 7, 13):
                taggings.append(ArticleTag(content_object_id=pk, tag=tags[(i * k) % TAGS]))
            if commented:
                for c in range(4):
                    comments.append(
                        Comment(
                            article_id=pk, name=f"قارئ {c}", email=f"reader{c}@example.com", text=rng.choice(text),
                            status="approved", created_at=when + datetime.timedelta(minutes=10 * (c + 1)),
                        )
                    )  # fmt: skip
        Article.objects.bulk_create(rows)
        ArticleReporter.objects.bulk_create(links)
        ArticleTag.objects.bulk_create(taggings)
        Comment.objects.bulk_create(comments)
        print(f"  {min(first + BATCH, articles)} articles", end="\r", flush=True)
    print()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            from django.core.management.color import no_style

            for sql in connection.ops.sequence_reset_sql(no_style(), [Article, Comment]):
                cursor.execute(sql)
            cursor.execute("VACUUM ANALYZE")
        else:
            cursor.execute("ANALYZE")
    return time.perf_counter() - started


def make_renditions() -> float | None:
    """Renditions for every photo, as publishing makes them in production (absent before issue 7)."""
    from django.core.management import call_command, get_commands

    if "make_renditions" not in get_commands():
        return None
    started = time.perf_counter()
    call_command("make_renditions", verbosity=0)
    return time.perf_counter() - started


def article_paths(count: int, rng: random.Random, exclude: set[str] = frozenset()) -> list[str]:
    from murasil.news.models import Article

    total = Article.objects.count()
    paths = []
    while len(paths) < count:
        pk = rng.randint(1, total)
        article = Article.objects.select_related("section").only("id", "slug", "section__slug").get(pk=pk)
        path = article.get_absolute_url()
        if path not in exclude and path not in paths:
            paths.append(path)
    return paths


LUA = """
paths = {%s}
counter = %d
request = function()
  counter = counter + 1
  return wrk.format("GET", paths[(counter %% #paths) + 1], {["Accept-Encoding"] = "gzip"})
end
"""


def wrk(base: str, paths: list[str], duration: int, connections: int, threads: int, offset: int = 0) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(LUA % (", ".join(f'"{p}"' for p in paths), offset))
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--latency", "-s", script.name, base]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    if os.environ.get("BENCH_DEBUG"):
        print(output)
    os.unlink(script.name)
    return parse_wrk(output)


def parse_wrk(output: str) -> dict:
    def ms(value: str) -> float:
        number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", value).groups()
        return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]

    latency = dict(re.findall(r"^\s+(50|99)(?:\.0+)?%\s+(\S+)\s*$", output, re.M))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket_errors = re.search(r"Socket errors: (.*)$", output, re.M)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "requests": int(re.search(r"(\d+) requests in", output).group(1)),
        "p50": ms(latency["50"]),
        "p99": ms(latency["99"]),
        "bad": int(errors.group(1)) if errors else 0,
        "socket_errors": socket_errors.group(1) if socket_errors else "",
        "transfer": re.search(r"Transfer/sec:\s+(\S+)", output).group(1),
    }


def profile(paths: list[str], count: int) -> None:
    import cProfile
    import pstats

    from django.test import Client

    client = Client()
    for path in paths[:count]:
        client.get(path)  # first render: fills the fragment caches, as a running server's are
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    for path in paths[:count]:
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
    profiler.disable()
    elapsed = (time.perf_counter() - started) * 1000 / count
    print(f"in-process, warm: {elapsed:.1f} ms per article page (profiled, so slower than real)")
    stats = pstats.Stats(profiler)
    stats.sort_stats("cumulative").print_stats(45)
    stats.sort_stats("tottime").print_stats(25)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--urls", type=int, default=150, help="different article URLs in the warm run")
    parser.add_argument("--duration", type=int, default=10, help="seconds per measured wrk run")
    parser.add_argument("--warmup", type=int, default=20, help="seconds of wrk over the URLs before measuring")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=None, help="gunicorn workers (default: murasil serve's)")
    parser.add_argument("--redis", action="store_true", help="keep REDIS_URL (default: the local-memory cache)")
    parser.add_argument("--database-name", default="murasil_bench_article", help="PostgreSQL bench database")
    parser.add_argument("--keep", action="store_true", help="keep the database for --reuse")
    parser.add_argument("--reuse", action="store_true", help="measure the kept database again, no build")
    parser.add_argument("--profile", type=int, default=0, metavar="N", help="profile N pages in-process, no server")
    args = parser.parse_args()
    if not shutil.which("wrk") and not args.profile:
        subprocess.run([str(ROOT / "run"), "setup-bench"], check=True)
    original = setup_django(args)

    import logging

    from django.core.management import call_command
    from django.db import connection

    logging.getLogger("wagtail").setLevel(logging.WARNING)  # one INFO line per publish is noise here
    rng = random.Random(11)
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    load_seconds = rendition_seconds = None
    if not args.reuse:
        print(f"loading {args.articles} articles…", flush=True)
        load_seconds = fill(args.articles, rng)
        rendition_seconds = make_renditions()
    paths = article_paths(args.urls, rng)
    cold_paths = article_paths(4000, random.Random(12), exclude=set(paths))
    if args.profile:
        profile(paths, args.profile)
        return
    connection.close()
    from murasil.news.models import Article

    env = {**os.environ}
    with running_server(env, args.workers) as base:
        import urllib.request

        for path in paths[:3]:
            with urllib.request.urlopen(base + path) as response:  # noqa: S310 - our own local server
                assert response.status == 200
        wrk(base, paths, args.warmup, args.connections, args.threads)  # warm-up: every worker sees the URLs
        warm = wrk(base, paths, args.duration, args.connections, args.threads)
        cold = wrk(base, cold_paths, args.duration, args.connections, args.threads)
        reference = wrk(base, ["/robots.txt"], args.duration, args.connections, args.threads)
    workers = args.workers or "default"
    print(f"database: {connection.vendor}; {Article.objects.count()} articles")
    if load_seconds is not None:
        print(
            f"loaded in {load_seconds:.0f} s"
            + (f", renditions in {rendition_seconds:.0f} s" if rendition_seconds else "")
        )
    print(
        f"wrk -t{args.threads} -c{args.connections} -d{args.duration}s, murasil serve ({workers} workers), "
        f"Accept-Encoding: gzip"
    )
    print(f"{'measure':<46}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'non-2xx':>9}{'× ref':>8}")
    rows = [
        (f"article, {len(paths)} URLs, warm", warm),
        (f"article, {len(cold_paths)} URLs, each ~once", cold),
        ("robots.txt (reference)", reference),
    ]
    for label, result in rows:
        print(
            f"{label:<46}{result['rps']:>9.1f}{result['p50']:>9.1f}{result['p99']:>9.1f}{result['bad']:>9}"
            f"{result['rps'] / reference['rps']:>8.3f}"
        )
        if result["socket_errors"]:
            print(f"  socket errors: {result['socket_errors']}")
    if not (args.keep or args.reuse):
        drop_database(original, args.database_name)


if __name__ == "__main__":
    main()
