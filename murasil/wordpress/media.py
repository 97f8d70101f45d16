"""Finding an export's uploads (a folder or a tarball of wp-content/uploads) and storing them.

Images become Wagtail images (alt text in `description`, which Wagtail uses as the default alt);
other attachments (PDFs…) become Wagtail documents. A file that cannot be found, or that is not the
image it claims to be, is reported and skipped: the article that uses it is still imported.
"""

import io
import posixpath
import re
import tarfile
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.core.files.base import ContentFile
from django.core.files.images import ImageFile

MAX_UPLOAD_BYTES = 50 * 1024 * 1024
UPLOADS_MARKER = re.compile(r"(?:^|/)(?:wp-content/)?uploads/(?:sites/\d+/)?")
SIZE_SUFFIX = re.compile(r"-\d+x\d+(?=\.[A-Za-z0-9]+$)")


class MediaError(Exception):
    """This upload cannot be imported; the message says why, in plain words."""


def relative_upload_path(attached_file: str, url: str) -> str:
    """The path inside the uploads folder: `_wp_attached_file`, or taken from the address."""
    if attached_file:
        return unquote(attached_file).lstrip("/")
    parts = urlsplit(url)
    path = unquote(parts.path).lstrip("/")
    match = UPLOADS_MARKER.search(path)
    if match:
        return path[match.end() :]
    return path  # e.g. WordPress.com's files.wordpress.com/2010/08/photo.jpg


def unsized(url: str) -> str:
    """photo-300x200.jpg → photo.jpg: WordPress's resized copies name the original."""
    return SIZE_SUFFIX.sub("", url)


class MediaSource:
    """The uploads given with --media: a folder or a .tar/.tar.gz/.tgz of one."""

    def __init__(self, location: str | Path | None) -> None:
        self.location = Path(location) if location else None
        self.tar: tarfile.TarFile | None = None
        self.members: dict[str, tarfile.TarInfo] = {}
        if self.location is None:
            return
        if not self.location.exists():
            raise MediaError(f"media location {self.location} does not exist")
        if self.location.is_file():
            try:
                self.tar = tarfile.open(self.location)  # noqa: SIM115 - kept open for the whole import
            except tarfile.TarError as error:
                raise MediaError(f"{self.location} is neither a folder nor a readable tar archive: {error}") from None
            for member in self.tar:
                if member.isfile():
                    name = member.name.lstrip("./")
                    match = UPLOADS_MARKER.search(name)
                    self.members[name[match.end() :] if match else name] = member
            self.tar.members = []  # the index above is all that is needed; free tarfile's own list

    @property
    def available(self) -> bool:
        return self.location is not None

    def read(self, relative: str) -> bytes | None:
        relative = posixpath.normpath(relative).lstrip("/")
        if relative.startswith(".."):
            return None  # never outside the uploads folder
        if self.tar is not None:
            member = self.members.get(relative)
            if member is None:
                return None
            if member.size > MAX_UPLOAD_BYTES:
                raise MediaError(f"{relative} is larger than {MAX_UPLOAD_BYTES // 2**20} MB")
            handle = self.tar.extractfile(member)
            return handle.read() if handle else None
        for base in (self.location, self.location / "wp-content" / "uploads", self.location / "uploads"):
            candidate = base / relative
            if candidate.is_file():
                if candidate.stat().st_size > MAX_UPLOAD_BYTES:
                    raise MediaError(f"{relative} is larger than {MAX_UPLOAD_BYTES // 2**20} MB")
                return candidate.read_bytes()
        return None

    def close(self) -> None:
        if self.tar is not None:
            self.tar.close()


def check_image(data: bytes, name: str) -> bytes:
    """The photo as it will be stored: verified like an admin upload, its location removed."""
    from murasil.images.uploads import UnsafeImage, strip_location, verify_image

    try:
        verify_image(data)
        return strip_location(data)
    except UnsafeImage as error:
        raise MediaError(f"{name}: {error}") from None


def is_image_name(name: str) -> bool:
    return name.lower().rsplit(".", 1)[-1] in {"jpg", "jpeg", "png", "gif", "webp", "avif", "heic", "heif"}


def create_image(data: bytes, name: str, title: str, alt: str, pk: int | None):
    from wagtail.images import get_image_model
    from wagtail.models import Collection

    data = check_image(data, name)
    image = get_image_model()(
        title=title[:255] or name,
        description=alt[:255],
        collection=Collection.get_first_root_node(),
        file=ImageFile(io.BytesIO(data), name=posixpath.basename(name)),
    )
    if pk is not None:
        image.pk = pk
    image.save()
    return image


def create_document(data: bytes, name: str, title: str):
    from wagtail.documents import get_document_model
    from wagtail.models import Collection

    if name.lower().endswith((".svg", ".html", ".htm", ".js", ".php", ".exe")):
        raise MediaError(f"{name} is a kind of file that is not imported (it could run in a reader's browser)")
    document = get_document_model()(
        title=title[:255] or name,
        collection=Collection.get_first_root_node(),
        file=ContentFile(data, name=posixpath.basename(name)),
    )
    document.save()
    return document
