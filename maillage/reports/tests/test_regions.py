"""Regions are named only when at least k organizations share them; the rest are grouped, and a
grouped count is never left recoverable from the total."""

from __future__ import annotations

import pytest

from maillage.core.models import Organization, Territory
from maillage.intake.models import Application
from maillage.reports.content import build_report

pytestmark = pytest.mark.django_db


def _apply(program, region, n, prefix):
    for i in range(n):
        org = Organization.objects.create(name=f"{prefix} {i}", territory=region)
        Application.objects.create(program=program, organization=org, organization_name=org.name)


def test_region_named_only_with_k_organizations(program_a, settings):
    settings.MAILLAGE_SMALL_CELL_K = 5
    big, small, other = Territory.objects.filter(kind="region").order_by("code")[:3]
    _apply(program_a, big, 6, "Grande")
    _apply(program_a, small, 3, "Petite")
    _apply(program_a, other, 4, "Autre")
    data = build_report(program_a, language="fr")
    regions = {row["region"]: row["organizations"] for row in data["regions"]}
    assert regions[big.name_fr] == "6"
    assert small.name_fr not in regions and other.name_fr not in regions
    assert regions["Autres régions"] == "7"  # 3 + 4 grouped: at least k, shown
    assert regions["Total"] == "13"


def test_small_grouped_count_is_masked_with_its_complement(program_a, settings):
    settings.MAILLAGE_SMALL_CELL_K = 5
    big, small = Territory.objects.filter(kind="region").order_by("code")[:2]
    _apply(program_a, big, 6, "Grande")
    _apply(program_a, small, 2, "Petite")
    data = build_report(program_a, language="fr")
    regions = {row["region"]: row["organizations"] for row in data["regions"]}
    assert small.name_fr not in regions
    assert regions["Autres régions"] == "x"
    # 2 would be total minus the named region: one of them must be masked too.
    assert "x" in (regions[big.name_fr], regions["Total"])


def test_no_region_named_under_default_k(program_a):
    region = Territory.objects.filter(kind="region").first()
    _apply(program_a, region, 9, "Org")
    data = build_report(program_a, language="en")
    names = [row["region"] for row in data["regions"]]
    assert region.name_fr not in names and region.name_en not in names
    assert "Org 1" not in str(data)
