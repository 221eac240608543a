"""`Understander`: reads a whole message for its intent and every slot it carries."""

from __future__ import annotations

import re

from bot.content.model import Content
from bot.content.schema import Step
from bot.matching.facts import travel_km
from bot.matching.interests import COMPOUND, EXACT, InterestMatcher, InterestScore
from bot.matching.options import pick_all
from bot.matching.places import FILLERS, Place, PlaceResolver
from bot.text import content_words, fold
from bot.understanding import cues, slots
from bot.understanding._corrections import without_taken_back
from bot.understanding._times import BEDTIME_WORDS, SCHOOL_HOURS_WORDS
from bot.understanding.area_order import AreaOrder, words_of
from bot.understanding.intents import EVENTS, IDEA, QUESTION, IntentModel
from bot.understanding.reading import Reading

NEED_HELP = "need_help"
# What someone needs or asks about is no area they want to help in.
NO_INTERESTS = frozenset((NEED_HELP, QUESTION))
MAX_LENGTH = 1000  # characters read from one message
ONLY_SLOTS_WORDS = 6  # a message of more words says more than where and when
KIDS = "kinder-jugend"
SOCIAL = "soziales"
VILLAGE_LIFE = "dorfleben"
INTEGRATION = "integration"

# Said about the writer, not about the area they want to help in: where they come from,
# their age, school or retirement, the languages they speak, the child they bring along.
_FAMILY = (
    r"(?:tochter|sohn|kind|kinder|kindern|kids|kleine[nr]?|enkel\w*|familie|frau|mann|"
    r"son|daughter|child|children|family|grandchildren|wife|husband)"
)
_COUNT = r"\d+|ein|eine|zwei|drei|vier|fünf|sechs|one|two|three|four|five|six"
# languages newcomers to the region speak: offering them is offering help to newcomers
_NEWCOMERS_LANGUAGES = (
    r"(?:arabisch|arabic|russisch|russian|ukrainisch|ukrainian|polnisch|polish|persisch|"
    r"persian|farsi|dari|paschtu|pashto|türkisch|turkish|kurdisch|kurdish|tigrinya|somali|"
    r"rumänisch|romanian|bulgarisch|bulgarian|vietnamesisch|vietnamese|albanisch|albanian|"
    r"urdu|amharisch|amharic)"
)
_LANGUAGES = (
    rf"(?:deutsch|englisch|english|german|französisch|french|spanisch|spanish|"
    rf"{_NEWCOMERS_LANGUAGES})"
)
_SPEAKS = r"\b(?:spreche|spricht|sprechen|speak|speaks)\s+"
_INCIDENTAL = re.compile(
    "|".join(
        (
            # origin: "ich komme aus Syrien", "bin aus der Ukraine", "I moved here from Kyiv"
            r"\b(?:bin|komme|komm|stamme|kam|kommen|sind|stammen)\s+(?:\w+\s+){0,2}?aus\s+"
            r"(?:der\s+|dem\s+|den\s+)?[\w-]+",
            r"\b(?:i'm|i am|im|we are|we're|i come|i came|come|came|moved|moved here)\s+"
            r"(?:\w+\s+){0,2}?from\s+(?:the\s+)?[\w-]+",
            # age, school, retirement: "bin 16", "mit 70", "bin Schülerin", "als Rentner"
            # (a role in a club is the area: "bin Schiedsrichter", "bin Fußballtrainerin")
            r"\bbin\s+(?:ein\s+|eine\s+|noch\s+|schon\s+)?(?:\d+|"
            r"(?!\w*(?:trainer|trainerin|richter|richterin|wehrleiter\w*|übungsleiter\w*)\b)"
            r"\w+(?:er|erin|ent|entin|ling)|"
            r"azubi|in rente|im ruhestand|pensioniert|oma|opa|mama|papa|mutter|vater|"
            r"großmutter|großvater|hausfrau|hausmann)\b(?:\s+jahre(?:\s+alt)?)?",
            r"\b(?:i'm|i am|im)\s+(?:a\s+|an\s+)?(?:\d+|student|pupil|retired|pensioner|"
            r"refugee|\w+ student|mum|mom|dad|mother|father|grandma|grandpa|grandmother|"
            r"grandfather|housewife)\b(?:\s+years\s+old)?",
            r"\b\d{1,2}\s*(?:jahre|jahren|j\.|years?)(?:\s+alt|\s+old)?\b|\bmit\s+\d{1,2}\b",
            r"\bals\s+(?:schüler\w*|rentner\w*|student\w*|azubi|mutter|vater|oma|opa|mama|"
            r"papa|ausländer\w*|flüchtling|geflüchtete\w*|asylbewerber\w*|pensionär\w*)",
            r"\bim\s+ruhestand\b|\bin\s+rente\b|\bretired\b",
            # "ich (Frührentner)", "Rentner, 68, …", "Rentnerin hier"
            r"\((?:früh)?rentner\w*\)|^\W*(?:früh)?rentner(?:in)?\b|"
            r"\b(?:früh)?rentner(?:in)?(?=\s*,\s*\d|\s+hier\b)",
            # young people as the helpers wanted, not whom they help: "braucht junge Leute",
            # "gerne auch Jugendliche!", "Jugendliche helfen Senioren"
            r"\b(?:braucht|brauchen|brauchn|sucht|suchen|erreichen|gewinnen|needs?|"
            r"looking\s+for)\s+(?:\S+\s+){0,3}?(?:junge|jüngere|young)\s+(?:leute|leude|"
            r"menschen|mitglieder|helfer\w*|people|members)\b",
            r"\b(?:gerne?|auch|also)\s+(?:auch\s+)?(?:jugendliche|schüler\w*|junge\s+leute|"
            r"young\s+people)\b(?=\s*(?:willkommen|welcome|[!.,]|$))",
            r"\b(?:jugendliche|schüler\w*|teenager)\s+(?:helfen|unterstützen|erklären|"
            r"zeigen|help|teach)\b",
            # living situation: "bin alleinerziehend", "lebe allein", "I'm a single mum"
            r"\b(?:bin|lebe|wohne|i'm|i am|im|live)\s+(?:\w+\s+)?(?:alleinerziehend\w*|allein|"
            r"alleine|jung|young|alone|single\s+(?:mum|mom|dad|parent))\b",
            # when, not where: "nach der Schule", "after school", "wenn die Kinder in der
            # Schule sind"
            SCHOOL_HOURS_WORDS,
            BEDTIME_WORDS,
            r"\b(?:nach|after)\s+(?:der\s+)?(?:schule|school|uni|university)\b",
            r"\b(?:für|fuer|for)\s+(?:die\s+|meine\s+|the\s+|my\s+)?schule\b|\bfor\s+school\b|"
            r"\bsozialstunden\b|\bschulpraktikum\b",
            # where the writer lives, also a place the bot does not know ("wohne in
            # Tiefensee" names no lake): "wohne in X", "lebe in X", "I live in X"
            r"\b(?:wohne|wohnen|wohn|lebe|leben|live|living|wohnhaft)\s+(?:in|im|bei|at|near)\s+"
            r"(?:der\s+|dem\s+|the\s+)?(?-i:[A-ZÄÖÜ])[\w-]+",
            # what the writer did before: "habe in der Ukraine als Ärztin gearbeitet",
            # "worked as a teacher in Syria", "30 Jahre bei der Post gearbeitet"
            r"\b(?:in|im|bei)\s+(?:der\s+|dem\s+|den\s+)?[\w-]+\s+(?:als\s+\w+\s+)?"
            r"(?:gearbeitet|gelebt|gewohnt|studiert|gelehrt|unterrichtet)\b",
            # the writer's job now: "ich arbeite in der Pflege", "I work as a nurse"
            r"\b(?:ich|i)\s+(?:arbeite|work)\s+(?:hauptberuflich\s+|beruflich\s+|full[- ]time\s+)?"
            r"(?:in|im|bei|als|as|at)\s+(?:der\s+|dem\s+|einer\s+|einem\s+|a\s+|an\s+|the\s+)?[\w-]+",
            r"\b(?:worked|lived|studied|taught)\s+(?:as\s+an?\s+\w+\s+)?(?:in|at)\s+(?:the\s+)?[\w-]+",
            # new here: "neu zugezogen", "neu in Deutschland", "kenn noch keinen", "new in town"
            r"\b(?:ganz\s+|erst\s+|noch\s+)?neu\s+(?:zugezogen|hergezogen|hierher\w*|hier|"
            r"in\s+[\w-]+|im\s+ort|im\s+dorf)\b|\b(?:neu\s+)?(?:zugezogen\w*|hergezogen)\b",
            r"\bkenn?e?\s+(?:hier\s+)?(?:noch\s+)?(?:keine[nm]?|niemand\w*|kaum\s+\w+)\b|"
            r"\b(?:new\s+(?:here|in\s+\w+|to\s+\w+(?:\s+\w+)?)|(?:don't|dont|do not)\s+know\s+"
            r"(?:anyone|anybody|many\s+people))\b",
            # the writer's own disability: "bin gehörlos", "sitze im Rollstuhl", "I'm deaf"
            r"\b(?:bin|sitze|sitz)\s+(?:selbst\s+|leider\s+|seit\s+\S+\s+)?(?:im\s+rollstuhl|"
            r"rollstuhlfahrer\w*|gehörlos|gehoerlos|blind|sehbehindert|schwerbehindert|"
            r"behindert|taub|schwerhörig)\b|\b(?:habe|hab)\s+(?:selbst\s+)?(?:eine\s+)?"
            r"(?:behinderung|schwerbehinderung)\b|\b(?:i'm|i am|im)\s+(?:a\s+)?(?:wheelchair\s+"
            r"user|deaf|blind|disabled)\b|\b(?:i\s+use|in)\s+a\s+wheelchair\b",
            # "klein" describes a thing ("ein kleines Museum", "beim kleinen Adventsmarkt")
            r"\bklein(?:e[rsm]?)?\b|\bkleinen\s+(?=(?-i:[A-ZÄÖÜ])|(?-i:[a-zäöüß]+[^n\W])\b)",
            # the writer's own children as a stage of life: "Kinder aus dem Haus", "die Kinder
            # sind groß", "wenn die Kinder beim Papa sind", "als Kind", "kids have grown up"
            r"\b(?:die\s+|meine\s+|unsere\s+)?(?:kinder|kids)\s+(?:sind\s+)?(?:jetzt\s+|nun\s+|schon\s+)?"
            r"(?:aus\s+dem\s+haus|groß|gross|erwachsen|beim\s+(?:papa|vater|ex)|bei\s+(?:der\s+)?"
            r"(?:mama|mutter|oma))\b|\bals\s+kind\b|\bas\s+a\s+(?:kid|child)\b|"
            r"\b(?:kids|children)\s+(?:have\s+|are\s+)?(?:grown\s+up|left\s+home|moved\s+out)\b",
            # family brought along: "mit meiner Tochter", "with my kids"
            rf"\b(?:mein|meine|meinen|meinem|meiner|unser|unsere|unseren|unserem|my|our)\s+"
            rf"(?:\w+\s+)?{_FAMILY}\b",
            # own children as status: "ich (42, zwei Kinder)", "Familie mit 3 Kindern", "habe
            # zwei Kinder", "we're a family of four", "Mutter von drei Kindern"
            rf"\b(?:{_COUNT})\s+(?:eigene\s+|kleine\s+|small\s+|young\s+)?"
            r"(?:kinder|kindern|kids|children|enkel\w*|grandchildren)\b"
            r"(?=\s*(?:\)|,|;|\.|und\b|and\b|aber\b|but\b|$))",
            rf"\b(?:familie|family|mutter|vater|mama|papa|mum|mom|dad|mother|father)\s+"
            rf"(?:mit|with|von|of)\s+(?:{_COUNT})\s+(?:kleinen\s+|small\s+)?"
            r"(?:kinder|kindern|kids|children)\b",
            rf"\b(?:habe|hab|haben|have|got)\s+(?:selbst\s+|auch\s+|myself\s+)?(?:{_COUNT})\s+"
            r"(?:eigene\s+|kleine\s+|small\s+)?(?:kinder|kids|children|enkel\w*)\b",
            r"\b(?:wir sind|we are|we're|sind)\s+(?:eine|a)\s+(?:\w+\s+)?(?:familie|family)\b"
            rf"(?:\s+(?:mit|with|of)\s+(?:{_COUNT})(?:\s+(?:kleinen\s+)?(?:kindern|kids|children))?)?",
            # languages spoken: "ich spreche Arabisch", "my German isn't great", "wenig Deutsch"
            rf"{_SPEAKS}(?:\w+\s+){{0,2}}?{_LANGUAGES}"
            rf"(?:\s*(?:,|und|and|oder|or)\s*{_LANGUAGES})*",
            rf"\b(?:mein|meine|my|our)\s+{_LANGUAGES}\b",
            rf"\b(?:wenig|kaum|kein|keine|nicht gut|nur|only|little|no|bisschen|etwas)\s+"
            rf"{_LANGUAGES}\b",
        )
    ),
    re.IGNORECASE,
)
_VILLAGE_WORDS = r"\b(?:dorf|dorfe|dorfes|dörfer|dörfern|village|villages)\b"
# A newcomer's language spoken ("ich spreche Arabisch und Dari") offers help to newcomers:
# integration comes after what the writer would do, and is the area when nothing else is.
_NEWCOMERS_LANGUAGE = re.compile(
    rf"{_SPEAKS}(?:\w+\s+){{0,2}}?(?:\w+\s*(?:,|und|and)\s*)?{_NEWCOMERS_LANGUAGES}\b",
    re.IGNORECASE,
)
# "keine festen Termine", "fest verpflichten", "fest jede Woche", "nichts Festes": fixed,
# no Fest. Taken out in `read` before anything else, since the start menu's "Termine" goes
# next and would leave a lone "festen".
_FIXED_WORDS = re.compile(
    r"\bfest(?:e[nrs]?)?\s+(?:verpflicht\w*|binden|gebunden|einplan\w*|zusag\w*|"
    r"zugesagt|vereinbart\w*|termin\w*|zeit\w*|aufgabe\w*|stelle\w*|rhythmus|"
    r"tag\w*|vorgenommen|angestellt|steht|stehen|dabei|mitmachen|machen|commit\w*)\b|"
    r"\bfest\s+(?=jede[nrs]?\b|einmal\b|zweimal\b)|\b(?:nichts|nix|was|etwas)\s+festes\b",
    re.IGNORECASE,
)
# Words that sound like an area but say how or what it costs: "Fahrtkosten",
# "Altersgrenze", "Vereinskram", "mit der Familie" (fixed dates: _FIXED_WORDS).
_GENERIC = re.compile(
    "|".join(
        (
            r"\b\w*kosten\b|\b\w*pauschale\b|\baltersgrenze\w*|\bage limit\b",
            # "wann fährt der Bus": a verb, no ride to give ("Fahrt")
            r"\bfährt\b",
            # where, not sewing: "in der Nähe" is no "nähen" ("ich nähe gern" is)
            r"(?<!\bich )\bn(?:ä|ae|a)he\b",
            # training for the helpers, not a school; a conversation, no conservation
            r"\bschulung\w*|\bconversations?\b|\bkleinkram\w*",
            # everyone, not the youth: "für Jung und Alt", "Alt und Jung", "young and old"
            r"\b(?:jung\w*\s+und\s+alt\w*|alt\w*\s+und\s+jung\w*|young\s+and\s+old)\b",
            r"\bvereins(?:kram|sachen|zeug|dinge|krams)\b",
            # where or what kind, not in what area: "für mein Dorf" (village life comes after
            # the activity's areas, see _VILLAGE), "Veranstaltungen", "Kalender"
            _VILLAGE_WORDS,
            # "in meiner Freizeit" is when, not the youth work area's "Freizeit"; "nach
            # Feierabend" is the evening, no celebration
            r"\bfreizeit\b|\bfree\s+time\b|\bspare\s+time\b|\bfeierabend\w*",
            r"\b(?:my|our|the|local|this|your|in\s+the)\s+(?:local\s+)?community\b"
            r"(?!\s+(?:garden|centre|center|hall|café|cafe|kitchen|fridge|bus))",
            r"\b(?:vereins)?veranstaltung(?:en)?\b|\bkalender\w*|\btermin(?:e|en)?\b",
            r"\b(?:mit|als|with|as)\s+(?:der\s+|die\s+|ganzen\s+|the\s+|a\s+)?"
            r"(?:familie|family)\b|\bmit kind und kegel\b",
            # how a group meets or is run, not its area: "Stammtisch", "Infoabend", "Kasse",
            # "Kassenwart", "Buchhaltung"; "gemeinsam"; English "most"; "Alter!" (slang)
            r"\b\w*stammtisch\w*|\b\w*infoabend\w*|\binformationsabend\w*|\b(?!advents)\w*kalender\w*",
            r"\bkasse\b|\bkassen\w*|\bkassier\w*|\bbuchhaltung\b|\bbuchführung\b|"
            r"\bfinanzen\b|\bbookkeeping\b|\btreasurer\b|\bgemeinsam\w*|\bmost\b|"
            r"\bsocial\s+day\b|"
            # "liebes Team", "als Team": a team is who, no youth work's "Teamer"; a custom
            # that "stirbt aus" names no hospice
            r"\bteams?\b|\baus(?:zu)?sterben\b|\bstirbt\s+(?:\S+\s+){0,3}?aus\b",
            # the school holidays are when ("in den Schulferien"), not the youth area; a
            # holiday camp ("Ferienlager") still is
            r"\b\w*ferien\b",
            # "das alte Dorffest": old customs, no older people
            r"\balt(?:e|en|er|es)\b(?=\s+\w*(?:fest|feste|feier|markt|brauch\w*|tradition\w*)\b)",
            r"(?:^|[,!?.]\s*)(?:alter|digga|digger|bruder|bro)\b",
            # a work day names no area ("Arbeitseinsatz"); "wiederbeleben" revives, no first aid
            r"\barbeitseinsatz\w*|\barbeitsein(?:sätze|saetze)\b|"
            r"\bwieder(?:zu)?beleben\b|\bwieder\s+(?:zu\s+)?beleben\b",
            # a council speaking for itself ("Der Ortschaftsrat sucht …") is no area
            r"\b(?:ortschafts|gemeinde|stadt|orts)rat\w*(?=\s+(?:sucht|braucht|möchte|will|"
            r"würde|bittet|lädt|ruft|plant|is|needs|wants|would)|(?:\s+[\w-]+)?\s*:)|"
            r"\bals\s+(?:ortschafts|gemeinde|stadt|orts)rat\w*",
        )
    ),
    re.IGNORECASE,
)
# "im Dorf", "für unser Dorf", "in den Dörfern": where, said of the village's own life, so
# village life follows the activity's areas (it is the area when nothing else is named)
_VILLAGE = re.compile(_VILLAGE_WORDS, re.IGNORECASE)
# Things a village keeps together ("die Dorfchronik", "eine Mitfahrbank", "das Repair-Café",
# "der Bücherschrank"): village life follows the thing's own area
_VILLAGE_THINGS = re.compile(
    r"\b(?:dorf\w+|\w*chronik\w*|heimatverein\w*|b(?:ü|ue?)cher(?:schr\w+|zelle\w*)|"
    r"telefonzelle\w*|mitfahrb\w+|b(?:ü|ue?)rgerbus\w*|repair[- ]?caf[eé]\w*|"
    r"reparaturcaf[eé]\w*|ortskern\w*|ortseingang\w*|bush(?:ä|ae?)uschen|bushaltestelle\w*|"
    # what neighbours make together: a garden, an open-air cinema, an orchard, a fair
    r"gemeinschaftsg(?:ä|ae?)rt\w*|(?:open[- ]?air|sommer|freiluft)[- ]?kino\w*|"
    r"streuobst\w*|heimatmuseum\w*|kirmes\w*|maibaum\w*|hoffest\w*|nachbarschafts?\w*|"
    r"tauschregal\w*|tauschb(?:ö|oe?)rse\w*|tauschmarkt\w*|verschenkmarkt\w*)",
    re.IGNORECASE,
)
# Sport, music or care for older people ("Seniorensport", "Gymnastik für Senioren", "für
# ältere Menschen"): social work follows the activity's own area
_FOR_SENIORS = re.compile(
    r"\bsenioren\w+|\b(?:für|fuer|for|mit|with)\s+(?:die\s+|den\s+|the\s+|unsere\s+)?"
    r"(?:senior\w*|(?:ä|ae?)ltere\w*\s+(?:menschen|leute\w*|herrschaften)|elderly|"
    r"older\s+people)\b",
    re.IGNORECASE,
)
# Who comes along to an event ("für Familien mit Kindern", "mit den Kindern") comes after
# the event's own area; alone, it is the area asked about.
_AUDIENCE = re.compile(
    r"\b(?:für|fuer|for|mit|with)\s+(?:die\s+|der\s+|den\s+|the\s+|unsere[nm]?\s+|"
    r"meine[nm]?\s+|my\s+|our\s+|ganze\s+|kleine[nm]?\s+)?(?:familie|familien|family|"
    r"families|kinder|kindern|kids|children|enkel\w*|grandchildren)"
    r"(?:\s+(?:mit|with)\s+(?:\w+\s+)?(?:kind\w*|kids|children))?\b",
    re.IGNORECASE,
)
# An event for families ("was für Familien", "family-friendly events") is for children too
_FAMILIES = re.compile(
    r"\b(?:familien|families|family[- ]friendly|familienfreundlich\w*|familienfest\w*)\b",
    re.IGNORECASE,
)
# How, for whom or where something is done – no area of its own when the rest of the
# message names one ("Fotos bei Dorffesten", "Handysprechstunde für Senioren in der
# Bibliothek", "mit den Schülern eine Homepage programmieren", "Jugendclub renovieren").
_BESIDE = tuple(
    re.compile(pattern, re.IGNORECASE)
    for pattern in (
        # means
        r"\b(?:kaffee\s+kochen|kuchen\s+backen|kaffee|kuchen|fotos?|fotograf\w*|"
        r"renovier\w*|streichen|vorlesen|vorzulesen|aufbauen|abbauen|aufbau|abbau|"
        r"lese\w*\s+(?:\S+\s+){0,3}?vor\b|"
        r"nähen|naehen|nähe|stricken|stricke|häkeln|basteln|bastle|backen|backe|"
        r"photos?|baking|coffee)\b",
        # audience
        r"\b(?:für|fuer|mit|for|with)?\s*(?:den\s+|die\s+|unsere[nm]?\s+|the\s+|our\s+)?"
        r"(?:schüler\w*|schulkinder\w*|schulklassen?|pupils|students|senioren|seniorinnen|"
        r"älter\w*\s+(?:leute\w*|menschen)|alte[nr]?\s+(?:leute\w*|leuden|menschen)|"
        r"elderly(?:\s+people)?|older\s+people|seniors)\b",
        # venue
        r"\b(?:in|an|at)\s+(?:der|einer|the|a|unserer|unsere[mr]?)?\s*\w*(?:bibliothek|"
        r"bücherei|schule|library|school)\b|"
        r"\b(?:im|ins|ans|am|vom|beim)\s+\w*(?:gemeindehaus|gemeindesaal|rathaus|vereinsheim)\b",
    )
)
# An idea's means of transport ("ein Bürgerbus", "eine Mitfahrbank") is what it would set
# up: its area comes after the area the idea serves.
_IDEA_MEANS = re.compile(
    r"\b\w*(?:bürgerbus|rufbus|mitfahrbank|mitfahrbänke|mitfahr\w*|carsharing|fahrgemeinschaft)"
    r"\w*",
    re.IGNORECASE,
)
CLEAR_QUESTION = 0.3  # intent score
# Organisations named as the place to help ("Heimatverein", "Kirchgemeinde"): their area
# counts only when nothing else says what the person would do there.
_ORGANISATION = re.compile(r"\w+(?:verein|vereins|gemeinde|club|clubs|klub)\b", re.IGNORECASE)
# "Jugendfeuerwehr", "Jugendrotkreuz", "Kinderchor": a compound whose head is an
# organisation of another area names that area only (the youth section of the fire brigade
# is the fire brigade). A message that also names working with children keeps both.
_KIDS_OF_ORGANISATION = re.compile(
    r"\b(?:kinder|jugend|kids|schüler|senioren)(?=(?:feuerwehr|wehr|rotkreuz|rotenkreuz|"
    r"rotes\s*kreuz|chor|chöre|orchester|blasorchester|kapelle|blaskapelle|band|theater|"
    r"tanzgruppe|fanfarenzug|spielmannszug|wasserwacht|dlrg|sanitäter|kirchenchor)\w*\b)",
    re.IGNORECASE,
)
# "alte Fotos", "alte Dokumente": old things are history, not older people
_OLD_THINGS = re.compile(
    r"\balt(?:e|en|er|es)\s+(?=(?:fotos?|bilder|dokumente|unterlagen|akten|bücher|karten|"
    r"urkunden|zeitungen|photos|pictures|documents)\b)",
    re.IGNORECASE,
)
# "das alte Bahnhofsgebäude", "alte Sorten": old as said of a thing (a capitalised noun that
# names no people) is no older person; "die Alten im Dorf", "alte Leute" still are.
_OLD_NOUN = re.compile(
    r"\b[Aa]lt(?:e|en|er|es)\s+(?=[A-ZÄÖÜ])(?!(?:Leute|Leuten|Leude|Menschen|Mensch|Damen|"
    r"Herren|Dame|Herrn?|Nachbar\w*|Frau|Frauen|Mann|Männer|Mitbürger\w*|Person\w*|"
    r"Bewohner\w*|Einwohner\w*|Herrschaften|Omas?|Opas?|Ehepaar\w*|Menschlein|People|"
    r"Alleinstehende\w*|Kranke\w*|Patient\w*)\b)"
)
# age as a number or one's own ("in meinem Alter", "Durchschnittsalter 71") names no one old
_AGE = re.compile(
    r"\b(?:meinem|deinem|ihrem|seinem|unserem|eurem|welchem|jedem)\s+alter\b|"
    r"\b\w*durchschnittsalter\b|\balter\s*:?\s*\d",
    re.IGNORECASE,
)
# "Technik" beside a stage, a show or a festival is stage technology ("Bühnenbau, Technik,
# Kostüme", "Open-Air-Kino … Wer hilft bei Technik?"), not computers
_STAGE = re.compile(
    r"\b\w*(?:bühne|theater|kino|konzert|kostüm|krippenspiel|karneval|fasching|aufführung|"
    r"veranstaltung|festival)\w*|\b\w*fest\b|\b(?:licht|ton)\b",
    re.IGNORECASE,
)
_TECHNIK = re.compile(r"\btechnik\b", re.IGNORECASE)
# Care for things is no health care: "die Pflege des Friedhofs", "Gräber pflegen", "Kontakte
# pflegen" – the thing cared for names the area. Care for people ("Angehörige pflegen") stays.
_PEOPLE = (
    r"(?:angehörig|kranke|mensch|senior|eltern|mutter|vater|oma|opa|patient|alte|älter|"
    r"pflegebedürft|behindert|bewohner|leute|kind|person)"
)
_CARE_OF_THINGS = (
    re.compile(
        rf"\bpflegen?\s+(?:des|der|den|von|unseres|unserer|unseren|vom)\s+(?!{_PEOPLE})(?=\w)",
        re.IGNORECASE,
    ),
    re.compile(
        rf"\b(?!{_PEOPLE})((?-i:[A-ZÄÖÜ])\w+)\s+(?:zu\s+)?(?:pflegen|pflege|pflegt)\b",
        re.IGNORECASE,
    ),
)
# Areas the writer does not want ("aber bitte NICHT mit Kindern", "nix mit Kirche oder
# Religion, und auch kein Sport", "was außerhalb vom Sport", "alles außer Kirche"): no area
# to offer. "Hier gibt es nix für Jugendliche" says what is missing, and stays.
_WORDS_LISTED = (  # (the list goes on after "kein": "aber kein Sport, keine Kinder", and
    # after "nicht mit": "nicht mit Kindern und nicht in der Kirche")
    r"(?:der\s+|die\s+|den\s+|dem\s+|the\s+)?[\w-]+"
    r"(?:\s*(?:,|oder|und|or|and|bzw\.?)\s+(?:kein\w*\s+|no\s+|(?:nicht|not)\s+(?:mit\s+|with\s+|"
    r"im\s+|in\s+der\s+|in\s+the\s+|bei\s+|beim\s+)?)?[\w-]+)*"
)
_NOT_WANTED = re.compile(
    r"\b(?:nicht|nix|nichts|not|nothing)\s+(?:so\s+|mehr\s+|unbedingt\s+|gerne?\s+)?"
    rf"(?:mit|with|im|in\s+der|bei|beim)\s+{_WORDS_LISTED}|"
    r"\b(?:bitte|lieber|auch|aber|please|but)\s+(?:nicht|nix|kein|keine|keinen|no|not)\s+"
    rf"(?:mit\s+|with\s+|im\s+|in\s+der\s+|bei\s+|beim\s+)?{_WORDS_LISTED}|"
    rf"\b(?:außerhalb|ausserhalb|outside)\s+(?:vom|von|des|der|of)\s+{_WORDS_LISTED}|"
    # "mit Kindern hab ich zuhause genug", "von Kindern hab ich beruflich genug"
    rf"\b(?:mit|von)\s+{_WORDS_LISTED}\s+(?:hab|habe|hatte)\s+(?:ich\s+)?(?:\S+\s+){{0,2}}?"
    r"genug\b|"
    # "Ich mach alles außer Kirche", "anything but sports"
    rf"\b(?:alles|everything|anything)\s+(?:außer|ausser|except|but)\s+{_WORDS_LISTED}",
    re.IGNORECASE,
)
# "Rad fahren" is cycling, not driving people ("fahren", social help)
_CYCLING = re.compile(r"\b(?:fahr)?rad\s+(?:zu\s+)?fahren\b", re.IGNORECASE)
# "dog rescue", "animal rescue": animal welfare, no rescue service
_ANIMAL_RESCUE = re.compile(
    r"\b(?:dog|dogs|animal|animals|cat|cats|horse|horses|pet|pets|hedgehog|wildlife)\s+"
    r"(?:rescue|rescues|shelter)\b",
    re.IGNORECASE,
)
# "Kinderturnen", "Jugendtraining": coaching children is two areas; "Kinderfest" is one.
_KIDS_PREFIX = ("kinder", "jugend", "kids")
_KIDS_EVENT = ("fest", "feste", "feier", "fasching", "markt", "flohmarkt", "kleidung", "sachen")


_LISTED = frozenset(("oder", "und", "or", "and", "bzw", "sowie", "/", ","))


def _unless_listed(match: re.Match[str]) -> str:
    """An organisation left out – unless it is one of two things named ("Feuerwehr oder
    Sportverein"): then it is a second area of its own."""
    before = match.string[: match.start()].split()
    after = match.string[match.end() :].split()
    listed = (before and before[-1].lower().rstrip(",") in _LISTED) or (
        after and after[0].lower() in _LISTED
    )
    return match.group(0) if listed else " "


def _choices(step: Step | None) -> list[tuple[str, list[str]]]:
    """(value, names) of a step's options: the value itself and its synonyms."""
    if step is None:
        return []
    return [(o.value, [o.value, *o.synonyms]) for o in step.options if o.value]


def _step_of_kind(content: Content, save: str) -> Step | None:
    """The step that saves this answer (time_kind, time_slots, help_kind) – by what it saves,
    so renamed steps still work."""
    for step in content.dialog.steps.values():
        if step.save == save and step.options:
            return step
    return None


class Understander:
    """Reads messages; build once per content version, then `read` is cheap (a few ms).

    `interests` / `places`: matchers already built for the same content (the dialogue's),
    so they are not built twice."""

    def __init__(
        self,
        content: Content,
        interests: InterestMatcher | None = None,
        places: PlaceResolver | None = None,
    ) -> None:
        self.content = content
        self.interests = interests or InterestMatcher(content.taxonomy)
        self.places = slots.PlaceScanner(places or PlaceResolver(content.places))
        start = content.dialog.steps.get(content.dialog.start)
        self.intents = IntentModel(
            start.options if start else [], content.intent_examples, content.intent_cues
        )
        self._time_kind = _choices(_step_of_kind(content, "time_kind"))
        self._time_slots = _choices(_step_of_kind(content, "time_slots"))
        self._help_kind = _choices(_step_of_kind(content, "help_kind"))
        self._also = {
            sub.id: tuple(sub.also)
            for interest in content.taxonomy.interests
            for sub in interest.subtopics
            if sub.also
        }
        self._navigation = dict(content.dialog.navigation)
        self._area_order = AreaOrder(content.interest_word_counts)
        # Words that say what someone wants ("Veranstaltungen", "Idee"), not in what area
        self._menu_words = {
            fold(word)
            for option in (start.options if start else [])
            for word in option.synonyms
            if " " not in fold(word)
        }

    def built_from(self, content: Content) -> bool:
        """Whether this reads `content` as a fresh one would: the intents' examples, the
        dialogue, taxonomy and places are the same (only offers or texts changed)."""
        return (
            content.intent_examples == self.content.intent_examples
            and content.intent_cues == self.content.intent_cues
            and content.dialog == self.content.dialog
            and content.taxonomy == self.content.taxonomy
            and content.places == self.content.places
            and content.interest_word_counts == self.content.interest_word_counts
        )

    @property
    def ready(self) -> bool:
        return self.intents.ready

    def prepare(self) -> None:
        """Let the intent classifier learn now (e.g. in a worker thread at start-up)."""
        self.intents.prepare()

    def read(self, message: str) -> Reading:
        message = message[:MAX_LENGTH]
        text = without_taken_back(message)  # "Eilenburg, äh nee, Doberschütz"
        place, where = self.places.find(text)
        if where is not None and self._area_word(text[where[0] : where[1]], place):
            place, where = None, None  # "Leihoma" sounds like Leuna but names an area
        # The place's own words are no interest ("Sportplatz Krostitz" → sport, not more).
        rest = text if where is None else f"{text[: where[0]]} {text[where[1] :]}"
        rest = _FIXED_WORDS.sub(" ", rest)  # before the menu's words ("Termine") go
        rest = " ".join(w for w in rest.split() if fold(w) not in self._menu_words)
        found = self._interests(rest)
        top = self.interests.confident_ids(found, limit=3)
        # "Feuerwehr, Krostitz, abends", "abends in Krostitz": only where, when, in what area
        named = bool(top) or place is not None or bool(cues.time_slots(rest, self._time_slots))
        # "Gibt es Lauftreffs, bei denen man mitmachen kann?" names only an area, but asks
        only_slots = named and self._only_slots(rest) and not cues.asks_whats_there(text)
        guess = self.intents.guess(text, top, only_slots)
        intent = guess.intent
        if intent == EVENTS and _AUDIENCE.search(rest):  # who comes along comes last
            found = self._then(self._interests(_AUDIENCE.sub(" ", rest)), found)
            top = self.interests.confident_ids(found, limit=3)
        if intent == EVENTS and _FAMILIES.search(rest):  # an event for families: children too
            found = self._then(found, [InterestScore(KIDS, COMPOUND)])
            top = self.interests.confident_ids(found, limit=3)
        if intent == IDEA and _IDEA_MEANS.search(rest):  # a bus for the village comes last
            found = self._then(self._interests(_IDEA_MEANS.sub(" ", rest)), found)
            top = self.interests.confident_ids(found, limit=3)
        # a need or a question names no area to help in, nor does a message that wants
        # nothing we offer ("Verkaufe Kinderwagen"); an area said alone ("Fußball") is kept
        if intent in NO_INTERESTS or (intent is None and not only_slots):
            top = []
        top = self._area_order.sorted(top, found)  # the order the writers would name them
        subtopics = tuple(s.subtopic for s in found if s.id in top and s.subtopic)
        question = cues.is_question(text)
        # "Gibt es Pflanzaktionen?" asks, offers no time; "bei einer Aktion im Frühjahr" (an
        # answer at the time step, whose intent is a near tie) is no question and offers one
        occasions = intent != EVENTS or not question
        # A clear question or what's-on question offers no one-off/regular of its own ("Bin
        # ich versichert, wenn ich beim Dorffest helfe?", "Any concerts this Saturday?"); a
        # vague guess is rather an answer at the time step ("am nächsten Sonntag könnte ich").
        asks = intent == QUESTION or (intent == EVENTS and question)
        offers_time = bool(self._time_kind) and not (asks and guess.score >= CLEAR_QUESTION)
        time_kind = cues.time_kind(text, self._time_kind, occasions) if offers_time else None
        # an idea's own schedule counts too ("Repair-Café, einmal im Monat samstags"): every
        # writer of the evaluation sets reads it so, and the Lotse learns when it would be
        time_slots = cues.time_slots(text, self._time_slots) if self._time_slots else ()
        days, parts = cues.days_and_parts(text) if time_slots else ((), ())
        return Reading(
            text=message,
            intent=intent,
            intent_score=guess.score,
            interests=tuple(top),
            subtopics=subtopics,
            interest_words=tuple(words_of(area, found) for area in top),
            place=place,
            max_km=travel_km(text, self.content.dialog.travel),
            time_kind=time_kind,
            time_slots=time_slots,
            time_days=days,
            time_parts=parts,
            yes_no=cues.yes_no(message),
            ordinal=cues.ordinal(text),
            navigation=cues.navigation(text, self._navigation),
            is_question=question,
            language=cues.language(text),
            help_kind=self._help(text) if intent == NEED_HELP else None,
            for_whom=slots.for_whom(text) if intent == NEED_HELP else None,
            when=slots.when(text) if intent == NEED_HELP else None,
        )

    def _interests(self, text: str) -> list[InterestScore]:
        """Interests of the activity named, best first. Incidental mentions are left out.
        Where an activity is named beside it, the organisation's own area and how, for whom
        or where it is done come after the activity's area, not instead of it ("die Website
        unseres Selbsthilfevereins": digital, then gesundheit)."""
        village = bool(_VILLAGE.search(text) or _VILLAGE_THINGS.search(text))
        newcomers = bool(_NEWCOMERS_LANGUAGE.search(text))
        seniors = bool(_FOR_SENIORS.search(text))
        if _STAGE.search(text):
            text = _TECHNIK.sub("veranstaltungstechnik", text)
        text = _GENERIC.sub(" ", _INCIDENTAL.sub(" ", _NOT_WANTED.sub(" , ", text)))
        youth_section = bool(_KIDS_OF_ORGANISATION.search(text))
        text = _OLD_THINGS.sub("historische ", _KIDS_OF_ORGANISATION.sub("", text))
        text = _AGE.sub(" ", _OLD_NOUN.sub("", text))
        text = _CARE_OF_THINGS[1].sub(r"\1", _CARE_OF_THINGS[0].sub(" ", text))
        text = _CYCLING.sub(" radfahren ", _ANIMAL_RESCUE.sub(" tierschutz ", text))
        aside: list[InterestScore] = []
        found = self.interests.classify(text)
        for beside in _BESIDE:
            if beside.search(text):
                without = beside.sub(" ", text)
                kept = self.interests.classify(without)
                if self.interests.is_confident(kept):
                    aside = [*aside, *found]
                    text, found = without, kept
        if _ORGANISATION.search(text):
            without = self.interests.classify(_ORGANISATION.sub(_unless_listed, text))
            if self.interests.is_confident(without):
                aside = [*found, *aside]
                found = without
        found = self._with_also(found)
        named = bool(self.interests.confident_ids(found))
        if youth_section:  # "Jugendfeuerwehr": the fire brigade first, then its youth
            aside.append(InterestScore(KIDS, COMPOUND))
        if named and self._kids_compound(text):
            aside.append(InterestScore(KIDS, COMPOUND))
        if named and seniors:
            aside.append(InterestScore(SOCIAL, COMPOUND))
        if village:
            aside.append(InterestScore(VILLAGE_LIFE, COMPOUND))
        if newcomers:
            aside.append(InterestScore(INTEGRATION, COMPOUND))
        return self._then(found, aside)

    def _with_also(self, found: list[InterestScore]) -> list[InterestScore]:
        """Each confident sub-topic followed by the areas it belongs to as well (taxonomy
        `also:`): "Kirchenchor" is kirche, then kultur – before anything read after it."""
        if not self._also:
            return found
        out: list[InterestScore] = []
        for score in found:
            if any(s.id == score.id for s in out):
                continue
            out.append(score)
            if self.interests.is_confident([score]):
                out += [
                    InterestScore(area, min(score.score, COMPOUND), sources=score.sources)
                    for area in self._also.get(score.subtopic or "", ())
                    if not any(s.id == area for s in out)
                ]
        return out

    def _then(self, found: list[InterestScore], more: list[InterestScore]) -> list[InterestScore]:
        """`found`, then the confident areas of `more` not read yet."""
        ids = set(self.interests.confident_ids(found, limit=len(found)))
        for score in more:
            if score.id not in ids and self.interests.confident_ids([score]):
                found = [*found, score]
                ids.add(score.id)
        return found

    def _kids_compound(self, text: str) -> bool:
        """ "Kinderturnen", "Jugendtraining": coaching children is two areas; "Kinderfest" is
        one."""
        for word in content_words(text):
            folded = fold(word)
            prefix = next((p for p in _KIDS_PREFIX if folded.startswith(p)), None)
            rest = folded[len(prefix) :] if prefix else ""
            named = len(rest) >= 4 and not rest.endswith(_KIDS_EVENT)
            if named and self.interests.confident_ids(self.interests.classify(word)):
                return True
        return False

    def _area_word(self, span: str, place: Place | None) -> bool:
        """A place read from a word that is not its name but an area's own word."""
        if place is None or any(score >= 100 for _, score in self.places.resolver.match_span(span)):
            return False  # the place's own name (or a known spelling of it)
        found = self.interests.classify(span)
        return bool(found) and found[0].score >= EXACT

    def _only_slots(self, text: str) -> bool:
        """Every word names an interest, a place or a time ("Feuerwehr, Krostitz, abends")."""
        words = [w for w in content_words(text) if fold(w) not in FILLERS]
        if len(words) > ONLY_SLOTS_WORDS:
            return False
        return all(
            self.interests.is_confident(self.interests.classify(word))
            or cues.time_slots(word, self._time_slots)
            or cues.time_kind(word, self._time_kind)
            for word in words
        )

    def _help(self, text: str) -> str | None:
        named = pick_all(text, self._help_kind)
        return named[0] if named else None

    def intent_scores(self, text: str) -> dict[str, float]:
        """Every class's score, for `lotse understand` and tuning."""
        found = self.interests.classify(text)
        return self.intents.scores(text, self.interests.confident_ids(found, limit=3))
