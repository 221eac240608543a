"""Hot reload: the running bot picks up changed content and knowledge without a restart.

Coordinators edit YAML (or an import rewrites offers-imported.yaml); a periodic `check()`
notices the change, loads everything and switches the engine over. A broken version never
replaces the last good one: the bot keeps working, the error lines go to the log, and the
coordinators are told once per broken version through the outbox (so several bot
processes, or a restart, still deliver it; it is written in a transaction like every other
notification).
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from bot import clock
from bot.content.loader import load_content
from bot.content.model import Content, ContentError
from bot.leads.routing import COORDINATION_ID
from bot.messages import Message, Notification, Recipient
from bot.store import repo
from bot.store.db import Database

log = logging.getLogger(__name__)
Outcome = Literal["unchanged", "reloaded", "failed"]
MAX_PROBLEMS = 20  # lines in the coordinators' message; the log gets all


@dataclass(frozen=True)
class Sources:
    """Where content lives; the watcher looks at every *.yaml in both folders."""

    content_dir: Path
    knowledge_dir: Path
    faq_max_age_days: int = 365

    def files(self) -> list[Path]:
        return sorted([*self.content_dir.glob("*.yaml"), *self.knowledge_dir.glob("*.yaml")])


class ContentWatcher:
    """Compares the content files with the last version seen; reloads when they change.

    `current` gives the content in use (its texts word the failure notice) and `apply`
    switches to new content, e.g. `DialogEngine.replace_content`.
    """

    def __init__(
        self,
        sources: Sources,
        db: Database,
        current: Callable[[], Content],
        apply: Callable[[Content], None],
        settle_seconds: float = 2.0,
    ) -> None:
        self.sources, self.db, self.current, self.apply = sources, db, current, apply
        # A file written this recently may be half-saved by an editor: look again next time.
        self.settle_seconds = settle_seconds
        self._stamp = self._stamps()
        self._version = self._digest()  # what was loaded at start
        self._reported: str | None = None  # the broken version the coordinators know of

    def _stamps(self) -> tuple[tuple[str, int, int], ...]:
        """Cheap first look: name, size and modification time of every file."""
        stamps = []
        for path in self.sources.files():
            try:
                stat = path.stat()
            except FileNotFoundError:  # deleted between glob and stat
                continue
            stamps.append((str(path), stat.st_size, stat.st_mtime_ns))
        return tuple(stamps)

    def _digest(self) -> str:
        """The version: a hash of names and bytes, so a touched but equal file is no change."""
        digest = hashlib.sha256()
        for path in self.sources.files():
            digest.update(str(path).encode() + b"\0")
            try:
                with path.open("rb") as file:  # in pieces: an import file can be 50 MB
                    while chunk := file.read(1 << 20):
                        digest.update(chunk)
            except FileNotFoundError:
                continue
            digest.update(b"\0")
        return digest.hexdigest()

    async def check(self, settle: bool = True) -> Outcome:
        """Reload when something changed; never raises for broken content.

        `settle=False` skips the wait for fresh files, for writers that replace files
        atomically (the importer).
        """
        stamp = self._stamps()
        if stamp == self._stamp:
            return "unchanged"
        age = clock.file_time() - max((mtime for _, _, mtime in stamp), default=0) / 1e9
        if settle and 0 <= age < self.settle_seconds:  # a future mtime (clock skew) counts as old
            return "unchanged"
        self._stamp = stamp
        version = self._digest()
        if version == self._version:
            return "unchanged"
        try:
            content = await asyncio.to_thread(self._load)
        except ContentError as exc:
            await self._failed(version, exc)
            return "failed"
        self.apply(content)
        self._version, self._reported = version, None
        log.info("content reloaded (%s)", version[:12])
        return "reloaded"

    def _load(self) -> Content:
        return load_content(
            self.sources.content_dir,
            self.sources.knowledge_dir,
            faq_max_age_days=self.sources.faq_max_age_days,
        )

    async def _failed(self, version: str, exc: ContentError) -> None:
        errors = [str(p) for p in exc.problems if p.severity == "error"]
        # Content files hold no personal data; the lines name file, line and the fix.
        log.error("content not reloaded, keeping the last good version:\n%s", "\n".join(errors))
        if version == self._reported:
            return
        content = self.current()
        text = content.text(
            "reload_failed", content.languages[0], problems="\n".join(errors[:MAX_PROBLEMS])
        )
        notice = Notification(Recipient("coordinator", COORDINATION_ID, ""), Message(text))
        async with self.db.session() as session, session.begin():
            repo.queue_notifications(session, [notice])
        self._reported = version
