"""One backup archive: a gzip-compressed tar holding the database, the media folder and a manifest.

    database/murasil.sqlite3 | database/murasil.pgdump
    media/<every file under MEDIA_ROOT>
    manifest.json   (last: it lists every other member with its size and SHA-256, hashed as written)

Writing happens in a hidden working folder inside the target folder; the finished archive is
fsynced and linked to its final name only when complete, so a crash or a full disk never leaves a
file that looks like a backup. Reading unpacks into a staging folder and checks the manifest and
every checksum before anything of the site is touched.
"""

import contextlib
import datetime
import gzip
import hashlib
import io
import json
import os
import shutil
import tarfile
import tempfile
import time
import zlib
from collections.abc import Callable, Iterator
from importlib import metadata
from pathlib import Path, PurePosixPath

from django.conf import settings

from . import database
from .errors import BackupError

FORMAT = "murasil-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
SUFFIXES = (".tar.gz", ".tgz")
CHUNK = 1 << 20
MAX_MANIFEST = 64 * 2**20
Progress = Callable[[str, int, int], None]


def murasil_version() -> str:
    try:
        return metadata.version("murasil")
    except metadata.PackageNotFoundError:
        return "unknown"


def human_size(size: float) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size:.1f} TB"  # unreachable, for type checkers


class _Hashing:
    """Reads through a file, hashing and counting what passes."""

    def __init__(self, handle) -> None:
        self.handle = handle
        self.sha256 = hashlib.sha256()
        self.size = 0

    def read(self, size: int = -1) -> bytes:
        data = self.handle.read(size)
        self.sha256.update(data)
        self.size += len(data)
        return data


class _Counting:
    """Counts the compressed bytes read, for progress over a whole archive."""

    def __init__(self, handle) -> None:
        self.handle = handle
        self.done = 0

    def read(self, size: int = -1) -> bytes:
        data = self.handle.read(size)
        self.done += len(data)
        return data


# Writing -------------------------------------------------------------------------------------------------
def target_file(path: str | Path, now: datetime.datetime) -> Path:
    """A folder gets a dated file name inside it; a name ending in .tar.gz is used as it is."""
    path = Path(path).expanduser().absolute()
    if path.is_dir():
        return path / f"murasil-backup-{now:%Y%m%d-%H%M%S}.tar.gz"
    if not path.name.endswith(SUFFIXES):
        raise BackupError(f"{path} is neither an existing folder nor a file name ending in .tar.gz")
    if not path.parent.is_dir():
        raise BackupError(f"the folder {path.parent} does not exist")
    return path


def media_files(root: Path) -> Iterator[tuple[Path, str]]:
    """Every regular file under MEDIA_ROOT, in a stable order, with its path inside the archive."""
    if not root.is_dir():
        return
    for folder, dirs, files in os.walk(root):
        dirs.sort()
        for name in sorted(files):
            path = Path(folder) / name
            if path.is_file() and not path.is_symlink():
                yield path, "media/" + path.relative_to(root).as_posix()


def _add(tar: tarfile.TarFile, source: Path, name: str) -> dict:
    with source.open("rb") as handle:
        stat = os.fstat(handle.fileno())  # of the file now open: a later delete or rename cannot race it
        info = tarfile.TarInfo(name)
        info.size, info.mtime, info.mode = stat.st_size, int(stat.st_mtime), 0o644
        hashing = _Hashing(handle)
        try:
            tar.addfile(info, hashing)
        except OSError as error:
            if "unexpected end of data" in str(error):
                raise BackupError(f"{source} shrank while it was being backed up; run the backup again") from None
            raise
    return {"path": name, "size": hashing.size, "sha256": hashing.sha256.hexdigest()}


def write_backup(path: str | Path, progress: Progress) -> tuple[Path, dict]:
    now = datetime.datetime.now(datetime.UTC).replace(microsecond=0)
    final = target_file(path, now)
    if final.exists():
        raise BackupError(f"{final} already exists; choose another name (a backup is never overwritten)")
    engine = database.engine()
    work = Path(tempfile.mkdtemp(prefix=".murasil-backup-", suffix=".partial", dir=final.parent))
    try:
        progress("database", 0, 1)
        if engine == "sqlite":
            snapshot = work / "murasil.sqlite3"
            db_info, migrations = database.snapshot_sqlite(snapshot)
        else:
            snapshot = work / "murasil.pgdump"
            db_info, migrations = database.dump_postgresql(snapshot)
        progress("database", 1, 1)

        media_root = Path(settings.MEDIA_ROOT)
        media = list(media_files(media_root))
        total = snapshot.stat().st_size + sum(p.stat().st_size for p, _ in media if p.exists())
        partial = work / "archive.tar.gz"
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)  # it holds emails and password hashes
        entries = []
        with os.fdopen(fd, "wb") as raw:
            with tarfile.open(fileobj=raw, mode="w:gz", compresslevel=6, format=tarfile.PAX_FORMAT) as tar:
                entries.append(_add(tar, snapshot, db_info["file"]))
                snapshot.unlink()  # its bytes are in the archive now; free the space for the media
                done = entries[0]["size"]
                progress("media", 0, len(media))
                for index, (source, name) in enumerate(media, 1):
                    try:
                        entries.append(_add(tar, source, name))
                    except FileNotFoundError:
                        continue  # deleted since the folder was listed: it is not part of this snapshot
                    done += entries[-1]["size"]
                    progress("media", index, len(media))
                manifest = {
                    "format": FORMAT,
                    "format_version": FORMAT_VERSION,
                    "murasil_version": murasil_version(),
                    "created_at": now.isoformat().replace("+00:00", "Z"),
                    "database": db_info,
                    "migrations": migrations,
                    "media": {"files": len(entries) - 1, "bytes": done - entries[0]["size"]},
                    "files": entries,
                }
                data = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size, info.mtime, info.mode = len(data), int(now.timestamp()), 0o644
                tar.addfile(info, io.BytesIO(data))
            raw.flush()
            os.fsync(raw.fileno())
        _publish(partial, final)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return final, {"manifest": manifest, "bytes": final.stat().st_size, "total": total}


def _publish(partial: Path, final: Path) -> None:
    """Give the finished archive its name, never replacing a file, and make the name durable."""
    try:
        os.link(partial, final)
    except FileExistsError:
        raise BackupError(f"{final} appeared while the backup was being written; it was left alone") from None
    except OSError:  # a filesystem without hard links
        if final.exists():
            raise BackupError(f"{final} appeared while the backup was being written; it was left alone") from None
        os.rename(partial, final)
    directory = os.open(final.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


# Reading -------------------------------------------------------------------------------------------------
def _safe_member_name(name: str) -> str | None:
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        return None
    clean = path.as_posix()
    if clean == MANIFEST or clean.startswith(("database/", "media/")) and len(path.parts) > 1:
        return clean
    return None


def unpack(archive: Path, staging: Path, progress: Progress) -> dict:
    """Unpack into `staging` and check it whole; return the manifest. BackupError on any problem."""
    if not archive.is_file():
        raise BackupError(f"{archive} does not exist or is not a file")
    size = archive.stat().st_size
    found: dict[str, tuple[int, str]] = {}
    manifest_bytes = None
    members = 0
    try:
        with archive.open("rb") as raw:
            counting = _Counting(raw)
            with tarfile.open(fileobj=counting, mode="r|gz") as tar:
                for member in tar:
                    members += 1
                    name = _safe_member_name(member.name)
                    if name is None or not member.isreg():
                        raise BackupError(
                            f"{archive} holds {member.name!r}, which no Murasil backup contains: "
                            "it is not a Murasil backup, or it was tampered with; nothing was changed"
                        )
                    if name in found or (name == MANIFEST and manifest_bytes is not None):
                        raise BackupError(f"{archive} holds {name} twice: it is damaged; nothing was changed")
                    source = tar.extractfile(member)
                    if name == MANIFEST:
                        if member.size > MAX_MANIFEST:
                            raise BackupError(f"{archive}: its manifest is implausibly large; nothing was changed")
                        manifest_bytes = source.read()
                        continue
                    dest = staging / name
                    dest.parent.mkdir(parents=True, exist_ok=True)
                    hashing = _Hashing(source)
                    with dest.open("xb") as out:
                        while chunk := hashing.read(CHUNK):
                            out.write(chunk)
                    os.utime(dest, (member.mtime, member.mtime))
                    found[name] = (hashing.size, hashing.sha256.hexdigest())
                    progress("check", counting.done, size)
    except (tarfile.TarError, EOFError, zlib.error, gzip.BadGzipFile) as error:
        if members == 0:
            raise BackupError(
                f"{archive} is not a Murasil backup: it is not a readable .tar.gz archive ({error})"
            ) from None
        raise BackupError(
            f"{archive} is damaged or incomplete ({error}); nothing was changed. "
            "Was it copied whole? Compare its size with the original."
        ) from None
    progress("check", size, size)
    if manifest_bytes is None:
        raise BackupError(f"{archive} has no manifest.json: it is incomplete or not a Murasil backup")
    manifest = parse_manifest(manifest_bytes, archive)
    listed = {}
    for entry in manifest["files"]:
        listed[entry["path"]] = entry
        if entry["path"] not in found:
            raise BackupError(f"{archive}: {entry['path']} is listed in the manifest but missing; nothing was changed")
        if found[entry["path"]] != (entry["size"], entry["sha256"]):
            raise BackupError(
                f"{archive}: {entry['path']} does not match its SHA-256 checksum in the manifest: "
                "the archive is damaged; nothing was changed"
            )
    extra = sorted(set(found) - set(listed))
    if extra:
        raise BackupError(f"{archive} holds {extra[0]}, which its manifest does not list: it was tampered with")
    if manifest["database"].get("file") not in listed:
        raise BackupError(f"{archive} holds no database: it is incomplete; nothing was changed")
    return manifest


def parse_manifest(data: bytes, archive: Path) -> dict:
    try:
        manifest = json.loads(data)
    except ValueError:
        raise BackupError(f"{archive}: its manifest is not valid JSON: the archive is damaged") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{archive} is not a Murasil backup (its manifest names no Murasil backup format)")
    version = manifest.get("format_version")
    if not isinstance(version, int) or version < 1:
        raise BackupError(f"{archive}: unknown backup format version {version!r}")
    if version > FORMAT_VERSION:
        raise BackupError(
            f"{archive} was made by a newer Murasil ({manifest.get('murasil_version', '?')}, backup format version "
            f"{version}); this Murasil ({murasil_version()}) reads format version {FORMAT_VERSION}. "
            "Upgrade Murasil, then restore it"
        )
    if not _well_formed(manifest):
        raise BackupError(f"{archive}: its manifest is incomplete: the archive is damaged")
    return manifest


def _well_formed(manifest: dict) -> bool:
    try:
        return (
            isinstance(manifest["database"]["engine"], str)
            and isinstance(manifest["migrations"], dict)
            and all(
                isinstance(e["path"], str) and isinstance(e["size"], int) and len(e["sha256"]) == 64
                for e in manifest["files"]
            )
        )
    except (KeyError, TypeError):
        return False


@contextlib.contextmanager
def staging_folder(beside: Path) -> Iterator[Path]:
    """A private folder next to `beside` (same filesystem, so the swap is a rename), removed after."""
    beside.parent.mkdir(parents=True, exist_ok=True)
    path = Path(tempfile.mkdtemp(prefix=f".{beside.name}.murasil-restore-", dir=beside.parent))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def stamp() -> str:
    return time.strftime("%Y%m%d%H%M%S")
