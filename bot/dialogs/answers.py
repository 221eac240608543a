"""Answering questions wherever they come up in a conversation."""

from __future__ import annotations

from bot.content.schema import FaqEntry
from bot.dialogs.turn import Turn
from bot.messages import Button, Message
from bot.payloads import FaqAnswer, Handoff
from bot.text import fold

# A question typed in the middle of the dialogue is answered only when the bot is this
# sure (stricter than on the question step, so that answers are not mistaken for questions).
ASIDE_SCORE = 0.55
# Without a "?", only a verb-first question counts ("Bin ich versichert"); "was mit
# Kindern" or "wo ich wohne" are answers, not questions.
QUESTION_STARTS = frozenset(
    "brauche brauch muss kann darf bin ist sind gibt bekomme bekommt krieg kriege habe hab "
    "do does am can is are".split()
)
MAX_QUESTION = 1000  # longer questions are cut before they are passed on


def looks_like_question(text: str) -> bool:
    words = fold(text).split()
    return "?" in text or (bool(words) and words[0] in QUESTION_STARTS)


def answer_message(turn: Turn, entry: FaqEntry, key: str = "faq_answer_aside") -> Message:
    """The answer with its source and date, and related questions as buttons."""
    # {/meine_daten} in an answer: as the person's channel gives it (a button on the web).
    answer = turn.content.commands(entry.answer.strip(), turn.lang, turn.user.channel)
    text = turn.t(key, answer=answer, source=entry.source, checked=f"{entry.checked:%d.%m.%Y}")
    return Message(text, tuple(question_buttons(turn.matchers.faq.related(entry))))


def question_buttons(entries: list[FaqEntry]) -> list[Button]:
    """One button per entry (at most three), labelled with its first question."""
    return [
        Button(f"❓ {entry.questions[0]}"[:60], FaqAnswer(entry.id).pack()) for entry in entries[:3]
    ]


def entry_for(turn: Turn, pressed: FaqAnswer) -> FaqEntry | None:
    """The entry a related-question button names; None once it is gone from the content."""
    return next((e for e in turn.content.faq if e.id == pressed.entry), None)


def remember_question(turn: Turn, text: str) -> Button:
    """Keep the question for a possible handoff; the button that offers it."""
    turn.state.pending["question"] = text[:MAX_QUESTION]
    return Button(turn.t("btn_ask_human"), Handoff("ask").pack())
