from __future__ import annotations

from maillage.demo.tools import add_demo_tools
from maillage.tools.models import Tool
from maillage.tools.selectors import tools_by_track


def test_demo_tools_follow_the_pilots_table_and_run_once(program_a, group, other_group):
    added = add_demo_tools(program_a)
    assert add_demo_tools(program_a) == []
    assert len(added) == Tool.objects.count() == 5 + 8 + 2
    rows = {row.name: row for row in tools_by_track(program_a)}
    assert (rows["Logistique"].count, rows["Synergies"].count, rows["Synergies"].planned) == (
        6,
        8,
        1,
    )
    assert Tool.objects.filter(direction=Tool.Direction.MENTEE_TO_GROUP).count() == 1
    assert Tool.objects.exclude(file="").count() == 2
