"""Progress for the backup commands: a bar on a terminal, one line per finished phase otherwise."""

import sys
from typing import TextIO

LABELS = {"database": "Database", "media": "Media files", "check": "Checking archive"}


class Progress:
    def __init__(self, stream: TextIO = sys.stderr, quiet: bool = False) -> None:
        self.stream, self.quiet = stream, quiet
        self.tty = stream.isatty()
        self.current: str | None = None

    def __call__(self, phase: str, done: int, total: int) -> None:
        if self.quiet:
            return
        label = LABELS.get(phase, phase)
        if phase == "check":
            count = f"{100 * done // max(total, 1)}%"
        elif phase == "database":
            count = "done" if done >= total else "copying…"
        else:
            count = f"{done}/{total}"
        if self.tty:
            if self.current not in (None, phase):
                self.stream.write("\n")
            width = 30
            filled = width * done // max(total, 1)
            self.stream.write(f"\r{label:<18} [{'#' * filled}{'.' * (width - filled)}] {count}")
        elif done >= total and self.current != f"{phase}:done":
            self.stream.write(f"{label:<18} {count}\n")
            phase = f"{phase}:done"
        self.current = phase
        self.stream.flush()

    def end(self) -> None:
        if self.tty and self.current and not self.quiet:
            self.stream.write("\n")
            self.current = None
