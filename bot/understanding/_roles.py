"""Who does what for whom: whether the writer offers help or asks for it, speaks for an
organisation or a group of friends, starts a project of their own, asks what is on – and
whether a message is an advertisement. Used through `bot.understanding.cues`.
"""

from __future__ import annotations

import re

from bot.text import compile_folded, fold

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
            # a person in need who seeks, named from outside: "Ältere Dame in Hayna sucht
            # Begleitung für Spaziergänge", "Rentnerin braucht Hilfe beim Einkaufen"
            r"\b(?:dame|herr|seniorin|senior|rentnerin|rentner|witwe|witwer|lady|gentleman|"
            r"pensioner|widow|widower)\s+(?:\S+\s+){0,3}?(?:sucht|braucht|wunscht sich|seeks|"
            r"needs|is looking for)\s+(?:\S+\s+){0,2}?(?:\w*begleitung|\w*hilfe|unterstutzung|"
            r"besuch\w*|gesellschaft|jemand\w*|fahrdienst|someone|somebody|company|help|support)\b",
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
            # a service used for oneself: "würde gern einen Besuchsdienst nutzen"
            r"\b(?:\w*dienst|\w*hilfe|essen auf radern)\s+(?:\S+\s+){0,2}?(?:nutzen|in anspruch "
            r"nehmen|bekommen|beantragen)\b",
            # German learnt for oneself: "wo kann ich kostenlos Deutsch lernen?", not "ich helfe
            # Geflüchteten beim Deutsch lernen"
            r"\b(?:ich|i)\s+(?:\S+\s+){0,4}?(?:deutsch|german)\s*(?:lernen|learn)\b"
            r"(?!.*\b(?:helfen|helfe|help|unterstutz\w*|beibringen|unterrichten|teach)\b)",
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
    # "Welche Sportvereine brauchen Hilfe?", "Wo wird Hilfe gebraucht?", "irgendwas, wo man
    # Erste Hilfe braucht": where help is needed, asked by one who would give it
    r"\b(?:welche|which)\s+(?:\S+\s+){0,3}?(?:braucht|brauchen|needs|need)\s+(?:\S+\s+){0,2}?"
    r"(?:hilfe|unterstutzung|help|helfer\w*|leute|ehrenamtliche|volunteers)\b|"
    r"\b(?:wo|where)\s+(?:\S+\s+){0,4}?(?:gebraucht|braucht|brauchen|needed)\b|"
    # "Wer braucht mich?", "Wer braucht nen Hausmeister für lau?": the writer is the one
    r"\b(?:wer|who)\s+(?:braucht|brauch|needs)\s+(?:mich|me|nen|einen|jemanden|someone)\b|"
    # "Gibt es jemanden, der Hilfe beim Ortsarchiv braucht?", "… einen Chor, die Hilfe bei
    # der Technik braucht? Ton und Licht kann ich"
    r"\b(?:gibt es|is there|are there)\s+(?:\S+\s+){0,6}?(?:der|die|das|wo|who|that)\s+"
    r"(?:\S+\s+){0,4}?(?:hilfe|unterstutzung|help|a hand)\s+(?:\S+\s+){0,4}?"
    r"(?:braucht|brauchen|benotigt|benotigen|needs|need)\b|"
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
    # ("Rentner sucht Ehrenamt": the writer, named from outside)
    r"\b(?:suche|such|suchen|sucht|looking for|looks for)\s+(?:ein|eine|einen|nach einem|an?|"
    r"some)?\s*"
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
    r"(?:bauen|machen|aufbauen|planen|organisieren)|organi[sz]e|organi[sz]ing|"
    # something new made for the place: "eine Streuobstwiese neu pflanzen", "eine Bücherzelle
    # einrichten"; funding asked for it ("Gibt es Förderung oder Helfer?")
    r"(?:ein|eine|einen|nen|ne)\s+(?:\S+\s+){0,3}?(?:neu\s+)?(?:einrichten|herrichten|"
    r"anlegen|pflanzen|bauen|eroffnen|gestalten)|"
    r"forder(?:ung|mittel|geld|gelder|fahig|antrag|programm|topf)\w*)\b"
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
    # by its short name: "FFW Podelwitz braucht …", "Der SV Lissa sucht …"; as an advert:
    # "Fußballverein Lemsel hier. Platzwart gesucht"
    r"(?:(?:ffw|drk|thw|nabu|asb|awo|vdk|cvjm|sv|tsv|fsv|ssv|esv|sg|fc|tus|vfb|vfl)\b|\S*(?:verein|"
    r"gemeinde|kita|kindergarten|schule|feuerwehr|wehr|museum|chor|club|klub|initiative|tafel|"
    r"heim|station|bibliothek|bucherei|rat|diakonie|caritas|kirche|kammer|laden|cafe|treff|"
    r"hospiz|dienst|initiative|gruppe)\b)(?:\s+\S+){0,12}?\s+(?:braucht|"
    r"bräuchte|brauchte|sucht|fehlt|fehlen|kriegt|schafft|hätte gern|hatte gern|freut sich|"
    r"brauchen wir|suchen wir|gesucht|needs|is looking|would like|wanted)\b"
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


# A timetable question: "Wann fährt der nächste Bus nach Leipzig?", "wann fährt der 196er
# heute noch", "When does the last train leave?" – nothing we offer (a lift someone needs
# names a person: "Wann fährt jemand mit mir zum Arzt?")
_TIMETABLE = compile_folded(
    r"\b(?:wann|wo|ob|when|where)\s+(?:fahrt|fahren|kommt|kommen|geht|does|do|is)\s+"
    r"(?:\S+\s+){0,2}?(?:bus|busse|zug|zuge|bahn|s bahn|sbahn|regionalbahn|tram|"
    r"strassenbahn|linie|\d+er|train|trains|buses)\b|\b(?:fahrplan|abfahrt\w*|timetable)\b"
)


def asks_timetable(text: str) -> bool:
    """The writer asks when a bus or train goes."""
    return bool(_TIMETABLE.search(fold(text)))
