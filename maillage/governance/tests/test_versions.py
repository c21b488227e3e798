"""A new version starts as a copy of the current one; adopting supersedes it; the comparison
names what changed."""

from __future__ import annotations

from datetime import date

import pytest

from maillage.governance import services
from maillage.governance.analysis import compare_versions
from maillage.governance.errors import GovernanceError
from maillage.governance.models import Link, Seat, Version

pytestmark = pytest.mark.django_db


def test_copy_keeps_instances_seats_people_and_links_with_their_lineage(model_1):
    copy = services.create_version(network=model_1.network, name="Modèle 2")
    assert copy.number == 2 and copy.based_on == model_1 and copy.status == Version.Status.DRAFT
    before = {i.lineage: i.name for i in model_1.instances.all()}
    after = {i.lineage: i.name for i in copy.instances.all()}
    assert before == after
    assert set(copy.instances.values_list("pk", flat=True)).isdisjoint(
        model_1.instances.values_list("pk", flat=True)
    )
    assert copy.links.count() == model_1.links.count() == 2
    assert all(link.source.version_id == copy.pk for link in copy.links.all())
    holder = copy.instances.get(name="Comité des partenaires").seats.get().holders.get()
    assert holder.name == "Aline Antenne"
    assert compare_versions(copy).is_empty


def test_a_copy_starts_from_the_adopted_version_not_the_latest_draft(model_1):
    services.adopt_version(version=model_1, on=date(2019, 10, 1))
    draft = services.create_version(network=model_1.network, name="Essai")
    services.add_instance(version=draft, name="Seulement dans l’essai", kind="circle")
    third = services.create_version(network=model_1.network, name="Modèle 3")
    assert third.based_on == model_1
    assert not third.instances.filter(name="Seulement dans l’essai").exists()


def test_adopting_supersedes_the_version_in_force(model_1):
    services.adopt_version(version=model_1, on=date(2019, 10, 1))
    model_2 = services.create_version(network=model_1.network, name="Modèle 2")
    services.adopt_version(version=model_2, on=date(2021, 2, 1))
    model_1.refresh_from_db()
    assert model_1.status == Version.Status.SUPERSEDED
    assert model_1.superseded_on == date(2021, 2, 1)
    assert services.current_version(model_1.network) == model_2


def test_a_superseded_version_cannot_change(model_1):
    services.adopt_version(version=model_1, on=date(2019, 10, 1))
    services.adopt_version(
        version=services.create_version(network=model_1.network, name="M2"), on=date(2021, 1, 1)
    )
    model_1.refresh_from_db()
    with pytest.raises(GovernanceError):
        services.add_instance(version=model_1, name="Trop tard", kind="circle")


def test_adoption_before_the_version_in_force_is_refused(model_1):
    services.adopt_version(version=model_1, on=date(2020, 1, 1))
    model_2 = services.create_version(network=model_1.network, name="M2")
    with pytest.raises(GovernanceError) as error:
        services.adopt_version(version=model_2, on=date(2019, 1, 1))
    assert error.value.field == "adopted_on"


def test_comparison_names_added_removed_renamed_links_and_seats(model_1):
    model_2 = services.create_version(network=model_1.network, name="Modèle 2")
    coco = model_2.instances.get(name="Comité de coordination")
    services.edit_instance(instance=coco, name="CA provisoire", kind="board", mandate="", seen=None)
    services.remove_instance(instance=model_2.instances.get(name="Cercle orphelin"))
    circle = services.add_instance(version=model_2, name="Cercle d’apprentissage", kind="circle")
    link = services.add_link(version=model_2, source=circle, target=coco, kind=Link.Kind.REPORTS_TO)
    services.remove_link(link=model_2.links.get(source__name="Comité d’antenne"))
    services.set_seats(
        instance=model_2.instances.get(name="Comité des partenaires"),
        kind=Seat.Kind.YOUTH,
        count=1,
    )
    diff = compare_versions(model_2)
    assert diff.previous == model_1
    assert [i.name for i in diff.added] == ["Cercle d’apprentissage"]
    assert [i.name for i in diff.removed] == ["Cercle orphelin"]
    assert [(a.name, b.name) for a, b in diff.renamed] == [
        ("Comité de coordination", "CA provisoire")
    ]
    assert diff.links_added == [link]
    assert [str(x) for x in diff.links_removed] == [
        "Comité d’antenne rend compte à Comité de coordination"
    ]
    ((instance, words),) = diff.seats_changed
    assert instance.name == "Comité des partenaires" and "Jeunes : 0 → 1" in words
    assert {circle.pk, coco.pk} <= diff.changed_instance_ids


def test_a_first_version_has_nothing_to_compare_with(model_1):
    assert compare_versions(model_1).previous is None


def test_an_adopted_model_changes_its_people_but_not_its_structure(model_1):
    services.adopt_version(version=model_1, on=date(2019, 10, 1))
    partners = model_1.instances.get(name="Comité des partenaires")
    with pytest.raises(GovernanceError):
        services.add_instance(version=model_1, name="Nouveau", kind="circle")
    with pytest.raises(GovernanceError):
        services.set_seats(instance=partners, kind=Seat.Kind.YOUTH, count=1)
    with pytest.raises(GovernanceError):
        services.remove_link(link=model_1.links.first())
    holder = services.add_holder(seat=partners.seats.get(), name="Bea", starts_on=date.today())
    services.remove_holder(holder=holder)
