"""The shape of every content file, as pydantic models.

Field-level rules live here; rules that look across files (a step names another step,
an offer names a place) live in `validate.py`.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Slug = str  # lowercase id; the pattern is enforced by Field(pattern=...) where used
SLUG_PATTERN = r"^[a-z0-9][a-z0-9-]{0,39}$"
Slot = Literal["weekday", "evening", "weekend"]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


# --- texts.yaml -----------------------------------------------------------------------


class TextsFile(Strict):
    languages: list[str] = Field(min_length=1)
    texts: dict[str, dict[str, str]]


# --- dialog.yaml ----------------------------------------------------------------------

StepKind = Literal[
    "menu",
    "choice",
    "interests",
    "place",
    "offers",
    "consent",
    "text",
    "contact",
    "lead",
    "question",
    "info",
]


class Option(Strict):
    """A button. `label` is a text key; `value` is what gets saved; `next` overrides the step's."""

    label: str
    value: str | None = None
    next: str | None = None
    synonyms: list[str] = []


class Step(Strict):
    kind: StepKind
    text: str
    next: str | None = None
    save: str | None = None
    options: list[Option] = []
    texts: dict[str, str] = {}
    multiple: bool = False  # choice: typed text may name several options
    facts: list[Literal["travel", "hours"]] = []  # also read these from typed answers
    max_length: int = Field(default=200, ge=1, le=2000)  # text: longest answer taken
    lead_kind: str | None = None
    # lead: answers carried into the lead for the Lotse, answer key → text key of its label
    details: dict[str, str] = {}


class TravelRule(Strict):
    """Words that tell how far someone can travel, e.g. "ohne Auto" → 5 km."""

    max_km: float = Field(gt=0, le=200)
    synonyms: list[str] = Field(min_length=1)


class DialogFile(Strict):
    start: str
    # Words that go back or start over at any step, e.g. {back: [zurück], restart: [neu starten]}
    navigation: dict[Literal["back", "restart", "help", "greeting"], list[str]] = {}
    travel: list[TravelRule] = []
    deeplinks: dict[Literal["interest", "offer"], str] = {}
    steps: dict[str, Step]


# --- taxonomy.yaml --------------------------------------------------------------------


class Subtopic(Strict):
    id: str = Field(pattern=SLUG_PATTERN)
    label: dict[str, str]
    synonyms: list[str] = []


class Interest(Strict):
    id: str = Field(pattern=SLUG_PATTERN)
    emoji: str = ""
    label: dict[str, str]
    synonyms: list[str] = []
    subtopics: list[Subtopic] = []


class TaxonomyFile(Strict):
    interests: list[Interest]


# --- places.yaml ----------------------------------------------------------------------


class Ortsteil(Strict):
    name: str = Field(min_length=1)
    lat: float | None = Field(default=None, ge=-90, le=90)
    lon: float | None = Field(default=None, ge=-180, le=180)
    approximate: bool = False
    aliases: list[str] = []


class Gemeinde(Strict):
    name: str = Field(min_length=1)
    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)
    aliases: list[str] = []
    ortsteile: list[Ortsteil]


class OutsidePlace(Strict):
    name: str = Field(min_length=1)
    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)
    aliases: list[str] = []


class PlacesFile(Strict):
    gemeinden: list[Gemeinde] = Field(min_length=1)
    outside: list[OutsidePlace] = []


# --- offers.yaml ----------------------------------------------------------------------


class Schedule(Strict):
    kind: Literal["regular", "once", "flexible"]
    slots: list[Slot] = []
    text: str
    short: str = Field(max_length=30)
    hours_per_week: float | None = Field(default=None, ge=0, le=80)
    date: dt.date | None = None


class Offer(Strict):
    id: str = Field(pattern=SLUG_PATTERN)
    title: str = Field(min_length=3, max_length=80)
    organisation: str
    place: str
    gemeinde: str | None = None
    interests: list[str] = Field(min_length=1)
    summary: str
    needed: str = ""
    schedule: Schedule
    contact: str
    updated: dt.date
    example: bool = False
    # Imported offers (`lotse offers import`): where they came from, so a re-import finds them
    # again; offers that left their source are archived (kept, never shown), not deleted.
    source: str | None = None  # "freinet" or "csv"
    source_id: str | None = None
    archived: bool = False
    url: str | None = None
    description: str = ""  # longer plain text, e.g. Freinet's HTML description stripped


class OffersFile(Strict):
    offers: list[Offer]


# --- freinet-mapping.yaml -------------------------------------------------------------


class FreinetDefaults(Strict):
    """What Freinet does not say about an offer, filled in the same way for all of them."""

    contact: str = Field(min_length=1)
    schedule_text: str = Field(min_length=1)
    schedule_short: str = Field(min_length=1, max_length=30)
    # Link to an offer's page; {id} is Freinet's angebotsId, e.g. the agency's iframe detail.
    detail_url: str | None = None


class FreinetMappingFile(Strict):
    """Freinet's Tätigkeitsbereiche and Zielgruppen → our taxonomy ids ([] = known, no id)."""

    defaults: FreinetDefaults
    areas: dict[str, list[str]]
    target_groups: dict[str, list[str]] = {}


# --- lotsen.yaml ----------------------------------------------------------------------


class Absence(Strict):
    """A holiday or other absence; leads go to a deputy or the coordinators meanwhile."""

    start: dt.date = Field(alias="from")
    end: dt.date = Field(alias="to")


class Lotse(Strict):
    id: str = Field(pattern=SLUG_PATTERN)
    name: str
    gemeinden: list[str] = Field(min_length=1)
    topics: list[str] = []
    deputies: list[str] = []  # Lotse ids, asked in this order when this Lotse cannot
    absent: list[Absence] = []
    max_open: int | None = Field(default=None, ge=1)  # open leads at most
    telegram_id: int | None = None
    example: bool = False

    def away(self, day: dt.date) -> bool:
        return any(a.start <= day <= a.end for a in self.absent)


class LotsenFile(Strict):
    lotsen: list[Lotse]


# --- leads.yaml -----------------------------------------------------------------------


class QuietHours(Strict):
    """No messages to citizens in this window (local time); they wait until it ends."""

    start: dt.time = Field(default=dt.time(21, 0), alias="from")
    end: dt.time = Field(default=dt.time(8, 0), alias="to")


class Digest(Strict):
    weekday: Literal[
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"
    ] = "monday"
    time: dt.time = dt.time(8, 0)


class Retention(Strict):
    """How long personal data is kept (DSGVO); afterwards only anonymous counts remain."""

    conversations_days: int = Field(default=30, ge=1)  # unfinished conversations
    closed_leads_days: int = Field(default=365, ge=1)  # closed leads, counted from closing
    messages_days: int = Field(default=30, ge=1)  # delivered notifications


class LeadsFile(Strict):
    """When the bot follows up on leads. All times are in `timezone`."""

    timezone: str = "Europe/Berlin"
    remind_after_hours: float = Field(default=24, gt=0)
    escalate_after_hours: float = Field(default=72, gt=0)
    outcome_reminder_after_days: float = Field(default=7, gt=0)
    followup_after_days: float = Field(default=14, gt=0)
    expire_after_days: float = Field(default=60, gt=0)
    quiet_hours: QuietHours = QuietHours()
    digest: Digest = Digest()
    retention: Retention = Retention()


# --- knowledge/*.yaml -----------------------------------------------------------------


class FaqEntry(Strict):
    id: str = Field(pattern=SLUG_PATTERN)
    questions: list[str] = Field(min_length=1)
    # Words people use for this topic that the phrasings do not contain (colloquial,
    # English, situations: "kaputt", "wer zahlt" …); they count like words of a phrasing.
    keywords: list[str] = []
    answer: str = Field(min_length=1, max_length=3500)
    source: str
    checked: dt.date
    related: list[str] = []


class KnowledgeFile(Strict):
    faq: list[FaqEntry]


# Text roles each step kind shows besides its question, with the default text key.
# A step may point a role at another key with `texts: {role: key}`.
KIND_TEXTS: dict[str, dict[str, str]] = {
    "menu": {"unknown": "menu_unknown"},
    "choice": {"unknown": "choice_unknown"},
    "interests": {
        "unknown": "choice_unknown",
        "unsure": "interests_unsure",
        "understood": "interests_understood",
    },
    "place": {
        "unknown": "choice_unknown",
        "ambiguous": "place_ambiguous",
        "unsure": "place_unsure",
        "not_found": "place_not_found",
        "outside": "place_outside",
        "understood": "place_understood",
    },
    "offers": {
        "unknown": "choice_unknown",
        "intro": "offers_intro",
        "weak": "offers_weak",
        "none": "offers_none",
        "general": "btn_general",
    },
    "consent": {"unknown": "choice_unknown", "declined": "consent_declined"},
    "text": {"unknown": "choice_unknown", "too_long": "text_too_long"},
    "contact": {"unknown": "contact_invalid", "invalid": "contact_invalid"},
    "lead": {
        "unknown": "choice_unknown",
        "lotse_notice": "lead_notification",
        "no_lotse": "lead_no_lotse",
    },
    "question": {"unknown": "faq_unknown", "answer": "faq_answer"},
    "info": {"unknown": "choice_unknown"},
}
# Kinds whose buttons come from `options` and so need at least one.
KINDS_WITH_OPTIONS = {"menu", "choice", "consent", "info"}
# Kinds that move on by themselves and so need `next`.
KINDS_WITH_NEXT = {"interests", "place", "text", "contact", "choice", "offers"}

# Text keys the code itself uses (outside any step); `lotse check` makes sure they exist.
CODE_TEXTS = tuple(
    """
btn_back help stale_button unsupported empty unknown_command error coordination_name
consent_declined interests_understood btn_offer offer_line distance_km distance_here
choose_language language_set deeplink_offer deeplink_unknown lotse_welcome invite_invalid
only_lotse only_coordinator lead_card lead_card_contact contact_via_chat lotse_not_yours
lotse_action_invalid lotse_declined lead_declined_note lotse_write_prompt lotse_message
lotse_message_sent lead_taken my_leads_header my_leads_none stats stats_line stats_none
reload_ok reload_failed group_hint flood btn_share_location edited_hint cmd_start cmd_hilfe
cmd_neu cmd_sprache cmd_meine_leads cmd_stats cmd_reload btn_withdraw withdrawn
lead_withdrawn_note reminder_note escalated_note escalated_away escalated_citizen outcome_note
followup_question btn_followup_yes btn_followup_partly btn_followup_no followup_thanks
expired_citizen lead_expired_note digest privacy_notice my_data_person my_data_conversation
my_data_request my_data_nothing my_data_footer erase_confirm btn_erase_yes btn_erase_no erased
erase_cancelled lead_erased_note cmd_meine_daten cmd_loeschen cmd_datenschutz faq_answer_aside
status_created status_new status_offered status_accepted status_contacted status_placed
status_not_fit status_unreachable status_withdrawn status_expired
btn_lead_accept btn_lead_decline btn_lead_write btn_lead_contacted btn_lead_placed
btn_lead_not_fit btn_lead_unreachable
""".split()
)
