"""Content validation: every broken thing is reported as `file:line: message`, nothing half-loads.

Each test copies the shipped content into a temporary folder, breaks one thing with a small
text edit and checks that the loader names the right file, the exact line of the broken thing
(computed from the edited text, never hard-coded) and a helpful message.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from bot.content.loader import load_content
from bot.content.model import ContentError
from bot.content.validate import FIXED_INTEREST_IDS
from tests.helpers import ROOT
from tests.helpers.content_tree import Tree, append, edit, find, line_of, lines_of, shipped_copy

SHIPPED_CONTENT = ROOT / "content"
SHIPPED_KNOWLEDGE = ROOT / "knowledge"


# --- helpers ---------------------------------------------------------------------------


@pytest.fixture
def tree(tmp_path: Path) -> Tree:
    return shipped_copy(tmp_path)


# --- the shipped content ---------------------------------------------------------------


def test_shipped_content_loads_without_errors() -> None:
    content = load_content(SHIPPED_CONTENT, SHIPPED_KNOWLEDGE)

    assert all(w.severity == "warning" for w in content.warnings)
    assert [i.id for i in content.taxonomy.interests] == list(FIXED_INTEREST_IDS)
    assert len(content.offers) >= 40
    gemeinden = {g.name for g in content.places.gemeinden}
    assert len(gemeinden) == 10
    covered = {name for lotse in content.lotsen for name in lotse.gemeinden}
    assert gemeinden <= covered, f"Gemeinden ohne Lotse: {gemeinden - covered}"
    assert content.faq


# --- dialog.yaml -----------------------------------------------------------------------


def test_unknown_next_step_is_reported_and_a_typo_gets_a_suggestion(tree: Tree) -> None:
    dialog = tree.path("dialog.yaml")
    edit(dialog, "next: time_slots\n", "next: time_slot\n")

    problem = find(
        tree.problems(), "dialog.yaml", line_of(dialog, "next: time_slot\n"), "time_slot"
    )
    assert "unbekannter Schritt" in problem.message
    assert "Meinten Sie „time_slots“" in problem.message


def test_unknown_step_in_an_option_without_close_name_gets_no_suggestion(tree: Tree) -> None:
    dialog = tree.path("dialog.yaml")
    edit(
        dialog,
        "next: goodbye, synonyms: [nein, nein danke",
        "next: xqzw, synonyms: [nein, nein danke",
    )

    problem = find(tree.problems(), "dialog.yaml", line_of(dialog, "next: xqzw"), "'xqzw'")
    assert "Meinten Sie" not in problem.message


def test_text_key_missing_in_texts_but_used_by_a_step(tree: Tree) -> None:
    edit(tree.path("texts.yaml"), "  ask_time_kind:\n", "  ask_time_kind_old:\n")
    dialog = tree.path("dialog.yaml")

    find(
        tree.problems(),
        "dialog.yaml",
        line_of(dialog, "text: ask_time_kind\n"),
        "'ask_time_kind'",
        "texts.yaml",
    )


def test_a_channels_wording_needs_a_known_channel_and_its_base_text(tree: Tree) -> None:
    texts = tree.path("texts.yaml")
    edit(texts, "  ask_contact@web:\n", "  ask_contact@browser:\n")
    edit(texts, "  contact_invalid@web:\n", "  contact_wrong@web:\n")

    problems = tree.problems()
    find(problems, "texts.yaml", line_of(texts, "ask_contact@browser:"), "'browser'", "web")
    find(problems, "texts.yaml", line_of(texts, "contact_wrong@web:"), "'contact_wrong'")


def test_yaml_boolean_trap_in_option_value_asks_for_quotes(tree: Tree) -> None:
    dialog = tree.path("dialog.yaml")
    edit(
        dialog,
        'value: "no", next: goodbye, synonyms: [nein, nein danke',
        "value: no, next: goodbye, synonyms: [nein, nein danke",
    )

    find(tree.problems(), "dialog.yaml", line_of(dialog, "value: no,"), "Anführungszeichen", '"no"')


# --- buttons: Telegram takes at most 64 bytes of data per button -----------------------


def test_an_option_value_too_long_for_a_button_is_named_with_the_bytes_over(tree: Tree) -> None:
    dialog = tree.path("dialog.yaml")
    value = "ganz-egal-ob-einmal-oder-regelmäßig-hauptsache-es-passt-für-mich"
    edit(dialog, "value: any, synonyms: [egal, beides", f"value: {value}, synonyms: [egal, beides")
    over = len(f"s:time_kind:{value}".encode()) - 64

    problem = find(
        tree.problems(), "dialog.yaml", line_of(dialog, value), f"'{value}'", "'time_kind'"
    )
    assert f"{over} mehr als die erlaubten 64" in problem.message
    assert f"um mindestens {over} Zeichen kürzen" in problem.message


def test_a_step_name_too_long_with_the_longest_interest_id_is_reported(tree: Tree) -> None:
    """The area buttons of an interests step carry the interest id: 'kinder-jugend' is
    the longest, so this name fits with 'general' but not with it."""
    dialog = tree.path("dialog.yaml")
    name = "interessen_" + "a" * 39
    edit(dialog, "\n  interests:\n    kind: interests", f"\n  {name}:\n    kind: interests")
    edit(dialog, "value: volunteer, next: interests,", f"value: volunteer, next: {name},")
    edit(dialog, "next: interests, synonyms", f"next: {name}, synonyms")

    problems = tree.problems()

    problem = find(problems, "dialog.yaml", line_of(dialog, f"  {name}:"), "Schritt-Name")
    assert "kinder-jugend" in problem.message and "2 mehr als die erlaubten 64" in problem.message
    assert [p for p in problems if p.severity == "error"] == [problem]


def test_a_colon_in_an_option_value_would_split_the_button_data(tree: Tree) -> None:
    dialog = tree.path("dialog.yaml")
    edit(dialog, "value: any, synonyms: [egal, beides", "value: 'a:b', synonyms: [egal, beides")

    find(tree.problems(), "dialog.yaml", line_of(dialog, "value: 'a:b'"), "'a:b'", "Doppelpunkt")


def test_a_language_code_goes_into_the_language_buttons(tree: Tree) -> None:
    texts = tree.path("texts.yaml")
    code = "de-" + "x" * 61  # 'lang:' and 64 characters: 5 bytes too many
    edit(texts, "languages: [de, en]", f"languages: [de, en, {code}, 'e:n']")

    problems = tree.problems()

    line = line_of(texts, "languages: [de, en")
    find(problems, "texts.yaml", line, f"Sprache '{code}'", "5 mehr als die erlaubten 64")
    find(problems, "texts.yaml", line, "Sprache 'e:n'", "Kürzel")


# --- texts.yaml ------------------------------------------------------------------------


def test_text_missing_for_a_language(tree: Tree) -> None:
    texts = tree.path("texts.yaml")
    edit(texts, "    en: Would you rather help out once or volunteer regularly?\n", "")

    find(tree.problems(), "texts.yaml", line_of(texts, "  ask_time_kind:"), "ask_time_kind", "'en'")


def test_text_missing_for_a_language_in_flow_style(tree: Tree) -> None:
    texts = tree.path("texts.yaml")
    edit(texts, ', en: "🙋 I want to volunteer"}', "}")

    find(tree.problems(), "texts.yaml", line_of(texts, "  btn_volunteer:"), "btn_volunteer", "'en'")


def test_text_key_given_twice_is_not_silently_overwritten(tree: Tree) -> None:
    texts = tree.path("texts.yaml")
    edit(texts, "\ntexts:\n", '\ntexts:\n  btn_back: {de: "Zurück", en: "Back"}\n')
    first, second = lines_of(texts, "  btn_back:")

    find(tree.problems(), "texts.yaml", second, "'btn_back'", "doppelt", f"Zeile {first}")


# --- offers.yaml -----------------------------------------------------------------------


def test_duplicate_offer_id(tree: Tree) -> None:
    offers = tree.path("offers.yaml")
    edit(offers, "  - id: dz-schloss-gartenfuehrungen\n", "  - id: dz-tafel-ausgabe\n")
    _, duplicate = lines_of(offers, "  - id: dz-tafel-ausgabe\n")

    find(tree.problems(), "offers.yaml", duplicate, "'dz-tafel-ausgabe'", "doppelt")


def test_offer_in_an_unknown_place(tree: Tree) -> None:
    offers = tree.path("offers.yaml")
    edit(offers, "    place: Delitzsch\n", "    place: Delitzch\n")

    problem = find(
        tree.problems(), "offers.yaml", line_of(offers, "place: Delitzch\n"), "'Delitzch'"
    )
    assert "Meinten Sie „Delitzsch“" in problem.message


def test_offer_with_unknown_interest_id(tree: Tree) -> None:
    offers = tree.path("offers.yaml")
    edit(offers, "interests: [soziales, soziales-tafel]", "interests: [soziales, soziales-tafl]")

    problem = find(
        tree.problems(), "offers.yaml", line_of(offers, "soziales-tafl]"), "'soziales-tafl'"
    )
    assert "Meinten Sie „soziales-tafel“" in problem.message


def test_unknown_field_name_in_an_offer(tree: Tree) -> None:
    offers = tree.path("offers.yaml")
    edit(offers, "    title: Helfen bei der", "    titel: Helfen bei der")

    problems = tree.problems()
    find(problems, "offers.yaml", line_of(offers, "    titel: "), "unbekanntes Feld", "'titel'")
    # ... and then 'title' is missing: reported at the start of that offer
    find(problems, "offers.yaml", line_of(offers, "- id: dz-tafel-ausgabe\n"), "'title'")


def test_missing_required_field_in_an_offer(tree: Tree) -> None:
    offers = tree.path("offers.yaml")
    edit(offers, "    organisation: Tafel Delitzsch\n", "")

    find(
        tree.problems(),
        "offers.yaml",
        line_of(offers, "- id: dz-tafel-ausgabe\n"),
        "Pflichtfeld",
        "'organisation'",
    )


def test_impossible_date_is_a_problem_not_a_crash(tree: Tree) -> None:
    offers = tree.path("offers.yaml")
    updated = lines_of(offers, "    updated: ")[0]
    text = offers.read_text(encoding="utf-8").splitlines(keepends=True)
    text[updated - 1] = "    updated: 2026-13-45\n"
    offers.write_text("".join(text), encoding="utf-8")

    find(tree.problems(), "offers.yaml", updated, "Datum", "2026-13-45")


# --- lotsen.yaml -----------------------------------------------------------------------


def test_lotse_for_an_unknown_gemeinde(tree: Tree) -> None:
    lotsen = tree.path("lotsen.yaml")
    edit(lotsen, "gemeinden: [Jesewitz]", "gemeinden: [Jesewitzz]")

    problem = find(
        tree.problems(), "lotsen.yaml", line_of(lotsen, "[Jesewitzz]"), "'Jesewitzz'", "lotse-"
    )
    assert "Meinten Sie „Jesewitz“" in problem.message


def test_duplicate_lotse_id(tree: Tree) -> None:
    lotsen = tree.path("lotsen.yaml")
    line = append(
        lotsen,
        "\n  - id: lotse-delitzsch\n    name: Doppelt Gemoppelt\n    gemeinden: [Delitzsch]\n",
    )

    find(tree.problems(), "lotsen.yaml", line + 1, "'lotse-delitzsch'", "doppelt")


# --- taxonomy.yaml ---------------------------------------------------------------------


def test_renamed_fixed_taxonomy_id(tree: Tree) -> None:
    taxonomy = tree.path("taxonomy.yaml")
    edit(taxonomy, "  - id: umwelt\n", "  - id: natur-umwelt\n")

    problem = find(
        tree.problems(), "taxonomy.yaml", line_of(taxonomy, "- id: natur-umwelt\n"), "'umwelt'"
    )
    assert "umbenannt" in problem.message
    assert "natur-umwelt" in problem.message


def test_a_sub_topics_also_must_name_another_area(tree: Tree) -> None:
    taxonomy = tree.path("taxonomy.yaml")
    edit(taxonomy, "also: [kultur]\n", "also: [kulture]\n")

    problem = find(
        tree.problems(), "taxonomy.yaml", line_of(taxonomy, "also: [kulture]\n"), "'kulture'"
    )
    assert "unter also:" in problem.message
    assert "„kultur“" in problem.message  # the suggestion


# --- knowledge/faq.yaml ----------------------------------------------------------------

FAQ_ENTRY = """
  - id: {id}
    questions: ["Eine doppelte Frage?"]
    answer: Eine Antwort.
    source: Test
    checked: 2026-11-20
"""


def test_duplicate_faq_id_in_the_same_file(tree: Tree) -> None:
    faq = tree.path("faq.yaml")
    line = append(faq, FAQ_ENTRY.format(id="ehrenamtspauschale"))

    find(tree.problems(), "faq.yaml", line + 1, "'ehrenamtspauschale'", "doppelt")


def test_duplicate_faq_id_across_knowledge_files(tree: Tree) -> None:
    extra = tree.knowledge / "zz-mehr.yaml"
    append(extra, "faq:" + FAQ_ENTRY.format(id="ehrenamtspauschale"))

    find(
        tree.problems(),
        "zz-mehr.yaml",
        line_of(extra, "- id: ehrenamtspauschale"),
        "'ehrenamtspauschale'",
        "doppelt",
    )


def test_examples_under_an_unknown_entry_are_reported_with_a_suggestion(tree: Tree) -> None:
    extra = tree.knowledge / "zz-beispiele.yaml"
    append(extra, 'examples:\n  ehrenamtspauschal:\n    - "gibts geld dafür"\n')

    find(
        tree.problems(),
        "zz-beispiele.yaml",
        line_of(extra, "ehrenamtspauschal:"),
        "'ehrenamtspauschal'",
        "„ehrenamtspauschale“",
    )


def test_examples_of_several_files_are_merged_and_reach_the_classifier(tree: Tree) -> None:
    extra = tree.knowledge / "zz-beispiele.yaml"
    append(extra, 'examples:\n  keine-antwort:\n    - "wo ist das nächste freibad"\n')

    content = tree.load()

    assert "wo ist das nächste freibad" in content.faq_examples["keine-antwort"]
    assert len(content.faq_examples["keine-antwort"]) > 1  # and those of examples.yaml


def test_keine_antwort_is_no_faq_id(tree: Tree) -> None:
    faq = tree.path("faq.yaml")
    line = append(faq, FAQ_ENTRY.format(id="keine-antwort"))

    find(tree.problems(), "faq.yaml", line + 1, "'keine-antwort'", "reserviert")


def test_old_faq_answer_is_a_warning_and_content_still_loads(tree: Tree) -> None:
    faq = tree.path("faq.yaml")
    first_checked = re.search(r"    checked: \S+\n", faq.read_text(encoding="utf-8"))
    assert first_checked is not None
    edit(faq, first_checked[0], "    checked: 2020-01-15\n")
    first_id = re.search(r"- id: (\S+)", faq.read_text(encoding="utf-8"))
    assert first_id is not None

    content = tree.load(faq_max_age_days=30)

    find(
        content.warnings,
        "faq.yaml",
        line_of(faq, "checked: 2020-01-15"),
        f"'{first_id[1]}'",
        "checked",
        severity="warning",
    )
    assert len(content.faq) == len(load_content(SHIPPED_CONTENT, SHIPPED_KNOWLEDGE).faq)


# --- YAML syntax and safety ------------------------------------------------------------


@pytest.mark.parametrize(
    ("file", "old", "new", "broken"),
    [
        pytest.param(
            "offers.yaml",
            "    organisation: Tafel Delitzsch\n",
            "     organisation: Tafel Delitzsch\n",
            "     organisation: Tafel",
            id="bad-indentation",
        ),
        pytest.param(
            "offers.yaml",
            "interests: [soziales, soziales-tafel]",
            "interests: [soziales, soziales-tafel",
            "soziales-tafel\n",
            id="unclosed-bracket",
        ),
        pytest.param(
            "dialog.yaml",
            "- {label: btn_restart, next: start}",
            "- {label: btn_restart, next: start",
            "next: start\n",
            id="unclosed-brace",
        ),
        pytest.param(
            "texts.yaml",
            'slot_evening: {de: "Abends", en: "Evenings"}',
            'slot_evening: {de: "Abends, en: "Evenings"}',
            '"Abends, en',
            id="unbalanced-quote",
        ),
        pytest.param(
            "places.yaml", "    lat: 51.5264\n", "\tlat: 51.5264\n", "\tlat:", id="tab-indentation"
        ),
    ],
)
def test_yaml_syntax_error_reports_the_broken_line(
    tree: Tree, file: str, old: str, new: str, broken: str
) -> None:
    path = tree.path(file)
    edit(path, old, new)

    find(tree.problems(), file, line_of(path, broken), "YAML")


def test_unsafe_yaml_tag_is_rejected_and_never_executed(tree: Tree, tmp_path: Path) -> None:
    marker = tmp_path / "executed"
    offers = tree.path("offers.yaml")
    edit(
        offers,
        "    example: true\n",
        f'    example: !!python/object/apply:os.system ["touch {marker}"]\n',
    )

    problems = tree.problems()

    assert not marker.exists(), "the YAML tag was executed"
    find(problems, "offers.yaml", line_of(offers, "!!python/object/apply"), "python/object/apply")


# --- loading as a whole ----------------------------------------------------------------


@pytest.mark.parametrize(
    "file",
    [
        "texts.yaml",
        "dialog.yaml",
        "taxonomy.yaml",
        "places.yaml",
        "offers.yaml",
        "lotsen.yaml",
        "faq.yaml",
    ],
)
def test_a_broken_file_never_half_loads(tree: Tree, file: str) -> None:
    path = tree.path(file)
    line = append(path, "kaputt: [nicht geschlossen\n")

    loaded = None
    with pytest.raises(ContentError) as caught:
        loaded = load_content(tree.content, tree.knowledge)

    assert loaded is None
    find(caught.value.problems, file, line, "YAML")


def test_a_cross_file_error_alone_also_stops_loading(tree: Tree) -> None:
    edit(tree.path("offers.yaml"), "    place: Delitzsch\n", "    place: Nirgendwo\n")

    loaded = None
    with pytest.raises(ContentError, match="Nirgendwo"):
        loaded = tree.load()
    assert loaded is None


def test_errors_in_several_files_are_all_reported_in_one_run(tree: Tree) -> None:
    dialog, texts, offers = (
        tree.path("dialog.yaml"),
        tree.path("texts.yaml"),
        tree.path("offers.yaml"),
    )
    lotsen, faq = tree.path("lotsen.yaml"), tree.path("faq.yaml")
    edit(dialog, "next: time_slots\n", "next: time_slot\n")
    edit(texts, ', en: "🙋 I want to volunteer"}', "}")
    edit(offers, "interests: [soziales, soziales-tafel]", "interests: [soziales, soziales-tafl]")
    edit(lotsen, "gemeinden: [Jesewitz]", "gemeinden: [Jesewitzz]")
    faq_line = append(faq, FAQ_ENTRY.format(id="ehrenamtspauschale")) + 1

    problems = tree.problems()

    find(problems, "dialog.yaml", line_of(dialog, "next: time_slot\n"), "time_slot")
    find(problems, "texts.yaml", line_of(texts, "  btn_volunteer:"), "btn_volunteer")
    find(problems, "offers.yaml", line_of(offers, "soziales-tafl]"), "soziales-tafl")
    find(problems, "lotsen.yaml", line_of(lotsen, "[Jesewitzz]"), "Jesewitzz")
    find(problems, "faq.yaml", faq_line, "ehrenamtspauschale")


def test_syntax_and_schema_errors_in_several_files_are_all_reported(tree: Tree) -> None:
    offers, lotsen, faq = tree.path("offers.yaml"), tree.path("lotsen.yaml"), tree.path("faq.yaml")
    edit(offers, "interests: [soziales, soziales-tafel]", "interests: [soziales, soziales-tafel")
    edit(lotsen, "    name: Bernd Musterhaus\n", "    nam: Bernd Musterhaus\n")
    faq_line = append(faq, "kaputt: [nicht geschlossen\n")

    problems = tree.problems()

    find(problems, "offers.yaml", line_of(offers, "soziales-tafel\n"), "YAML")
    find(problems, "lotsen.yaml", line_of(lotsen, "nam: Bernd"), "'nam'")
    find(problems, "faq.yaml", faq_line, "YAML")


# --- `lotse check` ---------------------------------------------------------------------


def run_check(content_dir: Path, knowledge_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CONTENT_DIR": str(content_dir), "KNOWLEDGE_DIR": str(knowledge_dir)}
    return subprocess.run(
        [sys.executable, "-m", "bot", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_lotse_check_prints_file_and_line_and_fails_on_broken_content(tree: Tree) -> None:
    offers, lotsen = tree.path("offers.yaml"), tree.path("lotsen.yaml")
    edit(offers, "    place: Delitzsch\n", "    place: Delitzch\n")
    edit(lotsen, "gemeinden: [Jesewitz]", "gemeinden: [Jesewitzz]")

    result = run_check(tree.content, tree.knowledge)

    assert result.returncode == 1, result.stderr
    lines = result.stderr.splitlines()
    assert f"{offers}:{line_of(offers, 'place: Delitzch')}: " in result.stderr
    assert f"{lotsen}:{line_of(lotsen, '[Jesewitzz]')}: " in result.stderr
    problem_lines = [line for line in lines if re.match(r"^\S+\.yaml:\d+: ", line)]
    assert len(problem_lines) >= 2


def test_lotse_check_passes_on_the_shipped_content() -> None:
    result = run_check(SHIPPED_CONTENT, SHIPPED_KNOWLEDGE)

    assert result.returncode == 0, result.stderr
    assert "OK:" in result.stdout


def test_whatsapp_templates_are_checked_as_meta_takes_them(tree: Tree) -> None:
    """whatsapp.yaml: placeholders match the parameters, every content language, a button
    of at most 25 characters (an operator submits these templates to Meta)."""
    path = tree.path("whatsapp.yaml")
    edit(path, "Neuigkeiten zu {{1}} beim", "Neuigkeiten zu {{2}} beim")
    edit(path, "en: en}", "fr: fr}")
    edit(path, 'buttons: ["Show"]', 'buttons: ["Show me every message now please"]')
    problems = tree.problems()
    assert any("whatsapp.yaml" in p.file and "at most 25" in p.message for p in problems), problems
    edit(path, 'buttons: ["Show me every message now please"]', 'buttons: ["Show"]')
    problems = tree.problems()
    body = line_of(path, "Neuigkeiten zu {{2}} beim")
    find(problems, "whatsapp.yaml", body, "Platzhalter", "{{1}}")
    languages = line_of(path, "- name: lotse_nachricht_wartet")
    find(problems, "whatsapp.yaml", languages, "Sprache 'en' fehlt")
