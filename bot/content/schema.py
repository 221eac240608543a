"""The shape of every content file, as pydantic models.

Field-level rules live here; rules that look across files (a step names another step,
an offer names a place) live in `validate.py`.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, NonNegativeInt, PositiveInt

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
    "events",
    "submit_offer",
]


class Option(Strict):
    """A button. `label` is a text key; `value` is what gets saved; `next` overrides the step's."""

    label: str
    value: str | None = None
    next: str | None = None
    synonyms: list[str] = []


class Step(Strict):
    kind: StepKind
    report_label: str | None = None  # the step's German name in `lotse report` ("Wohnort")
    text: str
    next: str | None = None
    save: str | None = None
    options: list[Option] = []
    texts: dict[str, str] = {}
    multiple: bool = False  # choice: typed text may name several options
    facts: list[Literal["travel", "hours"]] = []  # also read these from typed answers
    max_length: int = Field(default=200, ge=1, le=2000)  # text: longest answer taken
    min_length: int = Field(default=1, ge=1, le=200)  # text: shortest answer taken
    lead_kind: str | None = None
    # lead: answers carried into the lead for the Lotse, answer key → text key of its label
    details: dict[str, str] = {}
    place_step: str | None = None  # events: the step that asks the place when it is unknown
    # offers: words that ask about one offer of the list ("mehr zu 2", "was ist das erste?")
    more_words: list[str] = []


class TravelRule(Strict):
    """Words that tell how far someone can travel, e.g. "ohne Auto" → 5 km."""

    max_km: float = Field(gt=0, le=200)
    synonyms: list[str] = Field(min_length=1)


class DialogFile(Strict):
    start: str
    # Words that go back or start over at any step, e.g. {back: [zurück], restart: [neu starten]}
    navigation: dict[Literal["back", "restart", "help", "greeting"], list[str]] = {}
    travel: list[TravelRule] = []
    deeplinks: dict[Literal["interest", "offer", "poster"], str] = {}
    steps: dict[str, Step]


# --- taxonomy.yaml --------------------------------------------------------------------


class Subtopic(Strict):
    id: str = Field(pattern=SLUG_PATTERN)
    label: dict[str, str]
    synonyms: list[str] = []
    # areas the activity belongs to as well, read after its own ("Kirchenchor": kirche,
    # then kultur); top-level ids
    also: list[str] = []


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
    # The municipality beyond the border the place belongs to ("Tiefensee" → "Bad Düben"):
    # the bot names it, and it tells apart two villages of the same name.
    gemeinde: str | None = Field(default=None, min_length=1)
    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)
    # The coordinate is the municipality's, as no source gives the village's own: the bot
    # still knows the name (and measures from the municipality), a shared location never
    # resolves to it.
    approximate: bool = False
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
    # Freinet sent no mapped area: the interests were read from the offer's own title and
    # description by the dialogue's interest matcher, and a coordinator should check them.
    interests_inferred: bool = False
    summary: str
    needed: str = ""  # what a volunteer should bring or be able to do
    accessibility: str = ""  # step-free access, parking, who it suits; shown in the details
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


# --- events.yaml ----------------------------------------------------------------------


def _clock_time(value: object) -> object:
    """'14:00', '14.00', '14 Uhr' – and 14:00 without quotes, which YAML reads as the
    number 840 (minutes, base 60). A bare 14 means 14:00, not 0:14."""
    if isinstance(value, bool):
        raise ValueError('keine gültige Uhrzeit – z. B. "14:30" angeben')
    if isinstance(value, int):
        hours, minutes = (value, 0) if value < 24 else divmod(value, 60)
        if value < 24 or (value >= 60 and hours < 24):
            return dt.time(hours, minutes)
        raise ValueError(
            f"keine gültige Uhrzeit {hours}:{minutes:02d} – bitte in Anführungszeichen, "
            'z. B. "14:30"'
        )
    if isinstance(value, str):
        found = re.fullmatch(r"\s*(\d{1,2})(?:[:.](\d{2}))?\s*(?:Uhr)?\s*", value)
        if found and int(found[1]) < 24 and int(found[2] or 0) < 60:
            return dt.time(int(found[1]), int(found[2] or 0))
        raise ValueError(f'keine gültige Uhrzeit {value!r} – Format HH:MM, z. B. "14:30"')
    return value


ClockTime = Annotated[dt.time, BeforeValidator(_clock_time)]


class LocalEvent(Strict):
    """Something happening in the region: a Weihnachtsmarkt, a Blutspende, an Arbeitseinsatz."""

    title: str = Field(min_length=3, max_length=80)
    date: dt.date
    time: ClockTime | None = None  # start time
    end_time: ClockTime | None = None
    end_date: dt.date | None = None  # last day of an event over several days
    place: str  # Ortsteil or Gemeinde as in places.yaml
    gemeinde: str | None = None  # needed only where a name exists twice (Rödgen)
    venue: str = Field(default="", max_length=80)  # e.g. "Dorfgemeinschaftshaus"
    description: str = Field(min_length=1, max_length=400)
    link: str | None = None  # http(s) only
    example: bool = False

    @property
    def last_day(self) -> dt.date:
        return self.end_date or self.date


class EventsFile(Strict):
    """The regional calendar and how much of it the bot shows at once."""

    weeks: int = Field(default=6, ge=1, le=52)  # how far ahead the bot looks
    radius_km: float = Field(default=15, gt=0, le=200)  # "near" a person's place
    max_shown: int = Field(default=8, ge=1, le=20)  # events in one answer
    events: list[LocalEvent] = []


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


PHONE_PATTERN = r"^\+?[0-9][0-9 /()–-]{3,30}[0-9]$"  # "034202 61234", "+49 341 1234-56"


class Lotse(Strict):
    id: str = Field(pattern=SLUG_PATTERN)
    name: str
    # How the texts introduce this Lotse to a person: "Ihre Engagementlotsin", "Ihr
    # Engagementlotse" or a neutral form (texts lotse_title_*). Files from before the
    # field keep their wording: the default is today's "Lotse".
    anrede: Literal["lotsin", "lotse", "neutral"] = "lotse"
    gemeinden: list[str] = Field(min_length=1)
    topics: list[str] = []
    deputies: list[str] = []  # Lotse ids, asked in this order when this Lotse cannot
    absent: list[Absence] = []
    max_open: int | None = Field(default=None, ge=1)  # open leads at most
    telegram_id: int | None = None
    # A number the Lotse agreed to have printed on posters for their Gemeinde (`lotse
    # poster`); never taken from anywhere else: a private number stays private.
    poster_phone: str | None = Field(default=None, pattern=PHONE_PATTERN)
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


class OfferRules(Strict):
    """Offers that Vereine enter in the chat: how long they are shown, when to ask."""

    valid_days: int = Field(default=180, ge=1)  # shown this long after approval or extension
    ask_before_days: int = Field(default=14, ge=1)  # "still current?" this long before


class SecondContact(Strict):
    """A Lotse who gets a lead that has waited this long with the coordinators (once)."""

    after_days: float = Field(gt=0)
    lotse: str = Field(pattern=SLUG_PATTERN)  # an id from lotsen.yaml


class LeadsFile(Strict):
    """When the bot follows up on leads. All times are in `timezone`."""

    timezone: str = "Europe/Berlin"
    remind_after_hours: float = Field(default=24, gt=0)
    escalate_after_hours: float = Field(default=72, gt=0)
    outcome_reminder_after_days: float = Field(default=7, gt=0)
    followup_after_days: float = Field(default=14, gt=0)
    expire_after_days: float = Field(default=60, gt=0)
    # A lead with the coordinators is reminded to them this often until someone acts.
    coordination_reminder_days: float = Field(default=1, gt=0)
    # ... and, when set, goes on to this Lotse after some days (none: stays there).
    second_contact: SecondContact | None = None
    # The network's promise: a person answers every request within this time.
    promise_hours: float = Field(default=72, gt=0)
    quiet_hours: QuietHours = QuietHours()
    digest: Digest = Digest()
    retention: Retention = Retention()
    offers: OfferRules = OfferRules()


# --- knowledge/*.yaml -----------------------------------------------------------------


class FaqEntry(Strict):
    id: str = Field(pattern=SLUG_PATTERN)
    questions: list[str] = Field(min_length=1)
    # Words people use for this topic that the phrasings do not contain (colloquial,
    # English, situations: "kaputt", "wer zahlt" …); they count almost like words of a phrasing.
    keywords: list[str] = []
    answer: str = Field(min_length=1, max_length=3500)
    source: str
    checked: dt.date
    related: list[str] = []


# Under `examples:`, the questions the knowledge base does not answer (pension, car tax …).
NOT_ANSWERABLE = "keine-antwort"


class KnowledgeFile(Strict):
    faq: list[FaqEntry] = []
    # Real questions, as people typed them, under the id of the entry that answers them (or
    # under NOT_ANSWERABLE): the FAQ classifier learns from them how people ask.
    examples: dict[str, list[str]] = {}
    # Web sites of named organisations the coordinators vouch for as FAQ sources (the LEADER
    # region, the Gemeinden, GEMA …), besides the official ones `lotse check` knows itself.
    trusted_sources: list[str] = []


# --- intents.yaml ---------------------------------------------------------------------

# Under `examples:` in intents.yaml, first messages that ask for none of the menu options.
NO_INTENT = "none"


class IntentsFile(Strict):
    """Example first messages per start-menu option `value` (or `none`): the understanding
    pass learns from them what a person wants (bot/understanding)."""

    examples: dict[str, list[str]] = {}
    # Signal phrases per option: words in this order, `*` stands for up to three words
    # ("unser * sucht"). Each found phrase counts for the option like a menu synonym.
    cues: dict[str, list[str]] = {}


class InterestsLearntFile(Strict):
    """Written by tools/learn_area_words.py from the labelled development sets: per word
    the bot reads an area from, per area, how often the writers named that area and how
    often the bot read it ([named, read]). It orders the areas of a message
    (bot/understanding/area_order.py)."""

    words: dict[str, dict[str, tuple[NonNegativeInt, PositiveInt]]] = {}


# --- whatsapp.yaml --------------------------------------------------------------------

TEMPLATE_NAME = r"^[a-z0-9_]{1,60}$"  # what Meta accepts as a template's name


class TemplateParameter(Strict):
    """A {{n}} of a template's body, in order: what the bot puts there, and an example
    for Meta's review."""

    name: str = Field(min_length=1)
    meaning: str = Field(min_length=1)
    example: dict[str, str]  # per language


class TemplateText(Strict):
    body: str = Field(min_length=1, max_length=1024)  # Meta's limit for a template body
    buttons: list[Annotated[str, Field(min_length=1, max_length=25)]] = Field(
        default=[], max_length=3
    )  # quick replies: the person taps one to open the window again


class WhatsAppTemplate(Strict):
    """A message template to submit to Meta (WhatsApp Manager): sent when the 24-hour
    window is closed. `use` names where the bot sends it."""

    name: str = Field(pattern=TEMPLATE_NAME)
    use: Literal["waiting_message"]
    category: Literal["UTILITY", "MARKETING", "AUTHENTICATION"] = "UTILITY"
    languages: dict[str, str]  # content language → Meta's language code (de, en, en_US …)
    parameters: list[TemplateParameter] = []
    texts: dict[str, TemplateText]  # per content language


class WhatsAppFile(Strict):
    """The WhatsApp channel's own content: templates for Meta, and the typed words that
    stand for commands (WhatsApp has no /commands)."""

    templates: list[WhatsAppTemplate] = []
    # command (without slash) → words that, typed alone, give it ("meine daten" → meine_daten)
    commands: dict[str, list[str]] = {}
    # the label of the button that opens a list message (at most 20 characters), per language
    list_button: dict[str, Annotated[str, Field(min_length=1, max_length=20)]] = {}


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
        "unknown": "offers_unknown",
        "intro": "offers_intro",
        "weak": "offers_weak",
        "none": "offers_none",
        "time_none": "offers_time_none",
        "general": "btn_general",
    },
    "consent": {"unknown": "choice_unknown", "declined": "consent_declined"},
    "text": {
        "unknown": "choice_unknown",
        "too_long": "text_too_long",
        "too_short": "text_too_short",
    },
    "contact": {"unknown": "contact_invalid", "invalid": "contact_invalid"},
    "lead": {
        "unknown": "choice_unknown",
        "lotse_notice": "lead_notification",
        "no_lotse": "lead_no_lotse",
    },
    "question": {"unknown": "faq_unknown", "answer": "faq_answer", "suggest": "faq_suggest"},
    "info": {"unknown": "choice_unknown"},
    "submit_offer": {"unknown": "choice_unknown"},
    "events": {
        "unknown": "choice_unknown",
        "none": "events_none",
        "nothing": "events_nothing",
        "region": "events_region",
        "more": "events_more",
    },
}
# Kinds whose buttons come from `options` and so need at least one.
KINDS_WITH_OPTIONS = {"menu", "choice", "consent", "info"}
# Kinds that move on by themselves and so need `next`.
KINDS_WITH_NEXT = {"interests", "place", "text", "contact", "choice", "offers"}

# Text keys the code itself uses (outside any step); `lotse check` makes sure they exist.
# The channels a text may have its own wording for (`ask_contact@web`, Content.text).
CHANNELS = ("telegram", "web", "console", "whatsapp")

CODE_TEXTS = tuple(
    """
btn_back help stale_button unsupported empty unknown_command error coordination_name
consent_declined interests_understood understood_again btn_offer offer_line distance_km
distance_here
btn_offer_details btn_offer_choose btn_offer_list offer_details_title offer_details_what
offer_details_where offer_details_in_gemeinde offer_details_when offer_details_hours
offer_details_who offer_details_needed offer_details_access offer_details_link offer_details_ask
offer_gone decimal_point
choose_language language_set deeplink_offer deeplink_unknown lotse_welcome invite_invalid
deeplink_poster network_name poster_headline poster_body poster_scan_telegram poster_scan_web
poster_call_lotse poster_call_network
only_lotse only_coordinator lead_card lead_card_contact contact_via_chat lotse_not_yours
lotse_action_invalid lotse_declined lead_declined_note lotse_write_prompt lotse_message
lotse_message_sent lead_taken my_leads_header my_leads_none stats stats_line stats_none
reload_ok reload_failed group_hint flood btn_share_location edited_hint cmd_start cmd_hilfe
console_location_hint console_notification
cmd_neu cmd_sprache cmd_meine_leads cmd_stats cmd_reload btn_withdraw withdrawn
lead_withdrawn_note reminder_note escalated_note escalated_away escalated_citizen outcome_note
lead_handed_over_note lead_to_coordination_note lead_reassigned_away lead_reassigned_citizen
followup_question btn_followup_yes btn_followup_partly btn_followup_no followup_thanks
expired_citizen lead_expired_note digest digest_responses digest_response_line privacy_notice
my_data_person my_data_conversation
my_data_request my_data_nothing my_data_footer erase_confirm btn_erase_yes btn_erase_no erased
erase_cancelled lead_erased_note cmd_meine_daten cmd_loeschen cmd_datenschutz faq_answer_aside
attachment_not_sent
status_created status_new status_offered status_accepted status_contacted status_placed
status_not_fit status_unreachable status_withdrawn status_expired
btn_lead_accept btn_lead_decline btn_lead_write btn_lead_contacted btn_lead_placed
btn_lead_not_fit btn_lead_unreachable
event_line event_link event_time event_date event_days weekdays_short events_period_weeks
offer_date_year offer_once_on offer_only offer_regular offer_short_regular offer_short_flexible
offer_short_once days_plural days_on days_workdays
days_weekend parts_plural parts_in parts_daytime time_days_parts word_and time_once
time_regular
events_period_today events_period_tomorrow events_period_weekend events_period_this_week
events_period_next_week
btn_ask_human btn_not_helpful question_aside_unsure handoff_consent handoff_to_coordination
btn_handoff_yes btn_handoff_no handoff_sent
handoff_cancelled handoff_no_question question_notice lead_kind_question detail_question
btn_lead_answer answer_write_prompt question_answered answer_sent status_answered
submission_card submission_review_note submission_status_pending submission_status_approved
submission_status_rejected submission_status_expired submission_status_ended
submission_approved submission_rejected submission_ended submission_extended
submission_still_current btn_current_keep btn_current_end btn_submission_approve
btn_submission_reject submission_approved_reply submission_rejected_reply
submission_already_decided my_data_offer
web_title web_heading web_intro web_transcript_label web_you web_bot web_note
web_answers_label web_input_label web_input_hint web_send web_share_location
web_location_failed web_privacy web_telegram_button web_telegram_link web_telegram_open
web_replies_here web_replies_mail web_download web_rate_limited web_forbidden web_unavailable
web_widget_open web_widget_close web_mail_subject web_mail_body handover_welcome
handover_invalid lead_card_channel channel_web channel_telegram
web_command_meine_daten web_command_loeschen web_command_datenschutz web_command_sprache
web_command_start web_command_hilfe web_my_data web_erase web_language web_start web_help
privacy_operator privacy_imprint privacy_policy privacy_controller_default
web_operator_label web_imprint web_privacy_policy
lotse_title_lotsin lotse_title_lotse lotse_title_neutral lotse_title_coordination
""".split()
)
