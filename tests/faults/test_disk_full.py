"""A full disk during a WordPress import: a clear English error, nothing half-written, and a re-run resumes.

Media go to a real 256 KB filesystem (tmpfs, when this machine lets the test mount one as root),
else to a storage that fails the same way (OSError ENOSPC in the middle of a file). The database
filling up is SQLite's own "database or disk is full", through max_page_count.
"""

import errno
import os
import shutil
import subprocess
from pathlib import Path

from django.core.files.base import File
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection

from wagtail.images import get_image_model

import pytest
from PIL import Image

from murasil.core.storage import SafeFileSystemStorage
from murasil.news.models import Article, ArticleReporter
from murasil.wordpress.importer import Importer
from murasil.wordpress.management.commands.import_wordpress import write_failure
from murasil.wordpress.models import ImportRun, WordPressObject
from tests.factories import ensure_site
from tests.wordpress.helpers import NEWSROOM

DISK_BYTES = 256 * 1024


class QuotaStorage(SafeFileSystemStorage):
    """Where no tmpfs can be mounted: a disk of DISK_BYTES that fails writes the way a full one does."""

    used = 0

    def _save(self, name, content):
        storage = self

        class Filling(File):
            def chunks(self, chunk_size=None):
                for chunk in content.chunks(8192):
                    if QuotaStorage.used + len(chunk) > DISK_BYTES:
                        raise OSError(errno.ENOSPC, "No space left on device", storage.path(name))
                    QuotaStorage.used += len(chunk)
                    yield chunk

        return super()._save(name, Filling(content, name))


@pytest.fixture
def small_disk(tmp_path, settings):
    """MEDIA_ROOT on a 256 KB disk; yields a function that makes the disk larger ("space freed")."""
    root = tmp_path / "media"
    root.mkdir()
    mounted = (
        os.geteuid() == 0
        and shutil.which("mount")
        and subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={DISK_BYTES}", "tmpfs", str(root)], capture_output=True
        ).returncode
        == 0
    )
    settings.MEDIA_ROOT = root
    if mounted:

        def grow():
            subprocess.run(["mount", "-o", "remount,size=8m", str(root)], check=True)

    else:
        QuotaStorage.used = 0
        settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": f"{__name__}.QuotaStorage"}}

        def grow():
            QuotaStorage.used = -(8 * 2**20)

    yield root, grow
    if mounted:
        subprocess.run(["umount", str(root)], check=False)


def uploads_with_a_big_photo(tmp_path) -> Path:
    """The export's uploads: dam.jpg is small and fits, market.png is larger than the whole disk."""
    root = tmp_path / "uploads"
    (root / "2025" / "03").mkdir(parents=True)
    Image.new("RGB", (120, 80), (30, 90, 160)).save(root / "2025" / "03" / "dam.jpg")
    Image.frombytes("RGB", (400, 400), os.urandom(400 * 400 * 3)).save(root / "2025" / "03" / "market.png")
    return root


def files_under(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


@pytest.mark.django_db
def test_disk_full_while_writing_media(tmp_path, small_disk):
    ensure_site()
    media_root, grow = small_disk
    uploads = uploads_with_a_big_photo(tmp_path)

    with pytest.raises(CommandError) as failure:
        call_command("import_wordpress", str(NEWSROOM), media=str(uploads), verbosity=0)
    message = str(failure.value)
    assert "no space left on the disk" in message
    assert str(media_root) in message
    assert "run the same command again" in message
    assert "Traceback" not in message

    # Nothing half-written: the batch's rows were rolled back and its files removed, the one that was
    # being written included (dam.jpg fitted and was written before market.png filled the disk).
    assert files_under(media_root) == []
    assert get_image_model().objects.count() == 0
    assert not WordPressObject.objects.filter(kind=WordPressObject.Kind.ATTACHMENT).exists()
    assert Article.objects.count() == 0
    assert ImportRun.objects.get().status == ImportRun.Status.FAILED

    grow()
    call_command("import_wordpress", str(NEWSROOM), media=str(uploads), verbosity=0)
    images = get_image_model().objects.all()
    assert images.count() == 2
    assert sorted(Path(image.file.name).name for image in images) == ["dam.jpg", "market.png"]
    originals = [name for name in files_under(media_root) if name.startswith("original_images/")]
    assert len(originals) == 2
    # The import makes the photos' renditions ahead too (murasil/images), now that there is room.
    assert all(name.startswith(("original_images/", "images/")) for name in files_under(media_root))
    assert Article.objects.count() == 7
    assert Article.objects.get(pk=101).featured_image is not None


@pytest.mark.django_db
def test_database_full_in_the_middle_of_the_posts_resumes_after_the_last_whole_batch():
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's own full-database error; the PostgreSQL run cannot fill its disk cheaply")
    ensure_site()
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA max_page_count")
        (unlimited,) = cursor.fetchone()

    def fill_after_first_batch(phase, done, total):
        if phase == "items" and done < total:
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA page_count")
                (pages,) = cursor.fetchone()
                cursor.execute(f"PRAGMA max_page_count = {pages}")

    try:
        with pytest.raises(DatabaseError) as failure:
            Importer(NEWSROOM, batch=4, related=False, progress=fill_after_first_batch).run()
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA max_page_count = {unlimited}")
    assert write_failure(failure.value) == "the database's disk is full"

    run = ImportRun.objects.get()
    assert run.items_done == 4
    # Only whole batches are kept: every article there is complete (mapped, with its body and byline).
    kept = list(Article.objects.all())
    assert 0 < len(kept) < 7
    mapped = set(WordPressObject.objects.filter(kind=WordPressObject.Kind.POST).values_list("object_id", flat=True))
    assert mapped == {article.pk for article in kept}
    for article in kept:
        assert article.body
        assert ArticleReporter.objects.filter(article=article).exists()

    summary = Importer(NEWSROOM, batch=4, related=False).run()
    assert Article.objects.count() == 7
    assert ("posts", "already imported by the interrupted run (first 4 items)") in summary.reasons
    assert ImportRun.objects.get().status == ImportRun.Status.FINISHED
