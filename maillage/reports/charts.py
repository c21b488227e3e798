"""Small hand-made SVG charts, drawn on the server (no JavaScript, no network, no heavy library).

Series are told apart by a pattern and a label in the legend, never by colour alone, and every
chart carries a <title> and <desc>; the page shows the same figures in a table next to it.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from xml.sax.saxutils import escape

from .suppression import MARK

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 48, 16, 16, 64
# Dark blue solid, then orange with diagonal hatching: distinguishable in grey too.
STYLES = [("#1f4e79", None), ("#c55a11", "hatch")]


def _nice_max(value: float, whole: bool = False) -> float:
    """The top of the axis: four gridline steps of a round size, at or above the peak (whole
    steps only for counts: half a meeting means nothing)."""
    if value <= 0:
        return 4
    for step in (() if whole else (0.25, 0.5)) + (
        1,
        2,
        2.5,
        5,
        10,
        20,
        25,
        50,
        100,
        200,
        250,
        500,
        1000,
        2000,
        5000,
    ):
        if value <= step * 4:
            return step * 4
    return value


def _fmt(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def _frame(title: str, desc: str, body: list[str], top: float) -> str:
    plot_h = HEIGHT - TOP - BOTTOM
    plot_w = WIDTH - LEFT - RIGHT
    lines = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}" role="img" font-family="DejaVu Sans, sans-serif" '
        f'font-size="11">',
        f"<title>{escape(title)}</title>",
        f"<desc>{escape(desc)}</desc>",
        '<defs><pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="6" height="6" fill="#f4c7a6"/>'
        '<line x1="0" y1="0" x2="0" y2="6" stroke="#c55a11" stroke-width="3"/></pattern></defs>',
    ]
    for i in range(5):
        value = top * i / 4
        y = TOP + plot_h - plot_h * i / 4
        lines.append(
            f'<line x1="{LEFT}" y1="{y:.1f}" x2="{LEFT + plot_w}" y2="{y:.1f}" stroke="#ccc"/>'
        )
        lines.append(f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{_fmt(value)}</text>')
    lines.extend(body)
    lines.append(
        f'<line x1="{LEFT}" y1="{TOP + plot_h}" x2="{LEFT + plot_w}" y2="{TOP + plot_h}" '
        'stroke="#333"/>'
    )
    lines.append("</svg>")
    return "\n".join(lines)


def _legend(names: Sequence[str], kinds: Sequence[str]) -> list[str]:
    out = []
    x = LEFT
    y = HEIGHT - 14
    for index, name in enumerate(names):
        colour, pattern = STYLES[index % len(STYLES)]
        if kinds[index] == "line":
            dash = ' stroke-dasharray="6 3"' if index % 2 else ""
            out.append(
                f'<line x1="{x}" y1="{y - 4}" x2="{x + 18}" y2="{y - 4}" stroke="{colour}" '
                f'stroke-width="3"{dash}/>'
            )
        else:
            fill = f"url(#{pattern})" if pattern else colour
            out.append(
                f'<rect x="{x}" y="{y - 10}" width="18" height="10" fill="{fill}" '
                f'stroke="{colour}"/>'
            )
        out.append(f'<text x="{x + 24}" y="{y}">{escape(name)}</text>')
        x += 40 + 7 * len(name)
    return out


def bar_chart(
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float]]],
    *,
    title: str,
    desc: str,
    stacked: bool = True,
) -> str:
    """Bars per label, series stacked (or side by side), with a legend under the axis."""
    plot_h = HEIGHT - TOP - BOTTOM
    plot_w = WIDTH - LEFT - RIGHT
    count = max(len(labels), 1)
    # A value of None is hidden (the small-cell rule): no bar, and its stack shows no total.
    if stacked:
        peak = max((sum(s[1][i] or 0 for s in series) for i in range(len(labels))), default=0)
    else:
        peak = max((v or 0 for _, values in series for v in values), default=0)
    top = _nice_max(
        peak, whole=all(float(v).is_integer() for _, vs in series for v in vs if v is not None)
    )
    slot = plot_w / count
    bar_w = slot * 0.6 / (1 if stacked else max(len(series), 1))
    body = []
    for i, label in enumerate(labels):
        x0 = LEFT + slot * i + slot * 0.2
        base = 0.0
        for s_index, (_, values) in enumerate(series):
            value = values[i] or 0
            colour, pattern = STYLES[s_index % len(STYLES)]
            fill = f"url(#{pattern})" if pattern else colour
            h = plot_h * value / top
            x = x0 if stacked else x0 + bar_w * s_index
            y = TOP + plot_h - plot_h * base / top - h
            if value:
                body.append(
                    f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{h:.1f}" '
                    f'fill="{fill}" stroke="{colour}"/>'
                )
            if stacked:
                base += value
        hidden = any(s[1][i] is None for s in series)
        total = sum(s[1][i] or 0 for s in series) if stacked and not hidden else None
        if hidden:
            y = TOP + plot_h - plot_h * sum(s[1][i] or 0 for s in series) / top - 4
            body.append(
                f'<text x="{x0 + bar_w / 2:.1f}" y="{y:.1f}" text-anchor="middle">{MARK}</text>'
            )
        elif total:
            y = TOP + plot_h - plot_h * total / top - 4
            body.append(
                f'<text x="{x0 + bar_w / 2:.1f}" y="{y:.1f}" text-anchor="middle">'
                f"{_fmt(total)}</text>"
            )
        body.append(
            f'<text x="{LEFT + slot * i + slot / 2:.1f}" y="{TOP + plot_h + 16}" '
            f'text-anchor="middle">{escape(label)}</text>'
        )
    body.extend(_legend([name for name, _ in series], ["bar"] * len(series)))
    return _frame(title, desc, body, top)


def line_chart(
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float]]],
    *,
    title: str,
    desc: str,
) -> str:
    """Lines through the points of each series; the second series is dashed."""
    plot_h = HEIGHT - TOP - BOTTOM
    plot_w = WIDTH - LEFT - RIGHT
    count = max(len(labels), 1)
    top = _nice_max(max((v for _, values in series for v in values), default=0))
    slot = plot_w / count
    body = []
    for s_index, (_, values) in enumerate(series):
        colour, _pattern = STYLES[s_index % len(STYLES)]
        points = " ".join(
            f"{LEFT + slot * i + slot / 2:.1f},{TOP + plot_h - plot_h * v / top:.1f}"
            for i, v in enumerate(values)
        )
        dash = ' stroke-dasharray="6 3"' if s_index % 2 else ""
        body.append(
            f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="3"{dash}/>'
        )
        for i, v in enumerate(values):
            cx = LEFT + slot * i + slot / 2
            cy = TOP + plot_h - plot_h * v / top
            body.append(f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="3.5" fill="{colour}"/>')
    for i, label in enumerate(labels):
        body.append(
            f'<text x="{LEFT + slot * i + slot / 2:.1f}" y="{TOP + plot_h + 16}" '
            f'text-anchor="middle">{escape(label)}</text>'
        )
    body.extend(_legend([name for name, _ in series], ["line"] * len(series)))
    return _frame(title, desc, body, top)


def data_uri(svg: str) -> str:
    """For an <img src=…> (works the same in the browser and in WeasyPrint)."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")
