"""The demo network's two governance models (seed 004's shape)."""

from __future__ import annotations

import pytest

from maillage.demo.governance import build_demo_governance
from maillage.governance.analysis import check_version, compare_versions
from maillage.governance.models import Version

pytestmark = pytest.mark.django_db


def test_model_1_is_flagged_and_model_2_is_clean_and_compared(network, members, member_coordinator):
    model_2 = build_demo_governance(network)
    assert build_demo_governance(network) == model_2  # once
    model_1 = network.governance_versions.get(number=1)
    assert model_1.status == Version.Status.SUPERSEDED
    assert model_2.status == Version.Status.ADOPTED
    codes = {f.code for f in check_version(model_1)}
    assert {"unlinked", "two_superiors", "vacant", "expired"} <= codes
    assert [f.code for f in check_version(model_2)] == []
    diff = compare_versions(model_2)
    assert ("Comité de coordination", "Conseil d’administration provisoire") in [
        (a.name, b.name) for a, b in diff.renamed
    ]
    assert [i.name for i in diff.removed] == ["Comité régional des partenaires"]
    assert len(diff.added) == 3 and diff.links_added and diff.links_removed
    board = model_2.instances.get(name="Conseil d’administration provisoire")
    assert board.meetings.get().decisions.count() == 2
    assert network.ideas.count() == 1
