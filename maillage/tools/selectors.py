"""Reads across tools, groups and tracks (for the coordinator's library and the report)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from maillage.core.tables import Table
from maillage.programs.models import Program, Track

from .models import Tool


@dataclass
class TrackTools:
    """The tools shared in one track's groups ("tools shared by track" in the report)."""

    track: Track | None
    count: int = 0  # tools ready (file or link)
    planned: int = 0  # tools announced, still to come
    by_type: Counter = field(default_factory=Counter)  # Tool.Type value -> count (ready ones)
    by_direction: Counter = field(default_factory=Counter)  # Tool.Direction value -> count
    titles: list[str] = field(default_factory=list)  # ready tools' titles, by theme then title

    @property
    def name(self) -> str:
        return self.track.name if self.track else ""

    def type_rows(self) -> list[tuple[str, int]]:
        """(label, count) in the order of Tool.Type, types with no tool left out."""
        return [
            (label, self.by_type[value])
            for value, label in Tool.Type.choices
            if self.by_type[value]
        ]

    def direction_rows(self) -> list[tuple[str, int]]:
        return [
            (label, self.by_direction[value])
            for value, label in Tool.Direction.choices
            if self.by_direction[value]
        ]


def tools_by_track(program: Program) -> list[TrackTools]:
    """One entry per track of the program (in track order, empty tracks included), then one
    for groups without a track if any of them shared a tool."""
    rows: dict[int | None, TrackTools] = {t.pk: TrackTools(track=t) for t in program.tracks.all()}
    tools = (
        Tool.objects.filter(group__program=program)
        .select_related("group__track")
        .order_by("theme", "title", "pk")
    )
    for tool in tools:
        key = tool.group.track_id
        if key not in rows:
            rows[key] = TrackTools(track=tool.group.track)
        row = rows[key]
        if tool.planned:
            row.planned += 1
            continue
        row.count += 1
        row.by_type[tool.type] += 1
        row.by_direction[tool.direction] += 1
        row.titles.append(tool.title)
    return list(rows.values())


def program_tools(program: Program) -> QuerySet[Tool]:
    """Every tool of the program's groups, by track, group, theme and title (the coordinator's
    list)."""
    return (
        Tool.objects.filter(group__program=program)
        .select_related("group__track", "shared_by")
        .order_by("group__track__order", "group__name", "group__pk", "theme", "title", "pk")
    )


def reuse_label(tool: Tool) -> str:
    if tool.is_public:
        return _("Bibliothèque publique")
    if tool.awaits_public_confirmation:
        return _("Public demandé, à confirmer")
    return tool.get_reuse_display()


def program_tool_table(program: Program) -> Table:
    """The « Tous les outils » table of the coordinator's page; a tool still to come says so."""
    headers = [
        _("Titre"),
        _("Groupe"),
        _("Volet"),
        _("Thème"),
        _("Type"),
        _("Sens"),
        _("Réutilisation"),
    ]
    rows = [
        [
            f"{tool.title} ({_('À venir')})" if tool.planned else tool.title,
            str(tool.group),
            tool.group.track.name if tool.group.track else "",
            tool.theme,
            tool.get_type_display(),
            tool.get_direction_display(),
            reuse_label(tool),
        ]
        for tool in program_tools(program)
    ]
    return headers, rows
