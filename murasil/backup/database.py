"""The database half of a backup: a consistent snapshot while the site runs, and putting one back.

SQLite: the online backup API copies the live database in one step (one read transaction, so the
copy is consistent; in WAL mode writers carry on meanwhile). PostgreSQL: pg_dump's custom format
(one snapshot), restored with pg_restore in a single transaction.
"""

import errno
import os
import re
import shutil
import sqlite3
import subprocess
import time
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, connection, connections

from .errors import BackupError

SQLITE_FILE = "database/murasil.sqlite3"
POSTGRESQL_FILE = "database/murasil.pgdump"
Migrations = dict[str, list[str]]
LOCKED_PATIENCE = 30  # seconds


def engine() -> str:
    if connection.vendor not in ("sqlite", "postgresql"):
        raise BackupError(f"backups support SQLite and PostgreSQL databases, not {connection.vendor}")
    return connection.vendor


def _migrations(rows) -> Migrations:
    applied: Migrations = {}
    for app, name in sorted(rows):
        applied.setdefault(app, []).append(name)
    return applied


def applied_migrations() -> Migrations:
    with connection.cursor() as cursor:
        cursor.execute("SELECT app, name FROM django_migrations")
        return _migrations(cursor.fetchall())


# SQLite ---------------------------------------------------------------------------------------------------
def snapshot_sqlite(dest: Path) -> tuple[dict, Migrations]:
    connection.ensure_connection()
    if connection.in_atomic_block:
        raise BackupError("a backup cannot be made inside a database transaction")
    target = sqlite3.connect(dest)
    deadline = time.monotonic() + LOCKED_PATIENCE

    def give_up_when_locked(status, remaining, total):
        # sqlite3 retries a locked source forever; a backup that cannot start should say so instead.
        if status in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED) and time.monotonic() > deadline:
            raise BackupError(f"the database stayed locked for {LOCKED_PATIENCE} s; try the backup again")

    try:
        # All pages in one step: one consistent read (in WAL mode writers carry on meanwhile).
        connection.connection.backup(target, progress=give_up_when_locked)
        target.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
        (check,) = target.execute("PRAGMA quick_check").fetchone()
        if check != "ok":
            raise BackupError(
                f"the database snapshot failed SQLite's integrity check ({check}): the database may be damaged"
            )
        migrations = _migrations(target.execute("SELECT app, name FROM django_migrations").fetchall())
    except sqlite3.OperationalError as error:
        if "disk is full" in str(error) or "disk I/O" in str(error):
            raise OSError(errno.ENOSPC, "No space left on device", str(dest)) from None
        raise BackupError(f"could not copy the SQLite database: {error}") from None
    finally:
        target.close()
    return {"engine": "sqlite", "file": SQLITE_FILE, "sqlite_version": sqlite3.sqlite_version}, migrations


def sqlite_path() -> Path:
    return Path(settings.DATABASES["default"]["NAME"])


def sqlite_is_empty(path: Path) -> bool:
    if connection.is_in_memory_db():
        return not connection.introspection.table_names()
    if not path.exists() or path.stat().st_size == 0:
        return True
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
            (tables,) = db.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()
    except sqlite3.DatabaseError:
        return False  # something that is not an empty database
    return tables == 0


def _move_file(source: Path, dest: Path) -> None:
    """Rename into place; across filesystems, copy beside the destination first, then rename."""
    try:
        os.replace(source, dest)
    except OSError as error:
        if error.errno != errno.EXDEV:
            raise
        partial = dest.with_name(f".{dest.name}.partial")
        shutil.copyfile(source, partial)
        os.replace(partial, dest)


def restore_sqlite(staged: Path, target: Path, stamp: str) -> Path | None:
    """Swap the staged database file in; an existing one (and its -wal/-shm) is renamed aside."""
    connections.close_all()
    target.parent.mkdir(parents=True, exist_ok=True)
    aside = None
    if target.exists():
        aside = target.with_name(f"{target.name}.before-restore-{stamp}")
        for suffix in ("-wal", "-shm", ""):
            old = target.with_name(target.name + suffix)
            if old.exists():
                os.replace(old, aside.with_name(aside.name + suffix))
    _move_file(staged, target)
    return aside


# PostgreSQL ------------------------------------------------------------------------------------------------
LIBPQ_OPTIONS = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "connect_timeout": "PGCONNECT_TIMEOUT",
    "service": "PGSERVICE",
    "passfile": "PGPASSFILE",
}


def libpq_env(database: str | None = None) -> dict:
    """The environment that points pg_dump / pg_restore at the site's database (no password in argv)."""
    conf = settings.DATABASES["default"]
    env = dict(os.environ)
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if conf.get(key):
            env[var] = str(conf[key])
    for option, var in LIBPQ_OPTIONS.items():
        if conf.get("OPTIONS", {}).get(option) is not None:
            env[var] = str(conf["OPTIONS"][option])
    env["PGDATABASE"] = database or conf["NAME"]
    return env


def _admin_connection():
    """A connection to the server's maintenance database, for creating and renaming databases."""
    import psycopg

    conf = settings.DATABASES["default"]
    params = {k.lower(): conf[k] for k in ("HOST", "PORT", "USER", "PASSWORD") if conf.get(k)}
    params.update({k: v for k, v in conf.get("OPTIONS", {}).items() if k in LIBPQ_OPTIONS})
    return psycopg.connect(dbname="postgres", autocommit=True, **params)


def pg_tool(name: str, server_major: int) -> tuple[str, int, str]:
    """Path, major version and version text of pg_dump / pg_restore; BackupError when missing."""
    path = shutil.which(name)
    hint = (
        f"install PostgreSQL's client tools, version {server_major} or newer "
        "(Debian: apt-get install postgresql-client)"
    )
    if not path:
        raise BackupError(f"{name} was not found on this machine's PATH: {hint}")
    output = subprocess.run([path, "--version"], capture_output=True, text=True, check=False).stdout  # noqa: S603
    match = re.search(r"(\d+)(?:\.(\d+))?", output)
    if not match:
        raise BackupError(f"could not tell the version of {path} (it printed {output.strip()!r}): {hint}")
    return path, int(match.group(1)), match.group(0)


def server_version() -> tuple[int, str]:
    connection.ensure_connection()
    number = connection.pg_version  # e.g. 150020
    major = number // 10000
    return major, f"{major}.{number % 10000}"


def _run(command: list[str], env: dict, what: str) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        message = result.stderr.strip() or f"exit status {result.returncode}"
        if "No space left on device" in message:
            raise OSError(errno.ENOSPC, "No space left on device", message)
        raise BackupError(f"{what} failed: {message}")


def dump_postgresql(dest: Path) -> tuple[dict, Migrations]:
    major, version = server_version()
    path, tool_major, tool_version = pg_tool("pg_dump", major)
    if tool_major < major:
        raise BackupError(
            f"pg_dump {tool_version} is older than the PostgreSQL {version} server it would back up; "
            f"install postgresql-client-{major} (pg_dump must be at least as new as the server)"
        )
    before = applied_migrations()
    # --compress=0: the archive around it is compressed already.
    _run([path, "--format=custom", "--compress=0", "--no-password", f"--file={dest}"], libpq_env(), "pg_dump")
    if applied_migrations() != before:
        raise BackupError("migrations ran while the backup was being made; run the backup again")
    info = {
        "engine": "postgresql",
        "file": POSTGRESQL_FILE,
        "server_version": version,
        "pg_dump_version": tool_version,
        "pg_dump_major": tool_major,
    }
    return info, before


def postgresql_is_empty() -> bool:
    name = settings.DATABASES["default"]["NAME"]
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')"
            )
            (tables,) = cursor.fetchone()
    except DatabaseError as error:
        first_line = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise BackupError(
            f"cannot open the PostgreSQL database {name!r} ({first_line}); "
            f"create it first (for example: createdb {name}) and check DATABASE_URL"
        ) from None
    return tables == 0


def restore_postgresql(staged: Path, info: dict, replace: bool, stamp: str) -> str | None:
    """pg_restore into the site's database, or with `replace` into a new one swapped in by renaming.

    Returns the name the previous database was kept under, if any."""
    major, _version = server_version()
    path, tool_major, tool_version = pg_tool("pg_restore", major)
    dump_major = int(info.get("pg_dump_major") or 0)
    if tool_major < dump_major:
        raise BackupError(
            f"this backup was written by pg_dump {info.get('pg_dump_version')}, which pg_restore {tool_version} "
            f"cannot read; install postgresql-client-{dump_major} or newer"
        )
    name = settings.DATABASES["default"]["NAME"]
    options = ["--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction", "--no-password"]
    connections.close_all()
    if not replace:
        _run([path, *options, f"--dbname={name}", str(staged)], libpq_env(name), "pg_restore")
        return None
    from psycopg import Error as PsycopgError
    from psycopg import sql

    # PostgreSQL cuts names at 63 bytes: shorten the site's name in the new ones rather than be cut.
    fresh = f"{name[: 63 - len(stamp) - 9]}_restore_{stamp}"
    aside = f"{name[: 63 - len(stamp) - 16]}_before_restore_{stamp}"
    with _admin_connection() as admin:
        row = admin.execute(
            "SELECT pg_encoding_to_char(encoding), datcollate, datctype FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if row is None:
            raise BackupError(f"the PostgreSQL database {name!r} does not exist; create it first (createdb {name})")
        admin.execute(
            sql.SQL("CREATE DATABASE {} TEMPLATE template0 ENCODING {} LC_COLLATE {} LC_CTYPE {}").format(
                sql.Identifier(fresh), *(sql.Literal(value) for value in row)
            )
        )
        try:
            _run([path, *options, f"--dbname={fresh}", str(staged)], libpq_env(fresh), "pg_restore")
            others = admin.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()", [name]
            ).fetchone()[0]
            if others:
                raise BackupError(
                    f"{others} other connection(s) use the database {name!r}: stop the site (murasil serve and any "
                    "other process using it), then run the restore again"
                )
            try:
                admin.execute(
                    sql.SQL("ALTER DATABASE {} RENAME TO {}").format(sql.Identifier(name), sql.Identifier(aside))
                )
            except PsycopgError as error:
                raise BackupError(
                    f"could not set the database {name!r} aside ({error}); stop the site and run the restore again"
                ) from None
            try:
                admin.execute(
                    sql.SQL("ALTER DATABASE {} RENAME TO {}").format(sql.Identifier(fresh), sql.Identifier(name))
                )
            except PsycopgError as error:
                # Put the site's own database back before giving up.
                admin.execute(
                    sql.SQL("ALTER DATABASE {} RENAME TO {}").format(sql.Identifier(aside), sql.Identifier(name))
                )
                raise BackupError(f"could not swap the restored database in ({error}); nothing was changed") from None
        except BaseException:
            for _attempt in range(3):
                try:
                    admin.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(fresh)))
                    break
                except PsycopgError:
                    time.sleep(1)
            raise
    return aside
