"""Putting a backup back: check the target, unpack and verify everything, then swap it in.

Nothing of the site is touched until the whole archive has been read and every checksum matched.
The target must be empty (no database tables, no media files) unless `force`; then the current
data is renamed aside, never deleted, and the restored data takes its place by renaming.
"""

import os
import shutil
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, connections
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader

from . import archive, database
from .errors import BackupError

Say = Callable[[str], None]


def unknown_migrations(applied: dict[str, list[str]]) -> list[str]:
    """Migrations the backup's database has that this Murasil does not know: it came from a newer one."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    known = set(loader.disk_migrations)
    for migration in loader.disk_migrations.values():
        known.update(migration.replaces)
    return sorted(f"{app}.{name}" for app, names in applied.items() for name in names if (app, name) not in known)


def media_file_count(root: Path) -> int:
    return sum(1 for _ in archive.media_files(root))


def what_is_there(engine: str) -> list[str]:
    """What already holds data where the restore would write ([] when the target is empty)."""
    found = []
    if engine == "sqlite":
        path = database.sqlite_path()
        if not database.sqlite_is_empty(path):
            found.append(f"a database at {path}")
    elif not database.postgresql_is_empty():
        found.append(f"tables in the PostgreSQL database {settings.DATABASES['default']['NAME']!r}")
    files = media_file_count(Path(settings.MEDIA_ROOT))
    if files:
        found.append(f"{files} media file(s) in {settings.MEDIA_ROOT}")
    return found


def describe(manifest: dict) -> str:
    db = manifest["database"]
    media = manifest.get("media", {})
    return (
        f"made {manifest.get('created_at', '?')} by Murasil {manifest.get('murasil_version', '?')}: "
        f"{db['engine']} database, {media.get('files', 0)} media file(s) "
        f"({archive.human_size(media.get('bytes', 0))})"
    )


def restore(path: Path, *, force: bool, check_only: bool, progress: archive.Progress, say: Say) -> dict:
    engine = database.engine()
    if engine == "postgresql" and not check_only:
        database.pg_tool("pg_restore", database.server_version()[0])  # missing tools: say so before any work
    present = [] if check_only else what_is_there(engine)
    if present and not force:
        raise BackupError(
            f"the site is not empty ({'; '.join(present)}). Restore into an empty data folder and database, "
            "or add --force to replace what is there (it is kept aside, not deleted)"
        )
    media_root = Path(settings.MEDIA_ROOT)
    with archive.staging_folder(media_root) as staging:
        manifest = archive.unpack(path, staging, progress)
        if manifest["database"]["engine"] != engine:
            raise BackupError(
                f"{path} holds a {manifest['database']['engine']} database, but this site is set up for {engine} "
                "(DATABASE_URL); restore it into a site on the same kind of database"
            )
        newer = unknown_migrations(manifest["migrations"])
        if newer:
            shown = ", ".join(newer[:5]) + (f" and {len(newer) - 5} more" if len(newer) > 5 else "")
            raise BackupError(
                f"{path} comes from a newer Murasil: its database has migrations this one does not know ({shown}). "
                "Upgrade Murasil, then restore it"
            )
        say(f"Checked {path}: {describe(manifest)}; every checksum matches.")
        if check_only:
            return {"manifest": manifest, "aside": []}

        stamp = archive.stamp()
        aside = []
        staged_db = staging / manifest["database"]["file"]
        if engine == "sqlite":
            kept = database.restore_sqlite(staged_db, database.sqlite_path(), stamp)
            if kept:
                aside.append(str(kept))
        else:
            replace = bool(present) and not database.postgresql_is_empty()
            kept = database.restore_postgresql(staged_db, manifest["database"], replace, stamp)
            if kept:
                aside.append(f"PostgreSQL database {kept!r}")
        progress("database", 1, 1)

        staged_media = staging / "media"
        staged_media.mkdir(exist_ok=True)
        if media_root.exists():
            if media_file_count(media_root):
                kept_media = media_root.with_name(f"{media_root.name}.before-restore-{stamp}")
                os.replace(media_root, kept_media)
                aside.append(str(kept_media))
            else:
                shutil.rmtree(media_root)  # empty folders only
        os.replace(staged_media, media_root)
        progress("media", manifest["media"]["files"], manifest["media"]["files"])

    connections.close_all()
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        say(f"The backup is older than this Murasil: applying {len(plan)} migration(s).")
        try:
            call_command("migrate", interactive=False, verbosity=0)
        except (DatabaseError, CommandError) as error:
            raise BackupError(
                f"the backup was restored, but bringing its database up to date failed ({error}); the restored "
                "data is in place: fix the cause, then run `murasil migrate`"
            ) from None
    # Pages, menus and counters cached from before the restore describe other data.
    cache.clear()
    return {"manifest": manifest, "aside": aside, "migrated": len(plan)}
