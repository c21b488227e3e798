"""A version of a governance model drawn as an SVG, server-side, with no JavaScript library.

A simple layered layout: instances that answer to no one on the top row, each other instance a
row below the lowest instance it answers to, instances with no link at all on a last row of their
own. Two boxes per row at most, so that the drawing scaled to a phone (390 px) still reads; arrows
go from the instance that reports (or advises, or is delegated to) to the other. Presentation
attributes rather than a <style> element, so that a strict CSP holds and the file stands alone.

The SVG carries a <title> and a <desc> that list the same links in words (its text alternative);
the page also lists them under the drawing.
"""

from __future__ import annotations

import textwrap
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .analysis import superiors
from .models import Instance, Link, Version

WIDTH = 440
BOX_W, BOX_H = 190, 92
MARGIN, GAP_X, GAP_Y = 20, 20, 64
PER_ROW = 2
FONT = "system-ui, -apple-system, Segoe UI, Roboto, sans-serif"

COLOURS = {
    Link.Kind.REPORTS_TO: ("#1b3a5c", None),
    Link.Kind.ADVISES: ("#5a5a5a", "7 5"),
    Link.Kind.DELEGATES_TO: ("#8a4b00", "2 4"),
}
ADDED = "#0b7a3b"
CHANGED = "#8a4b00"
FLAGGED = "#b00020"


@dataclass
class Box:
    instance: Instance
    x: float
    y: float

    @property
    def cx(self) -> float:
        return self.x + BOX_W / 2


def link_sentence(link: Link) -> str:
    return _("%(source)s %(kind)s %(target)s") % {
        "source": link.source.name,
        "kind": link.get_kind_display(),
        "target": link.target.name,
    }


def _rows(instances: list[Instance], links: list[Link]) -> list[list[Instance]]:
    above = superiors(links)
    linked = {link.source_id for link in links} | {link.target_id for link in links}
    depth = {i.pk: 0 for i in instances}
    # Longest path from the top, bounded so that a cycle cannot loop for ever.
    for _round in range(len(instances)):
        changed = False
        for i in instances:
            for boss in above.get(i.pk, []):
                if boss in depth and depth[boss] + 1 > depth[i.pk] and depth[boss] < len(instances):
                    depth[i.pk] = depth[boss] + 1
                    changed = True
        if not changed:
            break
    layers: dict[int, list[Instance]] = {}
    loose = []
    for i in instances:
        if i.pk not in linked and len(instances) > 1:
            loose.append(i)
        else:
            layers.setdefault(depth[i.pk], []).append(i)
    rows: list[list[Instance]] = []
    column: dict[int, float] = {}
    for level in sorted(layers):
        # Under their superiors, roughly: fewer arrows cross.
        def under(i: Instance) -> float:
            seen = [column[b] for b in above.get(i.pk, []) if b in column]
            return sum(seen) / len(seen) if seen else 0.0

        members = sorted(layers[level], key=under)
        for k in range(0, len(members), PER_ROW):
            row = members[k : k + PER_ROW]
            for c, i in enumerate(row):
                column[i.pk] = c if len(row) > 1 else 0.5
            rows.append(row)
    rows += [loose[k : k + PER_ROW] for k in range(0, len(loose), PER_ROW)]
    return rows


def _lines(name: str) -> list[str]:
    lines = textwrap.wrap(name, width=19) or [""]
    if len(lines) > 3:
        lines = [*lines[:2], textwrap.shorten(" ".join(lines[2:]), width=19, placeholder="…")]
    return lines


def render_svg(
    version: Version,
    *,
    id_prefix: str = "gov",
    highlight_instances: set[int] | None = None,
    highlight_links: set[int] | None = None,
    changed_instances: set[int] | None = None,
    flagged: set[int] | None = None,
    badges: dict[int, str] | None = None,
) -> str:
    """The diagram of `version` as an SVG string (valid XML)."""
    highlight_instances = highlight_instances or set()
    highlight_links = highlight_links or set()
    flagged = flagged or set()
    changed_instances = changed_instances or set()
    badges = badges or {}
    instances = list(version.instances.all())
    links = list(version.links.select_related("source", "target"))
    rows = _rows(instances, links)
    boxes: dict[int, Box] = {}
    row_of: dict[int, int] = {}
    for r, row in enumerate(rows):
        total = len(row) * BOX_W + (len(row) - 1) * GAP_X
        left = (WIDTH - total) / 2
        for c, instance in enumerate(row):
            boxes[instance.pk] = Box(
                instance, left + c * (BOX_W + GAP_X), MARGIN + r * (BOX_H + GAP_Y)
            )
            row_of[instance.pk] = r
    height = MARGIN * 2 + max(1, len(rows)) * BOX_H + max(0, len(rows) - 1) * GAP_Y

    title_id, desc_id = f"{id_prefix}-title", f"{id_prefix}-desc"
    svg = ET.Element(
        "svg",
        {
            "xmlns": "http://www.w3.org/2000/svg",
            "viewBox": f"0 0 {WIDTH} {height}",
            "width": str(WIDTH),
            "height": str(height),
            "role": "img",
            "aria-labelledby": f"{title_id} {desc_id}",
            "class": "gov-diagram",
            "font-family": FONT,
        },
    )
    ET.SubElement(svg, "title", {"id": title_id}).text = _(
        "Schéma de « %(name)s » : %(instances)s, %(links)s"
    ) % {
        "name": version.name,
        "instances": ngettext("%(n)s instance", "%(n)s instances", len(instances))
        % {"n": len(instances)},
        "links": ngettext("%(n)s lien", "%(n)s liens", len(links)) % {"n": len(links)},
    }
    ET.SubElement(svg, "desc", {"id": desc_id}).text = " ".join(
        f"{link_sentence(link)}." for link in links
    ) or _("Aucun lien de redevabilité entre les instances.")
    defs = ET.SubElement(svg, "defs")
    for colour in {c for c, _dash in COLOURS.values()} | {ADDED}:
        marker = ET.SubElement(
            defs,
            "marker",
            {
                "id": f"{id_prefix}-arrow-{colour[1:]}",
                "viewBox": "0 0 10 10",
                "refX": "9",
                "refY": "5",
                # In user units: a thick (highlighted) line keeps an arrowhead of the same size.
                "markerUnits": "userSpaceOnUse",
                "markerWidth": "12",
                "markerHeight": "12",
                "orient": "auto-start-reverse",
            },
        )
        ET.SubElement(marker, "path", {"d": "M 0 0 L 10 5 L 0 10 z", "fill": colour})

    # Where each link leaves and reaches a box: spread along the edge so arrows don't overlap.
    ends: dict[tuple[int, str], list[int]] = {}
    plan = []
    for n, link in enumerate(links):
        s, t = boxes[link.source_id], boxes[link.target_id]
        rs, rt = row_of[link.source_id], row_of[link.target_id]
        if rt < rs:
            sides = ("top", "bottom")
        elif rt > rs:
            sides = ("bottom", "top")
        else:
            sides = ("right", "left") if t.x > s.x else ("left", "right")
        ends.setdefault((link.source_id, sides[0]), []).append(n)
        ends.setdefault((link.target_id, sides[1]), []).append(n)
        plan.append((link, s, t, sides))

    def point(box: Box, side: str, n: int) -> tuple[float, float]:
        peers = ends[(box.instance.pk, side)]
        k, count = peers.index(n), len(peers)
        if side in ("top", "bottom"):
            x = box.cx + (k - (count - 1) / 2) * min(28, (BOX_W - 20) / max(count, 1))
            return x, box.y if side == "top" else box.y + BOX_H
        y = box.y + BOX_H / 2 + (k - (count - 1) / 2) * 14
        return (box.x + BOX_W if side == "right" else box.x), y

    group_links = ET.SubElement(svg, "g", {"class": "gov-links"})
    for n, (link, s, t, sides) in enumerate(plan):
        x1, y1 = point(s, sides[0], n)
        x2, y2 = point(t, sides[1], n)
        colour, dash = COLOURS[link.kind]
        width = "2"
        if link.pk in highlight_links:
            colour, width = ADDED, "4"
        attrs = {
            "x1": f"{x1:.1f}",
            "y1": f"{y1:.1f}",
            "x2": f"{x2:.1f}",
            "y2": f"{y2:.1f}",
            "stroke": colour,
            "stroke-width": width,
            "marker-end": f"url(#{id_prefix}-arrow-{colour[1:]})",
            "data-link": str(link.pk),
        }
        if dash:
            attrs["stroke-dasharray"] = dash
        line = ET.SubElement(group_links, "line", attrs)
        ET.SubElement(line, "title").text = link_sentence(link)

    group_boxes = ET.SubElement(svg, "g", {"class": "gov-instances"})
    for box in boxes.values():
        instance = box.instance
        g = ET.SubElement(group_boxes, "g", {"data-instance": str(instance.pk)})
        stroke, width, dash = "#1b3a5c", "1.5", None
        fill = "#f3f6fa"
        if instance.pk in flagged:
            stroke, width, dash = FLAGGED, "3", "6 3"
        if instance.pk in highlight_instances:
            stroke, width, fill = ADDED, "4", "#e8f5ec"
        elif instance.pk in changed_instances:
            stroke, width, fill = CHANGED, "4", "#fff4e0"
        attrs = {
            "x": f"{box.x:.1f}",
            "y": f"{box.y:.1f}",
            "width": str(BOX_W),
            "height": str(BOX_H),
            "rx": "8",
            "fill": fill,
            "stroke": stroke,
            "stroke-width": width,
        }
        if dash:
            attrs["stroke-dasharray"] = dash
        ET.SubElement(g, "rect", attrs)
        lines = _lines(instance.name)
        top = box.y + {1: 38, 2: 29, 3: 21}[len(lines)]
        for k, text in enumerate(lines):
            ET.SubElement(
                g,
                "text",
                {
                    "x": f"{box.cx:.1f}",
                    "y": f"{top + k * 18:.1f}",
                    "text-anchor": "middle",
                    "font-size": "15",
                    "font-weight": "600",
                    "fill": "#111",
                },
            ).text = text
        # What changed says more than the kind, which the list of instances gives anyway.
        under = badges.get(instance.pk) or str(instance.get_kind_display())
        ET.SubElement(
            g,
            "text",
            {
                "x": f"{box.cx:.1f}",
                "y": f"{box.y + BOX_H - 10:.1f}",
                "text-anchor": "middle",
                "font-size": "13",
                "font-weight": "600" if instance.pk in badges else "400",
                "fill": "#333",
            },
        ).text = textwrap.shorten(under, width=28, placeholder="…")
    return ET.tostring(svg, encoding="unicode")
