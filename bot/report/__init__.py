"""The coordinators' overview (`lotse report`): demand, offers, leads, funnel, trends.

`data.build_report` computes plain numbers from the database and the content;
`render_text`, `render_csv` and `render_html` show them, all through `present`, which
applies the privacy rule (counts of 1 or 2 people appear as "<3") and, through `suppress`,
hides further counts as "·" wherever the totals would give a "<3" away.
"""

from __future__ import annotations

from collections.abc import Callable

from bot.report.data import Period, Report, build_report
from bot.report.render_csv import render_csv
from bot.report.render_html import render_html
from bot.report.render_text import render_text

RENDERERS: dict[str, Callable[[Report], str]] = {
    "text": render_text,
    "csv": render_csv,
    "html": render_html,
}

__all__ = ["RENDERERS", "Period", "Report", "build_report"]
