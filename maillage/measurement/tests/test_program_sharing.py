"""A program's coordinator shares it with a network their organization belongs to (their
consent), or withdraws it; no one else of the program may."""

from __future__ import annotations

import pytest
from django.urls import reverse

from maillage.conftest import login, make_person
from maillage.core.models import AuditEntry
from maillage.measurement import services
from maillage.measurement.errors import MeasurementError
from maillage.measurement.models import MemberProgram

pytestmark = pytest.mark.django_db


def _page(program) -> str:
    return reverse("measurement:program_networks", args=[program.pk])


def test_coordinator_sees_the_networks_of_their_organization_and_what_is_shared(
    client, coordinator, program_a, network, members, backbone
):
    login(client, coordinator)
    html = client.get(_page(program_a)).content.decode()
    assert network.name in html and backbone.name in html
    assert "Seulement des chiffres agrégés" in html
    assert "Les petits nombres sont masqués" in html and "Aucun nom" in html
    assert "Non partagé" in html


def test_coordinator_shares_the_program_with_their_consent(
    client, coordinator, program_a, network, members
):
    login(client, coordinator)
    url = reverse("measurement:program_share", args=[program_a.pk, members[0].pk])
    assert client.get(url).status_code == 405
    response = client.post(url, follow=True)
    assert "Programme partagé avec « Les Complices (fictif) »." in response.content.decode()
    link = MemberProgram.objects.get(program=program_a)
    assert link.member == members[0] and link.consent_by == coordinator
    assert link.consent_at is not None
    assert (
        f"Consentement donné par {coordinator.full_name}"
        in client.get(_page(program_a)).content.decode()
    )


def test_coordinator_withdraws_the_sharing_after_confirming(
    client, coordinator, program_a, network, fed
):
    login(client, coordinator)
    url = reverse("measurement:program_unshare", args=[program_a.pk, fed[0].pk])
    confirm = client.get(url).content.decode()
    assert "restent dans l’historique du réseau" in confirm
    assert MemberProgram.objects.filter(program=program_a).exists()
    response = client.post(url, follow=True)
    assert "n’alimente plus « Les Complices (fictif) »" in response.content.decode()
    assert not MemberProgram.objects.filter(program=program_a).exists()
    assert AuditEntry.objects.filter(model="measurement.MemberProgram", action="delete").exists()


def test_a_network_of_another_organization_cannot_receive_the_program(
    client, coordinator, program_a, network, members
):
    login(client, coordinator)
    other_member = members[1]  # Marché solidaire, not the organization coordinating program A
    url = reverse("measurement:program_share", args=[program_a.pk, other_member.pk])
    assert client.post(url).status_code == 404
    assert not MemberProgram.objects.filter(program=program_a).exists()


def test_a_program_whose_organization_is_in_no_network_says_so(client, coordinator, program_a):
    login(client, coordinator)
    html = client.get(_page(program_a)).content.decode()
    assert "n’est membre d’aucun réseau dans Maillage" in html


@pytest.mark.parametrize("who", ["mentor", "mentee", "committee_member", "outsider"])
def test_anyone_but_a_coordinator_of_the_program_gets_404(
    client, request, who, program_a, network, fed
):
    login(client, request.getfixturevalue(who))
    member = fed[0]
    for url in (
        _page(program_a),
        reverse("measurement:program_share", args=[program_a.pk, member.pk]),
        reverse("measurement:program_unshare", args=[program_a.pk, member.pk]),
    ):
        assert client.get(url).status_code == 404, url
        assert client.post(url).status_code == 404, url
    assert MemberProgram.objects.filter(program=program_a).exists()


def test_only_a_coordinator_may_withdraw_the_consent(program_a, fed, mentor):
    link = MemberProgram.objects.get(program=program_a)
    with pytest.raises(MeasurementError):
        services.detach_program(link=link, by=mentor)
    with pytest.raises(MeasurementError):
        services.detach_program(link=link, by=make_person("Nina", "Personne"))
    assert MemberProgram.objects.filter(pk=link.pk).exists()


def test_withdrawing_keeps_the_figures_of_closed_periods(network, fed, program_a, coordinator):
    from datetime import timedelta

    from django.utils import timezone

    from maillage.intake.models import Application
    from maillage.measurement.aggregation import indicator_view

    from .conftest import add_applications

    add_applications(program_a, 12)
    Application.objects.filter(program=program_a).update(
        submitted_at=timezone.now() - timedelta(days=10)
    )
    indicator = services.define_indicator(
        network=network, code="c", label_fr="C", kind="computed", source_key="applications_received"
    )
    end = timezone.localdate() - timedelta(days=5)
    services.close_period(network=network, period_start=end - timedelta(days=30), period_end=end)
    services.detach_program(link=MemberProgram.objects.get(program=program_a), by=coordinator)
    closed = [p for p in indicator_view(indicator, with_members=False).points if p.on == end]
    assert closed[0].actual == 12
