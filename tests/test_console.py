"""The terminal chat as a newcomer uses it: a scripted conversation piped into `lotse chat`."""

from __future__ import annotations

import io
import json
import threading
from pathlib import Path

import pytest

from bot.console import run_chat
from bot.content.model import Content
from bot.dialogs.engine import DialogEngine
from bot.dialogs.turn import Matchers
from bot.store.db import Database
from tests.helpers.chat import run_lotse

ROOT = Path(__file__).resolve().parent.parent

SCRIPT = """Hallo
1
was mit Kinderr und Jugendfeuerwer
Delizsch-Beerendorf
regelmässig
abends
1
ja
Maria
0171 2345678
"""


@pytest.mark.slow
def test_scripted_conversation_ends_with_lead_for_lotse_of_gemeinde(tmp_path: Path) -> None:
    db = tmp_path / "chat.sqlite3"
    chat = run_lotse("chat", stdin=SCRIPT, db=db)
    assert chat.returncode == 0, chat.stderr
    assert "[1] 🙋 Ich möchte mich engagieren" in chat.stdout
    assert "📍 Beerendorf (Delitzsch)" in chat.stdout
    assert "Benachrichtigung an Anna Beispiel" in chat.stdout
    assert "Traceback" not in chat.stdout + chat.stderr

    leads = run_lotse("leads", "--json", db=db)
    assert leads.returncode == 0, leads.stderr
    [lead] = json.loads(leads.stdout)
    assert lead["gemeinde"] == "Delitzsch" and lead["place"] == "Beerendorf"
    assert lead["lotse"] == "lotse-delitzsch" and lead["status"] == "offered"
    assert "rettung" in lead["interests"]
    assert "contact" not in lead  # the overview carries no contact details

    table = run_lotse("leads", db=db)
    assert "lotse-delitzsch" in table.stdout and "Delitzsch" in table.stdout


@pytest.mark.slow
def test_conversation_continues_in_a_new_process(tmp_path: Path) -> None:
    db = tmp_path / "resume.sqlite3"
    run_lotse("chat", stdin="Hallo\n1\nSport\n", db=db)
    second = run_lotse("chat", stdin="Taucha\n", db=db)
    assert "📍 Taucha" in second.stdout
    assert "einmal mit anpacken oder sich regelmäßig" in second.stdout


DETAILS_SCRIPT = """Hallo
1
was mit Kindern
Delitzsch
regelmässig
abends
5
2
mehr zu 1
1
"""


def test_offer_details_by_number_and_by_words_then_consent(tmp_path: Path) -> None:
    """In the terminal the details buttons are numbered like all others: [5] opens the
    second offer, [2] goes back to the list, [1] of the details chooses the offer."""
    chat = run_lotse("chat", stdin=DETAILS_SCRIPT, db=tmp_path / "details.sqlite3")
    assert chat.returncode == 0, chat.stderr
    out = chat.stdout
    listed = out.split("\n> 5\n")[0].rsplit("\n> abends\n", 1)[1]
    assert "[4] ℹ️ Mehr zu 1\n[5] ℹ️ Mehr zu 2\n[6] ℹ️ Mehr zu 3\n" in listed
    opened = out.split("\n> 5\n")[1].split("\n> 2\n")[0]
    assert "\nℹ️ 2. " in opened and "🗓 Wann:" in opened and "👥 Wer steht dahinter:" in opened
    assert "[1] ✅ Das möchte ich\n[2] ↩️ Zurück zur Liste\n" in opened
    back = out.split("\n> 2\n")[1].split("\n> mehr zu 1\n")[0]
    assert back == listed  # the same list, same order, nothing asked again
    typed = out.split("\n> mehr zu 1\n")[1].split("\n> 1\n")[0]
    assert "\nℹ️ 1. " in typed
    assert "Sind Sie damit einverstanden?" in out.rsplit("\n> 1\n", 1)[1]
    assert "Traceback" not in out + chat.stderr


def test_database_file_is_created_on_first_run(tmp_path: Path) -> None:
    db = tmp_path / "nested" / "dir" / "new.sqlite3"
    result = run_lotse("chat", stdin="/start\n", db=db)
    assert result.returncode == 0 and db.exists()


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


async def test_the_classifiers_learn_while_the_person_types(content: Content, db: Database) -> None:
    """In the interactive chat the first answer does not wait 2–3 s for learning: it
    happens in a thread while the greeting is read and the first message typed."""
    engine = DialogEngine(content, db, Matchers.build(content))  # nothing learnt yet
    assert not engine.matchers.understanding.ready and not engine.matchers.faq.ready
    prompts: list[bool] = []

    def type_once(prompt: str) -> str:
        if prompts:
            raise EOFError
        for thread in threading.enumerate():
            if thread.name == "lotse-learn":
                thread.join()  # (done by the time a person has typed anything)
        prompts.append(engine.matchers.understanding.ready and engine.matchers.faq.ready)
        return "Hallo"

    out = io.StringIO()
    await run_chat(engine, "console-1", None, stdin=Terminal(), out=out, read_line=type_once)
    assert prompts == [True]
    assert "Tschüss" in out.getvalue()
