"""`lotse eval FILE`: top-1 and top-3 hit rates of the matchers on labelled cases.

A knowledge file with `examples:` is scored by cross-validation: the FAQ classifier learns
from all examples but one fold and answers that fold, fold by fold.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from bot.content.model import Content
from bot.content.schema import NOT_ANSWERABLE
from bot.helpdesk.faq import FaqMatcher
from bot.matching.interests import InterestMatcher
from bot.matching.places import PlaceResolver
from bot.text import fold


def evaluate_file(path: Path, content: Content) -> dict[str, Any]:
    cases = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(cases, dict):
        raise ValueError("erwartet eine Zuordnung mit den Abschnitten 'interests' und 'places'")
    return evaluate(cases, content)


def evaluate(cases: dict[str, Any], content: Content) -> dict[str, Any]:
    report: dict[str, Any] = {}
    if isinstance(cases.get("examples"), dict):
        report["questions"] = cross_validate(cases["examples"], content)
    if cases.get("interests"):
        report["interests"] = _interests(cases["interests"], InterestMatcher(content.taxonomy))
    if cases.get("places"):
        report["places"] = _places(cases["places"], PlaceResolver(content.places))
    if cases.get("questions"):
        matcher = FaqMatcher(content.faq, content.faq_examples)
        report["questions"] = _questions(
            cases["questions"], cases.get("unanswerable") or [], lambda _: matcher
        )
        report["questions"]["seen"] = _seen(cases, content.faq_examples)
    return report


FOLDS = 5


def cross_validate(
    examples: dict[str, list[str]], content: Content, folds: int = FOLDS
) -> dict[str, Any]:
    """How well the FAQ answers examples it did not learn from: every `folds`-th example is
    held out in turn, the classifier learns from the rest (and the entries' own phrasings)."""
    pairs = [(key, str(text)) for key, texts in examples.items() for text in texts or []]
    fold_of = {text: index % folds for index, (_, text) in enumerate(pairs)}
    matchers = {
        fold: FaqMatcher(content.faq, _without_fold(pairs, fold_of, fold)) for fold in range(folds)
    }
    cases = [{"text": text, "expect": key} for key, text in pairs if key != NOT_ANSWERABLE]
    unanswerable = [text for key, text in pairs if key == NOT_ANSWERABLE]
    return _questions(cases, unanswerable, lambda text: matchers[fold_of[text]])


def _without_fold(
    pairs: list[tuple[str, str]], fold_of: dict[str, int], fold: int
) -> dict[str, list[str]]:
    kept: dict[str, list[str]] = {}
    for key, text in pairs:
        if fold_of[text] != fold:
            kept.setdefault(key, []).append(text)
    return kept


def _seen(cases: dict[str, Any], examples: dict[str, list[str]]) -> int:
    """How many of the file's questions are also examples the bot learnt from."""
    learnt = {fold(text) for texts in examples.values() for text in texts}
    asked = [case["text"] for case in cases["questions"]] + list(cases.get("unanswerable") or [])
    return sum(fold(str(text)) in learnt for text in asked)


def _questions(
    cases: list[dict], unanswerable: list[str], matcher_for: Callable[[str], FaqMatcher]
) -> dict[str, Any]:
    """FAQ: a top-1 hit is an answer the bot would give (sure enough) from the expected
    entry; `first` counts the expected entry ranked first, answered or not."""
    top1 = top3 = first = wrong = 0
    misses = []
    for case in cases:
        expected = {case["expect"]} if isinstance(case["expect"], str) else set(case["expect"])
        matcher = matcher_for(str(case["text"]))
        ranked = matcher.rank(str(case["text"]))
        answer = matcher.answer(str(case["text"]))
        hit1 = answer is not None and answer.entry.id in expected
        hit3 = bool(expected & {hit.entry.id for hit in ranked[:3]})
        top1 += hit1
        top3 += hit3
        first += bool(ranked) and ranked[0].entry.id in expected
        wrong += answer is not None and not hit1
        if not hit1:
            misses.append(
                {
                    "text": case["text"],
                    "expect": sorted(expected),
                    "got": [hit.entry.id for hit in ranked[:3]],
                    "top3_hit": hit3,
                    "answered": answer is not None,
                }
            )
    summary = _summary(len(cases), top1, top3, misses)
    summary["first"] = round(first / len(cases), 4) if cases else 0.0
    summary["wrong_answers"] = wrong
    answered = [text for text in unanswerable if matcher_for(str(text)).answer(str(text))]
    summary["unanswerable"] = {"cases": len(unanswerable), "answered_anyway": answered}
    return summary


def _interests(cases: list[dict], matcher: InterestMatcher) -> dict[str, Any]:
    top1 = top3 = 0
    misses = []
    for case in cases:
        expected = set(case["expect"])
        got = [s.id for s in matcher.classify(str(case["text"]))]
        hit1, hit3 = bool(got[:1]) and got[0] in expected, bool(expected & set(got[:3]))
        top1 += hit1
        top3 += hit3
        if not hit1:
            misses.append(
                {"text": case["text"], "expect": sorted(expected), "got": got[:3], "top3_hit": hit3}
            )
    return _summary(len(cases), top1, top3, misses)


def _places(cases: list[dict], resolver: PlaceResolver) -> dict[str, Any]:
    top1 = top3 = 0
    misses = []
    for case in cases:
        result = resolver.resolve(str(case["text"]))
        names = [p.name for p in result.places]
        # Only a confident single answer counts as top-1; asking back counts for top-3.
        hit1 = result.status in ("found", "outside") and any(
            same_place(name, case["expect"]) for name in names[:1]
        )
        hit3 = any(same_place(name, case["expect"]) for name in names[:3])
        top1 += hit1
        top3 += hit3
        if not hit1:
            misses.append(
                {
                    "text": case["text"],
                    "expect": case["expect"],
                    "status": result.status,
                    "got": names[:3],
                }
            )
    return _summary(len(cases), top1, top3, misses)


def _summary(total: int, top1: int, top3: int, misses: list[dict]) -> dict[str, Any]:
    return {
        "cases": total,
        "top1": round(top1 / total, 4) if total else 0.0,
        "top3": round(top3 / total, 4) if total else 0.0,
        "misses": misses,
    }


def render_report(report: dict[str, Any]) -> str:
    lines = []
    for section, result in report.items():
        lines.append(
            f"{section}: {result['cases']} Fälle · top-1 {result['top1']:.1%} · "
            f"top-3 {result['top3']:.1%}"
        )
        if "first" in result:
            lines.append(
                f"  richtiger Eintrag an erster Stelle: {result['first']:.1%} · falsche "
                f"Antworten: {result['wrong_answers']}"
            )
        if "unanswerable" in result:
            wrong = result["unanswerable"]["answered_anyway"]
            lines.append(
                f"  unbeantwortbare Fragen trotzdem beantwortet: {len(wrong)} von "
                f"{result['unanswerable']['cases']}"
            )
        if result.get("seen"):
            lines.append(
                f"  Achtung: {result['seen']} Fragen stehen auch in den Beispielen "
                "(knowledge/*.yaml), aus denen der Bot lernt – für diese ist die Prüfung nicht "
                "unabhängig."
            )
        for miss in result["misses"]:
            got = ", ".join(miss["got"]) or "–"
            extra = f" [{miss['status']}]" if "status" in miss else ""
            lines.append(f"  ✗ {miss['text']!r}: erwartet {miss['expect']}, bekam {got}{extra}")
    return "\n".join(lines) or "Keine Fälle gefunden (Abschnitte 'interests' und 'places')."


def same_place(got: str | None, expected: str | None) -> bool:
    """'Naundorf' is 'Naundorf (mit Kämmereiforst)': the bracketed note is no part of a name."""
    return _without_note(got) == _without_note(expected)


def _without_note(name: str | None) -> str | None:
    return _NOTE.sub("", name) if name else name


_NOTE = re.compile(r"\s*\([^()]*\)\s*$")
