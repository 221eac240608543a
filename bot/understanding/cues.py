"""Small signals read from a message's words: yes/no, a chosen item, the language, a
question, navigation, and when the person has time.

The word lists here are closed classes of the language (answers, ordinal numbers, function
words), not content: the menu's and steps' own synonyms come from content/dialog.yaml.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from rapidfuzz import fuzz

from bot.content.times import DAY_NAMES, DAY_SHORT, words_days, words_parts
from bot.matching.options import pick
from bot.text import compile_folded, fold

# --- yes / no -------------------------------------------------------------------------

YES_WORDS = frozenset(
    "ja jaa jaaa jo joa jop jup jap jep jawohl jawoll klar klaro logo gerne gern ok okay oki "
    "okey passt freilich sicher sicherlich einverstanden genau richtig super prima gut "
    "selbstverstandlich natuerlich naturlich allerdings yes yeah yep yup sure ofc da".split()
)
YES_PHRASES = (
    "auf jeden fall", "na klar", "na logo", "na sicher", "nu klar", "nu freilich", "nu logo",
    "mach ich", "machen wir", "von mir aus", "ist gut", "is gut", "in ordnung", "geht klar",
    "of course", "why not", "warum nicht", "go ahead", "sounds good", "bitte ja", "ja bitte",
    "yes please",
)  # fmt: skip
NO_WORDS = frozenset("nein nee ne no nope noe nah nicht kein keine nix".split())
NO_PHRASES = (
    "lieber nicht", "eher nicht", "besser nicht", "nicht notig", "nicht nötig", "kein interesse",
    "keine lust", "keine zeit", "nein danke", "no thanks", "no thank you", "not now",
    "doch nicht", "auf keinen fall", "no way", "nicht mehr", "gar nicht",
)  # fmt: skip
SHORT_ANSWER = 6  # words; a longer message is more than an answer to a yes/no question


def yes_no(text: str) -> str | None:
    """'ja klar', 'jo passt', 'gerne', 'nö danke', 'nee lieber nicht', 'yes please', 'nu'."""
    folded = fold(text)
    words = folded.split()
    if not words:
        return None
    padded = f" {folded} "
    if any(f" {fold(p)} " in padded for p in NO_PHRASES):
        return "no"
    first_clause = fold(re.split(r"[,.;!?–-]", text.strip(), maxsplit=1)[0]).split() or words
    # 'nö', 'nee', 'nein' lead the answer; 'nicht'/'kein' only count in a short answer alone
    if first_clause[0] in {"nein", "nee", "ne", "no", "nope", "noe", "nah", "nix"}:
        return "no"
    if fold(text.strip().split()[0]) == "no" and len(words) <= 3:
        return "no"
    if len(words) > SHORT_ANSWER and first_clause[0] not in YES_WORDS:
        return None
    # Saxon 'nu' is 'yes' when it stands alone or leads a short answer ("nu klar", "nu, gerne")
    if words[0] == "nu" and (len(words) == 1 or words[1] in YES_WORDS | {"freilich", "logo"}):
        return "yes"
    if any(f" {fold(p)} " in padded for p in YES_PHRASES):
        return "yes"
    if first_clause[0] in YES_WORDS or (len(words) <= 3 and any(w in YES_WORDS for w in words)):
        if len(words) <= 3 and any(w in {"nicht", "kein", "keine"} for w in words):
            return "no"
        return "yes"
    if len(words) <= 2 and words[0] in {"nicht", "kein", "keine"}:
        return "no"
    return None


# --- ordinals ("das zweite", "nummer drei", "the first one", "letzte") -----------------

ORDINAL_WORDS = {
    "erst": 1, "zweit": 2, "dritt": 3, "viert": 4, "funft": 5, "sechst": 6, "siebt": 7,
    "acht": 8, "neunt": 9, "zehnt": 10, "first": 1, "second": 2, "third": 3, "fourth": 4,
    "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10,
}  # fmt: skip
NUMBER_WORDS = {
    "eins": 1, "zwei": 2, "drei": 3, "vier": 4, "funf": 5, "sechs": 6, "sieben": 7, "acht": 8,
    "neun": 9, "zehn": 10, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
}  # fmt: skip
LAST_WORDS = frozenset("letzte letzten letzter letztes last".split())
NUMBER_CUES = frozenset("nummer nr number no option punkt angebot die das der den the #".split())
_ORDINAL_END = re.compile(
    r"^(erst|zweit|dritt|viert|funft|sechst|siebt|acht|neunt|zehnt)(e|en|er|es|em)$"
)


def ordinal(text: str) -> int | None:
    """Which item of a list the message picks: 1-based; -1 for the last one."""
    raw = text.strip().lower()
    if re.fullmatch(r"#?\s*\d{1,2}\s*[.)]?", raw):
        return int(re.sub(r"\D", "", raw)) or None
    words = fold(text).split()
    if not words or len(words) > 6 or "mal" in words:  # "zum ersten Mal" is no choice
        return None
    for index, word in enumerate(words):
        before = words[index - 1] if index else ""
        if word in LAST_WORDS:
            return -1
        if found := _ORDINAL_END.match(word):
            return ORDINAL_WORDS[found.group(1)]
        if word in ORDINAL_WORDS:
            return ORDINAL_WORDS[word]
        if (number := NUMBER_WORDS.get(word)) and (before in NUMBER_CUES or len(words) <= 2):
            return number
        cued = before in NUMBER_CUES or raw.startswith("#")
        if word.isdigit() and 0 < int(word) <= 20 and cued:
            return int(word)
    return None


# --- language ----------------------------------------------------------------------------

ENGLISH = frozenset(
    "i i'm im me my you your we our the a an and or to of for with from is are am was be "
    "have has want would like need please thanks thank hello what where when how can could "
    "do does there here this that it some any help looking volunteer volunteering moved "
    "live living near people something somebody someone work time week weekend evening "
    "evenings mornings yes no not just also about which who our us will should they "
    "their them".split()
)
GERMAN = frozenset(
    "ich mich mir mein meine meiner wir uns unser du sie er es der die das den dem des ein "
    "eine einen einem und oder nicht kein keine ist sind bin habe hab hat haben mochte mochten "
    "wurde will gerne gern bitte danke hallo wie was wo wann wer warum gibt es auch noch mal "
    "mit fur bei von aus zu zum zur im auf nach wohne helfen hilfe suche suchen brauche "
    "jemand etwas was kann konnen ja nein moin tach abends wochenende woche zeit leute "
    "verein dorf".split()
)
_GERMAN_LETTERS = re.compile(r"[äöüß]", re.IGNORECASE)


def language(text: str) -> str | None:
    """'en' or 'de' when the function words say so clearly; None for short or mixed text."""
    words = re.findall(r"[a-zäöüß']+", text.lower())
    english = sum(w in ENGLISH for w in words)
    german = sum(fold(w) in GERMAN for w in words) + len(_GERMAN_LETTERS.findall(text))
    if english >= 2 and english > 2 * german:
        return "en"
    if german >= 2 and german > 2 * english:
        return "de"
    return None


# --- questions -----------------------------------------------------------------------

QUESTION_STARTS = frozenset(
    fold(word)
    for word in (
        "wie was wo wann wer warum weshalb wieso welche welcher welches wieviel wozu woher "
        "wohin gibt kann kann konnen muss musste darf bin bekomme kriege krieg brauche brauch "
        "ist sind hat habe how what where when who why which can could do does is are am will "
        "should may"
    ).split()
)


def is_question(text: str) -> bool:
    """A question mark, or a sentence that starts like a question ("wie viele Stunden …")."""
    if "?" in text:
        return True
    words = fold(text).split()
    if len(words) < 3:
        return False
    return words[0] in QUESTION_STARTS - {"brauche", "brauch", "habe", "bin", "ist", "sind", "hat"}


# words that ask inside a sentence: "ich möchte anfragen, ob …", "bin 15, darf ich …"
_ASKING = compile_folded(
    r"\b(?:ob|frage|fragen|anfragen|darf ich|muss ich|kann ich|brauch ich|brauche ich|bin ich|"
    r"wie|was|wo|wann|warum|welche\w*|wer|whether|how|what|where|when|why|which|"
    r"loschen|losche|loscht|delete)\b"
)


# Asking whom to turn to for one's plan ("Wen muss ich da fragen?", "Mit wem muss ich
# reden?", "Who do I talk to?") asks for a person, not an FAQ answer.
_WHOM_TO_ASK = compile_folded(
    r"\b(?:wen|bei wem|mit wem|an wen)\s+(?:muss|musste|soll|sollte|kann|konnte|mus)\s+"
    r"(?:ich|man|wir)\s+(?:\S+\s+){0,3}?(?:fragen|reden|sprechen|wenden|melden)\b|"
    r"\bwho\s+(?:do|should|can)\s+(?:i|we)\s+(?:talk|speak|ask|contact|turn)\b"
)


def asks_whom_to_ask(text: str) -> bool:
    """The writer asks whom to turn to ("Wen muss ich da fragen?")."""
    return bool(_WHOM_TO_ASK.search(fold(text)))


def asks_anything(text: str) -> bool:
    """Whether a message asks anything at all: a question mark or a word that asks. "Ich
    helfe beim Datenschutz" names an FAQ topic but asks nothing."""
    return is_question(text) or bool(_ASKING.search(fold(text)))


# --- navigation ----------------------------------------------------------------------

NAV_WORDS = 4  # a longer message is about something, even if it starts with "hallo"


def navigation(text: str, words: dict[str, list[str]]) -> str | None:
    """back / restart / help when the message is just that; greeting when it opens with one."""
    folded = fold(text)
    tokens = folded.split()
    if not tokens:
        return "help" if "?" in text and len(text.strip()) <= 2 else None
    if len(tokens) <= NAV_WORDS:
        choices = [(kind, names) for kind, names in words.items() if kind != "greeting"]
        rest = " ".join(t for t in tokens if t not in {"bitte", "please", "doch", "mal", "nochmal"})
        chosen = pick(rest or folded, choices)
        # pick() also accepts a prefix: "hi" must not be "hilfe"
        if chosen and any(fold(n) == (rest or folded) or len(rest) >= 4 for n in words[chosen]):
            return chosen
    for greeting in words.get("greeting", []):
        greet = fold(greeting)
        if greet and (folded == greet or folded.startswith(greet + " ")):
            return "greeting"
    return None


# --- time ------------------------------------------------------------------------------

WEEKEND_DAYS = ("samstag", "sonntag", "sonnabend", "wochenend", "saturday", "sunday", "weekend")
# folded like the words they are compared with ("tuesday" reads "tusday")
WORKDAYS = tuple(
    fold(day)
    for day in ("montag", "dienstag", "mittwoch", "donnerstag", "freitag", "monday", "tuesday",
                "wednesday", "thursday", "friday", "werktag", "wochentag")
)  # fmt: skip
EVENING_PARTS = ("abend", "abends", "feierabend", "evening", "evenings", "night", "nachts")
DAY_PARTS = ("vormittag", "nachmittag", "morgen", "mittag", "tagsuber", "morning", "afternoon",
             "daytime")  # fmt: skip
# Said with a time option's synonyms, these read too widely inside a sentence ("mal", "fest",
# "egal was", "projekt"); they count only as a whole short answer.
WIDE_SYNONYMS = frozenset("mal fest egal beides immer projekt any einmal".split())
# "zeitlich flexibel", "weiß nicht wo": about WHEN or about something else, not about once
# or regular; as a whole short answer to the time_kind question they still mean "any".
KIND_SHORT_ONLY = frozenset(("flexibel", "weiss nicht", "mal sehen"))
# Greetings name a time of day but no time to help ("Guten Abend", "Good evening").
GREETINGS = re.compile(
    r"\b(?:guten|gute|schonen|n|good|a good)\s+(?:abend|morgen|nacht|tag|evening|morning|"
    r"night|afternoon)\b"
)
# A clause that says when someone works or cannot ("weil ich nachts arbeite", "abends kann
# ich nicht", "not on weekends") names a time that is no slot.
_CLAUSE_SPLIT = re.compile(
    r" , | - | – |\b(?:aber|weil|da|denn|sondern|doch|wegen|but|because|since|as)\b|"
    r"\b(?:und|and) (?=(?:ich|hab|habe|bin|kann|könnte|hätte|hätt|würde|wäre|möchte|i)\b)"
)
SLOT_ORDER = {"weekday": 0, "evening": 1, "weekend": 2, "any": 3}
_UNAVAILABLE = frozenset(
    "nicht nie kein keine keinen ausser arbeite arbeitet arbeiten schaffe schichte montage "
    "unterwegs dienstlich beruflich not never no except work working busy away".split()
)
_TIME_UNITS = (
    r"(?:woche|wochenende|tag|abend|morgen|monat|montag|dienstag|mittwoch|donnerstag|freitag|"
    r"samstag|sonntag|sonnabend|week|weekend|day|evening|month|monday|tuesday|wednesday|"
    r"thursday|friday|saturday|sunday)"
)
_REGULAR = compile_folded(
    rf" (?:(?:jede[nrs]?|every) (?:\S+ )?\w*{_TIME_UNITS}\w*|"
    rf"(?:einmal|zweimal|1x|2x|1 mal|ein mal) (?:die|pro|in der|im|a|per) {_TIME_UNITS}|"
    r"regelmassig\w*|wochentlich|weekly|monatlich|dauerhaft|langfristig|ofter|regularly|"
    r"regular|fest(?:e|en)? (?:termin|aufgabe)\w*) "
)
_DAYS = "(?:" + "|".join(name for names in DAY_NAMES for name in names) + ")"
_WORKDAY_NAMES = "(?:" + "|".join(name for names in DAY_NAMES[:5] for name in names) + ")"
# what a group does on its day: its practice, meeting, service or opening hours
_RHYTHM = (
    r"(?:probe|proben|chorprobe|training|trainings|trainiert|ubungsabend\w*|dienstabend\w*|"
    r"treffen|treff|gruppenstunde\w*|sprechstunde\w*|offnungszeit\w*|stammtisch|unterricht|"
    r"practice|rehearsals?|meetings?)"
)
# A recurring day or rhythm – a habit, not only a day that suits:
# - a day with its time of day, a fixed weekly hour: "dienstagabends", "mittwochnachmittags",
#   "freitags abends", "Saturday mornings";
# - two or more days named together: "dienstags und donnerstags", "Mondays and Fridays";
# - a rhythm: "jeden Samstag", "immer montags", "zweimal im Monat", "a couple of times a
#   week", "ein paar Stunden pro Woche", "alle zwei Wochen", "immer am Wochenende".
# A single day with -s alone says WHEN it suits, not how often ("am besten samstags", "habe
# montags Zeit", "on Saturdays"): that is a time slot and no time_kind.
_RECURRING = compile_folded(
    rf" (?:{_DAYS}s?(?:vormittag|nachmittag|abend|morgen|mittag|fruh)s|"
    rf"{_DAYS}s (?:\S+ ){{0,3}}?immer|"
    rf"{_DAYS}s? (?:vormittag|nachmittag|abend|morgen|mittag|fruh|morning|afternoon|evening|"
    rf"night)s|{_DAYS}s?(?: und| and| sowie| &| \+)? {_DAYS}s|"
    r"(?:\S+mal|ein mal|\d+ ?(?:x|mal)|once|twice|(?:(?:a|ein) )?(?:few|couple of|paar|several|"
    r"\d+|zwei|drei|vier|two|three|four) (?:times|stunden|hours|mal|abende|nachmittage|tage|days|"
    r"evenings)|(?:ein|einen|eine|one|a|an|nen) \S+|(?:\d+|zwei|drei|vier|two|three|four|paar|"
    r"few|couple of) \S+(?: \S+)?) (?:die|pro|in der|in dr|in de|im|a|per|each|jede[nrs]?) "
    r"(?:woche|monat|quartal|week|month|quarter)|alle (?:\S+ )?(?:woche|wochen|tage|monate)|"
    r"every (?:other|second|two) "
    rf"\w+|immer (?:am |an |zum )?\w*{_TIME_UNITS}\w*|\w*wochentlich|vierzehntagig|14 tagig|"
    r"fortnightly|monthly|taglich|daily|on a regular basis|"
    # a fixed weekly hour or workdays that belong together: "dienstags 19 Uhr", "Montag und
    # Mittwoch", "Mo bis Fr" (abbreviated lists are expanded before: `_expand_day_lists`)
    rf"{_DAYS}s (?:(?:ab|um|von|gegen|from|at) )?\d{{1,2}}|{_WORKDAY_NAMES} (?:und|and|sowie|&|\+|"
    rf"bis|to) {_WORKDAY_NAMES}|"
    # the rhythm of a group on a day: "Probe freitags", "Training ist Montag", "Proben wären
    # Mittwochabend"
    rf"{_RHYTHM} (?:\S+ ){{0,2}}?{_DAYS}\w*|{_DAYS}\w* (?:\S+ ){{0,2}}?{_RHYTHM}) "
)
_HOLIDAYS = (
    r"(?:\w*ferien|ostern|pfingsten|advent|weihnachten|adventszeit|easter|christmas|holidays)"
)
# a holiday or the school holidays: "vor Ostern", "in den Sommerferien", "this Christmas"
_HOLIDAY = compile_folded(
    r" (?:im|in den|in der|diesen|dieses|diese|nachsten|kommenden|vor|zu|an|uber|bis|this|"
    rf"next|in|during|over the|for) (?:\S+ )?{_HOLIDAYS} "
)
# A single occasion: "nur einmal" (Saxon "nur eemal"), "eine einmalige Sache", "next
# Thursday", "am kommenden Samstag", "mal einen Nachmittag", "wenn mal Not am Mann ist".
_ONCE = compile_folded(
    rf" (?:einmalig\w*|(?:nur|bloss|blos|just|only) (?:einmal|eemal|eenmal|emal|eimal|einmol|"
    rf"eemol|once)|(?:next|this|coming|kommende[nr]?|nachste[nr]?|diese[nr]?|am kommenden|"
    rf"am nachsten|an diesem) {_DAYS}\w*|(?:einen|nen|an einem|ein|one|an) (?:halben |ganzen |"
    r"freien |free )?(?:vormittag|nachmittag|abend|tag|samstag|sonntag|wochenende|morning|"
    r"afternoon|evening|day|saturday|sunday|weekend)|(?:eine|one) woche lang|"
    r"(?:ein )?einzige[ns]? mal|not am mann|bei bedarf|wenn bedarf|when needed|if needed|"
    r"as needed|ausnahmsweise) "
)
# the months, folded, in German and in English where it spells them otherwise
_MONTH_NAMES = (
    r"januar|februar|marz|april|mai|juni|juli|august|september|oktober|november|dezember|"
    r"january|february|march|may|june|july|october|december"
)
_MONTHS = (
    rf"(?:{_MONTH_NAMES}|sommer|herbst|winter|fruhling|"
    r"fruhjahr|summer|autumn|fall|spring|\w*ferien|holidays?|urlaub)"
)
# A period of days or weeks is one stretch of time, not a habit: "zwei Wochen im März",
# "eine Woche in den Sommerferien", "drei Tage im April", "a week in July", "Samstag in 2
# Wochen", "in three weeks on Saturday".
_PERIOD = compile_folded(
    r" (?:(?:ein|eine|einen|zwei|drei|vier|funf|paar|ein paar|\d+|one|two|three|four|five|a|"
    r"a few|a couple of|couple of) (?:tag|tage|tagen|woche|wochen|day|days|week|weeks) "
    r"(?:im|in den|in der|in|ueber die|uber die|during|over the|over|this|next) "
    rf"(?:\S+ )?{_MONTHS}|"
    rf"{_DAYS} in (?:\d+|zwei|drei|vier|two|three|four) (?:wochen|weeks)|in (?:\d+|zwei|drei|"
    rf"vier|two|three|four) (?:wochen|weeks) (?:am |on )?{_DAYS}) "
)
_ONCE_WORD = r"(?:einmal\w*|einzeln\w*|punktuell\w*|spontan\w*|once|one[- ]off|occasional\w*)"
_REGULAR_WORD = (
    r"(?:regelmassig\w*|dauerhaft\w*|langfristig\w*|fest\w*|regular\w*|ongoing|long[- ]term)"
)
# "eher einmalig als dauerhaft", "lieber regelmäßig als spontan", "rather one-off than
# regular": the first named is meant, the second ruled out.
_COMPARED = compile_folded(
    rf" (?:eher|lieber|mehr|rather|more) (?:so |was |etwas )?(?:(?P<once>{_ONCE_WORD})|"
    rf"(?P<regular>{_REGULAR_WORD})) (?:\S+ )?(?:als|than) "
)
# "nicht regelmäßig", "nicht jede Woche", "not every week": a negated regular means once.
# (not across "aber": "unter der Woche geht's nicht, aber jeden zweiten Samstag")
_NEGATION = compile_folded(
    r" (?:nicht|kein\w*|not|no|never|nie)(?: (?!(?:aber|but|doch|sondern)\b)\S+){0,2}$"
)
ONCE_CUES = ("einmalig", "ab und zu", "ab und an", "hin und wieder", "gelegentlich", "spontan",
             "manchmal", "sometimes", "mal ab und zu", "ab und zu mal", "one off", "one time",
             "once", "occasionally", "now and then", "kurzfristig", "einzelne", "einzelnen",
             "unregelmassig", "sporadisch", "projektweise", "fur einen tag", "an einem tag",
             "einen tag lang", "for a day", "for one day", "one day", "nicht fest",
             "von zeit zu zeit", "every now and then", "from time to time")  # fmt: skip
# "eine Aktion", "bei der Pflanzaktion", "mal bei einem Dorffest": a single occasion.
_ONCE_OCCASION = compile_folded(
    r" (?:eine[rnm]? \S*aktion|\S+aktion(?:en)?|aktion(?:en)?|aktionstag\w*|one[- ]off|"
    r"a single (?!(?:mum|mom|dad|mother|father|parent)\b)\w+|"
    r"mal (?:\S+ ){0,4}\S*(?:fest|feier|aktion|veranstaltung|event|einsatz|markt|"
    r"lauf|turnier)\w*|"
    # a date: "am 14. März", "am 3.5.", "on 12 May", "nächste Woche", "next week" (but an
    # age range is no date: "mit den 10-16-Jährigen")
    rf"(?:am|on|den) \d{{1,2}} (?:(?:0?[1-9]|1[0-2])(?! jahr)|{_MONTH_NAMES}|jan|feb|mar|apr|jun|"
    r"jul|aug|sep|sept|okt|oct|nov|dez|dec)|"
    # a day with its date: "Saturday, 5 July", "Samstag, 12. April"
    rf"{_DAYS}s? \d{{1,2}} (?:{_MONTH_NAMES})|"
    r"(?:next|nachste|kommende|diese) (?:week|woche)|"
    # a month named ("im Oktober", "Ende April", "in June"): when a single thing happens; a
    # rhythm beside it wins ("ab Oktober jeden Dienstag")
    # ("may" is also the verb: the English month counts only in a date)
    rf"(?:im|anfang|ende|mitte|bis|in|early|late|end of) (?:\S+ )?(?!may\b)(?:{_MONTH_NAMES})|"
    # one named day: "am Donnerstag", "für den Sonntag", "Samstag 9 Uhr" (with -s, "am
    # Samstagvormittags", a habit or a wish)
    rf"(?:am|fur den|den|diesen) {_DAYS}(?! ?(?:vormittag|nachmittag|abend|morgen|mittag)?s\b)|"
    rf"{_DAYS} (?:um |ab )?\d{{1,2}} uhr|"
    # help at a named occasion: "beim Dorffest", "zum Weihnachtsmarkt", "bei der Wahl" (the
    # weekly market is no occasion)
    r"(?:beim|bei der|bei dem|bei einem|bei unserem|bei unserer|zum|zur|fur das|fur den|"
    r"fur die|furs|fur unser|fur unseren|auf dem|at the|for the) (?:\S+ )?(?!\S*wochenmarkt)"
    r"(?:\S*(?:fest|feier|markt|lauf|turnier|konzert|kirmes|wahl|fete|fair|festival|market|"
    r"concert|election|putz|feuer|tournament)|\S+umzug)) "
)
_CLOCK = re.compile(
    r"\b(?:ab|nach|um|von|gegen|after|from|bis)\s+(\d{1,2})(?:[:.]\d{2})?\s*(?:uhr|h\b|pm|am)?",
    re.IGNORECASE,
)
_CLOCK_UHR = re.compile(r"\b(\d{1,2})(?:[:.]\d{2})?\s*(uhr|pm)\b", re.IGNORECASE)
# "unter der Woche", "during the week", "Mo–Fr", "Montag bis Freitag": the working days
WEEK_CUES = ("unter der woche", "in der woche", "wahrend der woche", "during the week",
             "in the week", "on weekdays", "werktags", "wochentags",
             "nach der schule", "after school")  # fmt: skip
_WORKDAY_RANGE = re.compile(
    r" (?:mo|mon|montag|monday) (?:bis |to |till |until |through )?(?:fr|fri|freitag|friday) "
)
_AFTER_WORK = re.compile(
    r" (?:after|nach) (?:der |dem |the |my )?(?:work|arbeit|job|schicht|dienst|shift) |"
    # "Wochenenddienste sind kein Problem": fine, not busy
    r" (?:kein|keine|no|not a) (?:problem|thema|issue) "
)
# "zeitlich ist mir das egal", "Zeit egal", "time doesn't matter": any time
_ANY_WHEN = compile_folded(
    r" (?:zeitlich|zeit|uhrzeit|tag und zeit) (?:\S+ ){0,4}?(?:egal|wurscht|schnuppe|flexibel) |"
    r" (?:time|timing|when) (?:doesn t|does not|don t) matter "
)
# synonyms of the weekday option that name the days, not a time of day: "weekday evenings"
# and "werktags abends" are the evening
_WEEK_WORDS = frozenset(("werktags", "wochentags", "weekdays", "weekday"))
WEEKEND_SHORT = ("am we", "ubers we", "jedes we", "am wo ende", "at weekends", "on weekends")
ANY_TIME = ("an nichts gebunden", "nicht gebunden", "egal wann", "wann immer", "jederzeit",
            "zu jeder zeit", "rund um die uhr", "any time", "anytime", "whenever",
            "voll flexibel", "total flexibel", "zeitlich flexibel", "any day",
            "jeden tag zeit", "every day works")  # fmt: skip


_ONCE_WORDS = r"(?:einmal\w*|einzeln\w*|ab und zu|once|one[- ]off|occasionally)"
_REGULAR_WORDS = r"(?:regelmassig\w*|ofter|dauerhaft|fest|regular\w*|ongoing)"
_EITHER = compile_folded(
    rf" (?:{_ONCE_WORDS} (?:oder|or) {_REGULAR_WORDS}|{_REGULAR_WORDS} (?:oder|or) {_ONCE_WORDS}|"
    r"beides (?:geht|moglich|ok|okay|passt)|both (?:is|are) fine|either way) "
)


def time_kind(
    text: str, options: Sequence[tuple[str, Sequence[str]]], occasions: bool = True
) -> str | None:
    """once / regular / any from the time_kind step's synonyms and a few frequency phrases.
    "any" only when the message says both (or that it does not matter which).
    `occasions=False`: a named occasion ("Pflanzaktionen") is what someone asks about
    (events), not a single time they offer."""
    folded = fold(_spoken_days(text))
    padded = f" {_without_greetings(folded)} "
    if compared := _COMPARED.search(padded):
        return "once" if compared.group("once") else "regular"  # "eher einmalig als dauerhaft"
    if _EITHER.search(padded):
        return "any"  # "ob einmalig oder regelmäßig", "egal ob einmal oder öfter"
    # "einmal im Monat", "once a week", "einen Nachmittag pro Woche" are no single occasion
    single = _RECURRING.sub("  ", _REGULAR.sub("  ", padded))
    found = []
    for value, names in options:
        for name in names:
            key = fold(name)
            if not key or key in WIDE_SYNONYMS or key in KIND_SHORT_ONLY:
                continue
            if value == "regular" and _negated_everywhere(padded, key):
                found.append("once")
                break
            if _has(single if value == "once" else padded, key):
                found.append(value)
                break
    for pattern in (_REGULAR, _RECURRING):
        for match in pattern.finditer(padded):
            if _NEGATION.search(padded[: match.start()]):
                found.append("once")  # "nicht regelmäßig", "nicht jede Woche"
            else:
                found.append("regular")
    said_once = (
        any(_has(single, cue) for cue in ONCE_CUES)
        or _ONCE.search(single)
        or _PERIOD.search(single)
    )
    # an occasion beside a rhythm is part of it: "jeden Samstag, auch beim Dorffest"
    occasion = (
        occasions
        and "regular" not in found
        and (_ONCE_OCCASION.search(single) or _HOLIDAY.search(single))
    )
    if said_once or occasion:
        found.append("once")
    values = list(dict.fromkeys(found))
    if not values and len(folded.split()) <= 2 and (answer := pick(folded, options)):
        return answer
    if len(values) == 1:
        return values[0]
    if "any" in values:
        return "any"
    if {"once", "regular"} <= set(values):
        return "any"
    return values[0] if values else None


def _negated_everywhere(padded: str, key: str) -> bool:
    """Every mention of `key` follows a negation ("nicht regelmäßig")."""
    starts = [i for i in range(len(padded)) if padded.startswith(f" {key} ", i)]
    return bool(starts) and all(_NEGATION.search(padded[:i]) for i in starts)


def time_slots(text: str, options: Sequence[tuple[str, Sequence[str]]]) -> tuple[str, ...]:
    """weekday / evening / weekend / any: from the step's synonyms, day names inside words
    ("samstagvormittag" is the weekend), and clock times ("ab 18 Uhr" is the evening).

    A day named with a time of day is that time ("dienstags abends" is the evening,
    "Saturday mornings" the weekend); greetings ("Guten Abend") and clauses saying when
    someone works or cannot ("weil ich nachts arbeite") name no slot."""
    found: set[str] = set()
    days: frozenset[str] = frozenset()  # the days named last
    for clause in _free_clauses(text):
        slots = _clause_slots(clause, options)
        if named := _days_named(clause):
            days = named
        elif days == {"weekend"} and set(slots) == {"weekday"} and _only_a_time(clause):
            slots = ["weekend"]  # "am Samstag, 22.3., ab 9 Uhr": the Saturday's morning
        found |= set(slots)
    if "any" in found and len(found) > 1:
        found.discard("any")
    return tuple(sorted(found, key=lambda slot: SLOT_ORDER.get(slot, len(SLOT_ORDER))))


def _only_a_time(clause: str) -> bool:
    """A short clause of a time alone ("ab 9 Uhr", "vormittags"), not "sonst vormittags"."""
    words = clause.split()
    return len(words) <= 4 and not {"sonst", "ansonsten", "otherwise", "else"} & set(words)


def _names_the_week(padded: str) -> bool:
    """The working days named as a whole: "unter der Woche", "werktags", "Mo–Fr"."""
    return any(_has(padded, cue) for cue in WEEK_CUES) or bool(_WORKDAY_RANGE.search(padded))


def _days_named(clause: str) -> frozenset[str]:
    """The days a clause names: "weekend" and/or "workday", none when it names none."""
    named = set()
    for word in clause.split():
        if word.startswith(WEEKEND_DAYS) or word.endswith(_WEEKEND_ENDINGS):
            named.add("weekend")
        elif word.startswith(WORKDAYS) or word in _WEEK_WORDS:
            named.add("workday")
    if _names_the_week(f" {clause} "):
        named.add("workday")
    return frozenset(named)


def days_and_parts(text: str) -> tuple[tuple[int, ...], tuple[str, ...]]:
    """'samstags vormittags' → ((5,), ("morning",)): the weekdays (0 = Monday) and parts of
    the day a person has time, finer than the slots and read from the same clauses."""
    days: set[int] = set()
    parts: set[str] = set()
    for clause in _free_clauses(text):
        days |= words_days(clause)
        parts |= words_parts(clause)
    return tuple(sorted(days)), tuple(p for p in ("morning", "afternoon", "evening") if p in parts)


def _free_clauses(text: str) -> list[str]:
    """The folded clauses of `text` without greetings that do not say when someone is busy."""
    # an emoji ends a clause as a full stop does ("am Wochenende 😅 Sie traut sich nicht")
    raw = re.sub(
        r"[,.;:!?()\u2600-\u27bf\U0001f300-\U0001faff]",
        " , ",
        _clock_hours(_spoken_days(text)),
    )
    clauses = [_without_greetings(fold(c)) for c in _CLAUSE_SPLIT.split(raw) if fold(c)]
    # "after work", "nach der Arbeit" say when someone is free, not when they work
    return [
        clause
        for clause in clauses
        if not _UNAVAILABLE & set(_AFTER_WORK.sub(" ", f" {clause} ").split())
    ]


# Saxon and spoken day names: "Samsdach", "Sonnahmds", "Freitach", "Donnerschdach"
_SAXON_DAYS = (  # a long vowel may be written twice: "Samsdaach", "Freitaach"
    (re.compile(r"\bsams(?:d|t)a+(?:ch|g)"), "samstag"),
    (re.compile(r"\bsonn(?:ahmd|amd|ohmd)"), "sonnabend"),
    (re.compile(r"\bsunn(?:ahmd|amd|ohmd)"), "sonnabend"),
    (re.compile(r"\b(?:sonnta+ch|sunnta+ch|sunnda+ch)"), "sonntag"),
    (re.compile(r"\bfreita+ch"), "freitag"),
    (re.compile(r"\bmon(?:t|d)a+ch"), "montag"),
    (re.compile(r"\bdiens(?:t|d)a+ch"), "dienstag"),
    (re.compile(r"\bdonners(?:ch)?(?:t|d)a+ch"), "donnerstag"),
)
# "18:30", "17.30 Uhr": the hour, so that splitting at punctuation keeps it
_CLOCK_COLON = re.compile(r"\b([01]?\d|2[0-3]):[0-5]\d\b")
_CLOCK_DOT = re.compile(r"\b([01]?\d|2[0-3])\.[0-5]\d(?=\s*uhr\b)")


# Abbreviations typed on a phone: "tgl.", "vorm.", "nachm.", "abds", "1x/Woche", "wöchentl."
_SHORT_WORDS = (
    (re.compile(r"\btgl\b\.?"), "täglich"),
    (re.compile(r"\bvorm\."), "vormittags"),
    (re.compile(r"\bnachm\b\.?"), "nachmittags"),
    (re.compile(r"\babds\b\.?"), "abends"),
    (re.compile(r"\bwöchentl\b\.?"), "wöchentlich"),
    (re.compile(r"\bmonatl\b\.?"), "monatlich"),
    (re.compile(r"(\d+\s*(?:x|mal))\s*/\s*(?:wo|woche)\b\.?"), r"\1 pro woche"),
    (re.compile(r"(\d+\s*(?:x|mal))\s*/\s*(?:mon|monat)\b\.?"), r"\1 im monat"),
)
# One day abbreviated where it can only be a day: "am Sa", "jeden 2. Mi", "Fr abend". "so"
# and "do" are words too ("nur so", "ab so 17 Uhr"), so they count only after "am", "jeden".
_ONE_SHORT_DAY = re.compile(
    r"\b(?:(?P<lead>am|jeden|jede|jedem|immer|nur|außer|ausser|ab|bis|auch|oder|und)\s+"
    r"(?P<nth>\d\.\s*)?(?P<day>mo|di|mi|fr|sa|so|do)|(?P<bare>mo|di|mi|fr|sa)(?=\.?\s*(?:vorm|"
    r"nachm|abend|abds|früh|fruh|morgen|mittag|nachmittag|vormittag)))\b\.?"
)


def _one_short_day(match: re.Match[str]) -> str:
    if match["bare"]:
        return _DAY_NAMES[match["bare"]] + " "
    if match["day"] in ("so", "do") and match["lead"] not in ("am", "jeden", "jedem"):
        return match[0]
    return f"{match['lead']} {match['nth'] or ''}{_DAY_NAMES[match['day']]}"


# "WE", "Wo-Ende": the weekend, written in capitals (English "we" is a word)
_WEEKEND_CAPS = re.compile(r"\bWE\b|\bWo-?[Ee]nde\b")


def _spoken_days(text: str) -> str:
    """Day names as written, lower case: abbreviated lists expanded, Saxon spellings
    standardised, a single day or part of the day abbreviated where it cannot be another
    word."""
    if text != text.upper():  # in a message shouted in capitals "WE" is a word
        text = _WEEKEND_CAPS.sub("wochenende", text)
    text = text.lower()
    for pattern, word in (*_SAXON_DAYS, *_SHORT_WORDS):
        text = pattern.sub(word, text)
    return _ONE_SHORT_DAY.sub(_one_short_day, _expand_day_lists(text))


# "16-18 Uhr", "16 bis 18 Uhr", "17:30–19 Uhr": a time range is when it starts
_CLOCK_RANGE = re.compile(
    r"\b([01]?\d|2[0-3])(?:\s*uhr)?\s*(?:-|–|bis)\s*(?:[01]?\d|2[0-3])\s*uhr\b"
)


# "18h", "17-19h", "ab 9h": hours written with an h
_CLOCK_H = re.compile(r"\b([01]?\d|2[0-3])(?:[:.][0-5]\d)?\s*h\b")


def _clock_hours(text: str) -> str:
    text = _CLOCK_H.sub(r"\1 uhr", text)
    text = _CLOCK_DOT.sub(r"\1", _CLOCK_COLON.sub(r"\1 uhr", text))
    return _CLOCK_RANGE.sub(r"\1 uhr", text)


_DAY_NAMES = {short: names[0] for short, names in zip(DAY_SHORT, DAY_NAMES, strict=True)}
_SHORT = "(?:" + "|".join(DAY_SHORT) + ")"
_ABBREVIATED_LIST = re.compile(
    rf"\b(?!do so\b){_SHORT}\.?(?:(?:\s*[,/+&–-]\s*|\s+(?:und|u\.?|bis)\s+){_SHORT}\b\.?)+"
)


def _expand_day_lists(text: str) -> str:
    """'Mo, Mi, Fr' → 'montag und mittwoch und freitag' ('Mo-Fr' → 'montag bis freitag'), so
    that a clause split at commas keeps the days; one abbreviation alone stays ("so", "do")."""

    def expand(match: re.Match[str]) -> str:
        parts = re.split(r"(\s*[,/+&]\s*|\s+(?:und|u\.?)\s+|\s*[–-]\s*|\s+bis\s+)", match[0])
        out = []
        for part in parts:
            word = part.strip(" .")
            if word in _DAY_NAMES:
                out.append(_DAY_NAMES[word])
            elif part.strip() in ("-", "–", "bis"):
                out.append(" bis ")
            else:
                out.append(" und ")
        return "".join(out)

    return _ABBREVIATED_LIST.sub(expand, text)


# "zwei Stunden in der Woche", "3 mal in der Woche": how much per week, not the working days
_PER_WEEK = compile_folded(
    r"\b((?:\d+\s*(?:x|mal)?|ein|eine|einen|zwei|drei|vier|paar|\S+mal|mal)\s+(?:\S+\s+)?)"
    r"in der woche\b"
)


def _clause_slots(clause: str, options: Sequence[tuple[str, Sequence[str]]]) -> list[str]:
    clause = _PER_WEEK.sub(r"\1pro woche", clause)
    padded = f" {clause} "
    days: list[str] = []  # from names of days
    parts: list[str] = []  # from times of day
    words = clause.split()
    for index, word in enumerate(words):
        if word.startswith(WEEKEND_DAYS) or word.endswith(_WEEKEND_ENDINGS):
            days.append("weekend")
        elif word.startswith(WORKDAYS):
            if "abend" in word:
                parts.append("evening")
            days.append("workday")
        elif _is_part(word, EVENING_PARTS):
            parts.append("evening")
        # "mal einen Nachmittag": one occasion, not said to be on a weekday
        elif _is_part(word, DAY_PARTS) and word != "morgen" and not _single_occasion(words, index):
            parts.append("weekday")
    others: list[str] = []
    for value, names in options:
        for name in names:
            key = fold(name)
            if not key or key in WIDE_SYNONYMS or not _has(padded, key):
                continue
            if value == "weekday" and (
                any(key.startswith(d) for d in WORKDAYS) or key in _WEEK_WORDS
            ):
                days.append("workday")
            elif value == "weekend":
                days.append("weekend")
            else:
                others.append(value)
            break
    if _names_the_week(padded):
        days.append("workday")
    if any(_has(padded, cue) for cue in WEEKEND_SHORT):
        days.append("weekend")
    if any(_has(padded, cue) for cue in ANY_TIME) or _ANY_WHEN.search(padded):
        others.append("any")
    clocks = [m.group(1) for m in _CLOCK.finditer(clause) if not _is_age(clause, m)]
    for hour in [*clocks, *(h for h, _ in _CLOCK_UHR.findall(clause))]:
        value = int(hour)
        if 17 <= value <= 23 or (" pm" in padded and 5 <= value <= 11):
            parts.append("evening")
        elif 6 <= value <= 16:
            parts.append("weekday")
    others = [o for o in others if o not in ("weekday", "evening") or o not in parts]
    parts += [o for o in others if o in ("weekday", "evening")]
    others = [o for o in others if o not in ("weekday", "evening")]
    found: list[str] = []
    if "workday" in days:
        # "dienstags abends" is the evening; "dienstags" alone or "dienstags vormittags" the week
        found += ["evening"] if parts == ["evening"] or set(parts) == {"evening"} else []
        found += ["weekday"] if not parts or "weekday" in parts else []
        found += [p for p in parts if p == "evening"]
    if "weekend" in days:
        found.append("weekend")  # "Samstagvormittag", "Saturday mornings": the weekend
        if "workday" not in days:
            found += [p for p in parts if p == "evening" and not _weekend_evening(clause)]
    if not days:
        found += parts
    return [*found, *others]


# "Kinder ab 8", "ab 16 Jahren", "age from 12": an age, no clock time
_AGE_BEFORE = frozenset(
    "kinder kindern kids children jugendliche jugendlichen alter alt age aged jahrige "
    "jahrigen schuler schulerinnen".split()
)


def _is_age(clause: str, match: re.Match[str]) -> bool:
    before = clause[: match.start()].split()[-2:]
    after = clause[match.end() :].split()[:1]
    return bool(_AGE_BEFORE & set(before)) or any(w.startswith(("jahr", "year")) for w in after)


_SINGLE_ARTICLES = frozenset("einen nen n an einem ein one a".split())
_PER = frozenset("pro die im per a each jede jeden jedes every".split())


# a weekend day at the end of a compound: "Adventssonntag", "Ostersamstag", "Brückenwochenende"
_WEEKEND_ENDINGS = ("wochenende", "wochenend", "sonntag", "sonntags", "samstag", "samstags")


def _single_occasion(words: Sequence[str], index: int) -> bool:
    """'einen Nachmittag', 'an einem Vormittag', 'an afternoon' – but not 'einen Nachmittag
    pro Woche'."""
    before = words[max(0, index - 2) : index]
    after = words[index + 1 : index + 2]
    single = bool(before) and before[-1] in _SINGLE_ARTICLES
    single |= len(before) == 2 and before[0] in _SINGLE_ARTICLES and before[1] in {
        "halben", "ganzen", "freien", "free"
    }  # fmt: skip
    return single and not (after and after[0] in _PER)


def _weekend_evening(clause: str) -> bool:
    """'samstagabend', 'Saturday evenings': the evening of a weekend day is the weekend
    ('am Wochenende und abends' names the evenings of the week too)."""
    words = [w for w in clause.split() if w not in ("gegen", "am", "zum", "in", "the")]
    for index, word in enumerate(words):
        if word.startswith(WEEKEND_DAYS) and (
            "abend" in word or any(_is_part(w, EVENING_PARTS) for w in words[index + 1 : index + 2])
        ):
            return True
    return False


def _without_greetings(folded: str) -> str:
    return GREETINGS.sub(" ", folded)


def _has(padded: str, phrase: str) -> bool:
    return f" {phrase} " in padded


def _is_part(word: str, parts: Sequence[str]) -> bool:
    """'abends', 'vormittags', 'nachmittagen': a day part, also with an ending."""
    return any(word == p or (word.startswith(p) and len(word) - len(p) <= 2) for p in parts) or any(
        len(word) >= 7 and fuzz.ratio(word, p) >= 88 for p in parts if len(p) >= 6
    )


# --- who does it for whom ------------------------------------------------------------
# "Könnte mir jemand … holen?", "wenn mich jemand fahren könnte", "Begleitung für meinen
# Bruder": someone else is to do it for the writer or their relative (need_help). "Ich könnte
# einsamen Menschen Gesellschaft leisten", "Kann ich Senioren beim Einkaufen helfen?": the
# writer does it for others (volunteer). Pronouns, "jemand" and kinship words are closed
# classes of the language; the folded text has no umlauts ("konnte" is also "könnte").

_SOMEONE = r"(?:jemand\w*|wer|eener|eena|eene|somebody|someone|anyone|anybody)"
_SOMEONE_AFTER = r"(?:jemand\w*|wer|eener|eena|eene|einer|somebody|someone|anyone|anybody)"
_KIN = (
    r"(?:mutter|mutti|mama|vater|vati|papa|eltern|oma|omi|opa|grossmutter|grossvater|bruder|"
    r"schwester|sohn|tochter|kind|kinder|mann|frau|partner\w*|tante|onkel|enkel\w*|"
    r"schwieger\w*|nachbar\w*|freund\w*|mum|mom|dad|father|mother|grandma|grandpa|"
    r"grandmother|grandfather|brother|sister|son|daughter|wife|husband|neighbou?r|friend)"
)
# "unser Opa", "unsere Mutter": the family's own relative (not "unsere Kinder", which a
# Verein or a school says of the children it looks after)
_OUR_KIN = (
    r"(?:unser|unsere[mnrs]?|our)\s+(?:\w+\s+)?(?:mutter|mutti|mama|vater|vati|papa|oma|omi|opa|"
    r"grossmutter|grossvater|bruder|schwester|sohn|tochter|tante|onkel|nachbar\w*|mum|mom|dad|"
    r"father|mother|grandma|grandpa|grandmother|grandfather|brother|sister|son|daughter|"
    r"neighbou?r)\b"
)
# the writer, a relative or a pet of theirs as the one helped ("Wer könnte meinen Hund
# ausführen?")
_PET = r"(?:hund|hunde|hundin|katze|katzen|kater|dog|cat)"
_ME = (
    rf"(?:mir|mich|me|my|mei|meine[mnrs]?\s+(?:\w+\s+)?(?:{_KIN}|{_PET})|"
    rf"my\s+(?:\w+\s+)?(?:{_KIN}|{_PET})|{_OUR_KIN})"
)
_MY_KIN = rf"\b(?:meine?[mnrs]?|mei|my|unsere?[mnrs]?|our)\s+{_KIN}\b"
_RECEIVER = compile_folded(
    "|".join(
        (
            # "könnte mir jemand", "kann mich jemand", "gonnte mir eener", "could somebody … me"
            rf"\b{_ME}\s+(?:\S+\s+){{0,2}}?{_SOMEONE_AFTER}\b",
            # "wer kann mir", "jemand so nett, meinem Vater", "someone to drive me"
            rf"\b{_SOMEONE}\s+(?:\S+\s+){{0,4}}?{_ME}\b",
            # "Begleitung für meinen Bruder", "Hilfe für mich", "help for my mum"
            rf"\b(?:begleitung|hilfe|unterstutzung|besuch|fahrdienst|help|support|company)\s+"
            rf"(?:fur|for)\s+(?:mich|me|{_ME})\b",
            # "Ich suche für meinen Onkel einen Besuchsdienst", "looking for help for my mum"
            rf"\b(?:suche|such|suchen|looking)\s+(?:\S+\s+){{0,2}}?(?:fur|for)\s+{_ME}\s+"
            r"(?:\S+\s+){0,6}?(?:\w*hilfe|unterstutzung|\w*begleitung|besuch\w*|\w*dienst|"
            r"betreuung|jemand\w*|help|support|someone|somebody|company)\b",
            # "ich wurde mich freuen, wenn mich jemand …", "ware schon, wenn mir einer …"
            rf"\bwenn\s+(?:\S+\s+){{0,2}}?{_ME}\s+(?:\S+\s+){{0,2}}?{_SOMEONE_AFTER}\b",
            # looking for helpers: "Gibt es hier Leute, die Senioren beim Onlinebanking helfen?",
            # "Gibt es in Taucha Umzugshelfer, die …", "Gibt es Freizeitbegleiter?"
            r"\b(?:gibt es|gibts|gibt s|is there|are there)\s+(?:\S+\s+){0,3}?(?:leute|menschen|"
            r"\w*helfer|\w*helferinnen|\w*begleiter|\w*begleiterinnen|\w*begleitung|"
            r"ehrenamtliche|freiwillige|volunteers|people|someone|anyone|somebody)\b(?!\s+\S+\s+(?:sucht|"
            r"suchen|braucht|brauchen|needs|need)\b)",
            # a relative glad of a visit: "Meine Eltern würden sich über Besuch freuen"
            rf"{_MY_KIN}\s+(?:\S+\s+){{0,4}}?(?:wurde|wurden|wurd|freut|freuen)\s+(?:sich\s+)?"
            r"(?:\S+\s+){0,4}?(?:uber|auf)\s+(?:\S+\s+){0,2}?(?:besuch\w*|hilfe|gesellschaft|"
            r"jemanden|unterstutzung)\b",
            # a relative's plight first, the question later: "Meine Eltern sind über 80, der
            # Garten verwildert. Könnte im Frühjahr mal jemand mit anpacken?"
            rf"{_MY_KIN}.*\b(?:(?:kann|konnte|wurde|gibt es|gibts|hat|could|can|would|is there)\s+"
            rf"(?:\S+\s+){{0,3}}?{_SOMEONE}\b|(?:wer|who)\s+(?:kann|konnte|wurde|hilft|could|can|"
            r"would)\b|"
            # "Unsere Tochter hat Autismus, wir suchen eine Begleitung für die Freizeit"
            r"(?:wir suchen|ich suche|suchen wir|suche ich|we are looking for|we re looking for|"
            r"i m looking for|i am looking for)\s+(?:\S+\s+){0,3}?(?:\w*begleitung|\w*begleiter\w*|"
            r"\w*hilfe|betreuung|unterstutzung|jemand\w*|someone|somebody|help|support|buddy|"
            r"companion)\b)",
        )
    )
)
# "… sagen, wo ich helfen kann": the writer asks for information about helping themselves
_ASKS_WHERE_TO_HELP = compile_folded(r"\b(?:wo|wie|ob|where|how|whether)\s+(?:ich|i)\b")
# the writer as doer for others: "ich konnte einsamen Menschen …", "kann ich Senioren …"
_OTHERS = (
    r"(?:andere[nr]?|alte[nr]?|altere[nr]?|einsame[nr]?|senioren|seniorinnen|leute[nr]?|"
    r"menschen|kinder[nr]?|jugendliche[nr]?|gefluchtete[nr]?|fluchtlinge[nr]?|nachbarn|"
    r"bewohner\w*|kranke[nr]?|others|elderly|older|lonely|people|kids|children|refugees|"
    r"neighbours|neighbors|seniors|angehorige[nr]?|familien|frauen|women|families)"
)
_OFFER = r"(?:konnte|kann|wurde|mochte|will|helfe|tat|wurd|mocht|would|could|can|want|help)"
# "Wer braucht Hilfe beim Rasenmähen? Hab nen Mäher", "Kann jemand meine Hilfe gebrauchen?",
# "does anyone need a hand": the writer offers help and asks who wants it
_OFFERED = (
    r"\b(?:wer|who)\s+(?:braucht|brauch|benotigt|needs|could use)\s+(?:\S+\s+){0,2}?"
    r"(?:hilfe|unterstutzung|help|a hand)\b|"
    r"\b(?:braucht|brauch|does|do)\s+(?:hier\s+)?(?:jemand|wer|anyone|anybody|someone|somebody)\s+"
    r"(?:\S+\s+){0,2}?(?:hilfe|unterstutzung|need\s+(?:\S+\s+)?(?:help|a hand))\b|"
    r"\b(?:braucht|gebrauchen|brauchen|need|needs|use)\s+(?:\S+\s+){0,2}?(?:meine|my)\s+"
    r"(?:hilfe|unterstutzung|help)\b|"
    r"\b(?:kann|konnte|can|could)\s+(?:\S+\s+){0,2}?(?:meine|my)\s+(?:hilfe|help)\b|"
    # "vielleicht braucht jemand Gesellschaft": offered to whoever needs it
    r"\bvielleicht\s+(?:braucht|brauchen)\s+(?:ja\s+)?(?:jemand|wer|einer|leute|someone)\b|"
    # having cared for one's own: "Hab meine Mutter bis zum Schluss begleitet"
    rf"\b(?:hab|habe|hatte|have|i)\s+(?:selbst\s+|auch\s+)?{_MY_KIN}\s+(?:\S+\s+){{0,5}}?"
    r"(?:begleitet|gepflegt|betreut|versorgt|cared)\b"
)
# "Biete Hilfe beim Umzug an", "Suche ein Ehrenamt", "I offer help with …": the writer offers
_OFFERS_ITSELF = (
    r"(?:^|[.!?]\s*|\b(?:ich|i)\s+)(?:biete|offer|am offering)\s+(?:\S+\s+){0,3}?"
    r"(?:hilfe|unterstutzung|meine|help|support|my)\b|"
    r"\b(?:suche|such|suchen|looking for)\s+(?:ein|eine|einen|nach einem|an?|some)?\s*"
    # "eine ehrenamtliche Begleitung", "a volunteer buddy" is someone sought, no task
    r"(?:ehrenamt|ehrenamts|ehrenamtes|ehrenamtlich\w* (?:aufgabe|tatigkeit|beschaftigung|"
    r"stelle|arbeit|engagement|job)|aufgabe|beschaftigung|volunteering|volunteer (?:work|job|"
    r"role|position|opportunit\w*|activit\w*)|voluntary)\b"
)
# "Fußballtrainer mit C-Lizenz sucht Verein", "suche nen Chor": a place to help in
_SEEKS_CLUB = r"\b(?:suche|such|sucht|looking for)\s+(?:(?:einen|nen|a)\s+)?(?:verein|club|chor)\b"
# "Falls ein Verein einen Kassenwart braucht, melde ich mich", "wenn mal jemand was
# transportiert braucht, sagen Sie Bescheid", "if anyone needs a driver": help offered for
# whoever needs it
_CONDITIONAL_OFFER = (
    r"\b(?:falls|wenn|if|sollte|should)\s+(?:\S+\s+){0,10}?(?:braucht|brauchen|brauchte|"
    r"benotigt|benotigen|gesucht|needs|need|werden muss|gemacht werden)\b|"
    # "Wenn eine Schule einen Garten anlegen will, helfe ich gern", "Falls am Vereinsheim
    # mal ne Rinne undicht ist, meldet euch" – unless the condition is someone who can help
    # ("Wenn jemand helfen kann, melden Sie sich")
    r"\b(?:falls|wenn|if)\s+(?:(?!helfen|hilft|zeit|lust|help|time)\S+\s+){1,12}?(?:helfe ich|"
    r"mache ich|mach ich|bin ich dabei|sind wir dabei|meldet euch|melden sie sich|meld dich|"
    r"sagt bescheid|sagen sie bescheid|gebt bescheid|ruft an|ruf an|rufen sie an|einfach anrufen|"
    r"let me know|count me in)\b|"
    # "Kann jemand eine Rentnerin gebrauchen, die vorliest?", "could anyone use a …"
    r"\b(?:kann|konnte|can|could)\s+(?:jemand|wer|ihr|man|anyone|anybody)\s+(?:\S+\s+){0,3}?"
    r"(?:gebrauchen|use)\b|"
    # "Könnt ihr Hilfe beim Aufbau vom Erntedankfest brauchen? Ich bin dabei"
    r"\b(?:konnt|konntet)\s+ihr\s+(?:\S+\s+){0,8}?(?:brauchen|gebrauchen)\b"
)
# "Gibt es einen Posaunenchor, der Verstärkung sucht?", "is there a club that needs help":
# the writer looks for a place that needs them
_WHO_NEEDS_ME = (
    r"\b(?:gibt es|gibts|is there|are there)\s+(?:\S+\s+){0,2}?(?:einen|eine|ein|"
    r"vereine|gruppen|a|an|any)\s+(?:\S+\s+){0,5}?(?:der|die|das|wo|which|that|who)\s+"
    r"(?:\S+\s+){0,3}?(?:sucht|braucht|suchen|brauchen|needs|need)\b"
)
_DOER = compile_folded(
    rf"{_OFFERED}|{_OFFERS_ITSELF}|{_SEEKS_CLUB}|{_CONDITIONAL_OFFER}|{_WHO_NEEDS_ME}|"
    rf"\b(?:ich|i|isch)\s+{_OFFER}\s+(?:\S+\s+){{0,3}}?{_OTHERS}\b|"
    rf"\b(?:kann|konnte|darf|durfte|mochte|will|wurde|can|could|may)\s+(?:ich|i|isch)\s+"
    rf"(?:\S+\s+){{0,3}}?{_OTHERS}\b|"
    # "Ich kann Rasen mähen, Hecke schneiden. Für Nachbarn, die es nicht mehr schaffen"
    rf"\b(?:ich|i)\s+(?:kann|konnte|can|could)\b(?!\s+(?:nicht|not|kaum)\b)(?:\s+\S+){{1,12}}?"
    rf"\s+(?:fur|for)\s+(?:die\s+|the\s+)?(?:\S+\s+)?{_OTHERS}\b|"
    # "ich kann ab und zu mal jemanden zum Einkaufen fahren": someone is whom the writer serves
    r"\b(?:ich|isch)\s+(?:kann|konnte|wurde)\s+(?:\S+\s+){0,4}?(?:jemanden|jemandem|"
    r"leute|menschen)\s+(?:\S+\s+){0,4}?(?:fahren|begleiten|helfen|vorlesen|mitnehmen|"
    r"besuchen|abholen|unterstutzen|beibringen|bringen|zeigen)\b|"
    # "falls mal jemand was ziehen muss": help offered for whoever has to do something
    r"\b(?:falls|wenn)\s+(?:mal\s+)?(?:jemand|wer|einer)\s+(?:\S+\s+){0,8}?(?:muss|mussen)\b|"
    # heard of a need: "Hab gehört, ihr sucht Leute fürs Kinderfest", "I heard you need"
    r"\b(?:hab|habe|i ve|i have|i)\s+(?:\S+\s+)?(?:gehort|gelesen|mitbekommen|heard|read)\s+"
    r"(?:\S+\s+){0,8}?(?:sucht|suchen|braucht|brauchen|gesucht|gebraucht|needs?|looking)\b"
)


# a relative of the writer looking for a task: "Meine Oma sucht eine Aufgabe, sie würde
# stricken", "my dad would like to volunteer"
_KIN_DOER = compile_folded(
    rf"{_MY_KIN}\s+(?:\S+\s+){{0,2}}?(?:sucht|mochte|"
    r"wurde|will|would|wants|is looking|looks)\s+(?:\S+\s+){0,4}?(?:aufgabe|ehrenamt\w*|"
    r"beschaftigung|helfen|mithelfen|engagieren|einbringen|volunteer\w*|task|something to do|"
    r"help out)\b"
)
# founding something: the help asked for is help with the project ("einen Lauftreff
# gründen. Wer hilft mir dabei?")
_FOUNDING = compile_folded(
    r"\b(?:grunden|grunde|ins leben rufen|auf die beine stellen|aufbauen|aufziehen|"
    r"(?:die|eine|meine|ne|nen) idee|"
    r"starten|start(?:ing)? (?:a|an|our|my)|set(?:ting)? up|found(?:ing)? (?:a|an)|"
    # organising something new with others: "will eins organisieren. Kann mir jemand helfen?",
    # "Hat jemand Lust, das mit mir zu bauen?"
    r"organisieren|veranstalten|initiieren|anschieben|durchsetzen|wieder ?beleben|"
    r"(?:draus|daraus) machen|anleiern|ins rollen bringen|mit mir (?:zu(?:sammen)? )?"
    r"(?:bauen|machen|aufbauen|planen|organisieren)|organi[sz]e|organi[sz]ing)\b"
)


def founding(text: str) -> bool:
    """The writer wants to found or start something."""
    return bool(_FOUNDING.search(fold(text)))


_SKILL = compile_folded(
    r"\b(?:kann|can)\s+(?:\S+\s+)?(?:gut\s+|well\s+)?(?:organisieren|organi[sz]e)\b"
)


def starts_own_project(text: str) -> bool:
    """The writer founds something themselves – not a skill ("kann gut organisieren") or help
    offered to whoever founds something ("Falls jemand einen Verein gründen will, helfe ich")."""
    folded = fold(text)
    return (
        bool(_FOUNDING.search(folded))
        and not _SKILL.search(folded)
        and not re.search(_CONDITIONAL_OFFER, folded)
    )


def offers_help(text: str) -> bool:
    """The writer asks who wants their help ("Wer braucht Hilfe beim …? Hab Zeit")."""
    return bool(re.search(_OFFERED, fold(text)))


# Asking whether helpers are still wanted is offering to be one ("Wird bei der Feuerwehr
# noch jemand gesucht?", "Braucht der SV beim Sommerfest noch Helfer?", "Leihoma gesucht?",
# "in Kölsa braucht ihr sicher wieder Hilfe"). The verb comes first, so a Verein's own
# notice ("Für unser Fest werden noch Helfer gesucht") is no such question.
_HELPERS = (
    r"(?:helfer\w*|helferinnen|leute|hilfe|jemand\w*|verstarkung|unterstutzung|"
    r"mitstreiter\w*|bedarf|freiwillig\w*|ehrenamtlich\w*|hande|volunteers|helpers|help)"
)
_ASKS_IF_WANTED = compile_folded(
    r"^(?:(?:hallo|hi|hey|moin|servus|guten tag|hello)\s+)?(?:"
    r"(?:wird|werden|sind|ist)\s+(?:\S+\s+){0,8}?(?:gesucht|gebraucht)\b|"
    rf"(?:braucht|brauchen|sucht|suchen|nimmt|nehmen|hat|haben)\s+(?:\S+\s+){{1,8}}?"
    rf"noch\s+(?:\S+\s+)?{_HELPERS}\b|"
    r"(?:do|does)\s+(?:\S+\s+){1,4}?(?:still\s+)?need\s+(?:more\s+|any\s+|some\s+)?"
    r"(?:help|volunteers|helpers|hands|people)\b)"
    r"|\b(?:braucht|brauchtet|sucht|nehmt)\s+ihr\b"
)
# "Leihoma gesucht?" asks; "Trainer gesucht!" is a Verein's notice
_WANTED_ASKED = compile_folded(r"^(?:\S+\s+){0,3}?gesucht$")
_SENTENCE = re.compile(r"([^.!?;:\n–]+)([.!?;:\n–]*)")


def asks_if_wanted(text: str) -> bool:
    """A sentence asks whether helpers are still wanted, or tells "ihr" they need some."""
    for match in _SENTENCE.finditer(text):
        sentence = fold(match.group(1))
        if _ASKS_IF_WANTED.search(sentence):
            return True
        if "?" in match.group(2) and _WANTED_ASKED.search(sentence):
            return True
    return False


# A question for something to go to or join ("Gibt es einen Lauftreff in Schkeuditz?", "Wo
# finde ich Gottesdienste an Heiligabend?", "Is there a Halloween party for kids?") wants to
# know what is on – unless it asks for helpers, help or a service ("Gibt es einen Fahrdienst?").
_ASKS_WHATS_THERE = compile_folded(
    r"^(?:(?:hallo|hi|hey|moin|servus|guten tag|guten abend|hello|na|nu|tach)\s+)?(?:"
    r"gibt es|gibts|gibt s|wo gibt es|wo finde ich|wo findet man|wo kann man|wo kann ich|"
    r"is there|are there|where can i|where can we|"
    # "Was geht am Wochenende in Rackwitz?", "was is denn am 1. Mai so los?"
    r"was (?:geht|lauft|passiert)|was (?:ist|is|steht)\b.*\b(?:los|an)$|"
    r"what s on|whats on|what is on|anything on|what s happening|what is happening)\b"
)
_NO_OUTING = compile_folded(
    r"\b(?:\w*helf\w*|\w*hilf\w*|help\w*|\w*ehrenamt\w*|engag\w*|freiwillig\w*|volunteer\w*|"
    r"\w*unterstutz\w*|verstarkung|\w*such\w*|\w*brauch\w*|mitarbeit\w*|jemand\w*|"
    r"wer|(?<!junge )(?<!altere )leute|menschen|need\w*|support\w*|(?!gottes)\w*dienst\w*|"
    r"\w*pate\w*|beratung\w*|"
    r"\w*begleit\w*|anpack\w*|einbring\w*|gesucht|gebraucht|verein\w*|mitglied\w*|"
    r"bedarf|forderung|service|gruppe|group|da|dafur|die|den|eins|for that|"
    r"fur (?:mich|ihn|sie|uns)|(?:wo|where) (?:ich|i)|(?:i|ich) (?:could|can|konnte|kann)|join)\b"
)


def asks_whats_there(text: str) -> bool:
    """The message opens with a question where something is on or can be joined, not for
    helpers or help."""
    match = _SENTENCE.search(text)
    if match is None or "?" not in match.group(2):
        return False
    sentence = fold(match.group(1))
    return bool(_ASKS_WHATS_THERE.search(sentence)) and not _NO_OUTING.search(sentence)


def asks_whats_there_later(text: str) -> bool:
    """After an introduction, the message's question asks what is on, and nothing in the
    whole message offers or asks for help."""
    sentences = list(_SENTENCE.finditer(text))
    questions = [m for m in sentences[1:] if "?" in m.group(2)]
    if not questions or _NO_OUTING.search(fold(text)):
        return False
    sentence = fold(questions[-1].group(1))
    return bool(_ASKS_WHATS_THERE.search(sentence))


def direction(text: str) -> str | None:
    """'receiver' when someone else is to help the writer or their relative, 'doer' when the
    writer (or a relative of theirs) would help others, None when neither (or both) is said.
    Help asked for founding something is no help for the writer."""
    folded = fold(text)
    receiver = bool(_RECEIVER.search(folded)) and not _ASKS_WHERE_TO_HELP.search(folded)
    receiver = receiver and not _FOUNDING.search(folded)
    doer = bool(_DOER.search(folded)) or bool(_KIN_DOER.search(folded)) or asks_if_wanted(text)
    if receiver and not doer:
        return "receiver"
    if doer and not receiver:
        return "doer"
    return None


_SEEKS_A_CLUB = compile_folded(_SEEKS_CLUB)


def seeks_a_club(text: str) -> bool:
    """The writer looks for a club to join ("Trainerin sucht Verein"): no club speaks."""
    return bool(_SEEKS_A_CLUB.search(fold(text)))


# A group of people who want to help together for themselves ("Wir sind fünf Kollegen und
# suchen für unseren Social Day eine Aktion", "we're a group of friends") is volunteering;
# an organisation speaking ("Wir sind ein Pflegeheim …", "We're a sports club") is a Verein.
_OWN_GROUP = compile_folded(
    r"\b(?:wir sind|mir sind|we are|we re|were)\s+(?:(?:gruppe|group|bunch) (?:von|of) |"
    r"(?!(?:fur|for|von|of|mit|with)\b)\S+\s+){0,3}?(?:kollegen|kolleginnen|"
    r"freunde|freundinnen|freundeskreis|nachbarn|nachbarinnen|studenten|studierende|azubis|"
    r"mamas|papas|eltern|geschwister|ehepaar|paar|rentner|rentnerinnen|friends|colleagues|"
    r"coworkers|co workers|workmates|neighbours|neighbors|students|couple|mates)\b|"
    r"\b(?:group|bunch|team) of (?:\S+\s+)?(?:friends|colleagues|coworkers|co workers|"
    r"workmates|neighbours|neighbors|students|mates)\b|\b(?:social day|teamtag|teambuilding|"
    r"team building|betriebsausflug|firmenausflug|team day|company day|corporate volunteering)\b|"
    # a family or couple helping together: "Wir sind eine junge Familie", "als Rentnerpaar"
    r"\b(?:wir sind|mir sind|we are|we re|were)\s+(?:eine?|a)\s+(?:\S+\s+)?(?:familie|family|"
    r"rentnerpaar|ehepaar|couple)\b|\b(?:als|as a)\s+(?:\S+\s+)?(?:familie|family|paar|ehepaar|"
    r"rentnerpaar|couple)\b"
)


# An organisation as the subject of a need: "Der Angelverein kriegt die Teichpflege nicht
# mehr gestemmt", "Unsere Kita hätte gern eine Oma", "Kirchgemeinde Zschortau: … brauchen
# wir" – a Verein looking for people, not someone who needs help for themselves.
_ORGANISATION_NEEDS = compile_folded(
    r"^(?:(?:hallo|hi|moin|guten tag)\s+)?(?:(?:der|die|das|unser|unsere|our|the)\s+)?"
    # by its short name: "FFW Podelwitz braucht …", "Der SV Lissa sucht …"
    r"(?:(?:ffw|drk|thw|nabu|asb|awo|vdk|cvjm|sv|tsv|fsv|ssv|esv|sg|fc|tus|vfb|vfl)\b|\S*(?:verein|"
    r"gemeinde|kita|kindergarten|schule|feuerwehr|wehr|museum|chor|club|klub|initiative|tafel|"
    r"heim|station|bibliothek|bucherei|rat|diakonie|caritas|kirche|kammer|laden|cafe|treff|"
    r"hospiz|dienst|initiative|gruppe)\b)(?:\s+\S+){0,12}?\s+(?:braucht|"
    r"bräuchte|brauchte|sucht|fehlt|fehlen|kriegt|schafft|hätte gern|hatte gern|freut sich|"
    r"brauchen wir|suchen wir|needs|is looking|would like)\b"
)


# Someone writing for their organisation: a role in it ("ich bin Kassenwart vom Angelverein",
# "Jugendwart der Feuerwehr Rabutz", "wir sind der Heimatverein Grebehna") and "we" need
# people ("wir brauchen dringend einen Betreuer", "und suchen Leute", "wir bilden aus").
_ROLE = (
    r"(?:vorsitzende[rn]?|vorstand\w*|kassenwart\w*|schriftfuhrer\w*|wehrleiter\w*|"
    r"wehrfuhrer\w*|\w*wart|\w*wartin|trainer\w*|ubungsleiter\w*|\w*leiter|\w*leiterin|"
    r"koordinator\w*|pfarrer\w*|ortsvorsteher\w*|burgermeister\w*|kantor\w*|mitglied|chair\w*|"
    r"coordinator|leader|head|president|secretary|treasurer)"
)
_SPEAKS_FOR = compile_folded(
    rf"\b(?:ich bin|bin|i m|i am|als)\s+(?:\S+\s+)?{_ROLE}\s+(?:\S+\s+){{0,2}}?"
    r"(?:der|des|vom|von|beim|bei|im|in der|of|at)\b|"
    r"\b(?:wir sind|mir sind|we are|we re)\s+(?:der|die|das|the)\s+\S+"
)
_WE_NEED = compile_folded(
    r"\b(?:wir|mir|we)\s+(?:\S+\s+){0,12}?(?:suchen|brauchen|brauchten|bilden|need|are looking)\b|"
    # in the role: "Als Pfarrerin der Kirchgemeinde suche ich Menschen, die …"
    r"\b(?:suche ich|ich suche|i m looking for|i am looking for)\s+(?:\S+\s+){0,2}?(?:menschen|"
    r"leute|helfer\w*|ehrenamtliche\w*|freiwillige\w*|mitstreiter\w*|verstarkung|people|"
    r"volunteers|helpers)\b|"
    r"\b(?:suchen|brauchen|brauchten) (?:wir|mir)\b|\b(?:uns|us) fehl\w*"
)


def speaks_for_organisation(text: str) -> bool:
    """The writer names their role in an organisation (or speaks as it) and says "we" need
    people."""
    folded = fold(text)
    return bool(_SPEAKS_FOR.search(folded)) and bool(_WE_NEED.search(folded))


def organisation_needs(text: str) -> bool:
    """An organisation (named first) says what it lacks."""
    return bool(_ORGANISATION_NEEDS.search(fold(text)))


def own_group(text: str) -> bool:
    """The writer speaks for friends or colleagues who want to help together."""
    return bool(_OWN_GROUP.search(fold(text)))


# An advertisement: a link together with earning, winning or a call to click ("Verdienen
# Sie 5000 € … Jetzt klicken: bit.ly/…", "Win an iPhone: http://…"). Nothing we offer.
_LINK = re.compile(
    r"https?://|www\.|\b\w+\.ly/|"
    r"\b[\w-]+\.(?:com|net|ru|xyz|io|info|biz|shop|top|click|example)\b",
    re.IGNORECASE,
)
_EARNING = r"\bverdien\w*|\bearn\w*|\bklick\w*|\bclick\w*"  # "verdienen", "jetzt klicken"
_SALES = re.compile(
    rf"{_EARNING}|\bgewinn\w*|\bwin\b|\bkredit\w*|\bschufa\b|\bloans?\b|"
    r"\bcrypto\w*|\bbitcoin\w*|\bkrypto\w*|\bcasino\w*|\brabatt\w*|\bdiscount\w*|"
    r"\bgratis\b|\bfree\b",
    re.IGNORECASE,
)


# A price or a sum of money: "80 VB", "5000€", "für 20 Euro", "$500"
_PRICE = re.compile(
    r"\d[\d.,]*\s*(?:€|euro\b|eur\b|\$|vb\b)|[€$]\s*\d|\bvb\b|\bverhandlungsbasis\b",
    re.IGNORECASE,
)
# Selling or earning: "Verkaufe Rasenmäher", "zu verkaufen", "for sale", "earn … per week"
_SELLING = re.compile(
    rf"\bverkauf(?:e|t)\b|\bzu verkaufen\b|\bfor sale\b|\bsell(?:ing)?\s+my\b|{_EARNING}",
    re.IGNORECASE,
)


# An investment pitch: "300% profit in one week, contact me on WhatsApp"
_INVESTMENT = re.compile(
    r"\b(?:crypto\w*|krypto\w*|bitcoin\w*|forex|investment\w*|investier\w*|invest|"
    r"profit\w*|rendite\w*|casino\w*)\b",
    re.IGNORECASE,
)
_PROMISE = re.compile(
    r"\d+\s*%|\bprozent\b|\bper\s*cent\b|\bcontact me\b|\bschreib(?:en sie)? mir\b|"
    r"\bwhatsapp\b",
    re.IGNORECASE,
)


# Selling without a figure: "gute Preise", "cheap rates", "unverbindliches Angebot"
_PRICE_WORDS = re.compile(
    r"\b(?:gute[n]?|günstige[n]?|guenstige[n]?|faire[n]?|beste[n]?|top|cheap|low|best|great)\s+"
    r"(?:preise[n]?|konditionen|rates|prices|deals?)\b|\bunverbindliche[sn]?\s+angebot\b|"
    r"\b(?:contact|call|order)\s+(?:us\s+)?now\b|\b0\s*%\s*finanzierung\b",
    re.IGNORECASE,
)
_SELLS = re.compile(
    r"\b(?:verkauf\w*|biete[nt]?|bieten\s+\S+\s+an|angebot|offer\w*|sell\w*|services?)\b",
    re.IGNORECASE,
)


def advertises(text: str) -> bool:
    """Spam or a sale, not a wish to volunteer: a link with 'verdienen', 'gewinnen' or
    'klicken', or selling and earning with a price ("Verkaufe Rasenmäher, 80 VB",
    "Earn 5000€ per week! Click here")."""
    if _LINK.search(text):
        return bool(_SALES.search(text))
    if _INVESTMENT.search(text) and _PROMISE.search(text):
        return True
    if _PRICE_WORDS.search(text) and _SELLS.search(text):
        return True  # "Verkaufe Traktorreifen, gute Preise", "SEO services, cheap rates"
    return bool(_PRICE.search(text)) and bool(_SELLING.search(text))
