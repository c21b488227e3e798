from __future__ import annotations

from maillage.tools.models import Tool
from maillage.tools.selectors import tools_by_track
from maillage.tools.services import add_tool


def test_counts_and_titles_per_track_type_and_direction(
    group, other_group, mentor, mentee, other_mentor, program_a
):
    link = {"url": "https://exemple.org/outil"}
    add_tool(group=group, shared_by=mentor, title="Calculateur de GES", type="calculator", **link)
    add_tool(
        group=group, shared_by=mentor, title="Modèle d’entente camion", type="agreement", **link
    )
    add_tool(
        group=group, shared_by=mentee, title="Liste d’outils de coaching", type="resource", **link
    )
    add_tool(group=group, shared_by=mentor, title="Guide à venir", type="guide", planned=True)
    add_tool(
        group=other_group,
        shared_by=other_mentor,
        title="Guide de gouvernance",
        type="guide",
        **link,
    )

    rows = {row.name: row for row in tools_by_track(program_a)}
    logistics, synergies = rows["Logistique"], rows["Synergies"]
    assert (logistics.count, logistics.planned) == (3, 1)
    assert logistics.by_type == {"calculator": 1, "agreement": 1, "resource": 1}
    assert logistics.by_direction == {
        Tool.Direction.MENTOR_TO_MENTEE: 2,
        Tool.Direction.MENTEE_TO_GROUP: 1,
    }
    assert "Calculateur de GES" in logistics.titles and "Guide à venir" not in logistics.titles
    assert (synergies.count, synergies.titles) == (1, ["Guide de gouvernance"])
    assert [label for label, _ in synergies.type_rows()] == ["Guide"]


def test_every_track_is_listed_even_without_tools(program_a, tracks):
    rows = tools_by_track(program_a)
    assert [r.name for r in rows] == ["Logistique", "Synergies"]
    assert all(r.count == 0 and r.planned == 0 for r in rows)


def test_other_programs_tools_are_not_counted(program_a, group, mentor, outsider):
    from maillage.programs.models import Program

    add_tool(group=group, shared_by=mentor, title="A", type="guide", url="https://a.org")
    program_b = Program.objects.get(title="Programme B")
    assert sum(r.count for r in tools_by_track(program_b)) == 0
