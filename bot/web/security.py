"""Sessions without accounts, CSRF tokens, origin checks and rate limits for the web chat.

A session is a random 128-bit token in an HttpOnly cookie, followed by its signature with
the installation's session key: only sessions the server issued are valid, so a value
the client chose (session fixation) is replaced by a new session. The database never
sees the token: the person's id there and the CSRF token are both derived from it by
hashing, so a copy of the database cannot be turned into a session.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
import time
from collections import deque
from collections.abc import Callable, Iterable
from urllib.parse import urlsplit

_TOKEN = re.compile(r"^[A-Za-z0-9_-]{44}$")  # token_urlsafe(16) + its signature
_PAYLOAD = re.compile(r"^[A-Za-z0-9_-]{1,64}$")  # a deep-link payload, as on Telegram
_DEFAULT_PORTS = {"http": 80, "https": 443}


SESSION_KEY = "web_session"  # the installation secret that signs sessions


def _signature(key: str, random_part: str) -> str:
    digest = hmac.new(key.encode(), f"session:{random_part}".encode(), hashlib.sha256)
    return base64.urlsafe_b64encode(digest.digest()).decode()[:22]


def new_session(key: str) -> str:
    random_part = secrets.token_urlsafe(16)
    return random_part + _signature(key, random_part)


def valid_session(token: str | None, key: str) -> bool:
    """Issued by this installation (signed with its key), not chosen by the client."""
    if not token or not _TOKEN.match(token):
        return False
    return hmac.compare_digest(token[22:], _signature(key, token[:22]))


def valid_payload(payload: str) -> bool:
    return bool(_PAYLOAD.match(payload))


def person_id(token: str) -> str:
    """The person's id on the channel 'web' (users.external_id)."""
    return hashlib.sha256(f"person:{token}".encode()).hexdigest()[:40]


def csrf_token(token: str) -> str:
    """Put into the page; sent back as X-CSRF-Token. Unknowable without the cookie."""
    return hashlib.sha256(f"csrf:{token}".encode()).hexdigest()


def csrf_ok(token: str, sent: str | None) -> bool:
    return bool(sent) and hmac.compare_digest(csrf_token(token), sent or "")


def origin_of(url: str) -> str | None:
    """'https://Example.org:443/x' → 'https://example.org'; None for anything else."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in _DEFAULT_PORTS or not parts.hostname:
        return None
    host = parts.hostname.lower()
    if ":" in host:  # IPv6
        host = f"[{host}]"
    if port and port != _DEFAULT_PORTS[parts.scheme]:
        host = f"{host}:{port}"
    return f"{parts.scheme}://{host}"


def origin_allowed(origin: str | None, referer: str | None, allowed: Iterable[str]) -> bool:
    """The request comes from one of our pages: Origin, or else Referer, must be allowed.

    Browsers send Origin with every POST and every fetch() that carries our header; a
    request with neither header is refused.
    """
    sent = origin_of(origin) if origin and origin != "null" else None
    if sent is None and referer:
        sent = origin_of(referer)
    known = {o for o in (origin_of(a) for a in allowed) if o}
    return sent is not None and sent in known


class RateLimiter:
    """At most `limit` events per `window` seconds per key (a sliding log, in memory).

    Per process: with several processes behind a load balancer each counts on its own.
    """

    def __init__(
        self, limit: int, window: float = 60.0, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.limit, self.window, self.clock = limit, window, clock
        self._seen: dict[str, deque[float]] = {}

    def allow(self, key: str) -> bool:
        now = self.clock()
        log = self._seen.setdefault(key, deque())
        while log and log[0] <= now - self.window:
            log.popleft()
        if len(log) >= self.limit:
            return False
        log.append(now)
        if len(self._seen) > 10_000:
            self._forget_idle(now)
        return True

    def _forget_idle(self, now: float) -> None:
        for key in [k for k, log in self._seen.items() if not log or log[-1] <= now - self.window]:
            del self._seen[key]
