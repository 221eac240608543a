"""When and how often a message says the person has time: one-off or regular
(`time_kind`), weekdays, evenings, weekends (`time_slots`), the days and parts of the day
named. Used through `bot.understanding.cues`.

The word lists are closed classes of the language (day names, clock times, frequency
words); the time steps' own synonyms come from content/dialog.yaml.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from rapidfuzz import fuzz

from bot.content.times import DAY_NAMES, DAY_SHORT, words_days, words_parts
from bot.matching.options import pick
from bot.text import compile_folded, fold

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
    r"night|afternoon)\b|"
    # a wish: "ein schönes Wochenende!", "have a nice weekend"
    r"\b(?:schones|schone|schonen|nice|great|good|lovely)\s+(?:wochenende|weekend)\b"
)
# A clause that says when someone works or cannot ("weil ich nachts arbeite", "abends kann
# ich nicht", "not on weekends") names a time that is no slot.
_CLAUSE_SPLIT = re.compile(
    r" , | - | – |\b(?:aber|weil|da|denn|sondern|doch|wegen|deshalb|deswegen|daher|darum|but|"
    r"because|since|as|therefore)\b|"
    # "I work weekends so weekdays are better" ("so" alone is too common: "so gegen 6")
    r"\bso (?=(?:i|we|weekdays?|evenings?|mornings?|afternoons?|weekends?)\b)|"
    r"\b(?:und|and) (?=(?:ich|hab|habe|bin|kann|könnte|hätte|hätt|würde|wäre|möchte|i)\b)"
)
SLOT_ORDER = {"weekday": 0, "evening": 1, "weekend": 2, "any": 3}
_UNAVAILABLE = frozenset(
    "nicht nie kein keine keinen ausser arbeite arbeitet arbeiten schaffe schichte montage "
    "unterwegs dienstlich beruflich not never no except work working busy away "
    "schwierig schlecht flach ni nich net difficult".split()
)
_TIME_UNITS = (
    r"(?:woche|wochenende|tag|abend|morgen|monat|montag|dienstag|mittwoch|donnerstag|freitag|"
    r"samstag|sonntag|sonnabend|week|weekend|day|evening|month|monday|tuesday|wednesday|"
    r"thursday|friday|saturday|sunday)"
)
_REGULAR = compile_folded(
    # ("zu jeder Tageszeit" is any time, not a rhythm)
    rf" (?:(?:jede[nrs]?|every) (?!(?:tages|uhr)zeit)(?:\S+ )?\w*{_TIME_UNITS}\w*|"
    rf"(?:einmal|zweimal|1x|2x|1 mal|ein mal) (?:die|pro|in der|im|a|per) {_TIME_UNITS}|"
    # several times a year: "4x im Jahr", "zweimal im Jahr", "ein paar Mal im Jahr"
    r"(?:zwei|drei|vier|funf|sechs|paar|[2-9]) ?(?:mal|x) (?:im|pro|per|a) (?:jahr|year)|"
    r"mehrmals (?:im|pro) jahr|(?:several|a few) times a year|"
    r"regelmassig\w*|wochentlich|weekly|monatlich|dauerhaft\w*|langfristig\w*|langerfristig\w*|"
    r"auf dauer|long[- ]term|ofter|regularly|"
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
_ONCE = compile_folded(  # (not "nicht nur einmal", "not just once")
    r"(?<! nicht)(?<! not) "
    rf"(?:einmalig\w*|(?:nur|bloss|blos|just|only) (?:einmal|eemal|eenmal|emal|eimal|einmol|"
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
    r" (?:nicht|nix|nichts|kein\w*|not|no|never|nie)(?: (?!(?:aber|but|doch|sondern)\b)\S+){0,2}$"
)
# "Feste Termine kann ich nicht zusagen", "jede Woche schaff ich nicht", "regelmäßig geht
# leider nicht", "regelmäßig ist schwierig": the rhythm ruled out after it
# ("regelmäßig, nicht nur einmal" and "wäre nicht schlecht" rule nothing out)
_NEGATED_AFTER = compile_folded(
    r"^(?: (?!(?:aber|but|doch|sondern|und|and|oder|or|als|than)\b)\S+){0,5}? "
    r"(?:nicht|nich|net|not|schwierig|schwer|(?<!nicht )schlecht|difficult|hard|tricky|"
    r"unmoglich|impossible)"
    r"(?! (?:nur|only|just|schlecht|bad|so schlimm|ausgeschlossen)\b) "
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
# "wenn die Kinder in der Schule sind", "während die Kleinen in Kita und Schule sind",
# "while the kids are at school": the daytime of the working week (and the children no area
# to help in: the understander leaves these words out of the areas' text)
_SCHOOLS = r"(?:schule|kita|kindergarten|kindergarden|hort|school|nursery)\w*"
SCHOOL_HOURS_WORDS = (
    r"\b(?:wenn|w(?:ä|a)hrend|solange|while|when)\s+(?:die|meine|unsere|the|my|our)\s+"
    r"(?:\S+\s+)?(?:kinder|kids|kleinen|children|kleine|kind|sohn|tochter)\s+(?:\S+\s+){0,4}?"
    rf"{_SCHOOLS}(?:\s+(?:und|oder|bzw|and|or)\s+{_SCHOOLS})?"
)
SCHOOL_HOURS = compile_folded(SCHOOL_HOURS_WORDS)
# "nur wenn die Kinder im Bett sind", "once the kids are asleep": a parent's evening (and the
# children no area, as above)
BEDTIME_WORDS = (
    r"\b(?:wenn|sobald|when|once)\s+(?:\S+\s+){0,3}?(?:im\s+bett|ins\s+bett|"
    r"schlafen|asleep|in\s+bed)\b"
)
BEDTIME = compile_folded(BEDTIME_WORDS)
# "once the kids are asleep", "once I retire": "once" as "sobald", no single occasion
_ONCE_AS_WHEN = compile_folded(r" once (?=(?:the|they|he|she|we|you|my|our)\b)")
_WORKDAY_RANGE = re.compile(
    r" (?:mo|mon|montag|monday) (?:bis |to |till |until |through )?(?:fr|fri|freitag|friday) "
)
_AFTER_WORK = re.compile(
    r" (?:after|nach) (?:der |dem |the |my )?(?:work|arbeit|job|schicht|dienst|shift) |"
    # "Wochenenddienste sind kein Problem": fine, not busy
    r" (?:kein|keine|no|not a) (?:problem|thema|issue) |"
    # "weekends work best for me": the time suits, nobody is at work
    r" (?:work|works) (?:best|better|well|fine|great|for me|for us) "
)
# "zeitlich ist mir das egal", "Zeit egal", "time doesn't matter": any time
_ANY_WHEN = compile_folded(
    r" (?:zeitlich|zeit|uhrzeit|tag und zeit) (?:\S+ ){0,4}?(?:egal|wurscht|schnuppe|flexibel) |"
    r" (?:time|timing|when) (?:doesn t|does not|don t) matter |"
    # "der Tag ist egal", "egal an welchem Tag", "die Zeit kann man sich frei einteilen"
    r" (?:tag|wochentag) (?:\S+ ){0,2}?(?:egal|wurscht) |"
    r" egal (?:an )?welche[mnr]? (?:tag|wochentag) |"
    r" frei einteil\w* "
)
# synonyms of the weekday option that name the days, not a time of day: "weekday evenings"
# and "werktags abends" are the evening
_WEEK_WORDS = frozenset(("werktags", "wochentags", "weekdays", "weekday"))
WEEKEND_SHORT = ("am we", "ubers we", "jedes we", "am wo ende", "at weekends", "on weekends")
ANY_TIME = ("an nichts gebunden", "nicht gebunden", "egal wann", "wann immer", "jederzeit",
            "zu jeder zeit", "rund um die uhr", "any time", "anytime", "whenever",
            "voll flexibel", "total flexibel", "zeitlich flexibel", "any day",
            "jeden tag zeit", "every day works", "zu jeder tageszeit", "wann ich will",
            "zeit ohne ende", "immer zeit", "zeit hab ich immer",
            "zeit habe ich immer")  # fmt: skip


_ONCE_WORDS = r"(?:einmal\w*|einzeln\w*|ab und zu|once|one[- ]off|occasionally)"
# an either-or with up to three words on each side: "einmalig oder regelmäßig", "egal ob
# regelmäßig oder mal eine Aktion", "ob mal eben oder regelmäßig", "einmalig oder als kleine
# Reihe", "kurzfristiges Projekt oder etwas Dauerhaftes"; "fest" only right beside the other
# ("einmalig oder fest"), as a Fest may stand anywhere near
_ONCE_SIDE = (
    r"(?:einmal\w*|einzeln\w*|ab und zu|mal eben|mal (?:eine?n?|bei|so)|kurzfristig\w*|"
    r"projekt\w*|once|one[- ]off|occasionally)"
)
_REGULAR_SIDE = r"(?:regelmassig\w*|ofter|dauerhaft\w*|laufend\w*|reihe|regular\w*|ongoing)"
_EITHER = compile_folded(
    rf" (?:{_ONCE_WORDS} (?:oder|or) fest|fest (?:oder|or) {_ONCE_WORDS}|"
    rf"{_ONCE_SIDE} (?:\S+ ){{0,3}}?(?:oder|or) (?:\S+ ){{0,3}}?{_REGULAR_SIDE}|"
    rf"{_REGULAR_SIDE} (?:\S+ ){{0,3}}?(?:oder|or) (?:\S+ ){{0,3}}?{_ONCE_SIDE}|"
    r"beides (?:geht|moglich|ok|okay|passt|ist mir recht|recht)|both (?:is|are) fine|"
    r"either way) "
)


def time_kind(
    text: str, options: Sequence[tuple[str, Sequence[str]]], occasions: bool = True
) -> str | None:
    """once / regular / any from the time_kind step's synonyms and a few frequency phrases.
    "any" only when the message says both (or that it does not matter which).
    `occasions=False`: a named occasion ("Pflanzaktionen") is what someone asks about
    (events), not a single time they offer."""
    spoken = _spoken_days(text)
    folded = fold(spoken)
    padded = _ONCE_AS_WHEN.sub(" ", f" {_without_greetings(folded)} ")
    ruled_out = _ruled_out_after(spoken)
    if compared := _COMPARED.search(padded):
        return "once" if compared.group("once") else "regular"  # "eher einmalig als dauerhaft"
    if _EITHER.search(padded):
        return "any"  # "ob einmalig oder regelmäßig", "egal ob einmal oder öfter"
    # "einmal im Monat", "once a week", "einen Nachmittag pro Woche" are no single occasion
    single = _NOT_ONCE.sub("  ", _RECURRING.sub("  ", _REGULAR.sub("  ", padded)))
    found = []
    for value, names in options:
        for name in names:
            key = fold(name)
            if not key or key in WIDE_SYNONYMS or key in KIND_SHORT_ONLY:
                continue
            if value == "regular" and _negated_everywhere(padded, key, ruled_out):
                found.append("once")
                break
            if _has(single if value == "once" else padded, key):
                found.append(value)
                break
    for sentence, match in _rhythms(text):
        if _NEGATION.search(sentence[: match.start()]):
            found.append("once")  # "nicht regelmäßig", "nicht jede Woche"
        elif match[0] in ruled_out:
            # "regelmäßig geht nicht": once; "jeden Dienstag geht nicht": that day only
            found += [] if re.search(_DAYS, match[0]) else ["once"]
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


# "bitte nichts Einmaliges", "kein einmaliger Einsatz", "nicht projektweise": no single occasion
_NOT_ONCE = compile_folded(
    r" (?:nicht|nichts|nix|kein\w*|not|no) (?:so |nur |a |an )?(?:einmalig\w*|einzeln\w*|"
    r"spontan\w*|projektweise|kurzfristig\w*|one[- ]off|one[- ]time) "
)
# a sentence ends at ! ? ; or a full stop after a word before a capital ("kein Verein.
# Freitags abends"), not after a number ("jeden 2. Mittwoch") or an abbreviation ("ca. 2 Std.
# im Monat")
_SENTENCE_END = re.compile(r"[!?;]+|(?<![\d\s])\.+(?=\s+[A-ZÄÖÜ]|\s*$)")


def _rhythms(text: str) -> Iterator[tuple[str, re.Match[str]]]:
    """Each regular rhythm named, with its sentence: a negation before it counts only in the
    same sentence ("… kein Verein. Großkrostitz, freitags abends" is a rhythm)."""
    for part in _SENTENCE_END.split(text):
        sentence = _ONCE_AS_WHEN.sub(" ", f" {_without_greetings(fold(_spoken_days(part)))} ")
        for pattern in (_REGULAR, _RECURRING):
            for match in pattern.finditer(sentence):
                yield sentence, match


def _negated_everywhere(padded: str, key: str, ruled_out: set[str]) -> bool:
    """Every mention of `key` follows a negation ("nicht regelmäßig") or is ruled out after
    it ("regelmäßig geht nicht")."""
    if any(f" {key} " in rhythm for rhythm in ruled_out):
        return True
    starts = [i for i in range(len(padded)) if padded.startswith(f" {key} ", i)]
    return bool(starts) and all(_NEGATION.search(padded[:i]) for i in starts)


_SENTENCE_PARTS = re.compile(r"[.,;:!?…\n()]")


def _ruled_out_after(spoken: str) -> set[str]:
    """The rhythms a clause rules out after naming them ("Feste Termine kann ich nicht
    zusagen"), as `_REGULAR` and `_RECURRING` match them. Read clause by clause, so that a
    negation in the next sentence ("… zwei Touren pro Woche. P-Schein nicht nötig") is not
    taken for one."""
    ruled_out: set[str] = set()
    for clause in _SENTENCE_PARTS.split(spoken):
        padded = f" {_without_greetings(fold(clause))} "
        for pattern in (_REGULAR, _RECURRING):
            for match in pattern.finditer(padded):
                if _NEGATED_AFTER.search(padded[match.end() - 1 :]):
                    ruled_out.add(match[0])
    return ruled_out


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
    """The working days named as a whole: "unter der Woche", "werktags", "Mo–Fr", "wenn die
    Kinder in der Schule sind"."""
    return (
        any(_has(padded, cue) for cue in WEEK_CUES)
        or bool(_WORKDAY_RANGE.search(padded))
        or bool(SCHOOL_HOURS.search(padded))
    )


def _days_named(clause: str) -> frozenset[str]:
    """The days a clause names: "weekend" and/or "workday", none when it names none."""
    named = set()
    for word in clause.split():
        if _is_weekend_day(word):
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


# "kann ich jederzeit wieder aufhören?", "stop at any time": when someone may leave, not when
# they have time
_QUITTING = re.compile(
    r"\b(?:jederzeit|anytime|any time)\s+(?:\S+\s+){0,2}?(?:aufhoren|aufhorn|kundigen|abbrechen|"
    r"aussteigen|beenden|absagen|zurucktreten|stop|stoppen|quit|leave|cancel)\b|"
    r"\b(?:stop|quit|leave|cancel)\s+(?:\S+\s+){0,2}?(?:anytime|at any time)\b"
)


def _free_clauses(text: str) -> list[str]:
    """The folded clauses of `text` without greetings that do not say when someone is busy."""
    # an emoji ends a clause as a full stop does ("am Wochenende 😅 Sie traut sich nicht")
    raw = re.sub(
        r"[,.;:!?()\u2600-\u27bf\U0001f300-\U0001faff]",
        " , ",
        _clock_hours(_spoken_days(text)),
    )
    clauses = [
        _QUITTING.sub(" ", _without_greetings(fold(c))) for c in _CLAUSE_SPLIT.split(raw) if fold(c)
    ]
    # "after work", "nach der Arbeit" say when someone is free, not when they work
    return [
        clause
        for clause in clauses
        if not _UNAVAILABLE & set(_AFTER_WORK.sub(" ", f" {clause} ").split())
        and not _NOTHING_ON.search(f" {clause} ")
    ]


# "bitte nichts am Wochenende", "nix unter der Woche": that time ruled out ("am Wochenende
# hab ich nichts vor" is free time: "nichts" after the time)
_NOTHING_ON = re.compile(r" (?:nichts|nix) (?:am|an|unter|in|on|at) (?!.* vor $)")


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


# "nicht vor 18 Uhr", "not before 6pm": from that hour on, no time ruled out
_NOT_BEFORE = re.compile(r"\b(?:nicht|not|never|nie)\s+(?:vor|before)\s+(?=\d)")
# "6pm", "6.30pm", "6 p.m.": the hour and "pm" apart, as the evening's hours are read
_PM = re.compile(r"\b(\d{1,2})(?:[:.][0-5]\d)?\s*p\.?m\b\.?")


def _clock_hours(text: str) -> str:
    text = _PM.sub(r"\1 pm", _NOT_BEFORE.sub("ab ", text))
    text = _CLOCK_H.sub(r"\1 uhr", text)
    text = _CLOCK_DOT.sub(r"\1", _CLOCK_COLON.sub(r"\1 uhr", text))
    return _CLOCK_RANGE.sub(r"\1 uhr", text)


_DAY_NAMES = {short: names[0] for short, names in zip(DAY_SHORT, DAY_NAMES, strict=True)}
_SHORT = "(?:" + "|".join(DAY_SHORT) + ")"
# ("do so", "so-so", "so und so" are words: the same abbreviation twice is no list)
_ABBREVIATED_LIST = re.compile(
    rf"\b(?!do so\b)(?!(so|do)(?:\s*[–-]\s*|\s+und\s+|\s+)\1\b)"
    rf"{_SHORT}\.?(?:(?:\s*[,/+&–-]\s*|\s+(?:und|u\.?|bis)\s+){_SHORT}\b\.?)+"
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
        if _is_weekend_day(word):
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
    if BEDTIME.search(clause):  # "wenn die Kinder im Bett sind": the evening
        parts.append("evening")
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
        # "evenings after 6": an hour said with the evening is in the evening
        evening_said = "evening" in parts and value <= 11
        if 17 <= value <= 23 or (" pm" in padded and 5 <= value <= 11) or evening_said:
            parts.append("evening")
        elif 6 <= value <= 16:
            parts.append("weekday")
    others = [o for o in others if o not in ("weekday", "evening") or o not in parts]
    parts += [o for o in others if o in ("weekday", "evening")]
    others = [o for o in others if o not in ("weekday", "evening")]
    found: list[str] = []
    if _evenings_across_the_week(days, parts, clause):
        # "Freitag- oder Samstagabend": a workday's evening and the weekend's (the evening
        # slot is Monday to Friday, the weekend all of Saturday and Sunday), no daytime
        return ["evening", "weekend", *others]
    if "workday" in days:
        # "dienstags abends" is the evening; "dienstags" alone or "dienstags vormittags" the week
        found += ["evening"] if parts == ["evening"] or set(parts) == {"evening"} else []
        found += ["weekday"] if not parts or "weekday" in parts else []
        found += [p for p in parts if p == "evening"]
    if "weekend" in days:
        found.append("weekend")  # "Samstagvormittag", "Saturday mornings": the weekend
        if "workday" not in days and _daytime_besides_the_weekend(words):
            found.append("weekday")  # "nachmittags oder am Wochenende"
        if "workday" not in days:
            found += [p for p in parts if p == "evening" and not _weekend_evening(clause)]
    if not days:
        found += parts
    return [*found, *others]


# "Kinder ab 8", "ab 16 Jahren", "age from 12": an age, no clock time
_AGE_BEFORE = frozenset(
    fold(word)
    for word in "kinder kindern kids children jugendliche jugendlichen alter alt age aged jahrige "
    "jahrigen schuler schulerinnen manner frauen leute menschen mitglieder erwachsene madchen "
    "jungen jungs jugendfeuerwehr einsatzabteilung people adults girls boys teens members".split()
)


def _is_age(clause: str, match: re.Match[str]) -> bool:
    before = clause[: match.start()].split()[-2:]
    after = clause[match.end() :].split()[:1]
    return bool(_AGE_BEFORE & set(before)) or any(w.startswith(("jahr", "year")) for w in after)


_SINGLE_ARTICLES = frozenset("einen nen n an einem ein one a".split())
_PER = frozenset("pro die im per a each jede jeden jedes every".split())


# a weekend day at the end of a compound: "Adventssonntag", "Ostersamstag", "Brückenwochenende"
_WEEKEND_ENDINGS = ("wochenende", "wochenend", "sonntag", "sonntags", "samstag", "samstags")


def _is_weekend_day(word: str) -> bool:
    """'samstags', 'Wochenende', 'Adventssonntag': a word that names the weekend."""
    return word.startswith(WEEKEND_DAYS) or word.endswith(_WEEKEND_ENDINGS)


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


_OR_AND = frozenset("oder und or and sowie bzw".split())


def _daytime_besides_the_weekend(words: Sequence[str]) -> bool:
    """A daytime said apart from the weekend days, a conjunction between ("Nachmittags oder am
    Wochenende", "nachmittags nach 15 Uhr und Samstag"), is the week's daytime; next to one
    ("Samstag und Sonntag vormittags") it is the weekend's."""
    weekend = [index for index, word in enumerate(words) if _is_weekend_day(word)]
    if not weekend:  # the weekend said in several words ("am Wo Ende", "at weekends")
        return False
    for index, word in enumerate(words):
        if not _is_part(word, DAY_PARTS) or word == "morgen":
            continue
        nearest = min(weekend, key=lambda i: abs(i - index))
        between = words[min(index, nearest) + 1 : max(index, nearest)]
        if abs(nearest - index) > 1 and _OR_AND & set(between):
            return True
    return False


def _evenings_across_the_week(days: list[str], parts: list[str], clause: str) -> bool:
    """The evenings of a workday and a weekend day ("Freitag- oder Samstagabend", "freitags
    oder samstags abends"), not the workday's daytime."""
    if "workday" not in days or "weekend" not in days:
        return False
    return set(parts) <= {"evening"} and _weekend_evening(clause)


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
