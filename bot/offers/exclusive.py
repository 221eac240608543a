"""One import at a time: `lotse offers import`, `sync-freinet` and the nightly sync.

Each import reads content/offers-imported.yaml, merges its source and writes the file
back. Two at once would each write their own merge and one would lose the other's offers
(or archive them). So every import holds an exclusive lock on content/.offers-import.lock
(`flock`: released by the kernel when the process ends, even when it is killed, so no
stale lock ever blocks the next night). The second import does not wait: it changes
nothing and says in German who holds the lock since when. The lock file also holds that
line; it stays in place (removing it would let two processes lock different files).
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from zoneinfo import ZoneInfo

from bot import clock

LOCK_FILE = ".offers-import.lock"
MANUAL = "manueller Import"
SYNC = "Freinet-Abgleich"
NIGHTLY = "nächtlicher Freinet-Abgleich"


class ImportLockError(Exception):
    """The lock could not be taken; the message says why, in German."""


class ImportBusy(ImportLockError):
    """Another import holds the lock; the message says which, in German."""


@contextmanager
def exclusive(content_dir: Path, what: str) -> Iterator[None]:
    """Hold the import lock while the block runs, or raise ImportBusy at once."""
    try:
        fd = os.open(content_dir / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:  # the folder is not writable: the import could not write either
        raise ImportLockError(
            f"{content_dir / LOCK_FILE}: Sperrdatei nicht anlegbar ({exc.strerror}) – "
            "Schreibrechte für den Inhaltsordner prüfen"
        ) from exc
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise ImportBusy(_busy(fd)) from None
        since = clock.now().astimezone(ZoneInfo(clock.REGION_TIMEZONE))
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{what} seit {since:%d.%m.%Y %H:%M} Uhr (Prozess {os.getpid()})".encode(), 0)
        yield
    finally:
        os.close(fd)  # releases the lock


def _busy(fd: int) -> str:
    holder = os.pread(fd, 300, 0).decode("utf-8", "replace").strip() or "ein anderer Import"
    return (
        f"Es läuft schon ein Import der Angebote ({holder}) – nichts geändert. Bitte warten, "
        "bis er fertig ist, und dann erneut starten."
    )
