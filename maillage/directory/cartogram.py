"""A map of Québec's 17 administrative regions, drawn on the server as SVG: a tile-grid
cartogram, one equal square per region placed roughly where the region lies.

Why a cartogram: the shipped territories (core/data/territories.json) hold codes, names and the
region → MRC hierarchy, no boundaries; drawing real shapes would mean shipping geometry (and
Nord-du-Québec would take most of the picture while Laval and Montréal vanish). Equal tiles give
every region the same room for its count. MRC are not drawn: there are 104, too many for a grid
a phone can read; when one region is chosen the page lists its MRC with their counts instead.

Small cells: the counts are of organizations, not of people, and every organization counted is
listed by name on the same page for the same viewer (the counts are computed from the masked
entries, so a count says nothing the list does not). Hiding a 1 or a 2 would protect no one and
would blank most of a young network's map, so the small-cell rule (reports.suppression) is not
applied here. Counts of people (participants of the programs) are never drawn on this map.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from maillage.core.models import Territory

from .selectors import Entry

# Region code (QC-xx) → (column, row, short label): west to east, north to south.
GRID: dict[str, tuple[int, int, str]] = {
    "QC-10": (1, 0, "Nord-du-Qc"),
    "QC-08": (0, 1, "Abitibi"),
    "QC-02": (2, 1, "Saguenay"),
    "QC-09": (3, 1, "Côte-Nord"),
    "QC-07": (0, 2, "Outaouais"),
    "QC-04": (1, 2, "Mauricie"),
    "QC-03": (2, 2, "Capitale-Nat."),
    "QC-01": (3, 2, "Bas-St-Laur."),
    "QC-11": (4, 2, "Gaspésie"),
    "QC-15": (0, 3, "Laurentides"),
    "QC-14": (1, 3, "Lanaudière"),
    "QC-17": (2, 3, "Centre-du-Qc"),
    "QC-12": (3, 3, "Chaudière"),
    "QC-13": (0, 4, "Laval"),
    "QC-06": (1, 4, "Montréal"),
    "QC-16": (2, 4, "Montérégie"),
    "QC-05": (3, 4, "Estrie"),
}
# 84 high: 46 px on a 390 px phone, a touch target.
TILE_W, TILE_H, GAP = 116, 84, 4
PAD = 4  # room for the chosen tile's outline at the edges
# Light to dark: 0, then four steps. Text is dark on the light ones, white on the dark ones
# (both at least 4.5:1).
SHADES = ["#eef1f4", "#cfe3f3", "#9ec7e6", "#2f6f9f", "#174a70"]


@dataclass
class Tile:
    code: str
    name: str
    short: str
    count: int
    x: int
    y: int
    shade: str
    dark: bool
    label: str  # the accessible sentence: « Estrie : 3 organisations »

    @property
    def cx(self) -> int:
        return self.x + TILE_W // 2


@dataclass
class Cartogram:
    tiles: list[Tile]
    width: int
    height: int
    total: int
    unplaced: int  # organizations whose region is hidden or unknown
    tile_w: int = TILE_W
    tile_h: int = TILE_H
    pad: int = PAD

    @property
    def view_w(self) -> int:
        return self.width + 2 * PAD

    @property
    def view_h(self) -> int:
        return self.height + 2 * PAD


def _shade(count: int, top: int) -> int:
    if count == 0:
        return 0
    if top <= 4:
        return min(count, 4)
    return 1 + min(3, (count - 1) * 4 // top)


def region_counts(found: list[Entry]) -> Counter:
    return Counter(e.region.code for e in found if e.region is not None)


def draw(found: list[Entry]) -> Cartogram:
    counts = region_counts(found)
    regions = {t.code: t for t in Territory.objects.filter(kind=Territory.Kind.REGION)}
    top = max(counts.values(), default=0)
    tiles = []
    for code, (col, row, short) in GRID.items():
        region = regions.get(code)
        if region is None:
            continue
        n = counts.get(code, 0)
        step = _shade(n, top)
        tiles.append(
            Tile(
                code=code,
                name=region.name,
                short=short,
                count=n,
                x=col * (TILE_W + GAP),
                y=row * (TILE_H + GAP),
                shade=SHADES[step],
                dark=step >= 3,
                label=ngettext(
                    "%(region)s : %(n)d organisation",
                    "%(region)s : %(n)d organisations",
                    n,
                )
                % {"region": region.name, "n": n},
            )
        )
    cols = 1 + max(c for c, _r, _s in GRID.values())
    rows = 1 + max(r for _c, r, _s in GRID.values())
    return Cartogram(
        tiles=tiles,
        width=cols * (TILE_W + GAP) - GAP,
        height=rows * (TILE_H + GAP) - GAP,
        total=len(found),
        unplaced=sum(1 for e in found if e.region is None),
    )


def mrc_counts(found: list[Entry], region_code: str) -> list[tuple[Territory, int]]:
    """The MRC of one region with their counts (those with at least one organization first)."""
    counts = Counter(e.mrc.code for e in found if e.mrc is not None)
    mrcs = Territory.objects.filter(parent__code=region_code).order_by("name_fr")
    rows = [(m, counts.get(m.code, 0)) for m in mrcs]
    return sorted(rows, key=lambda row: (-row[1], row[0].name_fr))


def legend() -> list[tuple[str, str]]:
    return [(SHADES[0], _("aucune")), (SHADES[2], _("quelques-unes")), (SHADES[4], _("le plus"))]
