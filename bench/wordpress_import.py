"""WordPress import speed: a generated 10,000-post export (WXR 1.2) imported by `murasil import_wordpress`.

Usage: .venv/bin/python bench/wordpress_import.py [--posts 10000]
       DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/python bench/wordpress_import.py

The posts are stitched from the demo newsroom's sentences (original text), in block-editor and
classic markup, with categories in two levels, tags, five authors and two comments each. Prints the
import rate in posts per second and, as the reference measured in the same run, how long merely
parsing the file takes (the floor any importer pays). Target: ≥ 200 posts/s.
"""

import argparse
import datetime
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path
from xml.sax.saxutils import escape

from common import ROOT, drop_database, use_fresh_database

sys.path.insert(0, str(ROOT))


def cdata(text: str) -> str:
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def generate(path: Path, posts: int) -> None:
    from murasil.demo import content

    sentences = [s.strip() + "." for item in content.ARTICLES for kind, *rest in item["body"] if kind == "p"
                 for s in rest[0].split(".") if len(s.split()) > 4]  # fmt: skip
    titles = [item["title"] for item in content.ARTICLES]
    rng = random.Random(5)
    start = datetime.datetime(2020, 1, 1)
    with path.open("w", encoding="utf-8") as out:
        out.write(
            '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" '
            'xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" '
            'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">\n<channel>\n'
            "<title>موقع تجريبي</title><link>https://bench.example</link><wp:wxr_version>1.2</wp:wxr_version>\n"
            "<wp:base_site_url>https://bench.example</wp:base_site_url>"
            "<wp:base_blog_url>https://bench.example</wp:base_blog_url>\n"
        )
        for i in range(1, 6):
            out.write(f"<wp:author><wp:author_id>{i}</wp:author_id>"
                      f"<wp:author_login>r{i}</wp:author_login><wp:author_email>r{i}@bench.example</wp:author_email>"
                      f"<wp:author_display_name>{cdata(f'مراسل رقم {i}')}</wp:author_display_name>"
                      "</wp:author>\n")  # fmt: skip
        for i in range(1, 11):
            parent = f"c{(i - 1) // 3 + 1}" if i > 4 else ""
            out.write(f"<wp:category><wp:term_id>{i}</wp:term_id><wp:category_nicename>c{i}</wp:category_nicename>"
                      f"<wp:category_parent>{parent}</wp:category_parent>"
                      f"<wp:cat_name>{cdata(f'قسم {i}')}</wp:cat_name></wp:category>\n")  # fmt: skip
        for i in range(1, 51):
            out.write(f"<wp:tag><wp:term_id>{100 + i}</wp:term_id><wp:tag_slug>t{i}</wp:tag_slug>"
                      f"<wp:tag_name>{cdata(f'وسم {i}')}</wp:tag_name></wp:tag>\n")  # fmt: skip
        comment_id = 1
        for n in range(1, posts + 1):
            post_id = 1000 + n
            when = start + datetime.timedelta(minutes=37 * n)
            paragraphs = [" ".join(rng.sample(sentences, 3)) for _ in range(5)]
            if n % 2:
                body = "\n\n".join(
                    f"<!-- wp:paragraph -->\n<p>{escape(p)}</p>\n<!-- /wp:paragraph -->" for p in paragraphs
                )
                body += "\n\n<!-- wp:heading -->\n<h2>" + escape(rng.choice(titles)) + "</h2>\n<!-- /wp:heading -->"
            else:
                body = "\n\n".join(escape(p) for p in paragraphs)
            comments = ""
            for k in range(2):
                comments += (
                    f"<wp:comment><wp:comment_id>{comment_id}</wp:comment_id>"
                    f"<wp:comment_author>{cdata('قارئ')}</wp:comment_author>"
                    f"<wp:comment_author_email>reader{comment_id}@mail.example</wp:comment_author_email>"
                    f"<wp:comment_author_IP>192.0.2.{comment_id % 250}</wp:comment_author_IP>"
                    f"<wp:comment_date_gmt>{when:%Y-%m-%d %H:%M:%S}</wp:comment_date_gmt>"
                    f"<wp:comment_content>{cdata(rng.choice(sentences))}</wp:comment_content>"
                    f"<wp:comment_approved>1</wp:comment_approved>"
                    f"<wp:comment_parent>{comment_id - 1 if k else 0}</wp:comment_parent></wp:comment>"
                )
                comment_id += 1
            out.write(
                f"<item><title>{cdata(rng.choice(titles))}</title>"
                f"<link>https://bench.example/{when:%Y/%m/%d}/post-{post_id}/</link>"
                f"<dc:creator>r{n % 5 + 1}</dc:creator>"
                f"<content:encoded>{cdata(body)}</content:encoded><excerpt:encoded>{cdata('')}</excerpt:encoded>"
                f"<wp:post_id>{post_id}</wp:post_id><wp:post_date>{when:%Y-%m-%d %H:%M:%S}</wp:post_date>"
                f"<wp:post_date_gmt>{when:%Y-%m-%d %H:%M:%S}</wp:post_date_gmt>"
                f"<wp:comment_status>open</wp:comment_status><wp:post_name>post-{post_id}</wp:post_name>"
                f"<wp:status>publish</wp:status><wp:post_type>post</wp:post_type>"
                f'<category domain="category" nicename="c{n % 10 + 1}">{cdata(f"قسم {n % 10 + 1}")}</category>'
                f'<category domain="post_tag" nicename="t{n % 50 + 1}">{cdata(f"وسم {n % 50 + 1}")}</category>'
                f"{comments}</item>\n"
            )
        out.write("</channel>\n</rss>\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=10_000)
    args = parser.parse_args()
    data_dir = tempfile.mkdtemp(prefix="murasil-bench-wp-")
    os.environ.update({"MURASIL_DATA_DIR": data_dir, "DJANGO_SETTINGS_MODULE": "murasil.settings.local"})
    os.environ.pop("REDIS_URL", None)
    url = use_fresh_database("murasil_bench_wp")

    import django

    django.setup()
    import logging

    from django.core.management import call_command
    from django.db import connection

    logging.disable(logging.INFO)
    call_command("migrate", verbosity=0)
    path = Path(data_dir) / "export.xml"
    generate(path, args.posts)
    size = path.stat().st_size / 2**20

    from murasil.wordpress.importer import Importer
    from murasil.wordpress.wxr import read_wxr

    began = time.perf_counter()
    for _record in read_wxr(str(path)):
        pass
    parse_seconds = time.perf_counter() - began

    began = time.perf_counter()
    summary = Importer(path, related=False).run()
    seconds = time.perf_counter() - began
    # The related-article lists (TF-IDF over the whole index) are timed on their own.
    from murasil.news.models import Article
    from murasil.search.related import batch_cache, refresh_related

    sample = list(Article.objects.order_by("?").values_list("pk", flat=True)[: min(500, args.posts)])
    began = time.perf_counter()
    with batch_cache():
        for pk in sample:
            refresh_related(pk, neighbours=False)
    related_ms = (time.perf_counter() - began) * 1000 / len(sample)
    imported = summary.counts["posts"]["imported"]
    assert imported == args.posts, summary.table()
    assert Article.objects.published().count() == args.posts
    print(f"database: {connection.vendor}; export: {args.posts} posts, {size:.0f} MB")
    print(f"reference, parsing the file only: {parse_seconds:.1f} s ({args.posts / parse_seconds:.0f} posts/s)")
    print(f"import (posts, comments, sections, tags, search index; --no-related): {seconds:.1f} s")
    print(f"rate: {imported / seconds:.0f} posts/s (target ≥ 200); {seconds / parse_seconds:.1f}× the parse-only time")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory of the whole benchmark process: {peak:.0f} MB (export file: {size:.0f} MB)")
    print(f"related-article lists afterwards: {related_ms:.1f} ms per article (over {len(sample)} articles)")
    drop_database(url, "murasil_bench_wp")


if __name__ == "__main__":
    main()
