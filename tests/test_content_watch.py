"""Hot reload (bot/runtime/watch.py): changed content is picked up without a restart, a
broken version never replaces the last good one, and the coordinators hear of each broken
version exactly once, through the outbox."""

from __future__ import annotations

import asyncio
import os
import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp import web
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlalchemy import select

from bot.config import Settings
from bot.content.loader import load_content
from bot.content.model import IMPORTED_OFFERS
from bot.dialogs.engine import DialogEngine
from bot.offers.exclusive import MANUAL, exclusive
from bot.runtime.services import RELOAD_SECONDS
from bot.runtime.telegram import TelegramApp, make_bot
from bot.runtime.watch import ContentWatcher, Sources
from bot.store.db import Database
from bot.store.models import OutboxMessage

ROOT = Path(__file__).resolve().parent.parent
TITLE = "title: Helfen bei der Lebensmittelausgabe"


@pytest.fixture
def dirs(tmp_path: Path) -> Sources:
    shutil.copytree(ROOT / "content", tmp_path / "content")
    shutil.copytree(ROOT / "knowledge", tmp_path / "knowledge")
    (tmp_path / "content" / IMPORTED_OFFERS).unlink(missing_ok=True)
    return Sources(tmp_path / "content", tmp_path / "knowledge")


@pytest.fixture
def engine(dirs: Sources, db: Database) -> DialogEngine:
    return DialogEngine(load_content(dirs.content_dir, dirs.knowledge_dir), db)


@pytest.fixture
def watcher(dirs: Sources, db: Database, engine: DialogEngine) -> ContentWatcher:
    return ContentWatcher(
        dirs, db, lambda: engine.content, engine.replace_content, settle_seconds=0
    )


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    bump(path)


def bump(path: Path) -> None:
    """A later modification time, as an editor's save a moment later would leave."""
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))


def title(engine: DialogEngine) -> str:
    return next(o.title for o in engine.content.offers if o.id == "dz-tafel-ausgabe")


async def notices(db: Database) -> list[OutboxMessage]:
    async with db.session() as session:
        return list((await session.scalars(select(OutboxMessage))).all())


async def test_nothing_changed(watcher: ContentWatcher, dirs: Sources) -> None:
    assert await watcher.check() == "unchanged"
    bump(dirs.content_dir / "offers.yaml")  # saved again without a change
    assert await watcher.check() == "unchanged"


async def test_changed_offer_is_picked_up(
    watcher: ContentWatcher, engine: DialogEngine, dirs: Sources
) -> None:
    edit(dirs.content_dir / "offers.yaml", TITLE, "title: Lebensmittel ausgeben")
    assert await watcher.check() == "reloaded"
    assert title(engine) == "Lebensmittel ausgeben"
    assert await watcher.check() == "unchanged"


async def test_new_imported_file_and_faq_are_picked_up(
    watcher: ContentWatcher, engine: DialogEngine, dirs: Sources
) -> None:
    offers = (dirs.content_dir / "offers.yaml").read_text(encoding="utf-8")
    first = offers[offers.index("  - id: dz-tafel-ausgabe") : offers.index("  - id: dz-schloss")]
    imported = "offers:\n" + first.replace("dz-tafel-ausgabe", "csv-tafel")
    (dirs.content_dir / IMPORTED_OFFERS).write_text(imported, encoding="utf-8")
    assert await watcher.check() == "reloaded"
    assert "csv-tafel" in {o.id for o in engine.content.offers}


async def test_broken_content_keeps_last_good_and_tells_coordinators_once(
    watcher: ContentWatcher, engine: DialogEngine, dirs: Sources, db: Database
) -> None:
    offers = dirs.content_dir / "offers.yaml"
    edit(offers, "place: Delitzsch\n", "place: Delitschh\n")
    line = next(
        n
        for n, row in enumerate(offers.read_text(encoding="utf-8").splitlines(), 1)
        if "Delitschh" in row
    )
    assert await watcher.check() == "failed"
    assert title(engine) == "Helfen bei der Lebensmittelausgabe"  # the last good content
    [notice] = await notices(db)
    assert (notice.recipient_role, notice.recipient_id) == ("coordinator", "koordination")
    assert notice.text.startswith("⚠️ Inhalte fehlerhaft – der Bot arbeitet mit dem letzten")
    assert f"{offers}:{line}: unbekannter Ort 'Delitschh'" in notice.text

    bump(offers)  # the same broken version again: no second message
    assert await watcher.check() == "failed"
    assert await watcher.check() == "unchanged"
    assert len(await notices(db)) == 1

    edit(offers, "place: Delitschh\n", "place: Delitzsch\n")
    edit(offers, TITLE, "title: Lebensmittel ausgeben")
    assert await watcher.check() == "reloaded"
    assert title(engine) == "Lebensmittel ausgeben"
    assert len(await notices(db)) == 1


async def test_each_broken_version_is_reported(
    watcher: ContentWatcher, dirs: Sources, db: Database
) -> None:
    texts = dirs.content_dir / "texts.yaml"
    edit(texts, "languages:", "languagez:")
    assert await watcher.check() == "failed"
    edit(dirs.content_dir / "taxonomy.yaml", "  - id: sport\n", "  - id: sportt\n")
    assert await watcher.check() == "failed"
    assert len(await notices(db)) == 2


async def test_fresh_file_settles_first(dirs: Sources, db: Database, engine: DialogEngine) -> None:
    watcher = ContentWatcher(dirs, db, lambda: engine.content, engine.replace_content)
    offers = dirs.content_dir / "offers.yaml"
    offers.write_text(
        offers.read_text(encoding="utf-8").replace(TITLE, "title: Frisch gespeichert"),
        encoding="utf-8",
    )  # written just now: an editor may still be saving
    assert await watcher.check() == "unchanged"
    assert await watcher.check(settle=False) == "reloaded"
    assert title(engine) == "Frisch gespeichert"


# --- in the running bot --------------------------------------------------------------


@pytest.fixture
async def freinet_server() -> AsyncIterator[str]:
    xml = (ROOT / "tests" / "data" / "freinet" / "angebote.xml").read_bytes()

    async def offers(_request: web.Request) -> web.Response:
        return web.Response(body=xml, content_type="text/xml")

    app = web.Application()
    app.router.add_get("/query/api/MatchingServiceEndpoint.php", offers)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    yield f"http://127.0.0.1:{site._server.sockets[0].getsockname()[1]}"  # type: ignore[union-attr]
    await runner.cleanup()


def app_settings(dirs: Sources, db_url: str, **env: str) -> Settings:
    return Settings.from_env(
        {
            "BOT_TOKEN": "123456:TEST-token-for-the-scheduler-test",
            "DATABASE_URL": db_url,
            "CONTENT_DIR": str(dirs.content_dir),
            "KNOWLEDGE_DIR": str(dirs.knowledge_dir),
            **env,
        }
    )


async def test_app_schedules_reload_and_nightly_sync(
    dirs: Sources, db: Database, sqlite_url: str
) -> None:
    content = load_content(dirs.content_dir, dirs.knowledge_dir)
    for env, nightly in (({}, set()), ({"FREINET_URL": "https://x"}, {"freinet"})):
        settings = app_settings(dirs, sqlite_url, **env)
        app = TelegramApp(settings, content, db, make_bot(settings))
        scheduler = AsyncIOScheduler()
        app.background.schedule(scheduler)
        jobs = {job.id: job.trigger for job in scheduler.get_jobs()}
        assert set(jobs) == {"tick", "faq", "reload", *nightly}
        assert jobs["reload"].interval.total_seconds() == RELOAD_SECONDS
        if nightly:
            assert str(jobs["freinet"]) == "cron[hour='3', minute='0']"
            assert str(jobs["freinet"].timezone) == "Europe/Berlin"
        await app.bot.session.close()


def freinet_app(dirs: Sources, db: Database, db_url: str, freinet_url: str) -> TelegramApp:
    """`lotse run`'s app with the nightly Freinet sync pointed at the fake Freinet server."""
    settings = app_settings(
        dirs, db_url, FREINET_URL=freinet_url, FREINET_AGENCY_ID="1", FREINET_KEY="k"
    )
    content = load_content(dirs.content_dir, dirs.knowledge_dir)
    return TelegramApp(settings, content, db, make_bot(settings))


async def test_nightly_sync_reaches_the_running_engine(
    dirs: Sources, db: Database, sqlite_url: str, freinet_server: str
) -> None:
    app = freinet_app(dirs, db, sqlite_url, freinet_server)
    try:
        assert not any(o.id.startswith("fn-") for o in app.engine.content.offers)
        await app.background.sync_freinet()
        ids = {o.id for o in app.engine.content.offers}
        assert {"fn-4711", "fn-4712", "fn-4713", "fn-4716"} <= ids
        assert "fn-4711" in {o.id for o in app.engine.matchers.offers.offers}
        await asyncio.sleep(0)
    finally:
        await app.bot.session.close()


async def test_nightly_sync_skips_while_a_coordinator_imports(
    dirs: Sources,
    db: Database,
    sqlite_url: str,
    freinet_server: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    app = freinet_app(dirs, db, sqlite_url, freinet_server)
    try:
        with exclusive(dirs.content_dir, MANUAL):
            await app.background.sync_freinet()  # no exception: the next night retries
        assert not (dirs.content_dir / IMPORTED_OFFERS).exists()
        assert "Freinet sync skipped, another import runs" in caplog.text
        assert "manueller Import seit" in caplog.text
        await app.background.sync_freinet()  # the lock is free again
        assert any(o.id.startswith("fn-") for o in app.engine.content.offers)
    finally:
        await app.bot.session.close()
