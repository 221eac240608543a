"""Posters (`lotse poster`): the PDF renders, its QR codes decode to the right deep links,
the payload leads the dialogue to interest and village, and `lotse report` counts it."""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator
from pathlib import Path
from zoneinfo import ZoneInfo

import pypdfium2
import pytest
import zxingcpp
from PIL import Image
from sqlalchemy import select

from bot.clock import ManualClock, today_in
from bot.content.model import Content
from bot.dialogs.engine import DialogEngine
from bot.dialogs.turn import Matchers
from bot.matching.places import Place, PlaceResolver
from bot.messages import Sender
from bot.posters import links, render
from bot.posters.make import make_poster
from bot.report.data import Period, build_report
from bot.store import repo
from bot.store.db import Database
from bot.store.models import Conversation, EntryCount, StepVisit, User
from tests.helpers.chat import Chat, run_lotse

BOT = "EngagementLotseBot"
WEB = "https://lotse.example.org"
ENV = {"BOT_USERNAME": BOT, "WEB_PUBLIC_URL": WEB}
POSTER = "p-kinder-jugend_zschepplin-hohenpriessnitz"  # Hohenprießnitz, Gemeinde Zschepplin


def decode(image: Image.Image) -> set[str]:
    return {code.text for code in zxingcpp.read_barcodes(image) if code.valid}


def rendered_pages(pdf: Path, dpi: int = 100) -> list[Image.Image]:
    """The PDF as PDFium renders it (the engine of Chrome's PDF viewer), one image per page.

    pypdfium2 is a dependency anyway and ships PDFium in its wheel: no poppler needed."""
    document = pypdfium2.PdfDocument(str(pdf))
    try:
        return [page.render(scale=dpi / 72).to_pil() for page in document]
    finally:
        document.close()


def pdf_text(pdf: Path) -> str:
    """The PDF's text as PDFium extracts it, with line breaks as spaces."""
    document = pypdfium2.PdfDocument(str(pdf))
    try:
        text = " ".join(page.get_textpage().get_text_bounded() for page in document)
    finally:
        document.close()
    return " ".join(text.split())


# --- payloads ---------------------------------------------------------------------------


def test_every_poster_payload_fits_telegram_and_reads_back(content: Content) -> None:
    resolver = PlaceResolver(content.places)
    places = links.region_places(resolver)
    slugs = [links.place_slug(p) for p in places]
    assert len(set(slugs)) == len(slugs)  # e.g. Rödgen in Delitzsch and in Zschepplin
    assert "zschepplin-roedgen" not in slugs and "zschepplin-rodgen" in slugs
    interests = [i.id for i in content.taxonomy.interests]
    interests += [s.id for i in content.taxonomy.interests for s in i.subtopics]
    for interest in interests:
        for place in places:
            payload = links.poster_payload(interest, place)
            assert links.valid_payload(payload) and len(payload) <= 64
            kind, _, ident = payload.partition("-")
            parsed = links.parse_poster(ident, resolver)
            assert kind == "p" and parsed == links.PosterLink(interest, place)


def test_a_payload_that_would_be_too_long_carries_a_hash(content: Content) -> None:
    resolver = PlaceResolver(content.places)
    place = next(p for p in resolver.places if p.name == "Hohenprießnitz")
    long_interest = "a" * 40  # the longest id taxonomy.yaml allows
    payload = links.poster_payload(long_interest, place)
    assert payload == f"p-{long_interest}__{links.slug_hash('zschepplin-hohenpriessnitz')}"
    assert len(payload) <= 64
    parsed = links.parse_poster(payload.removeprefix("p-"), resolver)
    assert parsed == links.PosterLink(long_interest, place)
    far = Place("Nirgendwo", "Nirgends", 51.0, 12.0, "ortsteil")
    assert links.parse_poster(f"sport__{links.slug_hash(links.place_slug(far))}", resolver) == (
        links.PosterLink("sport", None)
    )


# --- the command ------------------------------------------------------------------------


@pytest.mark.slow
def test_poster_pdf_and_png_carry_the_two_deep_links(tmp_path: Path) -> None:
    out = tmp_path / "plakate" / "kinder.pdf"
    done = run_lotse(
        "poster",
        "--interest",
        "kinder-jugend",
        "--place",
        "Hohenprisnitz",  # a typo: the place matcher finds Hohenprießnitz
        "--out",
        str(out),
        db=tmp_path / "lotse.sqlite3",
        env=ENV,
    )
    assert done.returncode == 0, done.stderr
    telegram = f"https://t.me/{BOT}?start={POSTER}"
    web = f"{WEB}/chat?start={POSTER}"
    assert telegram in done.stdout and web in done.stdout
    assert out.read_bytes().startswith(b"%PDF")
    [page] = rendered_pages(out)
    assert decode(page) == {telegram, web}
    png = out.with_suffix(".png")
    assert decode(Image.open(png)) == {telegram, web}
    width, height = Image.open(png).size
    assert abs(width - 1240) <= 1 and abs(height - 1754) <= 1  # A4 at 150 dpi
    text = pdf_text(out)
    # Words from content/texts.yaml and the taxonomy, and the short links to type in.
    for expected in (
        "Kinder & Jugend in Hohenprießnitz: Machen Sie mit!",
        "Netzwerk Engagement im Delitzscher Land",
        "Mit Telegram",
        "Im Browser – ohne App",
        f"t.me/{BOT}?",
        "lotse.example.org/chat?",
    ):
        assert expected in text, expected


def test_a_long_text_leaves_the_codes_whole(tmp_path: Path) -> None:
    """A coordinator's long poster text gets smaller type and is cut with "…"; the QR
    codes below it still fit on the page and scan."""
    codes = (
        render.Code("Mit Telegram", f"https://t.me/{BOT}?start=p-sport", "t.me/x"),
        render.Code("Im Browser", f"{WEB}/chat?start=p-sport", "lotse.example.org/chat"),
    )
    story = "Wir suchen Menschen, die mit anpacken und Ideen haben. " * 60
    poster = render.Poster("Sport in Delitzsch", f"{story}\n\nSCHLUSSSATZ", "Netz", codes, "t")
    pdf = tmp_path / "lang.pdf"
    render.write_pdf(poster, pdf)
    render.write_png(pdf, pdf.with_suffix(".png"))
    assert decode(Image.open(pdf.with_suffix(".png"))) == {code.url for code in codes}
    text = pdf_text(pdf)
    assert "…" in text and "SCHLUSSSATZ" not in text


def test_with_a_whatsapp_number_a_third_code_opens_whatsapp_with_the_payload(
    tmp_path: Path, content: Content
) -> None:
    """WHATSAPP_NUMBER set: a wa.me code beside Telegram and web; its typed-in message ends
    in '#<payload>', which the WhatsApp channel reads like Telegram's /start payload."""
    made = make_poster(
        content,
        interest="kinder-jugend",
        place_name="Hohenprießnitz",
        lang="de",
        bot_username=BOT,
        web_public_url=WEB,
        whatsapp_number="4934201234",
        out=tmp_path / "drei.pdf",
    )
    assert made.whatsapp == (
        f"https://wa.me/4934201234?text=Hallo%21%20Ich%20komme%20vom%20Plakat.%20%23{POSTER}"
    )
    assert decode(Image.open(made.png)) == {made.telegram, made.web, made.whatsapp}
    assert "Mit WhatsApp" in pdf_text(made.pdf) and "wa.me/4934201234" in pdf_text(made.pdf)


@pytest.mark.slow
def test_poster_in_english_uses_the_english_texts(tmp_path: Path) -> None:
    out = tmp_path / "fire.pdf"
    done = run_lotse(
        "poster",
        *("--interest", "rettung-feuerwehr", "--place", "Beerendorf", "--lang", "en"),
        *("--out", str(out)),
        db=tmp_path / "lotse.sqlite3",
        env=ENV,
    )
    assert done.returncode == 0, done.stderr
    text = pdf_text(out)
    assert "Volunteer fire brigade in Beerendorf: join in!" in text and "With Telegram" in text
    payload = "p-rettung-feuerwehr_delitzsch-beerendorf"
    assert decode(Image.open(out.with_suffix(".png"))) == {
        f"https://t.me/{BOT}?start={payload}",
        f"{WEB}/chat?start={payload}",
    }


@pytest.mark.parametrize(
    ("args", "env", "code", "expected"),
    [
        (
            ("--interest", "kinder", "--place", "Delitzsch"),
            ENV,
            1,
            ["Unbekanntes Interesse 'kinder'", "kinder-jugend", "rettung-feuerwehr"],
        ),
        (
            ("--interest", "sport", "--place", "Rödgen"),
            ENV,
            1,
            ["nicht eindeutig", "Rödgen (Delitzsch)", "Rödgen (Zschepplin)"],
        ),
        (("--interest", "sport", "--place", "Xyzdorf"), ENV, 1, ["Unbekannter Ort 'Xyzdorf'"]),
        (("--interest", "sport", "--place", "Leipzig"), ENV, 1, ["außerhalb der Region"]),
        (
            ("--interest", "sport", "--place", "Delitzsch", "--lang", "fr"),
            ENV,
            1,
            ["Unbekannte Sprache 'fr'"],
        ),
        (
            ("--interest", "sport", "--place", "Delitzsch"),
            {"BOT_USERNAME": "", "BOT_TOKEN": ""},
            2,
            ["BOT_USERNAME"],
        ),
    ],
)
@pytest.mark.slow
def test_poster_errors_say_what_to_fix(
    tmp_path: Path, args: tuple[str, ...], env: dict[str, str], code: int, expected: list[str]
) -> None:
    out = tmp_path / "plakat.pdf"
    done = run_lotse("poster", *args, "--out", str(out), db=tmp_path / "lotse.sqlite3", env=env)
    assert done.returncode == code
    for part in expected:
        assert part in done.stderr, done.stderr
    assert not out.exists() and not out.with_suffix(".png").exists()


@pytest.mark.slow
def test_poster_warns_when_the_web_link_points_to_this_computer(tmp_path: Path) -> None:
    out = tmp_path / "probe.pdf"
    args = ("--interest", "sport", "--place", "Delitzsch", "--out", str(out))
    env = {"BOT_USERNAME": BOT, "WEB_PUBLIC_URL": ""}  # unset: the default, 127.0.0.1
    done = run_lotse("poster", *args, db=tmp_path / "lotse.sqlite3", env=env)
    assert done.returncode == 0, done.stderr
    assert "WEB_PUBLIC_URL" in done.stderr and "nur auf diesem Rechner" in done.stderr
    assert "http://127.0.0.1:8080/chat?start=p-sport_delitzsch" in decode(
        Image.open(out.with_suffix(".png"))
    )
    quiet = run_lotse("poster", *args, db=tmp_path / "lotse.sqlite3", env=ENV)
    assert quiet.returncode == 0 and quiet.stderr == ""


@pytest.mark.slow
def test_poster_out_must_be_a_pdf(tmp_path: Path) -> None:
    out = tmp_path / "plakat.png"  # would be overwritten by the PNG
    args = ("--interest", "sport", "--place", "Delitzsch", "--out", str(out))
    done = run_lotse("poster", *args, db=tmp_path / "lotse.sqlite3", env=ENV)
    assert done.returncode == 1 and ".pdf" in done.stderr
    assert not out.exists()


# --- the payload in the conversation ------------------------------------------------------


async def conversation(db: Database, channel: str, user: str) -> Conversation:
    async with db.session() as session:
        person = await session.scalar(
            select(User).where(User.channel == channel, User.external_id == user)
        )
        assert person is not None
        row = await session.get(Conversation, person.id)
        assert row is not None
        return row


async def entry_counts(db: Database) -> dict[tuple[str, str], tuple[int, int]]:
    async with db.session() as session:
        rows = await session.scalars(select(EntryCount))
        return {(r.source, r.channel): (r.started, r.leads) for r in rows}


@pytest.fixture
async def any_db(any_db_url: str) -> AsyncIterator[Database]:
    database = Database(any_db_url)
    await database.migrate()
    yield database
    await database.close()


def chat_on(engine: DialogEngine, channel: str, user: str) -> Chat:
    chat = Chat(engine, user=user)
    chat.sender = Sender(channel, user, "de")
    return chat


async def test_poster_payload_sets_interest_and_place_and_counts(
    any_db: Database, content: Content, matchers: Matchers
) -> None:
    engine = DialogEngine(content, any_db, matchers)
    scanner = chat_on(engine, "telegram", "4711")
    await scanner.say(f"/start {POSTER}")
    assert "Verstanden: Kinder & Jugend in Hohenprießnitz (Zschepplin)." in scanner.text
    assert "einmal mit anpacken oder sich regelmäßig" in scanner.text  # the `poster` step
    row = await conversation(any_db, "telegram", "4711")
    assert row.step == "time_kind"
    assert row.answers["interests"] == ["kinder-jugend"]
    assert (row.answers["place"]["name"], row.answers["place"]["gemeinde"]) == (
        "Hohenprießnitz",
        "Zschepplin",
    )
    assert row.answers["source"] == POSTER
    await scanner.say("zurück")  # to the place question, to correct the village
    assert "In welchem Ort wohnen Sie?" in scanner.text
    await scanner.say("Hohenprießnitz")
    await scanner.press("Regelmäßig")
    await scanner.press("Abends")
    await scanner.press("👉 1.")
    await scanner.press("Ja")
    await scanner.say("Maria")
    await scanner.say("0171 2345678")
    assert "Anfrage" in scanner.text
    web = chat_on(engine, "web", "browser-session-1")
    await web.say(f"/start {POSTER}")
    assert "Hohenprießnitz" in web.text
    assert await entry_counts(any_db) == {
        (POSTER, "telegram"): (1, 1),
        (POSTER, "web"): (1, 0),
    }
    async with any_db.session() as session:
        visits = (await session.scalars(select(StepVisit))).all()
    # Two people scanned and landed there; the one who came back from the place counts once.
    assert len({v.person for v in visits if v.step == "time_kind"}) == 2


async def test_unknown_village_acts_like_the_interest_link(
    any_db: Database, content: Content, matchers: Matchers
) -> None:
    engine = DialogEngine(content, any_db, matchers)
    old = chat_on(engine, "telegram", "1")
    await old.say("/start p-sport_verschwundenes-dorf")
    assert "Sport" in old.text and "In welchem Ort wohnen Sie?" in old.text
    assert (await conversation(any_db, "telegram", "1")).answers["interests"] == ["sport"]
    broken = chat_on(engine, "telegram", "2")
    await broken.say("/start p-keinthema_delitzsch")  # unknown interest: start from the top
    assert "nicht mehr aktuell" in broken.text and "willkommen" in broken.text.lower()
    forged = chat_on(engine, "web", "3")
    await forged.say("/start p-sport_delitzsch<script>")  # not a valid payload
    assert "nicht mehr aktuell" in forged.text
    link = chat_on(engine, "telegram", "4")
    await link.say("/start i-sport")
    typo = chat_on(engine, "telegram", "5")
    await typo.say(f"/start {POSTER}x")  # the village found by the place matcher
    assert "Hohenprießnitz" in typo.text
    # Only links the project issued have rows, posters in their canonical form; anything
    # made up is one number (issue #18, point 7).
    assert await entry_counts(any_db) == {
        (links.UNKNOWN, "telegram"): (2, 0),
        (links.UNKNOWN, "web"): (1, 0),
        ("i-sport", "telegram"): (1, 0),
        (POSTER, "telegram"): (1, 0),
    }


async def test_report_folds_links_nobody_issued_into_one_row(
    any_db: Database, content: Content, clock: ManualClock
) -> None:
    """Rows counted before only issued links were counted are folded as well."""
    today = today_in("Europe/Berlin")
    async with any_db.session() as session, session.begin():
        for source, channel in [
            ("p-sport_verschwundenes-dorf", "telegram"),
            ("p-sport_irgendwas-ausgedachtes", "web"),
            ("p-erfunden_delitzsch", "telegram"),
            ("x-beliebig", "telegram"),
            ("i-sport", "telegram"),
            (POSTER, "web"),
        ]:
            await repo.count_entry(session, today, source, channel)
        await repo.count_entry(session, today, "p-sport_verschwundenes-dorf", "telegram", lead=True)
    async with any_db.session() as session:
        report = await build_report(
            session, content, Period.last_days(today, ZoneInfo("Europe/Berlin"))
        )
    rows = {row.source: row for row in report.entries}
    assert set(rows) == {links.UNKNOWN, "i-sport", POSTER}
    unknown = rows[links.UNKNOWN]
    assert unknown.started == {"telegram": 3, "web": 1} and unknown.leads == 1
    assert unknown.target.startswith("unbekannte Links")


# --- the report -------------------------------------------------------------------------


@pytest.mark.slow
async def test_report_shows_which_poster_brought_how_many(
    tmp_path: Path, content: Content, matchers: Matchers
) -> None:
    path = tmp_path / "lotse.sqlite3"
    db = Database(f"sqlite+aiosqlite:///{path}")
    await db.migrate()
    engine = DialogEngine(content, db, matchers)
    for user in ("a", "b", "c"):
        await chat_on(engine, "telegram", user).say(f"/start {POSTER}")
    await chat_on(engine, "web", "d").say(f"/start {POSTER}")
    await chat_on(engine, "telegram", "e").say("/start i-rettung-feuerwehr")
    await chat_on(engine, "telegram", "e").say("/start i-rettung-feuerwehr")  # twice: counts 2
    await chat_on(engine, "telegram", "f").say("/start o-dz-tafel-ausgabe")
    await db.close()

    text = run_lotse("report", db=path)
    assert text.returncode == 0, text.stderr
    section = text.stdout.split("Plakate und Links\n", 1)[1].split("\n\n", 1)[0]
    lines = section.splitlines()[1:]  # under the heading's ===
    assert lines[0].split() == ["Quelle", "Ziel", "Telegram", "Web-Chat", "Gespräche", "Anfragen"]
    poster = next(line for line in lines if line.startswith(POSTER))
    assert "Plakat: Kinder & Jugend · Hohenprießnitz (Zschepplin)" in poster
    # 1 web conversation shows as "<3"; then 4 − 3 would give it away, so 3 shows as "·"
    assert poster.split()[-4:] == ["·", "<3", "4", "0"]
    link = next(line for line in lines if line.startswith("i-rettung-feuerwehr"))
    assert link.split()[-4:] == ["<3", "0", "<3", "0"]
    title = next(o.title for o in content.offers if o.id == "dz-tafel-ausgabe")
    assert f"Link: Angebot „{title}“" in next(x for x in lines if x.startswith("o-dz-tafel"))
    assert lines.index(poster) < lines.index(link)  # the busiest first

    done = run_lotse("report", "--format", "csv", db=path)
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    mine = {r["metric"]: r["value"] for r in rows if r["source"] == POSTER}
    assert mine == {
        "conversations_telegram": "·",
        "conversations_web": "<3",
        "conversations": "4",
        "leads": "0",
    }
    assert {r["gemeinde"] for r in rows if r["source"] == POSTER} == {"Zschepplin"}
    for row in rows:
        if row["section"] == "plakat":
            assert row["value"] not in {"1", "2"}, row

    page = run_lotse("report", "--format", "html", db=path).stdout
    assert 'id="h-entries">Plakate und Links' in page
    assert f'<th scope="row">{POSTER}</th>' in page and "<td>&lt;3</td>" in page
