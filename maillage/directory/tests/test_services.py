from __future__ import annotations

from datetime import date, timedelta

import pytest

from maillage.core.locking import StaleEdit
from maillage.core.models import AuditEntry, Organization, Territory
from maillage.directory import services
from maillage.directory.errors import DirectoryError
from maillage.directory.models import DEFAULT_VISIBILITY, Audience, PhaseChange

pytestmark = pytest.mark.django_db
Phase = Organization.Phase


def test_a_new_organization_starts_with_its_phase_dated_today(collective):
    org = collective.organization
    assert org.phase == Phase.DEVELOPMENT
    change = org.phase_changes.get()
    assert (change.phase, change.on) == (Phase.DEVELOPMENT, date.today())
    assert org.kind == Organization.Kind.COOPERATIVE
    assert org.territory.code == "QC-MRC-140"


def test_an_antenna_is_linked_to_its_collective(collective, antenna):
    assert antenna.organization.parent == collective.organization
    assert list(collective.organization.antennas.all()) == [antenna.organization]


def test_a_collective_outside_the_network_is_refused(network, staff, org_b, region_qc):
    with pytest.raises(DirectoryError) as error:
        services.add_organization(
            network=network, by=staff.user, name="Antenne X", territory=region_qc, parent=org_b
        )
    assert error.value.field == "parent"


def test_the_phase_is_the_latest_change_and_a_late_entry_goes_to_history(collective, staff):
    org = collective.organization
    services.record_phase(organization=org, phase=Phase.ACTIVE, on=date.today(), by=staff.user)
    assert Organization.objects.get(pk=org.pk).phase == Phase.ACTIVE
    # Noted late, for a date before today: into the history, the current phase stays.
    services.record_phase(
        organization=org,
        phase=Phase.INCUBATION,
        on=date.today() - timedelta(days=400),
        note="Débuts",
        by=staff.user,
    )
    assert Organization.objects.get(pk=org.pk).phase == Phase.ACTIVE
    assert [c.phase for c in org.phase_changes.order_by("on", "pk")] == [
        Phase.INCUBATION,
        Phase.DEVELOPMENT,
        Phase.ACTIVE,
    ]


def test_a_phase_in_the_future_is_refused(collective, staff):
    with pytest.raises(DirectoryError) as error:
        services.record_phase(
            organization=collective.organization,
            phase=Phase.ACTIVE,
            on=date.today() + timedelta(days=1),
            by=staff.user,
        )
    assert error.value.field == "on"
    assert PhaseChange.objects.filter(phase=Phase.ACTIVE).count() == 0


def test_an_organization_cannot_be_its_own_antenna_nor_its_antennas(collective, antenna, staff):
    org = collective.organization
    fields = {"name": org.name, "kind": org.kind, "territory": org.territory}
    with pytest.raises(DirectoryError):
        services.update_organization(organization=org, by=staff.user, parent=org, **fields)
    with pytest.raises(DirectoryError):
        services.update_organization(
            organization=org, by=staff.user, parent=antenna.organization, **fields
        )


def test_a_stale_edit_overwrites_nothing(collective, staff):
    org = Organization.objects.get(pk=collective.organization_id)
    seen = org.revision
    fields = {"name": org.name, "kind": org.kind, "territory": org.territory}
    services.update_organization(
        organization=org, by=staff.user, revision=seen, description="Première", **fields
    )
    late = Organization.objects.get(pk=org.pk)
    with pytest.raises(StaleEdit):
        services.update_organization(
            organization=late, by=staff.user, revision=seen, description="Seconde", **fields
        )
    assert Organization.objects.get(pk=org.pk).description == "Première"


def test_visibility_is_minimum_by_default_and_rejects_unknown_choices(collective, staff):
    profile = services.profile_of(collective)
    assert {f: profile.audience_of(f) for f in DEFAULT_VISIBILITY} == DEFAULT_VISIBILITY
    assert [f for f, a in DEFAULT_VISIBILITY.items() if a != Audience.PRIVATE] == ["region"]
    with pytest.raises(DirectoryError):
        services.set_visibility(member=collective, visibility={"phase": "everyone"}, by=staff.user)
    with pytest.raises(DirectoryError):
        services.set_visibility(member=collective, visibility={"email": "public"}, by=staff.user)


def test_changes_are_audited_with_who_made_them(collective, staff):
    services.set_visibility(member=collective, visibility={"phase": Audience.PUBLIC}, by=staff.user)
    services.record_phase(
        organization=collective.organization, phase=Phase.ACTIVE, on=date.today(), by=staff.user
    )
    entries = AuditEntry.objects.filter(actor=staff.user)
    models = set(entries.values_list("model", flat=True))
    assert {"directory.Profile", "directory.PhaseChange", "core.Organization"} <= models
    assert entries.filter(action="directory.organization_added").exists()


def test_adding_a_known_organization_keeps_what_it_says_of_itself(network, staff, org_b):
    org_b.description = "Déjà décrite"
    org_b.save()
    region = Territory.objects.get(code="QC-05")
    member = services.add_organization(
        network=network, by=staff.user, name=org_b.name, territory=region, description="Autre"
    )
    org = Organization.objects.get(pk=member.organization_id)
    assert org.pk == org_b.pk and org.description == "Déjà décrite"
