"""`murasil import_wordpress`: a WordPress export (WXR) into Murasil, losslessly and idempotently.

Two passes over the file, both streaming:
1. scan — checks the whole file (well-formed, every required element) before anything is written, and
   gathers the small things every post refers to: authors, terms, attachments, the site's links.
2. import — authors → reporters (+ staff accounts without usable passwords), categories → sections
   (hierarchy kept), tags, attachments → images/documents, then posts, pages and their comments in
   batches. Each batch is one transaction that also moves the run's checkpoint, so a crash leaves
   whole batches only and the next run resumes after the last one.

Every WordPress ID is kept (WordPressObject); articles, reporters, tags, comments and images take the
WordPress ID as their own primary key when it is free. Running the same file again updates in place.
"""

import hashlib
import ipaddress
import re
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import nullcontext, suppress
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management.color import no_style
from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from taggit.models import Tag

from murasil.comments.models import MAX_DEPTH, Comment
from murasil.core.models import HomePage, StandardPage
from murasil.core.sanitize import strip_bidi_overrides
from murasil.news.models import (
    Article,
    ArticleReporter,
    ArticleTag,
    Reporter,
    SectionPage,
    count_words,
    root_section_id_for,
)

from . import markup
from .legacy_urls import IMPORTED_KEY
from .media import MediaError, MediaSource, create_document, create_image, is_image_name, relative_upload_path, unsized
from .models import ImportRun, WordPressObject, WordPressSettings
from .permalinks import guess_structure, path_of
from .wxr import Author, Item, Site, Term, read_wxr

Kind = WordPressObject.Kind
BATCH = 200
CONTENT_TYPES = {"post", "page", "attachment"}
SKIPPED_STATUSES = {"auto-draft": "auto-draft", "trash": "in the trash", "inherit": "a revision"}


class ImportError_(Exception):
    """The import cannot go on; the message says why in plain English."""


@dataclass
class Attachment:
    wp_id: int
    title: str
    url: str
    relative: str
    alt: str
    caption: str
    parent: int


@dataclass
class Scan:
    site: Site = field(default_factory=Site)
    sha256: str = ""
    items: int = 0
    authors: dict[str, Author] = field(default_factory=dict)
    categories: dict[str, Term] = field(default_factory=dict)
    tags: dict[str, Term] = field(default_factory=dict)
    attachments: dict[int, Attachment] = field(default_factory=dict)
    attachment_by_url: dict[str, int] = field(default_factory=dict)
    max_post_id: int = 0
    samples: list[tuple[str, str, int, str, str]] = field(default_factory=list)


class Summary:
    """What happened to each kind of thing: imported (new), updated, skipped — and why skipped."""

    KINDS = ("authors", "categories", "tags", "media", "posts", "pages", "comments")

    def __init__(self) -> None:
        self.counts: dict[str, Counter] = {kind: Counter() for kind in self.KINDS}
        self.reasons: Counter = Counter()
        self.problems: list[str] = []
        self.problem_count = 0

    def add(self, kind: str, outcome: str, reason: str = "") -> None:
        self.counts[kind][outcome] += 1
        if reason:
            self.reasons[(kind, reason)] += 1

    def problem(self, message: str) -> None:
        self.problem_count += 1
        if len(self.problems) < 50:
            self.problems.append(message)

    def as_dict(self) -> dict:
        return {
            "counts": {kind: dict(counter) for kind, counter in self.counts.items()},
            "skipped": [[kind, reason, n] for (kind, reason), n in sorted(self.reasons.items())],
            "problems": self.problems,
            "problem_count": self.problem_count,
        }

    def table(self) -> str:
        lines = [f"{'':<12}{'imported':>10}{'updated':>10}{'skipped':>10}"]
        for kind in self.KINDS:
            c = self.counts[kind]
            lines.append(f"{kind:<12}{c['imported']:>10}{c['updated']:>10}{c['skipped']:>10}")
        if self.reasons:
            lines.append("")
            lines.append("Skipped, and why:")
            for (kind, reason), n in sorted(self.reasons.items()):
                lines.append(f"  {kind}: {reason} — {n}")
        if self.problems:
            lines.append("")
            lines.append(f"Problems ({self.problem_count}; the items were still imported):")
            lines += [f"  {p}" for p in self.problems[:20]]
            if self.problem_count > 20:
                lines.append(f"  … and {self.problem_count - 20} more (all are kept in the import's summary)")
        return "\n".join(lines)


class _HashingReader:
    """Feeds the parser while hashing, so the scan pass also fingerprints the file for checkpoints."""

    def __init__(self, handle) -> None:
        self.handle = handle
        self.hash = hashlib.sha256()
        self.read_bytes = 0

    def read(self, size: int = -1) -> bytes:
        data = self.handle.read(size)
        self.hash.update(data)
        self.read_bytes += len(data)
        return data


def decode_slug(slug: str) -> str:
    return unquote(slug or "").strip()


def clean_title(title: str) -> str:
    """Text of a title or name: markup and bidi overrides gone (they are shown as text everywhere)."""
    title = strip_bidi_overrides(title or "")
    return re.sub(r"\s+", " ", markup.plain_text(title) if "<" in title or "&" in title else title).strip()


class Importer:
    def __init__(
        self,
        path: str | Path,
        media: str | Path | None = None,
        dry_run: bool = False,
        permalink_structure: str | None = None,
        restart: bool = False,
        progress: Callable[[str, int, int], None] | None = None,
        batch: int = BATCH,
        related: bool = True,
        renditions: bool = True,
    ) -> None:
        self.path = Path(path)
        if not self.path.is_file():
            raise ImportError_(f"{self.path} does not exist or is not a file")
        self.media = MediaSource(media) if media else MediaSource(None)
        self.dry_run = dry_run
        self.structure_option = permalink_structure
        self.restart = restart
        self.progress = progress or (lambda phase, done, total: None)
        self.batch = batch
        self.related = related
        self.renditions = renditions
        self.summary = Summary()
        self.scan_result = Scan()
        self.reporters: dict[str, int] = {}  # login → reporter id
        self.sections: dict[str, int] = {}  # category slug → section id
        self.root_sections: dict[int, int] = {}
        self.section_wp_ids: dict[str, int] = {}
        self.tag_ids: dict[str, int] = {}  # tag slug → taggit tag id
        self.images: dict[int, int] = {}  # attachment wp id → image id
        self.pages_to_arrange: list[tuple[int, int]] = []  # (page id, WordPress parent id)
        self.imported_articles: list[int] = []
        self.base_url = ""
        self.fallback_section: int | None = None

    # Pass 1 ----------------------------------------------------------------------------------------------
    def scan(self) -> Scan:
        scan = self.scan_result
        with self.path.open("rb") as handle:
            reader = _HashingReader(handle)
            total_bytes = self.path.stat().st_size
            for record in read_wxr(reader):
                if isinstance(record, Site):
                    scan.site = record
                elif isinstance(record, Author):
                    scan.authors[record.login] = record
                elif isinstance(record, Term):
                    self._scan_term(record)
                elif isinstance(record, Item):
                    scan.items += 1
                    self._scan_item(record)
                    if scan.items % 500 == 0:
                        self.progress("scan", reader.read_bytes, total_bytes)
            while reader.read(1 << 20):
                pass
        scan.sha256 = reader.hash.hexdigest()
        self.progress("scan", total_bytes, total_bytes)
        return scan

    def _scan_term(self, term: Term) -> None:
        if term.taxonomy == "category":
            self.scan_result.categories[decode_slug(term.slug)] = term
        elif term.taxonomy == "post_tag":
            self.scan_result.tags[decode_slug(term.slug)] = term

    def _scan_item(self, item: Item) -> None:
        scan = self.scan_result
        if item.post_type in CONTENT_TYPES:
            scan.max_post_id = max(scan.max_post_id, item.wp_id)
        for taxonomy, slug, name in item.terms:
            slug = decode_slug(slug) or slugify(name, allow_unicode=True)
            if taxonomy == "category" and slug not in scan.categories:
                scan.categories[slug] = Term("category", None, slug, name or slug)
            elif taxonomy == "post_tag" and slug not in scan.tags:
                scan.tags[slug] = Term("post_tag", None, slug, name or slug)
        if item.creator and item.creator not in scan.authors:
            login = sanitize_login(item.creator)
            if login and login not in scan.authors:
                scan.authors[login] = Author(None, login, "", login)
        if item.post_type == "attachment":
            attachment = Attachment(
                wp_id=item.wp_id,
                title=clean_title(item.title),
                url=item.attachment_url or item.guid,
                relative=relative_upload_path(item.meta_value("_wp_attached_file"), item.attachment_url or item.guid),
                alt=item.meta_value("_wp_attachment_image_alt").strip(),
                caption=markup.plain_text(item.excerpt),
                parent=item.parent,
            )
            scan.attachments[item.wp_id] = attachment
            scan.attachment_by_url[unsized(attachment.url)] = item.wp_id
            if attachment.relative:
                scan.attachment_by_url[unsized(attachment.relative)] = item.wp_id
        elif item.post_type == "post" and item.status == "publish" and len(scan.samples) < 50 and item.link:
            categories = [decode_slug(s) for t, s, _n in item.terms if t == "category"]
            date = item.date_local.strftime("%Y-%m-%d %H:%M:%S") if item.date_local else ""
            scan.samples.append((item.link, decode_slug(item.slug), item.wp_id, date, self._category_path(categories)))

    def _category_path(self, slugs: list[str]) -> str:
        if not slugs:
            return ""
        path, seen = [slugs[0]], {slugs[0]}
        term = self.scan_result.categories.get(slugs[0])
        while term and term.parent_slug and decode_slug(term.parent_slug) not in seen:
            parent = decode_slug(term.parent_slug)
            path.insert(0, parent)
            seen.add(parent)
            term = self.scan_result.categories.get(parent)
        return "/".join(path)

    # Pass 2 ----------------------------------------------------------------------------------------------
    def run(self) -> Summary:
        scan = self.scan()
        self.base_url = (scan.site.base_blog_url or scan.site.link).rstrip("/")
        if HomePage.objects.first() is None:
            raise ImportError_("the site has no home page yet: run `murasil migrate` first")
        run = self._start_run(scan)
        skip_items = run.items_done if run else 0
        from murasil.images.tasks import made_here

        try:
            # A dry run does everything in one transaction and rolls it back (media files are only read).
            with transaction.atomic() if self.dry_run else nullcontext(), made_here():
                with transaction.atomic():
                    self._import_authors()
                    self._import_categories()
                    self._import_tags()
                self._import_attachments()
                self._import_items(run, skip_items)
                with transaction.atomic():
                    self._finish()
                    if run:
                        run.status = ImportRun.Status.FINISHED
                        run.items_done = scan.items
                        run.finished_at = timezone.now()
                        run.summary = self.summary.as_dict()
                        run.save()
                if self.dry_run:
                    transaction.set_rollback(True)
        except Exception as error:
            if run:
                # With the database's disk full this may fail too; the first error is the one to report.
                with suppress(DatabaseError):
                    ImportRun.objects.filter(pk=run.pk).update(status=ImportRun.Status.FAILED, error=str(error)[:2000])
            raise
        finally:
            self.media.close()
        self._make_renditions()
        if skip_items:
            self.summary.reasons[("posts", f"already imported by the interrupted run (first {skip_items} items)")] += 1
        return self.summary

    def _start_run(self, scan: Scan) -> ImportRun | None:
        if self.dry_run:
            return None
        previous = (
            ImportRun.objects.filter(
                file_sha256=scan.sha256, status__in=[ImportRun.Status.RUNNING, ImportRun.Status.FAILED]
            )
            .order_by("-started_at")
            .first()
        )
        if previous and previous.items_done and not self.restart:
            previous.status = ImportRun.Status.RUNNING
            previous.error = ""
            previous.save(update_fields=["status", "error"])
            return previous
        return ImportRun.objects.create(file_name=str(self.path)[:500], file_sha256=scan.sha256)

    # Authors, sections, tags -----------------------------------------------------------------------------
    def _mapping(self, kind: str, wp_ids) -> dict[int, WordPressObject]:
        return {m.wp_id: m for m in WordPressObject.objects.filter(kind=kind, wp_id__in=list(wp_ids))}

    def _map(self, kind: str, wp_id: int, object_id: int, slug: str = "", legacy_path: str = "", data=None) -> None:
        WordPressObject.objects.update_or_create(
            kind=kind,
            wp_id=wp_id,
            defaults={"object_id": object_id, "slug": slug[:255], "legacy_path": legacy_path[:500], "data": data or {}},
        )

    def _import_authors(self) -> None:
        User = get_user_model()
        by_login = {m.slug: m for m in WordPressObject.objects.filter(kind=Kind.USER)}
        for login, author in self.scan_result.authors.items():
            mapped = by_login.get(login)
            # Names are text: tags go, as WordPress's own sanitize filters would have removed them.
            name = clean_title(author.display_name) or " ".join(p for p in (author.first_name, author.last_name) if p)
            name = name or login
            reporter = Reporter.objects.filter(pk=mapped.object_id).first() if mapped else None
            if reporter:
                reporter.name = name[:120]
                reporter.save(update_fields=["name"])
                self.summary.add("authors", "updated")
            else:
                user = User.objects.filter(username=login[:150]).first()
                if user is None:
                    user = User(
                        username=login[:150],
                        email=author.email,
                        first_name=author.first_name[:150],
                        last_name=author.last_name[:150],
                        is_staff=True,
                    )
                    user.set_unusable_password()  # they set one through "forgot password"
                    user.save()
                reporter = Reporter(name=name[:120], slug=self._free_reporter_slug(login), user=user)
                if author.wp_id and not Reporter.objects.filter(pk=author.wp_id).exists():
                    reporter.pk = author.wp_id
                reporter.save()
                self.summary.add("authors", "imported")
            wp_id = author.wp_id or (mapped.wp_id if mapped else reporter.pk)
            self._map(Kind.USER, wp_id, reporter.pk, slug=login, legacy_path=f"/author/{slugify(login)}")
            self.reporters[login] = reporter.pk

    def _free_reporter_slug(self, login: str) -> str:
        base = slugify(login, allow_unicode=True)[:100] or "reporter"
        slug, n = base, 2
        while Reporter.objects.filter(slug=slug).exists():
            slug, n = f"{base}-{n}", n + 1
        return slug

    def _import_categories(self) -> None:
        home = HomePage.objects.first()
        categories = self.scan_result.categories
        mapped = {m.slug: m for m in WordPressObject.objects.filter(kind=Kind.CATEGORY)}

        def ensure(slug: str, trail: tuple = ()) -> int:
            if slug in self.sections:
                return self.sections[slug]
            term = categories[slug]
            parent_slug = decode_slug(term.parent_slug)
            parent_id = None
            if parent_slug and parent_slug in categories and parent_slug not in trail:
                parent_id = ensure(parent_slug, (*trail, slug))
            mapping = mapped.get(slug)
            section = SectionPage.objects.filter(pk=mapping.object_id).first() if mapping else None
            if section:
                section.title = clean_title(term.name)[:255] or section.title
                section.description = markup.plain_text(term.description)[:300]
                if not self.dry_run:
                    section.save_revision().publish()
                self.summary.add("categories", "updated")
            else:
                parent = SectionPage.objects.get(pk=parent_id) if parent_id else home
                section = SectionPage(
                    title=clean_title(term.name)[:255] or slug,
                    slug=self._free_page_slug(parent, slugify(slug, allow_unicode=True)[:200] or "section"),
                    description=markup.plain_text(term.description)[:300],
                    show_in_menus=parent_id is None,
                )
                parent.add_child(instance=section)
                section.save_revision().publish()
                self.summary.add("categories", "imported")
            path = self._category_path([slug])
            wp_id = term.wp_id or (mapping.wp_id if mapping else -section.pk)
            self._map(Kind.CATEGORY, wp_id, section.pk, slug=slug, legacy_path=f"/category/{path}")
            self.sections[slug] = section.pk
            self.section_wp_ids[slug] = wp_id
            return section.pk

        for slug in list(categories):
            ensure(slug)
        for section in SectionPage.objects.filter(pk__in=list(self.sections.values())):
            self.root_sections[section.pk] = root_section_id_for(section)

    @staticmethod
    def _free_page_slug(parent, slug: str) -> str:
        base, candidate, n = slug, slug, 2
        while parent.get_children().filter(slug=candidate).exists():
            candidate, n = f"{base}-{n}", n + 1
        return candidate

    def _section_for(self, item: Item) -> int:
        for taxonomy, slug, name in item.terms:
            if taxonomy == "category":
                found = self.sections.get(decode_slug(slug) or slugify(name, allow_unicode=True))
                if found:
                    return found
        if self.fallback_section is None:
            # WordPress files every post under a category; a post without one goes to "Uncategorized".
            home = HomePage.objects.first()
            existing = SectionPage.objects.child_of(home).filter(slug="uncategorized").first()
            if existing is None:
                existing = SectionPage(title=_("Uncategorized"), slug="uncategorized", show_in_menus=False)
                home.add_child(instance=existing)
                existing.save_revision().publish()
            self.fallback_section = existing.pk
            self.root_sections[existing.pk] = existing.pk
        return self.fallback_section

    def _import_tags(self) -> None:
        tags = self.scan_result.tags
        mapped = {m.slug: m for m in WordPressObject.objects.filter(kind=Kind.TAG)}
        existing_by_slug = {
            t.slug: t for t in Tag.objects.filter(slug__in=[slugify(s, allow_unicode=True) for s in tags])
        }
        taken_names = set(Tag.objects.values_list("name", flat=True))
        for slug, term in tags.items():
            tag_slug = slugify(slug, allow_unicode=True)[:100] or slugify(term.name, allow_unicode=True)[:100]
            mapping = mapped.get(slug)
            tag = Tag.objects.filter(pk=mapping.object_id).first() if mapping else existing_by_slug.get(tag_slug)
            if tag:
                self.summary.add("tags", "updated")
            else:
                name = clean_title(term.name)[:100] or tag_slug
                if name in taken_names:
                    name = f"{name} ({tag_slug})"[:100]
                tag = Tag(name=name, slug=tag_slug)
                if term.wp_id and not Tag.objects.filter(pk=term.wp_id).exists():
                    tag.pk = term.wp_id
                tag.save()
                taken_names.add(name)
                self.summary.add("tags", "imported")
            wp_id = term.wp_id or (mapping.wp_id if mapping else tag.pk)
            self._map(Kind.TAG, wp_id, tag.pk, slug=slug, legacy_path=f"/tag/{slug}")
            self.tag_ids[slug] = tag.pk

    # Media -----------------------------------------------------------------------------------------------
    def _import_attachments(self) -> None:
        from wagtail.images import get_image_model

        attachments = list(self.scan_result.attachments.values())
        existing = self._mapping(Kind.ATTACHMENT, [a.wp_id for a in attachments])
        Image = get_image_model()
        for start in range(0, len(attachments), 50):
            written: list = []
            try:
                with transaction.atomic():
                    for attachment in attachments[start : start + 50]:
                        self._import_attachment(attachment, existing.get(attachment.wp_id), Image, written)
            except BaseException:
                # The batch's rows were rolled back (disk full, say): its files go too, or they stay as
                # orphans that no image points at.
                for stored in written:
                    with suppress(OSError):
                        stored.storage.delete(stored.name)
                raise
            self.progress("media", min(start + 50, len(attachments)), len(attachments))

    def _import_attachment(self, attachment: Attachment, mapping, Image, written: list) -> None:
        legacy = path_of(attachment.url)
        if (
            mapping
            and (mapping.data or {}).get("type") == "image"
            and Image.objects.filter(pk=mapping.object_id).exists()
        ):
            Image.objects.filter(pk=mapping.object_id).update(
                title=attachment.title[:255] or "image", description=attachment.alt[:255]
            )
            self.images[attachment.wp_id] = mapping.object_id
            self.summary.add("media", "updated")
            return
        if mapping and (mapping.data or {}).get("type") == "document":
            self.summary.add("media", "updated")
            return
        name = attachment.relative or attachment.url
        if not self.media.available:
            self.summary.add("media", "skipped", "no --media given")
            self.summary.problem(f"media {attachment.wp_id} ({name}): not imported, no --media given")
            return
        try:
            data = self.media.read(attachment.relative)
            if data is None:
                self.summary.add("media", "skipped", "file not found in --media")
                self.summary.problem(f"media {attachment.wp_id}: {name} not found in {self.media.location}")
                return
            if self.dry_run:
                self.images[attachment.wp_id] = 0
                self.summary.add("media", "imported")
                return
            pk = attachment.wp_id if not Image.objects.filter(pk=attachment.wp_id).exists() else None
            if is_image_name(name):
                kind, stored = "image", create_image(data, name, attachment.title, attachment.alt, pk)
                self.images[attachment.wp_id] = stored.pk
            else:
                kind, stored = "document", create_document(data, name, attachment.title)
            written.append(stored.file)
            data = {"type": kind, "parent": attachment.parent}
            self._map(Kind.ATTACHMENT, attachment.wp_id, stored.pk, legacy_path=legacy, data=data)
            self.summary.add("media", "imported")
        except MediaError as error:
            self.summary.add("media", "skipped", "not a usable file")
            self.summary.problem(f"media {attachment.wp_id}: {error}")

    def _resolve_image(self, ref: markup.ImageRef) -> int | None:
        if ref.attachment_id and ref.attachment_id in self.images:
            return self.images[ref.attachment_id]
        if ref.url:
            wp_id = self.scan_result.attachment_by_url.get(unsized(ref.url.split("?")[0]))
            if wp_id is None:
                wp_id = self.scan_result.attachment_by_url.get(unsized(relative_upload_path("", ref.url)))
            if wp_id is not None:
                return self.images.get(wp_id)
        return None

    def _rewrite_link(self, href: str) -> str:
        # Links to the old site's own pages become site-relative: they keep working on the new address.
        if self.base_url and href.startswith(self.base_url + "/"):
            return href[len(self.base_url) :]
        return href

    # Posts, pages, comments ------------------------------------------------------------------------------
    def _items(self) -> Iterator[Item]:
        for record in read_wxr(str(self.path)):
            if isinstance(record, Item):
                yield record

    def _import_items(self, run: ImportRun | None, skip: int) -> None:
        total = self.scan_result.items
        batch: list[Item] = []
        index = 0
        for item in self._items():
            index += 1
            if index <= skip:
                continue
            batch.append(item)
            if len(batch) >= self.batch:
                self._commit_batch(batch, run, index)
                batch = []
                self.progress("items", index, total)
        if batch:
            self._commit_batch(batch, run, index)
        self.progress("items", total, total)

    def _commit_batch(self, items: list[Item], run: ImportRun | None, done: int) -> None:
        with transaction.atomic():
            posts = []
            for item in items:
                if item.post_type == "attachment":
                    continue  # imported before the posts
                if item.post_type not in ("post", "page"):
                    kind = "pages" if item.post_type == "page" else "posts"
                    self.summary.add(kind, "skipped", f"not an article or page ({item.post_type})")
                    continue
                kind = "posts" if item.post_type == "post" else "pages"
                if item.status in SKIPPED_STATUSES:
                    self.summary.add(kind, "skipped", SKIPPED_STATUSES[item.status])
                    continue
                if item.post_type == "post":
                    posts.append(item)
                else:
                    self._import_page(item)
                    for _comment in item.comments:
                        self.summary.add("comments", "skipped", "on a static page (pages take no comments)")
            if posts:
                self._import_posts(posts)
            if run:
                ImportRun.objects.filter(pk=run.pk).update(items_done=done)

    def _status_fields(self, item: Item) -> dict:
        """live, dates and scheduling for a WordPress status (see the mapping in docs/wordpress.md)."""
        when = item.date_gmt or (
            timezone.make_aware(item.date_local, timezone.get_default_timezone()) if item.date_local else None
        )
        if item.status == "publish" and not item.password:
            when = when or timezone.now()
            return {
                "live": True,
                "has_unpublished_changes": False,
                "first_published_at": when,
                "last_published_at": when,
                "go_live_at": None,
            }
        fields = {
            "live": False,
            "has_unpublished_changes": True,
            "first_published_at": None,
            "last_published_at": None,
            "go_live_at": None,
        }
        if item.status == "future" and when:
            fields["go_live_at"] = when
        return fields

    def _post_fields(self, item: Item) -> tuple[dict, markup.Converted]:
        converted = markup.convert(item.content, self._resolve_image, self._rewrite_link)
        for url in converted.missing_images:
            self.summary.problem(f"post {item.wp_id}: image {url} not found; the article was imported without it")
        section_id = self._section_for(item)
        title = clean_title(item.title) or converted.text[:80].strip() or _("Untitled")
        standfirst = markup.plain_text(item.excerpt) or converted.teaser
        slug = decode_slug(item.slug) or slugify(title, allow_unicode=True)[:200] or "article"
        thumbnail = item.meta_value("_thumbnail_id").strip()
        featured = self.images.get(int(thumbnail)) if thumbnail.isdigit() else None
        if thumbnail.isdigit() and featured is None:
            self.summary.problem(f"post {item.wp_id}: featured image {thumbnail} not imported")
        caption = ""
        if featured is not None and int(thumbnail) in self.scan_result.attachments:
            caption = self.scan_result.attachments[int(thumbnail)].caption
        fields = {
            "section_id": section_id,
            "root_section_id": self.root_sections.get(section_id, section_id),
            "title": title[:255],
            "slug": slugify(slug, allow_unicode=True)[:255] or "article",
            "standfirst": standfirst[:600],
            "body": converted.blocks,
            "featured_image_id": featured or None,
            "featured_image_caption": caption[:300],
            "is_featured": item.sticky,
            "comments_open": item.comment_status == "open",
            "word_count": count_words(converted.text),
            **self._status_fields(item),
        }
        return fields, converted

    def _import_posts(self, items: list[Item]) -> None:
        from murasil.search.backends import backend

        mapped = self._mapping(Kind.POST, [i.wp_id for i in items])
        taken = set(Article.objects.filter(pk__in=[i.wp_id for i in items]).values_list("pk", flat=True))
        new, updated, prepared = [], [], []
        for item in items:
            fields, converted = self._post_fields(item)
            mapping = mapped.get(item.wp_id)
            if mapping:
                article = Article(pk=mapping.object_id, **fields)
                updated.append(article)
            else:
                article = Article(**fields)
                if item.wp_id not in taken:
                    article.pk = item.wp_id
                new.append(article)
            prepared.append((item, article, converted))
        existing_ids = set(Article.objects.filter(pk__in=[a.pk for a in updated]).values_list("pk", flat=True))
        for article in [a for a in updated if a.pk not in existing_ids]:  # deleted in Murasil since: make again
            updated.remove(article)
            new.append(article)
        now = timezone.now()
        for article in new:
            article.created_at = article.updated_at = now
        Article.objects.bulk_create(new, batch_size=text_batch())
        if updated:
            Article.objects.bulk_update(
                updated,
                ["section", "root_section", "title", "slug", "standfirst", "body", "featured_image",
                 "featured_image_caption",
                 "is_featured", "comments_open", "word_count", "live", "has_unpublished_changes", "first_published_at",
                 "last_published_at", "go_live_at"],
            )  # fmt: skip
        ids = [a.pk for _i, a, _c in prepared]
        ArticleReporter.objects.filter(article_id__in=ids).delete()
        ArticleTag.objects.filter(content_object_id__in=ids).delete()
        bylines, taggings, mappings = [], [], []
        engine = backend()
        for item, article, converted in prepared:
            reporter = self.reporters.get(item.creator) or self.reporters.get(sanitize_login(item.creator))
            if reporter:
                bylines.append(ArticleReporter(article_id=article.pk, reporter_id=reporter, sort_order=0))
            tag_names, tagged = [], set()
            for taxonomy, slug, name in item.terms:
                tag_id = self.tag_ids.get(decode_slug(slug)) if taxonomy == "post_tag" else None
                if tag_id and tag_id not in tagged:
                    tagged.add(tag_id)
                    taggings.append(ArticleTag(content_object_id=article.pk, tag_id=tag_id))
                    tag_names.append(name)
            data = {
                "categories": [
                    self.section_wp_ids[decode_slug(s)]
                    for t, s, _n in item.terms
                    if t == "category" and decode_slug(s) in self.section_wp_ids
                ],
                "sticky": item.sticky,
                "status": item.status,
                "format": next(
                    (s.replace("post-format-", "") for t, s, _n in item.terms if t == "post_format"), "standard"
                ),
                "old_slugs": [decode_slug(s) for s in item.meta.get("_wp_old_slug", []) if s],
                "guid": item.guid,
            }
            if item.password:
                data["password_protected"] = True
                self.summary.reasons[("posts", "password-protected: imported as not public")] += 1
            if item.status == "private":
                self.summary.reasons[("posts", "private: imported as not public")] += 1
            mappings.append(
                WordPressObject(kind=Kind.POST, wp_id=item.wp_id, object_id=article.pk,
                                slug=decode_slug(item.slug)[:255],
                                legacy_path=path_of(item.link)[:500], data=data)
            )  # fmt: skip
            self.summary.add("posts", "updated" if article in updated else "imported")
            if article.live and not self.dry_run:
                tags = " ، ".join(tag_names)
                fields = {
                    "title": article.title,
                    "standfirst": article.standfirst,
                    "tags": tags,
                    "body": converted.text,
                }
                engine.upsert(article.pk, fields)
                self.imported_articles.append(article.pk)
            elif not self.dry_run:
                engine.delete(article.pk)
        ArticleReporter.objects.bulk_create(bylines)
        ArticleTag.objects.bulk_create(taggings)
        for item, article, _converted in prepared:
            old_slugs = [decode_slug(s) for s in item.meta.get("_wp_old_slug", []) if s.strip()]
            if old_slugs:
                mappings.append(
                    WordPressObject(
                        kind=Kind.OLD_SLUG, wp_id=item.wp_id, object_id=article.pk, slug=old_slugs[-1][:255]
                    )
                )
        WordPressObject.objects.filter(
            kind__in=[Kind.POST, Kind.OLD_SLUG], wp_id__in=[m.wp_id for m in mappings]
        ).delete()
        WordPressObject.objects.bulk_create(mappings)
        for item, article, _converted in prepared:
            if item.status == "future" and article.go_live_at and not self.dry_run:
                # Wagtail publishes approved scheduled revisions (publish_scheduled, run by `murasil serve`).
                saved = Article.objects.get(pk=article.pk)
                saved.save_revision(approved_go_live_at=article.go_live_at, log_action=False)
        self._import_comments(prepared)

    def _import_comments(self, prepared: list[tuple[Item, Article, markup.Converted]]) -> None:
        wanted = [c.wp_id for item, _a, _c in prepared for c in item.comments]
        if not wanted:
            return
        mapped = self._mapping(Kind.COMMENT, wanted)
        Comment.objects.filter(pk__in=[m.object_id for m in mapped.values()]).delete()
        WordPressObject.objects.filter(kind=Kind.COMMENT, wp_id__in=list(mapped)).delete()
        taken = set(Comment.objects.filter(pk__in=wanted).values_list("pk", flat=True))
        rows, mappings, counts = [], [], Counter()
        for item, article, _converted in prepared:
            comments = {c.wp_id: c for c in item.comments}
            pk_of: dict[int, int] = {}
            depth_of: dict[int, int] = {}
            next_free = None
            for comment in self._parents_first(item.comments):
                if comment.approved in ("spam", "trash") or comment.comment_type in ("pingback", "trackback"):
                    reason = comment.approved if comment.approved in ("spam", "trash") else comment.comment_type
                    self.summary.add("comments", "skipped", reason)
                    continue
                parent = pk_of.get(comment.parent) if comment.parent in comments else None
                depth = depth_of.get(comment.parent, 0) + 1 if parent else 1
                if depth > MAX_DEPTH:
                    # Threads stop at MAX_DEPTH on a phone: deeper replies attach to the deepest level.
                    while depth > MAX_DEPTH:
                        parent_wp = next(w for w, p in pk_of.items() if p == parent)
                        grand = comments[parent_wp].parent
                        parent = pk_of.get(grand)
                        depth = depth_of.get(grand, 0) + 1
                pk = comment.wp_id
                if pk in taken:
                    next_free = next_free or (Comment.objects.order_by("-pk").values_list("pk", flat=True).first() or 0)
                    next_free = max(next_free, max(wanted)) + 1
                    pk = next_free
                pk_of[comment.wp_id] = pk
                depth_of[comment.wp_id] = depth
                approved = comment.approved == "1"
                when = comment.date_gmt or (
                    timezone.make_aware(comment.date_local, timezone.get_default_timezone())
                    if comment.date_local
                    else timezone.now()
                )
                rows.append(
                    Comment(
                        pk=pk, article_id=article.pk, parent_id=parent, depth=depth,
                        name=strip_bidi_overrides(comment.author or _("Reader"))[:80], email=comment.email[:254],
                        url=safe_url(comment.url), text=strip_bidi_overrides(markup.plain_text(comment.content)) or "…",
                        status=Comment.Status.APPROVED if approved else Comment.Status.PENDING,
                        ip_address=valid_ip(comment.ip), created_at=when, moderated_at=when if approved else None,
                    )
                )  # fmt: skip
                mappings.append(WordPressObject(kind=Kind.COMMENT, wp_id=comment.wp_id, object_id=pk))
                counts[article.pk] += approved
                self.summary.add("comments", "updated" if comment.wp_id in mapped else "imported")
        Comment.objects.bulk_create(rows)
        WordPressObject.objects.bulk_create(mappings)
        Article.objects.bulk_update(
            [Article(pk=a.pk, comment_count=counts.get(a.pk, 0)) for _i, a, _c in prepared], ["comment_count"]
        )

    @staticmethod
    def _parents_first(comments) -> list:
        by_id = {c.wp_id: c for c in comments}
        ordered, placed = [], set()

        def place(comment, trail=()):
            if comment.wp_id in placed:
                return
            if comment.parent in by_id and comment.parent not in trail:
                place(by_id[comment.parent], (*trail, comment.wp_id))
            placed.add(comment.wp_id)
            ordered.append(comment)

        for comment in comments:
            place(comment)
        return ordered

    def _import_page(self, item: Item) -> None:
        mapping = WordPressObject.objects.filter(kind=Kind.PAGE, wp_id=item.wp_id).first()
        converted = markup.convert(item.content, self._resolve_image, self._rewrite_link)
        body = (
            rich_text_of(converted.blocks) or "<p></p>"
        )  # a parent page may have no text; the field must not be empty
        title = clean_title(item.title) or _("Untitled")
        page = StandardPage.objects.filter(pk=mapping.object_id).first() if mapping else None
        status = self._status_fields(item)
        if page:
            page.title, page.body, page.intro = title[:255], body, markup.plain_text(item.excerpt)[:300]
            revision = page.save_revision(clean=False)
            if status["live"] and not self.dry_run:
                revision.publish()
            self.summary.add("pages", "updated")
        else:
            home = HomePage.objects.first()
            slug = slugify(decode_slug(item.slug) or title, allow_unicode=True)[:200] or "page"
            page = StandardPage(
                title=title[:255], slug=self._free_page_slug(home, slug), body=body,
                intro=markup.plain_text(item.excerpt)[:300], live=False, show_in_menus=False,
            )  # fmt: skip
            home.add_child(instance=page)
            revision = page.save_revision(clean=False)
            if status["live"]:
                revision.publish()
                if status["first_published_at"]:
                    StandardPage.objects.filter(pk=page.pk).update(first_published_at=status["first_published_at"])
            self.summary.add("pages", "imported")
        if item.parent:
            self.pages_to_arrange.append((page.pk, item.parent))
        self._map(Kind.PAGE, item.wp_id, page.pk, slug=decode_slug(item.slug), legacy_path=path_of(item.link),
                  data={"status": item.status, "menu_order": item.menu_order})  # fmt: skip

    # Last steps ------------------------------------------------------------------------------------------
    def _finish(self) -> None:
        self._arrange_pages()
        self._move_sequences()
        self._save_link_settings()
        if not self.dry_run:
            from murasil.core.chrome import bump_chrome_version
            from murasil.search.related import batch_cache, refresh_related

            total = len(self.imported_articles) if self.related else 0
            with batch_cache():
                for done, article_id in enumerate(self.imported_articles[:total], 1):
                    refresh_related(article_id, neighbours=False)
                    if done % 200 == 0:
                        self.progress("related", done, total)
            self.progress("related", total, total)
            # Bulk writes send no signals: the tags sitemap's "newest article per tag" is rebuilt once.
            from murasil.syndication import tag_activity

            tag_activity.rebuild()
            bump_chrome_version()  # also a new key for the cached sitemap index
            cache.set(IMPORTED_KEY, True, 300)

    def _make_renditions(self) -> None:
        """Every imported photo's renditions, after the import committed: readers meet none missing.
        Without (renditions=False) they are queued for the background worker instead."""
        image_ids = [pk for pk in self.images.values() if pk]
        if self.dry_run or not image_ids:
            return
        from murasil.images.backfill import make_all

        make_all(
            image_ids,
            queue=not self.renditions,
            progress=lambda done, total, made: self.progress("renditions", done, total),
        )

    def _arrange_pages(self) -> None:
        pages = {m.wp_id: m.object_id for m in WordPressObject.objects.filter(kind=Kind.PAGE)}
        for page_id, parent_wp in self.pages_to_arrange:
            parent_id = pages.get(parent_wp)
            if not parent_id:
                continue
            page = StandardPage.objects.get(pk=page_id)
            parent = page.get_parent()
            if parent.pk != parent_id:
                target = StandardPage.objects.get(pk=parent_id)
                page.slug = self._free_page_slug(target, page.slug)
                page.save()
                page.move(target, pos="last-child")

    def _move_sequences(self) -> None:
        """New Murasil articles must never take a WordPress ID: each sequence moves past the imported ones."""
        from wagtail.images import get_image_model

        models = [Article, Reporter, Tag, Comment, get_image_model()]
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                for statement in connection.ops.sequence_reset_sql(no_style(), models):
                    cursor.execute(statement)
                floor = self.scan_result.max_post_id
                if floor:
                    cursor.execute(
                        "SELECT setval(pg_get_serial_sequence('news_article', 'id'), "
                        "GREATEST(%s, (SELECT COALESCE(MAX(id), 1) FROM news_article)))",
                        [floor],
                    )
        elif self.scan_result.max_post_id:
            with connection.cursor() as cursor:
                cursor.execute(
                    "UPDATE sqlite_sequence SET seq = MAX(seq, %s) WHERE name = 'news_article'",
                    [self.scan_result.max_post_id],
                )
                if cursor.rowcount == 0:
                    cursor.execute(
                        "INSERT INTO sqlite_sequence (name, seq) VALUES ('news_article', %s)",
                        [self.scan_result.max_post_id],
                    )

    def _save_link_settings(self) -> None:
        link_settings = WordPressSettings.load()
        if self.structure_option is not None:
            link_settings.permalink_structure = self.structure_option
        elif not link_settings.permalink_structure:
            link_settings.permalink_structure = guess_structure(self.scan_result.samples)
        if self.base_url:
            link_settings.base_url = self.base_url[:200]
        link_settings.save()


def text_batch() -> int | None:
    """Rows per INSERT for long-text rows. On PostgreSQL, Django turns multi-row inserts into UNNEST
    over arrays, and psycopg escapes every element of a text array in Python: for article bodies that
    costs more than sending each row in its own statement (measured: bench/wordpress_import.py)."""
    return 1 if connection.vendor == "postgresql" else None


def sanitize_login(login: str) -> str:
    """As WordPress's sanitize_user(): a byline naming ">editor" is the user "editor"."""
    return re.sub(r"[^\w.@ -]", "", login or "").strip()


def safe_url(url: str) -> str:
    """A commenter's website: http(s) only, and never one that reads differently (bidi overrides)."""
    url = (url or "").strip()
    if url != strip_bidi_overrides(url):
        return ""
    return url[:300] if urlsplit(url).scheme in ("http", "https") else ""


def valid_ip(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip())) if value and value.strip() else None
    except ValueError:
        return None


def rich_text_of(blocks: list[dict]) -> str:
    """Body blocks → one rich-text field (static pages have a single rich-text body), cleaned."""
    from html import escape

    from murasil.core.sanitize import clean_rich_text

    parts = []
    for block in blocks:
        kind, value = block["type"], block["value"]
        if kind == "paragraph":
            parts.append(value)
        elif kind == "heading":
            parts.append(f"<h2>{escape(value, quote=False)}</h2>")
        elif kind == "quote":
            parts.append(f"<p>{escape(value['text'], quote=False)}</p>")
        elif kind == "image" and value.get("image"):
            parts.append(
                f'<embed alt="{escape(value.get("caption", ""))}" embedtype="image" format="fullwidth" '
                f'id="{value["image"]}"/>'
            )
        elif kind == "embed":
            parts.append(f'<embed embedtype="media" url="{escape(value)}"/>')
    return clean_rich_text("".join(parts))
