"""Word knowledge for answering questions: filler words, phrases, and words that mean the same.

This is general language knowledge (German as typed in the chat, colloquial and Saxon
spellings, English), not knowledge about single FAQ entries: those words belong in the
entries' `questions:` and `keywords:` in knowledge/. Every word is compared in its folded
form (lower case, umlauts dropped: "Führungszeugnis" → "fuhrungszeugnis").
"""

from __future__ import annotations

# Words that say nothing about what is asked ("ich wollte mal fragen, ob man da …").
FILLER = frozenset(
    """
    a ab aber ach alle allem allen aller alles als also am an andere anderen auch auf aus
    bei beim bin bis bisschen bissel bist bitte da dabei dafur damit danke dann dar das dass
    dazu dem den denen denn der des dich die dies diese diesem diesen dieser dings doch dort
    du durch eben eh eigentlich ein eine einem einen einer eines einfach einmal er erst
    erstmal es etwa etwas euch euer eure falls frage fragen fur furs gar genau gerade gern
    gerne gesagt gibt gibts guten hab habe haben hallo halt hat hatte hatten heisst hi hier
    ich ihm ihn ihr ihre im in ins irgendwas irgendwie is isses ist ja je jetzt kann kannst
    konnen konnt konnte letzte letzten letzter letztes mal man mehr mein meine meinem meinen
    meiner mich mir mit mochte mochten moin muss mussen musst na nach nachste nachsten
    nachster nachstes naja ne nem nen ner nicht nichts nix noch nu nun nur ob oder ok okay
    schon sein seine seinem seiner sich sie sind so sollte son sone sowas tag uber um und
    uns unser unsere unserem unseren viel viele vielleicht vom von vor wa war waren weil
    wenn will wir wird wollen wollte wurde wurden zu zum zur
    about all am an and any anything are as at be been but by can could do does doing for
    from get got has have hello hi i if im in into is it its me my of on or our please so
    some something still that the their them there these this those to us was we were will
    with would you your
    biste dr ebenfalls eens ersma gell haste isch kannste mei meen meene meener mer misch
    disch nee ni nich nischt nuscht nunja ooch uberhaupt un wat willste jetz
    """.split()
)

# Saxon and phonetic spellings: a word the knowledge base does not know is tried with
# these changes (up to DIALECT_STEPS of them, each at one place) until it becomes a known
# word: "griech" → "krieg", "bürchergeld" → "bürgergeld", "machn" → "machen", "lodse" →
# "lotse", "ehrenamtsgarde" → "ehrenamtskarte", "güldsch" → "gültig". Regular expressions
# on the folded word (umlauts dropped).
DIALECT: tuple[tuple[str, str], ...] = (
    (r"g", "k"),  # soft consonants: "gann" → "kann", "gommn" → "kommn"
    (r"d", "t"),  # "audo" → "auto", "beandragn" → "beantragn"
    (r"b", "p"),
    (r"ch", "g"),  # "zeuchnis" → "zeugnis", "bürcher" → "bürger"
    (r"sch", "ch"),  # "ehrenamtlisches" → "ehrenamtliches"
    (r"[dt]?sch$", "tig"),  # "gleichzeitsch" → "gleichzeitig", "güldsch" → "gültig"
    (r"ee", "ei"),  # "vereen" → "verein"
    (r"oo", "au"),  # "eingoofen" → "einkaufen"
    (r"ie", "u"),  # "ieber" → "über" (folded)
    (r"(?<=[^aeiou])n$", "en"),  # dropped e: "machn" → "machen"
    (r"rn$", "rden"),  # "wern" → "werden"
    (r"d$", "t"),  # "suchd" → "sucht"
)
DIALECT_STEPS = 3

# Question words: they hint at what is asked ("wo" → where to apply) but must not decide,
# so they count little.
LIGHT = frozenset(
    """
    wo wer wen wem wann wie was warum wieso weshalb welche welcher welches
    woher wohin wozu wofur where who whom when how what why which wiealt
    """.split()
)

# Verbs that go with any topic ("was steht in …", "was wisst ihr …"): they count as
# little as question words, whatever their form (compared by lemma).
GENERIC = frozenset(
    """
    wissen stehen machen tun gehen kommen geben lassen nehmen bringen halten liegen
    bleiben heissen meinen denken glauben passen klappen laufen sollen mussen durfen
    konnen wollen mogen
    """.split()
)

# Fixed phrases become one word before anything else ("wir für sachsen" is the name of a
# programme, not three words of which two are filler). Left: as typed (folded), right:
# the word it becomes.
PHRASES: dict[str, str] = {
    "wir fur sachsen": "wirfursachsen",
    "wir fur sachen": "wirfursachsen",
    "we for saxony": "wirfursachsen",
    "hartz 4": "hartz",
    "hartz iv": "hartz",
    "alg 2": "hartz",
    "alg ii": "hartz",
    "mini job": "minijob",
    "side job": "minijob",
    "background check": "fuhrungszeugnis",
    "criminal record": "fuhrungszeugnis",
    "police certificate": "fuhrungszeugnis",
    "police check": "fuhrungszeugnis",
    "ab und zu": "haufigkeit",
    "hin und wieder": "haufigkeit",
    "ab und an": "haufigkeit",
    "einmal im monat": "haufigkeit",
    "einmal pro monat": "haufigkeit",
    "einmal die woche": "haufigkeit",
    "einmal in der woche": "haufigkeit",
    "einmal pro woche": "haufigkeit",
    "einmal im jahr": "haufigkeit",
    "jede woche": "haufigkeit",
    "jeden tag": "haufigkeit",
    "once a month": "haufigkeit",
    "once a week": "haufigkeit",
    "mich engagieren": "mitmachen",
    "euro job": "minijob",
    "mich einbringen": "mitmachen",
    "ehrenamt statt": "statt",
    "wie lange": "wielange",
    "how long": "wielange",
    "wie oft": "wielange",
    "how often": "wielange",
    "wie alt": "wiealt",
    "how old": "wiealt",
    "ab wieviel jahren": "mindestalter",
    "ab wie viel jahren": "mindestalter",
    "ab wievielen jahren": "mindestalter",
    "ab wie vielen jahren": "mindestalter",
    "ab welchem alter": "mindestalter",
    "wie alt muss": "mindestalter",
    "minimum age": "mindestalter",
    "zu alt": "zualt",
    "ab wann": "abwann",
    "seit wann": "abwann",
    "since when": "abwann",
    "from when": "abwann",
    "bis wann": "frist",
    "until when": "frist",
    "wie viel zeit": "zeitaufwand",
    "wieviel zeit": "zeitaufwand",
    "how much time": "zeitaufwand",
    "wie krieg ich": "beantragen",
    "wie kriege ich": "beantragen",
    "wie bekomme ich": "beantragen",
    "wie bekomm ich": "beantragen",
    "wo krieg ich": "beantragen",
    "wo kriege ich": "beantragen",
    "wo kriegt man": "beantragen",
    "wo bekomme ich": "beantragen",
    "wo bekomm ich": "beantragen",
    "wo bekommt man": "beantragen",
    "wie komme ich an": "beantragen",
    "how do i get": "beantragen",
    "how to get": "beantragen",
    "where do i get": "beantragen",
    "where can i get": "beantragen",
    "geht das noch": "gultig",
    "still valid": "gultig",
    "too old": "zualt",
    "wie viele": "wieviele",
    "how many": "wieviele",
    "wie viel": "wieviel",
    "how much": "wieviel",
    "wie hoch": "wieviel",
    "e v": "verein",
    "ev": "verein",
    "citizen s income": "burgergeld",
    "unemployment benefit": "burgergeld",
    "unemployment benefits": "burgergeld",
    "social benefits": "burgergeld",
    "agentur fur arbeit": "jobcenter",
    "job center": "jobcenter",
    "tax free": "steuerfrei",
    "real person": "mensch",
    "ins leben rufen": "grunden",
    "auf die beine stellen": "grunden",
    "bundes regierung": "bundesregierung",
}

# Words that mean the same here. The first word of a group names it; every word of the
# group also counts as that word. Only groups whose words are interchangeable in
# questions about volunteering: "Kohle" is money, "brechen" is an injury.
SYNONYMS: tuple[str, ...] = (
    "geld kohle knete zaster moneten kroten money cash bezahlung bezahlt vergutung verguten "
    "entlohnung entlohnt lohn paid pay payment salary verdienen verdient verdienst earn earns "
    "earning",
    "steuer steuern versteuern steuerlich versteuert tax taxes taxed taxable",
    "steuerfrei steuerfreie steuerfreier abgabenfrei taxfree",
    "pauschale pauschalen pauschal allowance allowances freibetrag aufwandsentschadigung "
    "entschadigung stipend",
    "bekommen kriegen krieg kriege kriegt kriegn griech griechn kricht bekomm bekommt erhalten "
    "receive receives",
    "versicherung versichert versichern versicherungsschutz insurance insured insure abgesichert "
    "absicherung",
    "unfall accident accidents verletzen verletzt verletze verletzung verletzungen hurt injured "
    "injury injure verunglucken verunglucket brechen breche gebrochen bruch beinbruch "
    "armbruch hinfallen hingefallen sturzen gesturzt sturz",
    "kaputt kaputtmachen kaputtgemacht kaputtmache beschadigen beschadigt beschadige "
    "damage damaged break broke broken zerbrechen zerbrochen runterwerfen runtergeworfen "
    "runtergefallen zerkratzt destroyed",
    "haftpflicht haftung haften haftet liability liable",
    "schaden schadens schadensfall schadenfall claim",
    "melden meldung anzeigen report",
    "mitteilen angeben sagen bescheid informieren melden tell inform",
    "mitglied mitglieder mitgliedschaft eintreten beitreten beitritt member membership",
    "helfer helferin helfern freiwillige mitstreiter nachwuchs unterstutzer",
    "polizei polizeilich polizeiliches police",
    "beantragen antrag antrage beantragung apply application applications anfordern",
    "gultig gultigkeit valid validity abgelaufen ablaufen expired verfallt veraltet",
    "erneuern erneuert renew neues",
    "karte card",
    "rabatt rabatte vergunstigung vergunstigungen vergunstigt ermassigung ermassigt discount "
    "discounts sparen",
    "ehrenamt ehrenamtlich ehrenamtliche ehrenamtlicher ehrenamtlichen volunteer volunteers "
    "volunteering freiwillig freiwilligenarbeit",
    "verein vereine club clubs association",
    "trainer trainerin trainieren trainiere coach coaches ubungsleiter ubungsleiterin instructor "
    "kursleiter",
    "minijob minijobber minijobs geringfugig nebenjob",
    "burgergeld hartz stutze grundsicherung sozialleistungen benefits",
    "jobcenter arbeitsamt arbeitsagentur sachbearbeiter sachbearbeiterin fallmanager",
    "arbeitslos arbeitssuchend arbeitsuchend erwerbslos unemployed",
    "stunde stunden std hour hours",
    "zeit time zeitlich",
    "haufigkeit regelmassig unregelmassig gelegentlich oft selten regularly occasionally",
    "fahrtkosten fahrtgeld spritgeld benzingeld kilometergeld sprit benzin spritkosten mileage",
    "erstatten erstattet erstattung zuruckbekommen wiederbekommen reimburse reimbursed "
    "reimbursement ersetzt ersatz zuruck",
    "auslagen ausgaben expenses expense ausgelegt",
    "quittung quittungen beleg belege kassenbon kassenzettel rechnung receipt receipts",
    "nachweis bescheinigung bestatigung zertifikat certificate urkunde nachweisen",
    "bewerbung bewerben lebenslauf cv resume",
    "lotse lotsin lotsen lotze guide navigator",
    "daten data angaben",
    "loschen delete remove entfernen abmelden austragen unsubscribe",
    "einsehen ansehen anschauen nachsehen sehen show view see",
    "gespeichert speichern gespeichert stored saved",
    "weitergeben weitergabe share verkaufen sell weiter",
    "telefon telefonnummer nummer handynummer handy phone anrufen call",
    "mensch menschen leute people human person",
    "personlich personally",
    "sprechen reden talk speak quatschen",
    "helfen hilfe help unterstutzen unterstutzung support",
    "einkaufen einkauf einkaufe shopping",
    "arzt arztin doctor",
    "garten garden",
    "alt alter altere alterer alteren age old",
    "jugendliche jugendlicher jugendlichen jugend schuler schulerin teenager teen teens "
    "minderjahrig young pupil",
    "rentner rentnerin rente ruhestand pension pensionar pensionarin retired retirement "
    "senior senioren seniorin elderly",
    "deutsch german deutschkenntnisse",
    "sprache sprachen language languages sprachkenntnisse",
    "englisch english",
    "fluchtling fluchtlinge gefluchtet gefluchtete refugee refugees asyl",
    "idee ideen idea ideas",
    "projekt projekte project projects",
    "grunden grundung grunde aufmachen starten start",
    "dorf dorfer ort orte village villages ortschaft",
    "angebot angebote offer offers",
    "eintragen einstellen veroffentlichen posten post advertise inserieren verbreiten weitersagen",
    "bundesregierung regierung government federal bund",
    "anzahl wieviele statistik statistics prozent percent quote",
    "sachsen saxony sachsisch sachsische",
    "kosten kostet cost costs gebuhr gebuhren fee fees bezahlen zahlen draufzahlen finanzieren",
    "kostenlos gratis gebuhrenfrei umsonst free",
    "frist deadline stichtag",
    "ausprobieren testen probieren probeweise reinschnuppern schnuppern try",
    "erhohen erhoht erhohung anheben angehoben anhebung steigen steigt gestiegen raise raised "
    "increase increased",
    "aufhoren quit",
    "wohnen wohne live",
    "zustandig zustandigkeit cover",
    "arbeiten arbeite work",
    "wochenende weekend",
    "schicht schichtdienst schichten",
    "kind kinder kids children",
    "familie tochter sohn mutter vater eltern oma opa enkel enkelin grosseltern schwester "
    "bruder mann frau partner partnerin nachbar nachbarin freund freundin family daughter son "
    "mother father parents neighbour neighbor friend",
    "anrechnen anrechnung angerechnet abziehen abgezogen kurzen gekurzt deducted deduct",
    "finden find suchen suche sucht gesucht looking",
)

# Numbers that name an age ("ich bin 14", "mein Sohn ist 16", "13 jährige", "mit über 70").
AGE_BEFORE = frozenset("bin ist bist sind am im mit uber ab".split())
AGE_AFTER = frozenset("jahre jahren jahrig jahrige jahriger years year jahr".split())
YOUNG_UNTIL = 17  # up to this age a person counts as young (Jugendliche)
OLD_FROM = 60  # from this age on as old (Senioren)
