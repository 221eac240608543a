"""The `lotse` command line (also `python -m bot`)."""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import datetime as dt
import gc
import json
import logging
import os
import sys
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar
from zoneinfo import ZoneInfo

from bot import clock, logs
from bot.config import Settings
from bot.ids import parse_id

if TYPE_CHECKING:  # imported where used: `lotse run` imports them with the collector off
    from bot.content.model import Content
    from bot.store.db import Database
    from bot.understanding import Reading

T = TypeVar("T")


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    if args.func is _doctor:  # reads the environment itself, also when a setting is broken
        logs.configure(logging.WARNING)
        return _doctor(args)
    try:
        settings = Settings.from_env()
    except ValueError as exc:
        print(f"{exc} – `lotse doctor` prüft alle Einstellungen.", file=sys.stderr)
        return 2
    logs.configure(logging.WARNING, settings.log_format)
    try:
        return args.func(args, settings)
    except BrokenPipeError:
        # The reader went away (`lotse eval … | head`): not an error. Point stdout at
        # /dev/null so that the interpreter's last flush does not fail again (Python's
        # documented way, see the `signal` module's note on SIGPIPE).
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="lotse", description="Engagement-Lotse Delitzscher Land")
    commands = parser.add_subparsers(title="Befehle", metavar="BEFEHL")

    chat = commands.add_parser("chat", help="mit dem Bot im Terminal sprechen")
    chat.add_argument("--user", default="gast", help="Name der Person im Terminal (Standard: gast)")
    chat.add_argument("--lang", default=None, help="Sprache, z. B. de oder en")
    chat.set_defaults(func=_chat)

    check = commands.add_parser("check", help="alle Inhalte prüfen (Fehler als Datei:Zeile)")
    check.set_defaults(func=_check)

    doctor = commands.add_parser(
        "doctor", help="Einrichtung prüfen: Einstellungen, Datenbank, Inhalte, Telegram"
    )
    doctor.set_defaults(func=_doctor)

    run = commands.add_parser("run", help="den Telegram-Bot starten (Long Polling oder Webhook)")
    _listen_flags(run, "WEBHOOK_HOST", "WEBHOOK_PORT", "im Webhook-Betrieb")
    run.set_defaults(func=_run)

    web_chat = commands.add_parser("web", help="den Web-Chat starten (WEB_HOST:WEB_PORT/chat)")
    _listen_flags(web_chat, "WEB_HOST", "WEB_PORT", "")
    web_chat.set_defaults(func=_web)

    invite = commands.add_parser("invite", help="Einladungslink für einen Lotsen erzeugen")
    invite.add_argument("--lotse", required=True, help="Kennung aus content/lotsen.yaml")
    invite.add_argument(
        "--days", type=_invite_days, default=7, help="gültig für so viele Tage (7, höchstens 90)"
    )
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

    lotsen = commands.add_parser("lotsen", help="Lotsen-Zugänge anzeigen oder entziehen")
    lotsen_commands = lotsen.add_subparsers(title="Befehle", metavar="BEFEHL")
    listing = lotsen_commands.add_parser("list", help="wer über Telegram verbunden ist")
    listing.set_defaults(func=_lotsen_list)
    revoke = lotsen_commands.add_parser("revoke", help="Zugang sofort entziehen")
    revoke.add_argument("lotse", help="Kennung aus content/lotsen.yaml")
    revoke.set_defaults(func=_lotsen_revoke)

    leads = commands.add_parser("leads", help="Anfragen (Leads) für die Koordination auflisten")
    leads.add_argument("--json", action="store_true", help="als JSON ausgeben")
    leads.add_argument(
        "--overdue",
        action="store_true",
        help="nur überfällige: älter als das Versprechen (promise_hours), noch ohne Antwort",
    )
    leads.set_defaults(func=_leads)
    _leads_reassign_parser(leads)

    report = commands.add_parser(
        "report", help="Überblick für die Koordination: Nachfrage, Angebote, Anfragen, Verlauf"
    )
    report.add_argument(
        "--from",
        dest="start",
        type=_day,
        default=None,
        help="erster Tag, JJJJ-MM-TT (vor 29 Tagen)",
    )
    report.add_argument("--to", dest="end", type=_day, default=None, help="letzter Tag (heute)")
    report.add_argument(
        "--format", choices=("text", "csv", "html"), default="text", help="Ausgabe (text)"
    )
    report.add_argument("--out", type=Path, default=None, help="in diese Datei schreiben")
    report.set_defaults(func=_report)

    ask = commands.add_parser("ask", help="eine Frage aus knowledge/ beantworten (zum Testen)")
    ask.add_argument("text", help="die Frage, wie jemand sie tippen würde")
    ask.add_argument("--json", action="store_true", help="als JSON ausgeben")
    ask.set_defaults(func=_ask)

    understand = commands.add_parser(
        "understand", help="zeigen, was der Bot aus einer ersten Nachricht liest (zum Testen)"
    )
    understand.add_argument(
        "texts", nargs="+", metavar="TEXT", help="Nachricht(en); - liest eine pro Zeile von stdin"
    )
    understand.add_argument("--json", action="store_true", help="ein JSON-Objekt pro Nachricht")
    understand.set_defaults(func=_understand)

    evaluate = commands.add_parser("eval", help="Trefferquote des Matchings auf Testfällen messen")
    evaluate.add_argument(
        "file", type=Path, help="YAML-Datei mit Fällen (interests, places, questions, openers)"
    )
    evaluate.add_argument("--json", action="store_true", help="als JSON ausgeben")
    evaluate.set_defaults(func=_eval)
    _offers_parser(commands)
    _poster_parser(commands)
    return parser


def _leads_reassign_parser(leads: argparse.ArgumentParser) -> None:
    """`lotse leads reassign ID --to LOTSE`; `lotse leads` alone still lists them."""
    leads_commands = leads.add_subparsers(title="Befehle", metavar="BEFEHL")
    reassign = leads_commands.add_parser(
        "reassign", help="eine offene Anfrage einem anderen Lotsen geben"
    )
    reassign.add_argument("lead", type=_lead_id, metavar="ID", help="Nummer der Anfrage")
    reassign.add_argument(
        "--to", required=True, metavar="LOTSE", help="Kennung aus content/lotsen.yaml"
    )
    reassign.set_defaults(func=_leads_reassign)


def _lead_id(text: str) -> int:
    lead_id = parse_id(text.strip().removeprefix("#"))
    if lead_id is None:
        raise argparse.ArgumentTypeError(f"'{text}' ist keine Anfrage-Nummer, z. B. 12")
    return lead_id


def _leads_reassign(args: argparse.Namespace, settings: Settings) -> int:
    from bot.leads.reassign import reassign

    content = _load(settings)
    if content is None:
        return 1
    moved, line = asyncio.run(
        _with_db(settings, lambda db: reassign(db, content, args.lead, args.to))
    )
    print(line, file=sys.stdout if moved else sys.stderr)
    return 0 if moved else 1


def _poster_parser(commands: argparse._SubParsersAction) -> None:
    poster = commands.add_parser(
        "poster", help="A4-Plakat (PDF und PNG) mit QR-Codes für ein Interesse in einem Ort"
    )
    poster.add_argument("--interest", required=True, help="Kennung aus taxonomy.yaml, z. B. sport")
    poster.add_argument("--place", required=True, help="Ortsteil oder Gemeinde, z. B. Beerendorf")
    poster.add_argument(
        "--out", type=Path, default=None, help="PDF-Datei (plakat-INTERESSE-ORT.pdf); PNG daneben"
    )
    poster.add_argument("--lang", default=None, help="Sprache der Texte (die erste aus texts.yaml)")
    poster.set_defaults(func=_poster)


def _offers_parser(commands: argparse._SubParsersAction) -> None:
    offers = commands.add_parser("offers", help="Angebote importieren (CSV, Freinet)")
    offers_commands = offers.add_subparsers(title="Befehle", metavar="BEFEHL")
    do_import = offers_commands.add_parser(
        "import", help="CSV- oder Freinet-XML-Datei nach content/offers-imported.yaml übernehmen"
    )
    do_import.add_argument(
        "file", type=Path, help="*.csv (Vorlage docs/offers-template.csv) oder Freinet-*.xml"
    )
    do_import.add_argument("--dry-run", action="store_true", help="nur zeigen, nichts schreiben")
    do_import.set_defaults(func=_offers_import)
    sync = offers_commands.add_parser(
        "sync-freinet", help="Angebotsliste von Freinet holen (FREINET_*) und importieren"
    )
    sync.add_argument("--dry-run", action="store_true", help="nur zeigen, nichts schreiben")
    sync.set_defaults(func=_offers_sync)
    review = offers_commands.add_parser(
        "review", help="Angebote von Vereinen prüfen: freigeben oder ablehnen"
    )
    decision = review.add_mutually_exclusive_group()
    decision.add_argument("--approve", type=int, metavar="ID", help="Angebot ID freigeben")
    decision.add_argument("--reject", type=int, metavar="ID", help="Angebot ID ablehnen")
    review.set_defaults(func=_offers_review)


def _load(settings: Settings) -> Content | None:
    from bot.content.loader import load_content
    from bot.content.model import ContentError

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
    from bot.content.model import summary

    content = _load(settings)
    if content is None:
        return 1
    for warning in content.warnings:
        print(warning)
    if not _example_data_allowed(content, settings):
        return 1
    print(f"OK: {summary(content)}")
    return 0


def _example_data_allowed(content: Content, settings: Settings) -> bool:
    """Example data (`example: true`) is named in one line in a demo; with
    DEPLOYMENT=production it is an error: made-up Lotsen and offers must not reach people."""
    from bot.content.trust import example_data, listing

    examples = example_data(content)
    if not examples:
        return True
    if not settings.production:
        print(
            f"Hinweis: Beispieldaten im Einsatz ({examples.counts()}, example: true) – "
            "gewollt in der Demo, vor dem echten Betrieb ersetzen; Liste mit `lotse doctor`"
        )
        return True
    print(
        f"DEPLOYMENT=production, aber Beispieldaten sind im Einsatz ({examples.counts()}) – "
        "bitte durch echte ersetzen oder löschen:",
        file=sys.stderr,
    )
    for line in listing(examples):
        print(f"  {line}", file=sys.stderr)
    return False


def _doctor(_args: argparse.Namespace) -> int:
    from bot.runtime.doctor import run

    return run(os.environ)


MAX_INVITE_DAYS = 90  # an invite is a key to leads: not for longer than a quarter


def _listen_flags(parser: argparse.ArgumentParser, host: str, port: str, when: str) -> None:
    """--host and --port, the usual flags of a server command; they override the environment."""
    where = f" {when}" if when else ""
    parser.add_argument("--host", help=f"Adresse{where} (statt {host})")
    parser.add_argument("--port", type=_tcp_port, help=f"Port{where} (statt {port})")


def _tcp_port(text: str) -> int:
    port = parse_id(text.strip())
    if port is None or not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError("Port von 1 bis 65535 erwartet")
    return port


def _listening(args: argparse.Namespace, settings: Settings, host: str, port: str) -> Settings:
    """`settings` with --host/--port (when given) in the fields named `host` and `port`."""
    given = {host: args.host, port: args.port}
    return dataclasses.replace(settings, **{k: v for k, v in given.items() if v is not None})


def _invite_days(text: str) -> int:
    days = parse_id(text.strip())
    if days is None or not 1 <= days <= MAX_INVITE_DAYS:
        raise argparse.ArgumentTypeError(f"ganze Zahl von 1 bis {MAX_INVITE_DAYS} erwartet")
    return days


def _chat(args: argparse.Namespace, settings: Settings) -> int:
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import SQLAlchemyError

    from bot.console import run_chat
    from bot.dialogs.engine import DialogEngine

    content = _load(settings)
    if content is None:
        return 1

    async def chat(db: Database) -> None:
        engine = DialogEngine(
            content, db, controller=settings.privacy_controller, operator=settings.operator
        )
        await run_chat(engine, args.user, args.lang)

    try:
        asyncio.run(_with_db(settings, chat))
    except (OSError, SQLAlchemyError) as exc:
        where = make_url(settings.database_url).render_as_string(hide_password=True)
        where = where.split("@")[-1]  # host and database; no user name
        print(f"Datenbank nicht erreichbar ({where}): {_reason(exc)}", file=sys.stderr)
        return 2
    return 0


def _reason(exc: BaseException) -> str:
    """The first line of the deepest cause, e.g. 'Connect call failed …'."""
    while exc.__cause__ is not None:
        exc = exc.__cause__
    text = (getattr(exc, "strerror", None) or str(exc) or type(exc).__name__).strip()
    return text.splitlines()[0][:200] if text else type(exc).__name__


def _run(args: argparse.Namespace, settings: Settings) -> int:
    settings = _listening(args, settings, "webhook_host", "webhook_port")
    # Importing aiogram, SQLAlchemy, the content model and the rest leaves ~180k objects that
    # live as long as the process; the cyclic collector would only scan them again and again
    # (about 0.25 s of CPU, a fifth of the start, for a hundred objects freed). So it is off
    # while importing; then they are frozen (later collections skip them) and it is on again.
    # GC_FREEZE=0 leaves the collector alone.
    enabled = gc.isenabled() and settings.gc_freeze
    if enabled:
        gc.disable()
    _fast_aiogram(settings)
    from bot.runtime.telegram import StartupError, check_token, run_bot

    if enabled:
        gc.freeze()
        gc.enable()
    content = _load(settings)
    if content is None:
        return 1
    logs.configure(logging.INFO, settings.log_format)
    try:
        check_token(settings)  # fail fast, before touching the database, on a bad token
        asyncio.run(run_bot(settings, content))
    except StartupError as exc:
        print(exc, file=sys.stderr)
        return 2
    return 0


def _fast_aiogram(settings: Settings) -> None:
    """aiogram's types built on first use (bot/telegram/fast_aiogram.py), unless
    FAST_AIOGRAM=0; before anything imports aiogram, so here, not on a package import."""
    if settings.fast_aiogram:
        from bot.telegram import fast_aiogram

        fast_aiogram.install()


def _web(args: argparse.Namespace, settings: Settings) -> int:
    settings = _listening(args, settings, "web_host", "web_port")
    from bot.runtime.errors import StartupError  # not from .telegram: no aiogram for the web
    from bot.runtime.web import run_web

    content = _load(settings)
    if content is None:
        return 1
    logs.configure(logging.INFO, settings.log_format)
    print(f"Web-Chat: http://{settings.web_host}:{settings.web_port}/chat", flush=True)
    try:
        asyncio.run(run_web(settings, content))
    except StartupError as exc:  # a BOT_TOKEN of the wrong form
        print(exc, file=sys.stderr)
        return 2
    except OSError as exc:  # e.g. the port is taken
        print(f"Web-Chat: {exc.strerror or exc}", file=sys.stderr)
        return 2
    return 0


def _invite(args: argparse.Namespace, settings: Settings) -> int:
    from bot.leads.invites import PREFIX, create_invite
    from bot.runtime.telegram import StartupError, bot_username

    content = _load(settings)
    if content is None:
        return 1
    lotse = next((x for x in content.lotsen if x.id == args.lotse), None)
    if lotse is None:
        known = ", ".join(x.id for x in content.lotsen)
        print(f"Unbekannter Lotse '{args.lotse}'. Bekannt: {known}", file=sys.stderr)
        return 1

    async def invite(db: Database) -> str:
        async with db.session() as session, session.begin():
            return await create_invite(session, lotse.id, days=args.days)

    async def go() -> str:
        username = await bot_username(settings)  # first: no code is stored if this fails
        code = await _with_db(settings, invite)
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


def _day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(
            f"'{text}' ist kein Datum im Format JJJJ-MM-TT, z. B. 2026-11-01"
        ) from exc


def _tick(args: argparse.Namespace, settings: Settings) -> int:
    from bot.runtime.ticker import tick

    content = _load(settings)
    if content is None:
        return 1
    now = args.at or clock.now()

    done = asyncio.run(_with_db(settings, lambda db: tick(db, content, now)))
    local = now.astimezone(ZoneInfo(content.leads.timezone))  # what coordinators read
    print(f"Stand {local:%d.%m.%Y %H:%M} ({content.leads.timezone}): {len(done)} erledigt")
    for line in done:
        print(f"  {line}")
    return 0


def _lotsen_list(_args: argparse.Namespace, settings: Settings) -> int:
    from bot.leads.accounts import list_accounts

    content = _load(settings)
    if content is None:
        return 1
    for line in asyncio.run(_with_db(settings, lambda db: list_accounts(db, content))):
        print(line)
    return 0


def _lotsen_revoke(args: argparse.Namespace, settings: Settings) -> int:
    from bot.leads.accounts import revoke

    content = _load(settings)
    if content is None:
        return 1
    moved = asyncio.run(_with_db(settings, lambda db: revoke(db, content, args.lotse)))
    if moved is None:
        print(f"'{args.lotse}' hat keinen aktiven Zugang.", file=sys.stderr)
        return 1
    print(
        f"Zugang von {args.lotse} entzogen – ab sofort keine Anfragen und keine Kontaktdaten "
        "mehr. " + ("Offene Anfragen übergeben:" if moved else "Keine offenen Anfragen.")
    )
    for line in moved:
        print(f"  {line}")
    return 0


async def _with_db(settings: Settings, work: Callable[[Database], Awaitable[T]]) -> T:
    """Open the database (migrated to the newest schema), do the work, close it."""
    from bot.store.db import Database

    db = Database(settings.database_url, sqlite_inline=settings.sqlite_inline)
    try:
        await db.migrate()
        return await work(db)
    finally:
        await db.close()


def _leads(args: argparse.Namespace, settings: Settings) -> int:
    from bot.leads.overview import lead_rows, overdue_rows, render_overdue, render_table

    content = _load(settings)  # the words and the time zone of the table
    if content is None:
        return 1
    if args.overdue:
        now = clock.now()
        rows = asyncio.run(_with_db(settings, lambda db: overdue_rows(db, content, now)))
    else:
        rows = asyncio.run(_with_db(settings, lambda db: lead_rows(db, content)))
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
    else:
        print((render_overdue if args.overdue else render_table)(rows, content))
    return 0


def _report(args: argparse.Namespace, settings: Settings) -> int:
    from bot.offers import submissions
    from bot.report import RENDERERS, Period, build_report

    content = _load(settings)
    if content is None:
        return 1
    zone = ZoneInfo(content.leads.timezone)
    end = args.end or clock.today_in(content.leads.timezone)
    start = args.start or Period.last_days(end, zone).start
    if start > end:
        print(f"lotse report: --from {start} liegt nach --to {end}", file=sys.stderr)
        return 2

    async def build(db: Database) -> str:
        async with db.session() as session:
            approved = await submissions.shown(session, end)  # Vereine's offers count too
            complete = dataclasses.replace(content, offers=content.offers.with_extra(approved))
            report = await build_report(session, complete, Period(start, end, zone))
        return RENDERERS[args.format](report)

    output = asyncio.run(_with_db(settings, build))
    if args.out is None:
        sys.stdout.write(output)
        return 0
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(output, encoding="utf-8")
    print(f"Bericht ({args.format}, {start} bis {end}) geschrieben: {args.out}")
    return 0


def _poster(args: argparse.Namespace, settings: Settings) -> int:
    from bot.posters.make import PosterError, local_web_warning, make_poster
    from bot.runtime.telegram import StartupError, bot_username

    content = _load(settings)
    if content is None:
        return 1
    try:
        made = make_poster(
            content,
            interest=args.interest,
            place_name=args.place,
            lang=args.lang or content.languages[0],
            bot_username=asyncio.run(bot_username(settings)),
            web_public_url=settings.web_public_url,
            whatsapp_number=settings.whatsapp_number,
            out=args.out,
        )
    except PosterError as exc:
        print(f"lotse poster: {exc}", file=sys.stderr)
        return 1
    except StartupError as exc:
        print(f"lotse poster: {exc}", file=sys.stderr)
        return 2
    print(f"Plakat geschrieben: {made.pdf} und {made.png}")
    if warning := local_web_warning(settings.web_public_url):
        print(warning, file=sys.stderr)
    print(f"Telegram: {made.telegram}")
    print(f"Web-Chat: {made.web}")
    if made.whatsapp:
        print(f"WhatsApp: {made.whatsapp}")
    return 0


def _ask(args: argparse.Namespace, settings: Settings) -> int:
    from bot.helpdesk.faq import FaqMatcher

    content = _load(settings)
    if content is None:
        return 1
    matcher = FaqMatcher(content.faq, content.faq_examples)
    answer = matcher.answer(args.text)
    ranked = matcher.rank(args.text)
    if args.json:
        print(
            json.dumps(
                {
                    "answer": None
                    if answer is None
                    else {
                        "id": answer.entry.id,
                        "score": answer.score,
                        "text": content.commands(answer.entry.answer, "de", None),
                        "source": answer.entry.source,
                        "checked": answer.entry.checked.isoformat(),
                    },
                    "candidates": [
                        {"id": h.entry.id, "score": h.score, "vote": h.vote} for h in ranked
                    ],
                    "suggestions": [] if answer else [e.id for e in matcher.suggestions(args.text)],
                },
                ensure_ascii=False,
                indent=2,
            )
        )
        return 0
    if answer is None:
        offered = ", ".join(entry.id for entry in matcher.suggestions(args.text)) or "–"
        print(
            "Nicht sicher – der Bot bietet an, die Frage an einen Menschen weiterzugeben.\n"
            f"„Meinten Sie …?“: {offered}"
        )
    else:
        print(
            f"[{answer.entry.id}, Wert {answer.score:.2f}]\n"
            f"{content.commands(answer.entry.answer.strip(), 'de', None)}\n"
            f"Quelle: {answer.entry.source} (Stand: {answer.entry.checked:%d.%m.%Y})"
        )
    print(
        "Kandidaten (Wortabdeckung / Klassifikator): "
        + ", ".join(f"{h.entry.id} ({h.score} / {h.vote})" for h in ranked)
    )
    return 0


def _understand(args: argparse.Namespace, settings: Settings) -> int:
    from bot.understanding import Understander

    content = _load(settings)
    if content is None:
        return 1
    texts = [line for text in args.texts for line in _texts(text)]
    understander = Understander(content)
    for text in texts:
        reading = understander.read(text)
        if args.json:
            print(json.dumps({"text": text, **reading.as_json()}, ensure_ascii=False))
        else:
            print(_describe(reading))
    return 0


def _texts(text: str) -> list[str]:
    if text != "-":
        return [text]
    return [line.strip() for line in sys.stdin if line.strip()]


def _describe(reading: Reading) -> str:
    """A short German summary of a reading, for people checking the examples."""
    parts = [f"Anliegen: {reading.intent or '–'} ({reading.intent_score:+.2f})"]
    if reading.interests:
        parts.append("Interessen: " + ", ".join(reading.interests))
    if reading.place:
        parts.append(f"Ort: {reading.place.label}")
    if reading.max_km is not None:
        parts.append(f"bis {reading.max_km:g} km")
    if reading.time_kind:
        parts.append(f"Zeit: {reading.time_kind}")
    if reading.time_slots:
        parts.append("Zeiten: " + ", ".join(reading.time_slots))
    extras = {
        "Ja/Nein": reading.yes_no,
        "Auswahl": reading.ordinal,
        "Navigation": reading.navigation,
        "Sprache": reading.language,
        "Hilfe": reading.help_kind,
        "für": reading.for_whom,
        "wann": reading.when,
    }
    parts += [f"{label}: {value}" for label, value in extras.items() if value is not None]
    if reading.is_question:
        parts.append("Frage")
    return f"{reading.text}\n  " + " · ".join(parts)


def _eval(args: argparse.Namespace, settings: Settings) -> int:
    import yaml

    from bot.evaluation.cases import evaluate, render_report
    from bot.evaluation.openers import evaluate_openers, render_openers
    from bot.understanding import Understander

    content = _load(settings)
    if content is None:
        return 1
    try:
        cases = yaml.safe_load(args.file.read_text(encoding="utf-8")) or {}
        if not isinstance(cases, dict):
            raise ValueError("erwartet eine Zuordnung mit Abschnitten wie 'interests', 'openers'")
        report = evaluate(cases, content)
    except (OSError, ValueError, yaml.YAMLError) as exc:
        print(f"{args.file}: {exc}", file=sys.stderr)
        return 1
    openers = None
    if cases.get("openers"):
        openers = evaluate_openers(cases["openers"], Understander(content))
    if args.json:
        print(
            json.dumps(
                {**report, **({"openers": openers} if openers else {})},
                indent=2,
                ensure_ascii=False,
            )
        )
        return 0
    shown = [render_report(report)] if report or not openers else []
    print("\n".join([*shown, *([render_openers(openers)] if openers else [])]))
    return 0


def _offers_import(args: argparse.Namespace, settings: Settings) -> int:
    from bot.offers.importer import ImportFailed, import_offers

    try:
        data = args.file.read_bytes()
        report = import_offers(settings, data, str(args.file), dry_run=args.dry_run)
    except OSError as exc:
        print(f"{args.file}: nicht lesbar ({exc.strerror})", file=sys.stderr)
        return 1
    except ImportFailed as exc:
        print(exc, file=sys.stderr)
        return 1
    print("\n".join(report.lines()))
    return 0


def _offers_review(args: argparse.Namespace, settings: Settings) -> int:
    """Decide one offer (--approve/--reject ID), go through all (terminal), or list them."""
    from bot.offers import review

    content = _load(settings)
    if content is None:
        return 1
    if args.approve is not None or args.reject is not None:
        approve = args.approve is not None
        ident = args.approve if approve else args.reject
        decided, line = asyncio.run(
            _with_db(settings, lambda db: review.decide_one(db, content, ident, approve))
        )
        print(line)
        return 0 if decided else 1
    if sys.stdin.isatty():
        asyncio.run(_with_db(settings, lambda db: review.interactive(db, content, input)))
        return 0
    print("\n".join(asyncio.run(_with_db(settings, lambda db: review.listing(db, content)))))
    return 0


def _offers_sync(args: argparse.Namespace, settings: Settings) -> int:
    from bot.offers.importer import ImportFailed, sync_freinet
    from bot.runtime.http import http_get

    try:
        report = asyncio.run(sync_freinet(settings, http_get, dry_run=args.dry_run))
    except ImportFailed as exc:
        print(exc, file=sys.stderr)
        return 1
    print("\n".join(report.lines()))
    return 0
