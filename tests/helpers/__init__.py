"""What test modules share: paths, drivers and small helpers. Fixtures live in
tests/conftest.py (which imports from here); no test module imports another test module.

- ``tests.helpers.chat``: ``Chat`` (drives the core) and ``run_lotse`` (the CLI as a process)
- ``tests.helpers.telegram``: a ``TelegramApp`` in this loop (``Running``), ``lotse run`` as a
  process, the citizen's path through the fake Bot API (``tests/fakes/telegram_api.py``)
- ``tests.helpers.web``: a real web chat server and a client that behaves like its page
- ``tests.helpers.leads``: a Lotse joining, the outbox's rows
- ``tests.helpers.offers``: a Verein entering an offer in the chat
- ``tests.helpers.content_tree``: a private copy of content/ to break, and finding problems
- ``tests.helpers.backend``: ``Backend``, a database URL with its SQLite driver switch
- ``tests.helpers.tools``: system programs a test needs (skip locally, fail in CI)
"""

from __future__ import annotations

import os
import socket
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
# The tests' own small content set (content/ and knowledge/ inside), see tests/conftest.py.
SMALL_CONTENT = ROOT / "tests" / "content"
POSTGRES_URL = os.environ.get(
    "TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
