"""WhatsApp's rules for one message, without network: buttons, lists, numbered text, limits;
and the webhook's JSON and signature read defensively."""

from __future__ import annotations

import hashlib
import hmac

from bot.messages import Attachment, Button, Message
from bot.payloads import Nav
from bot.whatsapp.inbound import parse, signed
from bot.whatsapp.render import MAX_BODY, MAX_TEXT, Words, render

WORDS = Words("Auswählen", "Antworten Sie mit der Nummer.", "Keine Datei.")


def choices(count: int, label: str = "Wahl") -> tuple[Button, ...]:
    return tuple(Button(f"{label} {n}", f"s:step:{n}") for n in range(1, count + 1))


def test_up_to_three_short_choices_are_reply_buttons() -> None:
    [sent] = render(Message("Passt das?", choices(3)), WORDS)
    interactive = sent["interactive"]
    assert interactive["type"] == "button"
    assert [b["reply"]["title"] for b in interactive["action"]["buttons"]] == [
        "Wahl 1",
        "Wahl 2",
        "Wahl 3",
    ]
    assert interactive["action"]["buttons"][0]["reply"]["id"] == "s:step:1"


def test_long_labels_or_four_to_ten_choices_are_a_list_with_the_whole_label() -> None:
    long = (Button("🙋 Ich möchte mich engagieren", "s:start:volunteer"), Button("Nein", "s:x:n"))
    [sent] = render(Message("Was möchten Sie tun?", long), WORDS)
    assert sent["interactive"]["type"] == "list"
    [row, short] = sent["interactive"]["action"]["sections"][0]["rows"]
    assert len(row["title"]) <= 24 and row["title"].endswith("…")
    assert row["description"] == "🙋 Ich möchte mich engagieren"
    assert "description" not in short
    [ten] = render(Message("Eine von zehn", choices(10)), WORDS)
    assert ten["interactive"]["type"] == "list"
    assert len(ten["interactive"]["action"]["sections"][0]["rows"]) == 10
    assert ten["interactive"]["action"]["button"] == "Auswählen"


def test_more_than_ten_choices_are_numbered_text() -> None:
    [sent] = render(Message("Welcher Ort?", choices(11, "Ort")), WORDS)
    body = sent["text"]["body"]
    assert sent["type"] == "text"
    assert "1. Ort 1" in body and "11. Ort 11" in body and "mit der Nummer" in body


def test_long_texts_are_split_and_choices_ride_with_the_last_part() -> None:
    text = ("Ein Satz mit einigen Wörtern. " * 200).strip()  # about 6,000 characters
    plain = render(Message(text), WORDS)
    assert len(plain) == 2 and all(len(p["text"]["body"]) <= MAX_TEXT for p in plain)
    with_buttons = render(Message(text, choices(2)), WORDS)
    *before, last = with_buttons
    assert all(p["type"] == "text" for p in before)
    assert len(last["interactive"]["body"]["text"]) <= MAX_BODY
    joined = " ".join([*(p["text"]["body"] for p in before), last["interactive"]["body"]["text"]])
    assert joined.split() == text.split()  # nothing lost but whitespace


def test_a_location_question_asks_for_the_pin_and_files_are_named() -> None:
    back = Button("↩️ zurück", Nav(to="back").pack())
    [sent] = render(Message("In welchem Ort?", (back,), request_location=True), WORDS)
    assert sent["interactive"]["type"] == "location_request_message"
    [export] = render(Message("Ihre Daten", attachment=Attachment("a.json", b"{}")), WORDS)
    assert export["text"]["body"].endswith("Keine Datei.")


def test_signature_is_hmac_sha256_of_the_raw_body() -> None:
    raw = b'{"object":"whatsapp_business_account"}'
    good = "sha256=" + hmac.new(b"secret", raw, hashlib.sha256).hexdigest()
    assert signed(raw, good, "secret")
    assert not signed(raw + b" ", good, "secret")
    assert not signed(raw, good, "other")
    assert not signed(raw, good, None)  # no app secret configured: nothing is trusted
    assert not signed(raw, None, "secret")
    assert not signed(raw, good.removeprefix("sha256="), "secret")


def test_the_webhook_json_is_read_defensively() -> None:
    def body(value: object) -> dict:
        return {
            "object": "whatsapp_business_account",
            "entry": [{"changes": [{"field": "messages", "value": value}]}],
        }

    assert parse({"object": "page"}, None) == ([], [])
    assert parse(body("nonsense"), None) == ([], [])
    messages, _ = parse(
        body(
            {
                "metadata": {"phone_number_id": "1"},
                "messages": [
                    {"from": "49", "id": "a", "type": "text", "text": {"body": "Hi"}},
                    {"from": "49", "id": "b", "type": "image", "image": {"id": "9"}},
                    {"from": "49", "id": "c", "type": "location", "location": {"latitude": "x"}},
                    {"id": "d", "type": "text"},  # no sender: skipped
                    {
                        "from": "49",
                        "id": "e",
                        "type": "interactive",
                        "interactive": {"type": "list_reply", "list_reply": {"id": "s:a:b"}},
                    },
                ],
            }
        ),
        "1",
    )
    assert [(m.id, m.kind) for m in messages] == [
        ("a", "text"),
        ("b", "unsupported"),
        ("c", "unsupported"),
        ("e", "button"),
    ]
    other_number = body({"metadata": {"phone_number_id": "2"}, "messages": [{"from": "49"}]})
    assert parse(other_number, "1") == ([], [])
