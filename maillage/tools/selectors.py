"""Reads across tools, groups and tracks (for the coordinator's library and the report)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

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
