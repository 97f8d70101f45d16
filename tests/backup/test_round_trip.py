"""Backup, then restore into a fresh site: every row of every table, every media file and every page
come back the same (SQLite into a fresh data folder, PostgreSQL into a fresh database)."""

import sqlite3
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import connection

import psycopg
import pytest

from tests.faults.server import base_env
from tests.services import postgresql_url

from .helpers import build_site, dump_here, dump_there, media_digest, murasil, pages_here, pages_there


def one_backup(folder: Path) -> Path:
    (archive,) = folder.glob("murasil-backup-*.tar.gz")
    return archive


def sqlite_tables(db) -> dict:
    """Every table SQLite holds, the full-text indexes' own tables included, as sorted rows."""
    query = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    tables = {}
    for (name,) in db.execute(query).fetchall():
        rows = db.execute(f'SELECT * FROM "{name}"').fetchall()  # noqa: S608 - names from sqlite_master
        tables[name] = sorted(rows, key=repr)
    return tables


def assert_same_site(paths: list[str], env: dict, media: Path) -> dict:
    here, there = dump_here(), dump_there(env)
    assert set(here) == set(there)
    for model in here:
        assert here[model] == there[model], model
    # The newsroom really is in there (not two empty dumps compared).
    assert len(here["news.article"]) >= 4
    assert len(here["wagtailcore.revision"]) >= 5
    assert {c["status"] for c in here["comments.comment"].values()} == {"pending", "approved"}
    assert len(here["wagtailimages.rendition"]) >= 2
    assert len(here["wagtaildocs.document"]) == 1
    assert len(here["murasil_search.synonym"]) == 1

    source_media = media_digest(Path(settings.MEDIA_ROOT))
    assert source_media
    assert media_digest(media) == source_media

    served_here, served_there = pages_here(paths), pages_there(env, paths, media)
    for path in paths:
        assert served_there[path][0] == served_here[path][0], path
        assert served_there[path][1] == served_here[path][1], path
    assert served_here[paths[1]][0] == 200
    assert "توسعة ميناء الدوحة تكتمل قبل موعدها بشهرين" in served_here[paths[1]][1]
    return here


@pytest.mark.django_db(transaction=True)
def test_sqlite_round_trip(tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite round trip; the PostgreSQL run does its own")
    paths = build_site()
    backups = tmp_path / "backups"
    backups.mkdir()
    call_command("backup", str(backups), verbosity=0)
    archive = one_backup(backups)
    assert archive.stat().st_mode & 0o777 == 0o600  # it holds emails and password hashes

    site = tmp_path / "restored"
    env = base_env(site)
    result = murasil(["restore", str(archive)], env)
    assert "every checksum matches" in result.stdout
    assert "Restored" in result.stdout

    # Read both sides through plain sqlite3 connections (Django's converts dates and booleans).
    connection.ensure_connection()
    source = sqlite3.connect(tmp_path / "source.sqlite3")
    connection.connection.backup(source)
    restored = sqlite3.connect(site / "murasil.sqlite3")
    here = sqlite_tables(source)
    assert "search_articlefts" in here
    assert sqlite_tables(restored) == here
    source.close()
    restored.close()
    assert_same_site(paths, env, site / "media")


@pytest.mark.django_db(transaction=True)
def test_postgresql_round_trip(tmp_path):
    url = postgresql_url()
    paths = build_site()
    backups = tmp_path / "backups"
    backups.mkdir()
    call_command("backup", str(backups), verbosity=0)
    archive = one_backup(backups)

    db = connection.settings_dict
    fresh = f"{db['NAME']}_restored"
    with psycopg.connect(url, dbname="postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{fresh}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{fresh}"')
    try:
        site = tmp_path / "restored"
        env = base_env(site, DATABASE_URL=f"{url.rsplit('/', 1)[0]}/{fresh}")
        result = murasil(["restore", str(archive)], env)
        assert "Restored" in result.stdout
        backed_up = assert_same_site(paths, env, site / "media")

        # Restoring again over it needs --force, and keeps the replaced database under another name.
        refused = murasil(["restore", str(archive)], env, check=False)
        assert refused.returncode == 1
        assert "not empty" in refused.stderr
        forced = murasil(["restore", "--force", str(archive)], env)
        assert "_before_restore_" in forced.stdout
        assert dump_there(env) == backed_up  # the pages rendered since made renditions: those are gone again
    finally:
        with psycopg.connect(url, dbname="postgres", autocommit=True) as admin:
            for (name,) in admin.execute(
                "SELECT datname FROM pg_database WHERE datname LIKE %s", [f"{fresh}%"]
            ).fetchall():
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
