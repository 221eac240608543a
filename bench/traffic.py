"""Simulated citizens against a bot process, through the fake Bot API over real HTTP.

Each citizen walks a path of messages and waits for the bot's answer to each before the next
one (a person reads the question first). Load comes in two shapes:

- open loop: messages go out at a fixed rate whatever the bot does (like people writing
  independently), so queueing shows up in the latency;
- closed loop: a fixed number of messages is in flight at any time; the rate the bot
  sustains is its maximum throughput.

Either way a citizen waits `think` seconds between its messages (people need time to read
and type; the bot also refuses more than about one message per second from one person), and
new citizens join whenever nobody is ready, so many conversations are open at once.

Latency is measured at the fake server: from the moment the update is handed to the bot
(the getUpdates answer that carries it, or the start of the webhook POST) to the moment the
bot's answer arrives. "End to end" starts when the citizen sends (in polling mode this adds
the time the update waits for the bot's next getUpdates).
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import statistics
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import aiohttp

from tests.fakes.telegram_api import FakeMessage, FakeTelegram

JsonDict = dict[str, Any]
REPLY_TIMEOUT = 60.0  # seconds; a message without an answer by then counts as lost


@dataclass(frozen=True)
class Step:
    """What a citizen sends, and a piece of the answer that completes the bot's reply."""

    text: str
    expect: str


def echo_path(path: tuple[Step, ...]) -> tuple[Step, ...]:
    """The same messages for the echo bot, whose answer is the message itself."""
    return tuple(Step(step.text, step.text) for step in path)


class TimedFake(FakeTelegram):
    """The fake Bot API server, noting when updates go out and when bot messages arrive."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        #: index into `calls` of a sendMessage / editMessageText -> time it arrived
        self.arrived: dict[int, float] = {}
        #: update_id -> time it was first handed to the bot by getUpdates
        self.handed_out: dict[int, float] = {}

    async def _send_message(self, params: JsonDict, index: int) -> JsonDict:
        self.arrived[index] = time.perf_counter()
        return await super()._send_message(params, index)

    async def _edit_message_text(self, params: JsonDict, index: int) -> JsonDict | bool:
        self.arrived[index] = time.perf_counter()
        return await super()._edit_message_text(params, index)

    async def _get_updates(self, params: JsonDict, index: int) -> list[JsonDict]:
        updates = await super()._get_updates(params, index)
        now = time.perf_counter()
        for update in updates:
            self.handed_out.setdefault(update["update_id"], now)
        return updates

    def text_update(self, user_id: int, text: str) -> JsonDict:
        """A private text message from `user_id`, with the next update id."""
        user = self.user(user_id, first_name=f"Person {user_id}")
        message = self._new_user_message(user.from_dict, user.chat, {"text": text})
        return {"update_id": next(self._update_ids), "message": message}


Deliver = Callable[[JsonDict], Awaitable[None]]


def polling_delivery(fake: TimedFake) -> Deliver:
    """The update waits at the fake until the bot fetches it with getUpdates."""

    async def deliver(update: JsonDict) -> None:
        fake.push_update(update)

    return deliver


class WebhookDelivery:
    """Telegram's side of a webhook: POST each update to the bot, with the secret."""

    def __init__(self, url: str, secret: str) -> None:
        self.url, self.secret = url, secret
        self.failed = 0
        self._http: aiohttp.ClientSession | None = None
        self._posts: set[asyncio.Task[None]] = set()

    async def __call__(self, update: JsonDict) -> None:
        # Not awaited by the citizen: it waits for the answer message, as a person would.
        task = asyncio.create_task(self._post(update))
        self._posts.add(task)
        task.add_done_callback(self._posts.discard)

    async def _post(self, update: JsonDict) -> None:
        if self._http is None:
            connector = aiohttp.TCPConnector(limit=200)
            self._http = aiohttp.ClientSession(connector=connector)
        headers = {"X-Telegram-Bot-Api-Secret-Token": self.secret}
        try:
            async with self._http.post(self.url, json=update, headers=headers) as response:
                if response.status != 200:
                    self.failed += 1
        except aiohttp.ClientError:
            self.failed += 1

    async def close(self) -> None:
        if self._posts:
            await asyncio.wait(self._posts, timeout=30)
        if self._http is not None:
            await self._http.close()


@dataclass
class Figures:
    """One measured run: counts, rate and latency (seconds in, milliseconds out)."""

    sent: int = 0
    answered: int = 0
    seconds: float = 0.0
    send_seconds: float = 0.0
    last_arrival: float = 0.0  # perf_counter() of the latest answer
    latencies: list[float] = field(default_factory=list)
    end_to_end: list[float] = field(default_factory=list)

    @property
    def updates_per_second(self) -> float:
        return self.answered / self.seconds if self.seconds else 0.0

    @property
    def offered_per_second(self) -> float:
        return self.sent / self.send_seconds if self.send_seconds else 0.0

    @property
    def unanswered(self) -> int:
        return self.sent - self.answered

    def latency_ms(self, quantile: float, end_to_end: bool = False) -> float:
        values = sorted(self.end_to_end if end_to_end else self.latencies)
        if not values:
            return float("nan")
        if quantile == 0.5:
            return statistics.median(values) * 1000
        return values[min(len(values) - 1, int(len(values) * quantile))] * 1000


class Citizens:
    """Everybody who writes to one bot: who is ready to send what, and the measurements."""

    def __init__(
        self,
        fake: TimedFake,
        deliver: Deliver,
        path: tuple[Step, ...],
        first_user: int,
        think: float = 2.0,
        timeout: float = REPLY_TIMEOUT,
    ) -> None:
        self.fake, self.deliver, self.path = fake, deliver, path
        self.think, self.timeout = think, timeout
        self._ready: list[tuple[float, int, int]] = []  # (ready at, user id, step index)
        self._new_users = itertools.count(first_user)

    def _take(self) -> tuple[int, int]:
        """The citizen who has waited longest and may write now, or a new one."""
        if self._ready and self._ready[0][0] <= time.perf_counter():
            _, user_id, step = heapq.heappop(self._ready)
            return user_id, step
        return next(self._new_users), 0

    def _line_up(self, user_id: int, step_index: int, answered_at: float) -> None:
        if step_index + 1 < len(self.path):
            heapq.heappush(self._ready, (answered_at + self.think, user_id, step_index + 1))

    async def _exchange(self, user_id: int, step_index: int, figures: Figures) -> float | None:
        """Send one message and wait for the answer; when it came (None: it did not)."""
        step = self.path[step_index]
        update = self.fake.text_update(user_id, step.text)
        mark = self.fake.mark()
        sent_at = time.perf_counter()
        figures.sent += 1
        await self.deliver(update)
        try:
            reply: FakeMessage = await self.fake.wait_for_text(
                user_id, step.expect, timeout=self.timeout, since=mark
            )
        except AssertionError:  # no answer in time: counted as unanswered
            return None
        arrived = self.fake.arrived.get(reply.touched_at, time.perf_counter())
        handed_out = self.fake.handed_out.get(update["update_id"], sent_at)
        figures.answered += 1
        figures.latencies.append(arrived - handed_out)
        figures.end_to_end.append(arrived - sent_at)
        figures.last_arrival = max(figures.last_arrival, arrived)
        return arrived

    async def _exchange_and_line_up(self, user_id: int, step_index: int, figures: Figures) -> None:
        arrived = await self._exchange(user_id, step_index, figures)
        if arrived is not None:  # a citizen left without an answer gives up
            self._line_up(user_id, step_index, arrived)

    async def open_loop(self, rate: float, seconds: float) -> Figures:
        """`rate` messages per second for `seconds`, whatever the bot does."""
        figures = Figures()
        count = max(1, int(rate * seconds))
        exchanges: list[asyncio.Task[None]] = []
        start = time.perf_counter()
        for n in range(count):
            delay = start + n / rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            exchange = self._exchange_and_line_up(*self._take(), figures)
            exchanges.append(asyncio.create_task(exchange))
        figures.send_seconds = time.perf_counter() - start
        await asyncio.gather(*exchanges)
        figures.seconds = time.perf_counter() - start
        return figures

    async def closed_loop(self, in_flight: int, seconds: float) -> Figures:
        """Keep `in_flight` messages waiting for an answer, for `seconds`."""
        figures = Figures()
        start = time.perf_counter()
        deadline = start + seconds

        async def writer() -> None:
            while time.perf_counter() < deadline:
                await self._exchange_and_line_up(*self._take(), figures)

        await asyncio.gather(*(writer() for _ in range(in_flight)))
        figures.seconds = figures.send_seconds = time.perf_counter() - start
        return figures

    async def first_messages(self, count: int, in_flight: int) -> Figures:
        """`count` new citizens each send their first message (opens `count` conversations)."""
        figures = Figures()
        remaining = iter(range(count))
        start = time.perf_counter()

        async def writer() -> None:
            for _ in remaining:
                await self._exchange(next(self._new_users), 0, figures)

        await asyncio.gather(*(writer() for _ in range(in_flight)))
        figures.seconds = figures.send_seconds = time.perf_counter() - start
        return figures

    async def walk(self, count: int) -> Figures:
        """`count` new citizens walk the whole path at once, `think` seconds between steps."""
        figures = Figures()
        start = time.perf_counter()

        async def citizen(user_id: int) -> None:
            for step_index in range(len(self.path)):
                if await self._exchange(user_id, step_index, figures) is None:
                    return
                await asyncio.sleep(self.think)

        await asyncio.gather(*(citizen(next(self._new_users)) for _ in range(count)))
        figures.seconds = figures.send_seconds = time.perf_counter() - start
        return figures
