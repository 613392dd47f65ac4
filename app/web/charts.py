"""Server-side SVG charts of a scored result: no chart library, no script, readable without colour.

Every chart is an accessible image (role="img" with <title> and <desc>) that also prints each value as
text, so the numbers never depend on seeing the bars. Text takes the surrounding colour (currentColor),
so the charts work on light, dark and printed pages alike.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup, escape

from app import i18n
from app.i18n import N_

DIMENSION_ORDER = ("strategy", "roi", "corporate_communication", "integration", "leadership", "track_record")

# A narrow canvas keeps the text legible when a phone scales the chart down; labels sit above their bars.
WIDTH = 400
VALUE_WIDTH = 44
BAR_HEIGHT = 16
ROW_HEIGHT = 44
TRACK = WIDTH - VALUE_WIDTH
EVIDENCE_FILL = "#1d6b3a"  # dark green: 6.4:1 on white, the bar still reads on dark backgrounds
CLAIMS_FILL = "#a3460a"  # dark orange, distinct from green for red-green colour blindness by lightness
DIMENSION_FILL = "#1f5fa8"
TRACK_FILL = "#8a8f98"


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None
    fill: str


def _t(message: str, lang: str) -> str:
    catalogues = i18n.load_translations()
    catalogue = catalogues.get(lang) or catalogues[i18n.DEFAULT]
    return str(catalogue.gettext(message))


def _number(value: float | None, lang: str) -> str:
    return "–" if value is None else f"{value:.0f}"


def _rows(bars: Sequence[Bar], lang: str, top: int) -> list[str]:
    parts: list[str] = []
    for index, bar in enumerate(bars):
        y = top + index * ROW_HEIGHT
        value = 0.0 if bar.value is None else max(0.0, min(100.0, float(bar.value)))
        length = round((TRACK - 8) * value / 100, 1)
        bar_y = y + 20
        parts.append(
            f'<text x="0" y="{y + 14}" fill="currentColor" font-size="15">{escape(bar.label)}</text>'
            f'<rect x="0" y="{bar_y}" width="{TRACK - 8}" height="{BAR_HEIGHT}" rx="3" '
            f'fill="{TRACK_FILL}" fill-opacity="0.2" stroke="{TRACK_FILL}" stroke-width="1"/>'
            f'<rect class="chart-bar" x="0" y="{bar_y}" width="{length}" height="{BAR_HEIGHT}" rx="3" '
            f'fill="{bar.fill}"/>'
            f'<text x="{WIDTH}" y="{bar_y + BAR_HEIGHT - 3}" text-anchor="end" fill="currentColor" '
            f'font-size="15" font-weight="bold">{escape(_number(bar.value, lang))}</text>'
        )
    return parts


def _svg(title: str, description: str, body: Sequence[str], height: int, css_class: str) -> Markup:
    chart_id = css_class
    return Markup(  # noqa: S704 - every text interpolated here went through escape()
        f'<svg class="chart {css_class}" role="img" viewBox="-2 0 {WIDTH + 4} {height}" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>' + "".join(body) + "</svg>"
    )


def _dimension_bars(result: dict[str, Any]) -> list[Bar]:
    dimensions = (result.get("evidence") or {}).get("dimensions") or {}
    bars = []
    for code in DIMENSION_ORDER:
        entry = dimensions.get(code)
        if entry is None:
            continue
        bars.append(Bar(str(entry.get("label") or code), entry.get("score"), DIMENSION_FILL))
    return bars


def _describe(bars: Sequence[Bar], lang: str) -> str:
    return "; ".join(f"{bar.label}: {_number(bar.value, lang)}" for bar in bars)


def dimension_bars_svg(result: dict[str, Any], lang: str) -> Markup:
    """Draw the six evidence dimensions (0–100) as labelled horizontal bars."""
    bars = _dimension_bars(result)
    height = len(bars) * ROW_HEIGHT + 4
    title = _t(N_("Evidence per dimension (0 to 100)"), lang)
    return _svg(title, _describe(bars, lang), _rows(bars, lang, 0), height, "chart-dimensions")


# The chart's texts per reader: the candidate reads about themselves, HR about the candidate (and the HR
# report's own section is already headed "Evidence per dimension").
LABELS = {
    "candidate": (
        N_("Evidence (what your answers show)"),
        N_("Claims index (what was claimed without evidence)"),
        N_("Evidence per dimension"),
    ),
    "hr": (
        N_("Evidence (what the answers show)"),
        N_("Claims index (claimed without evidence)"),
        N_("Per dimension"),
    ),
}


def evidence_claims_svg(result: dict[str, Any], lang: str, *, audience: str = "candidate") -> Markup:
    """Draw overall evidence against the claims index, then the six dimensions, as labelled bars."""
    evidence = (result.get("evidence") or {}).get("overall")
    claims = (result.get("claims") or {}).get("index")
    evidence_label, claims_label, per_dimension = LABELS[audience]
    headline = [
        Bar(_t(evidence_label, lang), evidence, EVIDENCE_FILL),
        Bar(_t(claims_label, lang), claims, CLAIMS_FILL),
    ]
    dimensions = _dimension_bars(result)
    parts = _rows(headline, lang, 0)
    divider = len(headline) * ROW_HEIGHT + 12
    parts.append(
        f'<text x="0" y="{divider + 14}" fill="currentColor" font-size="16" font-weight="bold">'
        f"{escape(_t(per_dimension, lang))}</text>"
    )
    parts.extend(_rows(dimensions, lang, divider + 28))
    height = divider + 28 + len(dimensions) * ROW_HEIGHT + 4
    title = _t(N_("Evidence and claims (0 to 100)"), lang)
    return _svg(title, _describe([*headline, *dimensions], lang), parts, height, "chart-evidence-claims")
