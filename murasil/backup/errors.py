import errno


class BackupError(Exception):
    """A backup or restore cannot go on; the message says why, in plain English, for the CLI."""


def is_disk_full(error: BaseException) -> bool:
    return isinstance(error, OSError) and error.errno in (errno.ENOSPC, errno.EDQUOT)
