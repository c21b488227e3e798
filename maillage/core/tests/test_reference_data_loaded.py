"""The shipped territories and sectors are in a new database, and loading again changes nothing."""

from __future__ import annotations

import pytest

from maillage.core.models import Sector, Territory
from maillage.core.reference import load_reference_data

pytestmark = pytest.mark.django_db


def test_new_database_has_quebec_regions_and_mrcs():
    assert Territory.objects.filter(kind="region").count() == 17
    assert Territory.objects.filter(kind__in=["mrc", "te"]).count() >= 95
    capitale = Territory.objects.get(code="QC-03")
    assert capitale.name_fr == "Capitale-Nationale"
    assert capitale.parent.code == "CA-QC"
    mrc = capitale.children.first()
    assert mrc.region() == capitale


def test_loading_again_is_idempotent_and_keeps_additions():
    Territory.objects.create(code="FR-IDF", kind="region", name_fr="Île-de-France")
    before = Territory.objects.count()
    load_reference_data()
    assert Territory.objects.count() == before
    assert Sector.objects.filter(code="communautaire").exists()
