"""Backups of a live site, a full disk, a crash, an older backup, missing PostgreSQL tools."""

import errno
import os
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

import pytest

from tests.faults.server import MURASIL, ROOT, base_env
from tests.services import postgresql_url

from .helpers import murasil


def sqlite_only():
    if connection.vendor != "sqlite":
        pytest.skip("SQLite data folder; the PostgreSQL run checks pg_dump and pg_restore")


@pytest.fixture
def data_folder(tmp_path, migrated_sqlite) -> Path:
    """A site's data folder: a freshly migrated SQLite database (WAL mode) and a photo."""
    sqlite_only()
    folder = tmp_path / "site"
    folder.mkdir()
    with sqlite3.connect(migrated_sqlite) as source, sqlite3.connect(folder / "murasil.sqlite3") as copy:
        source.backup(copy)
    with sqlite3.connect(folder / "murasil.sqlite3") as copy:
        copy.execute("PRAGMA journal_mode=WAL")
    (folder / "media" / "original_images").mkdir(parents=True)
    (folder / "media" / "original_images" / "photo.jpg").write_bytes(os.urandom(20_000))
    return folder


def backups_in(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.glob("*.tar.gz"))


def test_backup_of_a_live_site_with_a_write_in_progress(data_folder, tmp_path):
    """The site keeps writing during a backup; the backup holds what was committed when it started."""
    writer = sqlite3.connect(data_folder / "murasil.sqlite3", isolation_level=None)
    writer.execute("INSERT INTO murasil_search_synonym (terms) VALUES ('قبل, before')")
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("INSERT INTO murasil_search_synonym (terms) VALUES ('أثناء, during')")
    out = tmp_path / "backups"
    out.mkdir()
    try:
        result = murasil(["backup", str(out)], base_env(data_folder))  # not blocked by the open write
    finally:
        writer.execute("COMMIT")
        writer.close()
    assert "Backup written" in result.stdout
    (archive,) = out.glob("*.tar.gz")

    restored = tmp_path / "restored"
    murasil(["restore", str(archive)], base_env(restored))
    with sqlite3.connect(restored / "murasil.sqlite3") as db:
        terms = [t for (t,) in db.execute("SELECT terms FROM murasil_search_synonym")]
    assert terms == ["قبل, before"]
    assert (restored / "media" / "original_images" / "photo.jpg").read_bytes() == (
        data_folder / "media" / "original_images" / "photo.jpg"
    ).read_bytes()


def test_older_backup_is_migrated_after_restoring(data_folder, tmp_path):
    # The database as an older Murasil left it: before the newsroom roles existed.
    murasil(["migrate", "roles", "zero", "-v0"], base_env(data_folder))
    with sqlite3.connect(data_folder / "murasil.sqlite3") as db:
        assert not db.execute("SELECT 1 FROM auth_group WHERE name = 'محرر'").fetchall()
    out = tmp_path / "backups"
    out.mkdir()
    murasil(["backup", str(out)], base_env(data_folder))
    (archive,) = out.glob("*.tar.gz")

    restored = tmp_path / "restored"
    result = murasil(["restore", str(archive)], base_env(restored))
    roles_migrations = sorted(p.stem for p in (ROOT / "murasil" / "roles" / "migrations").glob("0*.py"))
    assert f"The backup is older than this Murasil: applying {len(roles_migrations)} migration(s)." in result.stdout
    with sqlite3.connect(restored / "murasil.sqlite3") as db:
        applied = db.execute("SELECT name FROM django_migrations WHERE app = 'roles' ORDER BY name").fetchall()
        assert [name for (name,) in applied] == roles_migrations
        groups = {name for (name,) in db.execute("SELECT name FROM auth_group")}
    assert {"مراسل", "محرر", "رئيس التحرير"} <= groups


def test_crash_during_a_backup_leaves_nothing_that_looks_like_one(data_folder, tmp_path):
    (data_folder / "media" / "documents").mkdir()
    (data_folder / "media" / "documents" / "archive.bin").write_bytes(os.urandom(64 * 2**20))
    out = tmp_path / "backups"
    out.mkdir()
    process = subprocess.Popen(
        [*MURASIL, "backup", str(out)],
        cwd=ROOT,
        env=base_env(data_folder),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    partial = []
    while time.monotonic() < deadline and process.poll() is None:
        partial = [p for p in out.glob(".murasil-backup-*.partial/archive.tar.gz") if p.stat().st_size > 2**20]
        if partial:
            break
        time.sleep(0.02)
    assert partial, "the backup finished before the test could interrupt it"
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert backups_in(out) == []  # only the hidden working folder is left

    murasil(["backup", str(out)], base_env(data_folder))  # the next backup is not disturbed by it
    (archive,) = out.glob("*.tar.gz")
    assert "every checksum matches" in murasil(["restore", "--check", str(archive)], base_env(tmp_path / "x")).stdout


@pytest.fixture
def tiny_disk(tmp_path):
    """A folder on a small filesystem (tmpfs as root); yields (path, mounted) and its size setter."""
    folder = tmp_path / "disk"
    folder.mkdir()

    def mount(size: int) -> bool:
        if os.geteuid() != 0:
            return False
        subprocess.run(["umount", str(folder)], capture_output=True, check=False)
        return subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)]).returncode == 0

    yield folder, mount
    subprocess.run(["umount", str(folder)], capture_output=True, check=False)


class TestDiskFull:
    """Transactional (the backup reads the database from another connection): a unit of its own."""

    @pytest.mark.django_db(transaction=True)
    def test_disk_full_during_a_backup_leaves_no_file(self, tiny_disk, monkeypatch):
        sqlite_only()
        folder, mount = tiny_disk
        big = Path(settings.MEDIA_ROOT) / "documents" / "disk-full-test.bin"
        big.parent.mkdir(parents=True, exist_ok=True)
        big.write_bytes(os.urandom(2 * 2**20))
        try:
            connection.ensure_connection()
            probe = sqlite3.connect(folder.parent / "size-probe.sqlite3")
            connection.connection.backup(probe)
            probe.close()
            snapshot = (folder.parent / "size-probe.sqlite3").stat().st_size
            # Too small for the database snapshot itself, then big enough for it but not for the media.
            for size in (64 * 1024, snapshot + 512 * 1024):
                if not mount(size):
                    # No tmpfs here (not root): the disk fills up when the archive is synced instead.
                    monkeypatch.setattr(
                        "murasil.backup.archive.os.fsync",
                        lambda fd: (_ for _ in ()).throw(OSError(errno.ENOSPC, "No space left on device")),
                    )
                with pytest.raises(CommandError) as failure:
                    call_command("backup", str(folder), verbosity=0)
                message = str(failure.value)
                assert "no space left on the disk" in message
                assert "No backup file was written and nothing partial was left" in message
                assert os.listdir(folder) == []
        finally:
            big.unlink()


# PostgreSQL's tools -------------------------------------------------------------------------------------
@pytest.fixture
def bin_folder(tmp_path, monkeypatch):
    folder = tmp_path / "bin"
    folder.mkdir()
    monkeypatch.setenv("PATH", str(folder))
    return folder


def fake_tool(folder: Path, name: str, version: str) -> None:
    script = folder / name
    script.write_text(f"#!/bin/sh\necho '{name} (PostgreSQL) {version}'\n")
    script.chmod(0o755)


@pytest.mark.django_db
def test_missing_or_old_pg_dump_is_named(bin_folder, tmp_path):
    postgresql_url()
    out = tmp_path / "backups"
    out.mkdir()
    with pytest.raises(CommandError) as missing:
        call_command("backup", str(out), verbosity=0)
    assert "pg_dump was not found" in str(missing.value)
    assert "postgresql-client" in str(missing.value)

    fake_tool(bin_folder, "pg_dump", "9.6.24")
    with pytest.raises(CommandError) as old:
        call_command("backup", str(out), verbosity=0)
    assert "pg_dump 9.6 is older than the PostgreSQL" in str(old.value)
    assert os.listdir(out) == []


@pytest.mark.django_db
def test_missing_pg_restore_is_named_before_any_work(bin_folder, tmp_path):
    postgresql_url()
    archive = tmp_path / "any.tar.gz"
    archive.write_bytes(b"")
    with pytest.raises(CommandError) as missing:
        call_command("restore", str(archive), verbosity=0)
    assert "pg_restore was not found" in str(missing.value)
