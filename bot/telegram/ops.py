"""/health and /metrics: on the webhook server, and in polling mode on METRICS_PORT.

`GET /health` answers 200 `{"status": "ok", ...}` when the process runs and its database
answers within a few seconds, else 503 (a load balancer then sends updates elsewhere; the
Docker HEALTHCHECK marks the container unhealthy). `GET /metrics` is the Prometheus text
format (bot/telegram/metrics.py). Neither says anything about a person, but the numbers
say how the installation runs: with a token, /metrics answers only
`Authorization: Bearer <METRICS_TOKEN>` (401 otherwise); /health stays open for load
balancers and the Docker HEALTHCHECK.
"""

from __future__ import annotations

import asyncio
import hmac
import logging

from aiohttp import web
from sqlalchemy import text

from bot.store.db import Database
from bot.telegram.metrics import CONTENT_TYPE, Metrics

log = logging.getLogger(__name__)
DB_TIMEOUT = 3.0  # seconds; a health check must answer before the checker gives up


class OpsEndpoints:
    def __init__(self, db: Database, metrics: Metrics, mode: str, token: str | None = None) -> None:
        self.db, self.metrics, self.mode = db, metrics, mode
        self._token = token

    def register(self, app: web.Application) -> None:
        app.router.add_get("/health", self.health)
        app.router.add_get("/metrics", self.scrape)

    async def health(self, _request: web.Request) -> web.Response:
        database = "ok" if await self._database_answers() else "unreachable"
        status = "ok" if database == "ok" else "degraded"
        return web.json_response(
            {"status": status, "mode": self.mode, "database": database},
            status=200 if status == "ok" else 503,
        )

    async def _database_answers(self) -> bool:
        try:
            async with asyncio.timeout(DB_TIMEOUT), self.db.engine.connect() as connection:
                await connection.execute(text("select 1"))
        except Exception as exc:  # any failure means: not healthy; the type is enough
            log.warning("health check: database not answering (%s)", type(exc).__name__)
            return False
        return True

    def _allowed(self, request: web.Request) -> bool:
        if self._token is None:
            return True
        given = request.headers.get("Authorization", "")
        return hmac.compare_digest(given.encode(), f"Bearer {self._token}".encode())

    async def scrape(self, request: web.Request) -> web.Response:
        """The process's counters always; the database gauges when it answers in time."""
        if not self._allowed(request):
            return web.Response(
                status=401,
                text="METRICS_TOKEN erforderlich\n",
                headers={"WWW-Authenticate": "Bearer"},
            )
        try:
            async with asyncio.timeout(DB_TIMEOUT):
                await self.metrics.refresh(self.db)
        except Exception as exc:
            log.warning("metrics: database not answering (%s)", type(exc).__name__)
            self.metrics.database_up.set(0)
        else:
            self.metrics.database_up.set(1)
        response = web.Response(body=self.metrics.render())
        response.headers["Content-Type"] = CONTENT_TYPE
        return response

    async def serve(self, host: str, port: int) -> web.AppRunner:
        """A small server of its own (polling mode, or a port apart from the webhook)."""
        app = web.Application()
        self.register(app)
        runner = web.AppRunner(app, access_log=None)  # scrapes every few seconds: no noise
        await runner.setup()
        await web.TCPSite(runner, host, port).start()
        log.info("health and metrics on %s:%s", host, port)
        return runner
