"""`lotse eval FILE`: top-1 and top-3 hit rates of the matchers on labelled cases."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from bot.content.loader import Content
from bot.helpdesk.faq import FaqMatcher
from bot.matching.interests import InterestMatcher
from bot.matching.places import PlaceResolver


def evaluate_file(path: Path, content: Content) -> dict[str, Any]:
    cases = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(cases, dict):
        raise ValueError("erwartet eine Zuordnung mit den Abschnitten 'interests' und 'places'")
    return evaluate(cases, content)


def evaluate(cases: dict[str, Any], content: Content) -> dict[str, Any]:
    report: dict[str, Any] = {}
    if cases.get("interests"):
        report["interests"] = _interests(cases["interests"], InterestMatcher(content.taxonomy))
    if cases.get("places"):
        report["places"] = _places(cases["places"], PlaceResolver(content.places))
    if cases.get("questions"):
        report["questions"] = _questions(
            cases["questions"], cases.get("unanswerable") or [], FaqMatcher(content.faq)
        )
    return report


def _questions(cases: list[dict], unanswerable: list[str], matcher: FaqMatcher) -> dict[str, Any]:
    """FAQ: a hit is an answer the bot would give (sure enough) from the expected entry."""
    top1 = top3 = 0
    misses = []
    for case in cases:
        expected = {case["expect"]} if isinstance(case["expect"], str) else set(case["expect"])
        ranked = matcher.rank(str(case["text"]))
        answer = matcher.answer(str(case["text"]))
        hit1 = answer is not None and answer.entry.id in expected
        hit3 = bool(expected & {hit.entry.id for hit in ranked[:3]})
        top1 += hit1
        top3 += hit3
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
    wrong = [text for text in unanswerable if matcher.answer(str(text)) is not None]
    summary["unanswerable"] = {"cases": len(unanswerable), "answered_anyway": wrong}
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
        hit1 = result.status in ("found", "outside") and names[:1] == [case["expect"]]
        hit3 = case["expect"] in names[:3]
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
        if "unanswerable" in result:
            wrong = result["unanswerable"]["answered_anyway"]
            lines.append(
                f"  unbeantwortbare Fragen trotzdem beantwortet: {len(wrong)} von "
                f"{result['unanswerable']['cases']}"
            )
        for miss in result["misses"]:
            got = ", ".join(miss["got"]) or "–"
            extra = f" [{miss['status']}]" if "status" in miss else ""
            lines.append(f"  ✗ {miss['text']!r}: erwartet {miss['expect']}, bekam {got}{extra}")
    return "\n".join(lines) or "Keine Fälle gefunden (Abschnitte 'interests' und 'places')."
