"""Media storage that never leaves a half-written file behind.

Django's FileSystemStorage creates the file, then writes it chunk by chunk; when a write fails (disk
full, I/O error) the truncated file stays, under a name no database row points at, and a later
upload may even be served from it. This storage removes the file it was writing before the error
goes up.
"""

import contextlib
import os
import threading

from django.core.files.storage import FileSystemStorage


class SafeFileSystemStorage(FileSystemStorage):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._writing = threading.local()

    def get_available_name(self, name, max_length=None):
        name = super().get_available_name(name, max_length=max_length)
        if getattr(self._writing, "active", False):
            self._writing.name = name  # _save() picks another name when its first one got taken
        return name

    def _save(self, name, content):
        self._writing.active, self._writing.name = True, name
        try:
            return super()._save(name, content)
        except FileExistsError:
            raise  # "… exists and is not a directory": nothing of ours was created
        except OSError:
            # The file was created exclusively (O_EXCL) by this call, so it is ours to remove; with
            # overwriting allowed it may be an older file, which is left alone.
            if not self._allow_overwrite:
                with contextlib.suppress(OSError):
                    os.remove(self.path(self._writing.name))
            raise
        finally:
            self._writing.active = False
