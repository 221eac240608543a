"""Places people name as home outside the region (issue #20, point 5), on the shipped content.

The Ortsteile of the bordering municipalities come from Wikipedia (de) and GeoNames (see
content/places.yaml), with the municipality they belong to: a person from there is told
honestly that the place is outside – named with its municipality – and still gets offers
nearby; a name the region shares with an outside place stays the region's; one village name
in two municipalities beyond the border is asked back, as the region's own doubles are.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from bot.content.loader import load_content
from bot.content.model import Content
from bot.content.schema import PlacesFile
from bot.dialogs.engine import DialogEngine
from bot.dialogs.turn import Matchers
from bot.matching.geo import haversine_km
from bot.matching.places import PlaceResolver
from bot.store.db import Database
from tests.helpers import ROOT
from tests.helpers.chat import Chat
from tests.helpers.content_tree import append, edit, find, line_of, shipped_copy

# Kossa as content/places.yaml has it from GeoNames (geonameid 2885326); Tiefensee (Bad
# Düben), the example with about 300 inhabitants, from its Wikipedia (de) article.
KOSSA = (51.617, 12.682)
TIEFENSEE = (51.5819, 12.5294)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Ich wohne in Kossa", "Kossa"),
        ("ich komme aus söllichau", "Söllichau"),
        ("Mockrehna", "Mockrehna"),
        ("wohne in Sandersdorf", "Sandersdorf"),
        ("Gohlis", "Gohlis"),
    ],
)
def test_villages_beyond_the_border_are_outside_places(
    matchers: Matchers, text: str, name: str
) -> None:
    result = matchers.places.resolve(text)
    assert result.status == "outside", result
    assert result.place is not None and result.place.name == name
    assert not result.place.in_region and result.place.gemeinde is None


def test_an_outside_village_has_its_sourced_coordinate(matchers: Matchers) -> None:
    place = matchers.places.resolve("Ich wohne in Kossa").place
    assert place is not None and (place.lat, place.lon) == KOSSA
    # a shared location there names the village, not the region's nearest Ortsteil
    assert matchers.places.nearest(*KOSSA).place == place


def test_a_town_named_with_its_village_answers_without_asking_back(matchers: Matchers) -> None:
    # both outside: the answer is the same, so the hand-listed town answers at once
    result = matchers.places.resolve("ich wohne in Leipzig-Gohlis")
    assert result.status == "outside" and result.place is not None
    assert result.place.name == "Leipzig"


def test_the_regions_place_wins_over_an_outside_one_of_the_same_name(
    matchers: Matchers,
) -> None:
    # "Roitzsch": a village in Sachsen-Anhalt (GeoNames) and what people call Roitzschjora
    result = matchers.places.resolve("Ich wohne in Roitzsch")
    assert result.status == "found" and result.place is not None
    assert (result.place.name, result.place.gemeinde) == ("Roitzschjora", "Löbnitz")
    # a location there is still the village outside
    outside = matchers.places.nearest(51.575, 12.263).place
    assert outside is not None and (outside.name, outside.in_region) == ("Roitzsch", False)


def test_same_name_as_a_region_ortsteil_resolves_inside() -> None:
    places = PlacesFile.model_validate(
        {
            "gemeinden": [
                {
                    "name": "Zschepplin",
                    "lat": 51.5,
                    "lon": 12.6,
                    "ortsteile": [{"name": "Hohenprießnitz", "lat": 51.55, "lon": 12.6}],
                }
            ],
            "outside": [{"name": "Hohenprießnitz", "lat": 51.9, "lon": 12.9}],
        }
    )
    result = PlaceResolver(places).resolve("wohne in Hohenprießnitz")
    assert result.status == "found" and result.place is not None
    assert (result.place.gemeinde, result.place.lat) == ("Zschepplin", 51.55)


def test_a_shared_location_is_outside_only_when_clearly_nearer_to_a_neighbour() -> None:
    places = PlacesFile.model_validate(
        {
            "gemeinden": [
                {
                    "name": "Löbnitz",
                    "lat": 51.59,
                    "lon": 12.47,
                    "ortsteile": [{"name": "Löbnitz", "lat": 51.59, "lon": 12.47}],
                }
            ],
            "outside": [{"name": "Nachbardorf", "lat": 51.59, "lon": 12.53}],  # 4.2 km east
        }
    )
    resolver = PlaceResolver(places)
    # 2.3 km from Löbnitz, 1.9 km from the neighbour: within the margin, so the region's.
    between = resolver.nearest(51.59, 12.503)
    assert (between.status, between.place.name if between.place else None) == ("found", "Löbnitz")
    # Next to the neighbour, 4 km from Löbnitz: outside, named.
    there = resolver.nearest(51.59, 12.529)
    assert (there.status, there.place.name if there.place else None) == ("outside", "Nachbardorf")


@pytest.mark.parametrize(
    ("said", "label", "point"),
    [("Kossa", "Kossa (Laußig)", KOSSA), ("Tiefensee", "Tiefensee (Bad Düben)", TIEFENSEE)],
)
async def test_someone_from_a_village_beyond_the_border_hears_so_and_gets_offers_nearby(
    chat: Chat,
    content: Content,
    matchers: Matchers,
    said: str,
    label: str,
    point: tuple[float, float],
) -> None:
    await chat.say("Hallo")
    await chat.press("engagieren")
    await chat.say("Feuerwehr")
    await chat.say(f"Ich wohne in {said}")
    assert f"{label} liegt außerhalb" in chat.text
    assert "kenne ich leider nicht" not in chat.text
    await chat.press("Egal")
    await chat.press("flexibel")
    offers = [label for label in chat.labels if label.startswith("👉")]
    assert offers, chat.text
    # the distance shown is measured from the village's own coordinate
    title = offers[0].split(". ", 1)[1]
    offer = next(o for o in content.offers if o.title == title)
    here = matchers.places.resolve(f"{offer.place}, {offer.gemeinde or ''}").place
    assert here is not None and here.in_region
    shown = re.search(r"(\d+) km", chat.last_message().text)
    assert shown is not None, chat.text
    assert int(shown.group(1)) == round(haversine_km(*point, here.lat, here.lon))


# --- Ortsteile of the bordering municipalities, with their municipality ------------------


@pytest.mark.parametrize(
    ("text", "name", "municipality"),
    [
        ("wohne in Tiefensee", "Tiefensee", "Bad Düben"),
        ("ich komme aus Brösen", "Tiefensee", "Bad Düben"),  # a part of the Ortsteil Tiefensee
        ("Pristäblich", "Pristäblich", "Laußig"),
        ("wir leben in Mörtitz", "Mörtitz", "Doberschütz"),
        ("Hohenheida", "Hohenheida", "Leipzig"),
        ("ich wohne in Kossa", "Kossa", "Laußig"),  # GeoNames coordinate, municipality added
        ("wohne in Zweenfurth", "Zweenfurth", "Borsdorf"),
        ("ich komme aus Wildschütz", "Wildschütz", "Mockrehna"),
    ],
)
def test_small_villages_beyond_the_border_are_known_with_their_municipality(
    matchers: Matchers, text: str, name: str, municipality: str
) -> None:
    result = matchers.places.resolve(text)
    assert result.status == "outside" and result.place is not None, result
    assert (result.place.name, result.place.municipality) == (name, municipality)
    assert result.place.label == f"{name} ({municipality})"
    # the region's Gemeinde stays empty: no lead is routed to a Lotse of Bad Düben
    assert result.place.gemeinde is None and not result.place.in_region


def test_a_village_named_with_its_town_is_the_village(matchers: Matchers) -> None:
    result = matchers.places.resolve("Tiefensee, Bad Düben")
    assert result.status == "outside" and result.place is not None
    assert result.place.label == "Tiefensee (Bad Düben)"
    assert (result.place.lat, result.place.lon) == TIEFENSEE


def test_a_location_in_a_village_beyond_the_border_names_it_with_its_town(
    matchers: Matchers,
) -> None:
    there = matchers.places.nearest(*TIEFENSEE)
    assert there.status == "outside" and there.place is not None
    assert there.place.label == "Tiefensee (Bad Düben)"


def resolver_of(gemeinde: dict, outside: list[dict]) -> PlaceResolver:
    """A resolver for one region Gemeinde and some places beyond the border."""
    return PlaceResolver(PlacesFile.model_validate({"gemeinden": [gemeinde], "outside": outside}))


def test_the_region_wins_a_shared_name_unless_the_town_beyond_is_named() -> None:
    wiedemar = {
        "name": "Wiedemar",
        "lat": 51.47,
        "lon": 12.2,
        "ortsteile": [{"name": "Zschernitz", "lat": 51.5269, "lon": 12.2292}],
    }
    resolver = resolver_of(
        wiedemar,
        [
            {"name": "Zschernitz", "gemeinde": "Nachbarstadt", "lat": 51.9, "lon": 12.9},
            {"name": "Nachbarstadt", "lat": 51.91, "lon": 12.91},
        ],
    )
    result = resolver.resolve("wohne in Zschernitz")
    assert result.status == "found" and result.place is not None
    assert (result.place.gemeinde, result.place.lat) == ("Wiedemar", 51.5269)
    # ... unless the person names the town beyond the border it belongs to
    named = resolver.resolve("Zschernitz, Nachbarstadt")
    assert named.status == "outside" and named.place is not None
    assert named.place.label == "Zschernitz (Nachbarstadt)"


# One village name in two municipalities beyond the border (made-up places, made-up points).
TWINS = """\
- {name: Zschernitz, gemeinde: Oststadt, lat: 51.62, lon: 12.72}
- {name: Zschernitz, gemeinde: Weststadt, lat: 51.45, lon: 12.05}
- {name: Oststadt, lat: 51.63, lon: 12.73}
- {name: Weststadt, lat: 51.44, lon: 12.04}
"""


def twins_resolver() -> PlaceResolver:
    delitzsch = {
        "name": "Delitzsch",
        "lat": 51.5264,
        "lon": 12.3425,
        "ortsteile": [{"name": "Delitzsch", "lat": 51.5264, "lon": 12.3425}],
    }
    return resolver_of(delitzsch, yaml.safe_load(TWINS))


def test_one_name_in_two_municipalities_beyond_the_border_is_asked_back() -> None:
    result = twins_resolver().resolve("ich wohne in Zschernitz")
    assert result.status == "ambiguous"
    assert [p.label for p in result.places] == ["Zschernitz (Oststadt)", "Zschernitz (Weststadt)"]


def test_the_town_named_beside_the_village_picks_the_one_meant() -> None:
    result = twins_resolver().resolve("Zschernitz bei Weststadt")
    assert result.status == "outside" and result.place is not None
    assert (result.place.label, result.place.lat) == ("Zschernitz (Weststadt)", 51.45)


@pytest.fixture
def twins_chat(tmp_path: Path, db: Database) -> Chat:
    """The tests' small content with the twins added to its places beyond the border."""
    shutil.copytree(ROOT / "tests" / "content", tmp_path / "set")
    append(tmp_path / "set" / "content" / "places.yaml", TWINS)
    content = load_content(tmp_path / "set" / "content", tmp_path / "set" / "knowledge")
    return Chat(DialogEngine(content, db, Matchers.build(content)))


async def test_the_person_picks_their_village_and_hears_it_is_outside(twins_chat: Chat) -> None:
    chat = twins_chat
    await chat.say("Hallo")
    await chat.press("engagieren")
    await chat.say("Kinder")
    await chat.say("Zschernitz")
    assert "mehrmals" in chat.text
    assert chat.labels[:2] == ["Zschernitz (Oststadt)", "Zschernitz (Weststadt)"]
    await chat.press("Weststadt")
    assert "Zschernitz (Weststadt) liegt außerhalb" in chat.text


# --- lotse check on places beyond the border ----------------------------------------------


def test_an_outside_place_needs_its_coordinate_and_known_fields(tmp_path: Path) -> None:
    tree = shipped_copy(tmp_path)
    places = tree.path("places.yaml")
    edit(places, "{name: Tiefensee, gemeinde: Bad Düben,", "{name: Tiefensee, gemende: Bad Düben,")
    edit(
        places,
        "{name: Wellaune, gemeinde: Bad Düben, lat: 51.5711, lon: 12.5564}",
        "{name: Wellaune, gemeinde: Bad Düben, lat: 51.5711}",
    )

    problems = tree.problems()
    find(problems, "places.yaml", line_of(places, "gemende:"), "unbekanntes Feld", "'gemende'")
    find(problems, "places.yaml", line_of(places, "{name: Wellaune,"), "'lon'")


def test_the_same_place_twice_or_a_region_gemeinde_beyond_the_border_is_reported(
    tmp_path: Path,
) -> None:
    tree = shipped_copy(tmp_path)
    places = tree.path("places.yaml")
    twice = append(places, "  - {name: Tiefensee, gemeinde: Bad Düben, lat: 51.58, lon: 12.53}\n")
    inside = append(places, "  - {name: Kleinkyhna, gemeinde: Wiedemar, lat: 51.53, lon: 12.25}\n")

    problems = tree.problems()
    find(problems, "places.yaml", twice, "'Tiefensee (Bad Düben)'", "doppelt")
    find(problems, "places.yaml", inside, "'Wiedemar'", "Gemeinde der Region")


@pytest.mark.parametrize(
    ("text", "name", "coordinate"),
    [("Ich wohne in Zaasch", "Zaasch", (51.5513, 12.2744)), ("Lissa", "Lissa", (51.5339, 12.25))],
)
def test_a_region_ortsteil_found_in_a_source_has_its_own_coordinate(
    matchers: Matchers, text: str, name: str, coordinate: tuple[float, float]
) -> None:
    # no longer its Gemeinde's centre: offers are measured from the village itself
    result = matchers.places.resolve(text)
    assert result.status == "found" and result.place is not None, result
    assert result.place.name == name and not result.place.approximate
    assert (result.place.lat, result.place.lon) == coordinate
    assert matchers.places.nearest(*coordinate).place == result.place


def test_a_village_without_its_own_coordinate_is_known_but_never_a_location(
    matchers: Matchers,
) -> None:
    """Gräfendorf (Mockrehna): no source gives its coordinate, so it carries Mockrehna's,
    marked approximate – the name is known, a shared location never answers with it."""
    result = matchers.places.resolve("wohne in Gräfendorf")
    assert result.status == "outside" and result.place is not None
    assert (result.place.label, result.place.approximate) == ("Gräfendorf (Mockrehna)", True)
    there = matchers.places.nearest(result.place.lat, result.place.lon)
    assert there.place is not None and there.place.name != "Gräfendorf"
