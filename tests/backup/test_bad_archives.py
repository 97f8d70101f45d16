"""A restore refuses, in plain English and before changing anything, every archive it cannot trust."""

import io
import json
import os
import shutil
import tarfile
from pathlib import Path

from django.conf import settings
from django.core.management import CommandError, call_command

import pytest

from murasil.backup.archive import MANIFEST
from murasil.demo.images import news_photo
from tests.faults.server import base_env

from .helpers import media_digest, murasil


@pytest.fixture(scope="module")
def backup(request, tmp_path_factory) -> Path:
    """One backup of a site with a photo in its media, on this run's kind of database: by the command
    line from a freshly migrated SQLite site, or of the PostgreSQL test database (pg_dump)."""
    folder = tmp_path_factory.mktemp("backups")
    photo = news_photo(7, size=(64, 36))
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        request.getfixturevalue("django_db_setup")
        photos = Path(settings.MEDIA_ROOT) / "original_images"
        photos.mkdir(parents=True, exist_ok=True)
        (photos / "bad-archives-photo.jpg").write_bytes(photo)
        with request.getfixturevalue("django_db_blocker").unblock():
            call_command("backup", str(folder / "site.tar.gz"), verbosity=0)
        return folder / "site.tar.gz"
    site = tmp_path_factory.mktemp("site")
    shutil.copyfile(request.getfixturevalue("migrated_sqlite"), site / "murasil.sqlite3")
    (site / "media" / "original_images").mkdir(parents=True)
    (site / "media" / "original_images" / "photo.jpg").write_bytes(photo)
    murasil(["backup", str(folder / "site.tar.gz")], base_env(site))
    return folder / "site.tar.gz"


def members(archive: Path) -> list[tuple[tarfile.TarInfo, bytes]]:
    with tarfile.open(archive) as tar:
        return [(m, tar.extractfile(m).read()) for m in tar.getmembers()]


def rewrite(archive: Path, dest: Path, change=None, manifest=None, add=()) -> Path:
    """A copy of `archive` with members changed (change(name, data) → data or None to drop)."""
    with tarfile.open(dest, "w:gz") as out:
        for info, data in members(archive):
            if info.name == MANIFEST and manifest:
                data = json.dumps(manifest(json.loads(data))).encode()
            elif change:
                data = change(info.name, data)
                if data is None:
                    continue
            info.size = len(data)
            out.addfile(info, io.BytesIO(data))
        for name, data in add:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            out.addfile(info, io.BytesIO(data))
    return dest


def check(path: Path) -> str:
    """The restore's refusal; whatever the archive, the site's media stay as they were and no staging
    folder stays behind."""
    media = Path(settings.MEDIA_ROOT)
    before = media_digest(media)
    with pytest.raises(CommandError) as failure:
        call_command("restore", str(path), check=True, verbosity=0)
    assert media_digest(media) == before
    # Only this site's staging folders: other test processes restore beside media folders of their own.
    assert not [p for p in media.parent.iterdir() if p.name.startswith(f".{media.name}.murasil-restore-")]
    message = str(failure.value)
    assert message.startswith("Restore failed: ")
    assert "Traceback" not in message
    return message


def test_a_good_backup_checks_out(backup, capsys):
    call_command("restore", str(backup), check=True)
    assert "every checksum matches" in capsys.readouterr().out


def test_truncated_archive(backup, tmp_path):
    cut = tmp_path / "cut.tar.gz"
    cut.write_bytes(backup.read_bytes()[: backup.stat().st_size // 2])
    assert "damaged or incomplete" in check(cut)


def test_not_an_archive(tmp_path):
    text = tmp_path / "notes.tar.gz"
    text.write_text("ليست نسخة احتياطية")
    assert "not a readable .tar.gz archive" in check(text)


def test_missing_file(tmp_path):
    assert "does not exist" in check(tmp_path / "nowhere.tar.gz")


def test_changed_media_file_fails_its_checksum(backup, tmp_path):
    def flip(name, data):
        return data[:-1] + bytes([data[-1] ^ 1]) if name.startswith("media/") else data

    message = check(rewrite(backup, tmp_path / "flipped.tar.gz", change=flip))
    assert "does not match its SHA-256 checksum" in message
    assert "nothing was changed" in message


def test_changed_database_fails_its_checksum(backup, tmp_path):
    def flip(name, data):
        return data[:100] + bytes([data[100] ^ 1]) + data[101:] if name.startswith("database/") else data

    assert "database/murasil" in check(rewrite(backup, tmp_path / "flipped.tar.gz", change=flip))


def test_unknown_format_version(backup, tmp_path):
    newer = rewrite(backup, tmp_path / "newer.tar.gz", manifest=lambda m: {**m, "format_version": 99})
    message = check(newer)
    assert "newer Murasil" in message
    assert "format version 99" in message
    odd = rewrite(backup, tmp_path / "odd.tar.gz", manifest=lambda m: {**m, "format_version": "one"})
    assert "unknown backup format version" in check(odd)


def test_not_a_murasil_manifest(backup, tmp_path):
    other = rewrite(backup, tmp_path / "other.tar.gz", manifest=lambda m: {**m, "format": "something-else"})
    assert "is not a Murasil backup" in check(other)


def test_manifest_missing(backup, tmp_path):
    dropped = rewrite(backup, tmp_path / "dropped.tar.gz", change=lambda name, data: None if name == MANIFEST else data)
    assert "no manifest.json" in check(dropped)


def test_listed_file_missing_and_unlisted_file_present(backup, tmp_path):
    def drop_media(name, data):
        return None if name.startswith("media/") else data

    assert "listed in the manifest but missing" in check(rewrite(backup, tmp_path / "a.tar.gz", change=drop_media))
    extra = rewrite(backup, tmp_path / "b.tar.gz", add=[("media/extra.jpg", b"x")])
    assert "does not list" in check(extra)


def test_paths_outside_the_archive_are_refused(backup, tmp_path):
    evil = rewrite(backup, tmp_path / "evil.tar.gz", add=[("media/../../evil.txt", b"x")])
    assert "no Murasil backup contains" in check(evil)
    assert not (tmp_path / "evil.txt").exists()


def test_backup_from_a_newer_murasil_is_refused(backup, tmp_path):
    def future(manifest):
        manifest["migrations"].setdefault("news", []).append("9999_from_the_future")
        return manifest

    message = check(rewrite(backup, tmp_path / "future.tar.gz", manifest=future))
    assert "newer Murasil" in message
    assert "news.9999_from_the_future" in message


def test_other_database_engine_is_refused(backup, tmp_path):
    from django.db import connection

    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"

    def engine(manifest):
        manifest["database"]["engine"] = other
        return manifest

    assert f"holds a {other} database" in check(rewrite(backup, tmp_path / "engine.tar.gz", manifest=engine))


@pytest.mark.django_db
def test_a_site_that_is_not_empty_is_refused(backup):
    with pytest.raises(CommandError) as failure:
        call_command("restore", str(backup), verbosity=0)
    assert "the site is not empty" in str(failure.value)
    assert "--force" in str(failure.value)


def test_damaged_archive_leaves_an_empty_site_empty(backup, tmp_path):
    damaged = tmp_path / "damaged.tar.gz"
    data = bytearray(backup.read_bytes())
    data[len(data) // 2] ^= 0xFF
    damaged.write_bytes(bytes(data))
    site = tmp_path / "site"
    env = base_env(site)
    result = murasil(["restore", str(damaged)], env, check=False)
    assert result.returncode == 1
    assert "Restore failed:" in result.stderr
    assert "nothing was changed" in result.stderr or "damaged" in result.stderr
    assert sorted(p.name for p in site.iterdir()) == ["secret_key"]
