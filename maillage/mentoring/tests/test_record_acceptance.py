"""The coordination records an acceptance given at the kickoff meeting, on paper, by e-mail."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from maillage.core.models import AuditEntry
from maillage.mentoring import services
from maillage.mentoring.errors import MentoringError
from maillage.mentoring.models import AgreementAcceptance

pytestmark = pytest.mark.django_db
KICKOFF = date(2026, 7, 8)


@pytest.fixture
def agreement(group, coordinator):
    return services.generate_agreement(group=group, by=coordinator)


def url(group, name="agreement_record"):
    return reverse(f"mentoring:{name}", args=[group.program.pk, group.pk])


def member_of(group, person):
    return group.members.get(role__person=person)


def post(client, group, person, **values):
    data = {
        "consigner-member": str(member_of(group, person).pk),
        "consigner-accepted_on": KICKOFF.isoformat(),
        "consigner-how": "kickoff",
        "consigner-how_detail": "",
        "consigner-version": "1",
    }
    data.update({f"consigner-{k}": v for k, v in values.items()})
    return client.post(url(group), data)


def test_the_coordinator_records_an_acceptance_given_at_the_kickoff(
    as_coordinator, group, agreement, coordinator, mentee
):
    response = post(as_coordinator, group, mentee)
    assert response.status_code == 302
    acceptance = AgreementAcceptance.objects.get(person=mentee)
    assert timezone.localdate(acceptance.accepted_at) == KICKOFF
    assert acceptance.how == "kickoff" and acceptance.recorded_by == coordinator
    assert acceptance.version == 1 and acceptance.side == "mentee"
    page = as_coordinator.get(url(group, "agreement")).content.decode()
    assert (
        "acceptée le 8 juillet 2026 à la rencontre de démarrage (consignée par Camille Coordination)"
        in page
    )
    entry = AuditEntry.objects.get(
        model="mentoring.AgreementAcceptance", object_id=str(acceptance.pk)
    )
    assert entry.changes["how"] == "kickoff"
    assert entry.changes["accepted_at"].startswith("2026-07-08")


def test_each_side_recorded_completes_the_agreement(
    group, agreement, coordinator, mentor, mentee, second_mentee
):
    for person in (mentor, mentee, second_mentee):
        services.record_acceptance(
            group=group,
            member=member_of(group, person),
            by=coordinator,
            version=1,
            on=KICKOFF,
            how="paper",
        )
    assert group.agreement_complete()


def test_other_needs_its_detail_and_nothing_entered_is_lost(
    as_coordinator, group, agreement, mentee
):
    response = post(as_coordinator, group, mentee, how="other", accepted_on="2026-07-09")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Précisez de quelle façon" in page
    assert 'value="2026-07-09"' in page
    assert not AgreementAcceptance.objects.exists()
    post(as_coordinator, group, mentee, how="other", how_detail="au téléphone")
    assert AgreementAcceptance.objects.get().how_text() == "au téléphone"


def test_a_future_day_is_refused(as_coordinator, group, agreement, mentee):
    future = timezone.localdate() + timedelta(days=2)
    response = post(as_coordinator, group, mentee, accepted_on=future.isoformat())
    assert response.status_code == 200
    assert "dans le futur" in response.content.decode()
    assert not AgreementAcceptance.objects.exists()


def test_a_stale_version_is_refused(as_coordinator, group, agreement, mentee):
    response = post(as_coordinator, group, mentee, version="2")
    assert response.status_code == 200
    assert "relisez la version 1" in response.content.decode()
    assert not AgreementAcceptance.objects.exists()


def test_someone_who_accepted_is_not_offered_again(group, agreement, coordinator, mentee):
    services.accept_agreement(group=group, person=mentee, version=1)
    with pytest.raises(MentoringError):
        services.record_acceptance(
            group=group, member=member_of(group, mentee), by=coordinator, version=1, how="paper"
        )


def test_only_the_coordination_may_record(group, agreement, mentor, mentee):
    with pytest.raises(MentoringError):
        services.record_acceptance(
            group=group, member=member_of(group, mentee), by=mentor, version=1, how="paper"
        )


def test_a_member_cannot_record_for_another(client, group, agreement, mentor, mentee):
    client.force_login(mentor.user)
    assert post(client, group, mentee).status_code == 404
    assert "consigner-member" not in client.get(url(group, "agreement")).content.decode()
    assert not AgreementAcceptance.objects.exists()


def test_outsider_gets_404(as_outsider, group, agreement, mentee):
    assert post(as_outsider, group, mentee).status_code == 404
    assert as_outsider.get(url(group)).status_code == 404
    assert not AgreementAcceptance.objects.exists()


def test_a_person_still_accepts_themselves(client, group, agreement, mentee):
    client.force_login(mentee.user)
    client.post(url(group, "agreement_accept"), {"version": "1"})
    acceptance = AgreementAcceptance.objects.get()
    assert acceptance.recorded_by is None and acceptance.how == ""
