"""The `lotse` command line (also `python -m bot`)."""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import logging
import sys
from collections.abc import Sequence
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.config import Settings
from bot.content.loader import Content, ContentError, load_content, summary


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    return args.func(args, Settings.from_env())


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="lotse", description="Engagement-Lotse Delitzscher Land")
    commands = parser.add_subparsers(title="Befehle", metavar="BEFEHL")

    chat = commands.add_parser("chat", help="mit dem Bot im Terminal sprechen")
    chat.add_argument("--user", default="gast", help="Name der Person im Terminal (Standard: gast)")
    chat.add_argument("--lang", default=None, help="Sprache, z. B. de oder en")
    chat.set_defaults(func=_chat)

    check = commands.add_parser("check", help="alle Inhalte prüfen (Fehler als Datei:Zeile)")
    check.set_defaults(func=_check)

    run = commands.add_parser("run", help="den Telegram-Bot starten (Long Polling oder Webhook)")
    run.set_defaults(func=_run)

    invite = commands.add_parser("invite", help="Einladungslink für einen Lotsen erzeugen")
    invite.add_argument("--lotse", required=True, help="Kennung aus content/lotsen.yaml")
    invite.add_argument("--days", type=int, default=7, help="gültig für so viele Tage (7)")
    invite.set_defaults(func=_invite)

    tick = commands.add_parser(
        "tick", help="fällige Erinnerungen, Weitergaben usw. jetzt ausführen"
    )
    tick.add_argument(
        "--at",
        type=_moment,
        default=None,
        help="so tun, als wäre es jetzt ISO-ZEIT (z. B. 2026-12-01T09:00+01:00)",
    )
    tick.set_defaults(func=_tick)

    leads = commands.add_parser("leads", help="Anfragen (Leads) für die Koordination auflisten")
    leads.add_argument("--json", action="store_true", help="als JSON ausgeben")
    leads.set_defaults(func=_leads)

    evaluate = commands.add_parser("eval", help="Trefferquote des Matchings auf Testfällen messen")
    evaluate.add_argument("file", type=Path, help="YAML-Datei mit Fällen (interests, places)")
    evaluate.add_argument("--json", action="store_true", help="als JSON ausgeben")
    evaluate.set_defaults(func=_eval)
    return parser


def _load(settings: Settings) -> Content | None:
    try:
        return load_content(
            settings.content_dir, settings.knowledge_dir, faq_max_age_days=settings.faq_max_age_days
        )
    except ContentError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        print("Inhalte fehlerhaft – bitte mit `lotse check` prüfen.", file=sys.stderr)
        return None


def _check(_args: argparse.Namespace, settings: Settings) -> int:
    content = _load(settings)
    if content is None:
        return 1
    for warning in content.warnings:
        print(warning)
    print(f"OK: {summary(content)}")
    return 0


def _chat(args: argparse.Namespace, settings: Settings) -> int:
    from bot.console import run_chat
    from bot.dialogs.engine import DialogEngine
    from bot.store.db import Database

    content = _load(settings)
    if content is None:
        return 1

    async def go() -> None:
        db = Database(settings.database_url)
        try:
            await db.migrate()
            await run_chat(DialogEngine(content, db), args.user, args.lang)
        finally:
            await db.close()

    asyncio.run(go())
    return 0


def _run(_args: argparse.Namespace, settings: Settings) -> int:
    from bot.telegram.app import StartupError, make_bot, run_bot

    content = _load(settings)
    if content is None:
        return 1
    logging.getLogger().setLevel(logging.INFO)
    try:
        make_bot(settings)  # fail fast, before touching the database, on a bad token
        asyncio.run(run_bot(settings, content))
    except StartupError as exc:
        print(exc, file=sys.stderr)
        return 2
    return 0


def _invite(args: argparse.Namespace, settings: Settings) -> int:
    from bot.leads.invites import PREFIX, create_invite
    from bot.store.db import Database
    from bot.telegram.app import StartupError, bot_username

    content = _load(settings)
    if content is None:
        return 1
    lotse = next((x for x in content.lotsen if x.id == args.lotse), None)
    if lotse is None:
        known = ", ".join(x.id for x in content.lotsen)
        print(f"Unbekannter Lotse '{args.lotse}'. Bekannt: {known}", file=sys.stderr)
        return 1

    async def go() -> str:
        username = await bot_username(settings)
        db = Database(settings.database_url)
        try:
            await db.migrate()
            async with db.session() as session, session.begin():
                code = await create_invite(session, lotse.id, days=args.days)
        finally:
            await db.close()
        return f"https://t.me/{username}?start={PREFIX}{code}"

    try:
        link = asyncio.run(go())
    except StartupError as exc:
        print(exc, file=sys.stderr)
        return 2
    print(f"Einladung für {lotse.name} ({lotse.id}), einmal nutzbar, {args.days} Tage gültig:")
    print(link)
    return 0


def _moment(text: str) -> dt.datetime:
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(
            f"'{text}' ist keine ISO-Zeit, z. B. 2026-12-01T09:00+01:00"
        ) from exc
    return moment if moment.tzinfo else moment.replace(tzinfo=ZoneInfo("Europe/Berlin"))


def _tick(args: argparse.Namespace, settings: Settings) -> int:
    from bot.leads.ticker import tick
    from bot.store.db import Database

    content = _load(settings)
    if content is None:
        return 1
    now = args.at or dt.datetime.now(dt.UTC)

    async def go() -> list[str]:
        db = Database(settings.database_url)
        try:
            await db.migrate()
            return await tick(db, content, now)
        finally:
            await db.close()

    done = asyncio.run(go())
    print(f"Stand {now.isoformat(timespec='minutes')}: {len(done)} erledigt")
    for line in done:
        print(f"  {line}")
    return 0


def _leads(args: argparse.Namespace, settings: Settings) -> int:
    from bot.leads.overview import lead_rows, render_table
    from bot.store.db import Database

    async def go() -> list[dict]:
        db = Database(settings.database_url)
        try:
            await db.migrate()
            return await lead_rows(db)
        finally:
            await db.close()

    rows = asyncio.run(go())
    print(json.dumps(rows, ensure_ascii=False, indent=2) if args.json else render_table(rows))
    return 0


def _eval(args: argparse.Namespace, settings: Settings) -> int:
    from bot.matching.evaluation import evaluate_file, render_report

    content = _load(settings)
    if content is None:
        return 1
    try:
        report = evaluate_file(args.file, content)
    except (OSError, ValueError) as exc:
        print(f"{args.file}: {exc}", file=sys.stderr)
        return 1
    print(json.dumps(report, ensure_ascii=False, indent=2) if args.json else render_report(report))
    return 0
