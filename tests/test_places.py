"""Places people name as home outside the region (issue #20, point 5), on the shipped content.

The Ortsteile of the bordering municipalities come from GeoNames (see content/places.yaml):
a person from there is told honestly that the place is outside and still gets offers nearby,
and a name the region shares with an outside place stays the region's.
"""

from __future__ import annotations

import re

import pytest

from bot.content.model import Content
from bot.content.schema import PlacesFile
from bot.dialogs.turn import Matchers
from bot.matching.geo import haversine_km
from bot.matching.places import PlaceResolver
from tests.helpers.chat import Chat

# Kossa as content/places.yaml has it from GeoNames (geonameid 2885326). Tiefensee (Bad
# Düben), the example, has fewer than 500 inhabitants and is not in the source.
KOSSA = (51.617, 12.682)


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


async def test_someone_from_an_outside_village_gets_the_honest_answer_and_offers_nearby(
    chat: Chat, content: Content, matchers: Matchers
) -> None:
    await chat.say("Hallo")
    await chat.press("engagieren")
    await chat.say("Feuerwehr")
    await chat.say("Ich wohne in Kossa")
    assert "Kossa" in chat.text and "außerhalb" in chat.text
    assert "kenne ich leider nicht" not in chat.text
    await chat.press("Egal")
    await chat.press("flexibel")
    offers = [label for label in chat.labels if label.startswith("👉")]
    assert offers, chat.text
    # the distance shown is measured from Kossa's coordinate
    title = offers[0].split(". ", 1)[1]
    offer = next(o for o in content.offers if o.title == title)
    here = matchers.places.resolve(f"{offer.place}, {offer.gemeinde or ''}").place
    assert here is not None and here.in_region
    shown = re.search(r"(\d+) km", chat.last_message().text)
    assert shown is not None, chat.text
    assert int(shown.group(1)) == round(haversine_km(*KOSSA, here.lat, here.lon))
