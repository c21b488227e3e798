"""Every governance page, walked by everyone who could try it (as the measurement walks do).

Routes are read from the URL configuration, so a page added under /reseaux/<pk>/gouvernance/ is
walked too, and must say here who may open it:
- staff of the backbone open every page;
- a member (a member organization's coordinator, the steering committee) opens the adopted
  model, its instances and meetings, the ideas and the disagreements they are a party to;
- a funder opens the adopted model and its diagram only;
- someone from another network, a program's coordinator with no role here, and a member who is
  not a party to a disagreement get 404, by GET and by POST, and nothing changes;
- anyone signed out is sent to sign in.
"""

from __future__ import annotations

import re
from datetime import date

import pytest

from maillage.conftest import make_person
from maillage.core.models import AuditEntry, Organization
from maillage.governance import services
from maillage.governance.models import Decision, Idea, Instance, Link, Seat, Version
from maillage.measurement import services as measurement
from maillage.measurement.models import NetworkRole
from maillage.tests.test_outsider_walk import _routes

pytestmark = pytest.mark.django_db
Kind = NetworkRole.Kind

FUNDER_MAY = {"governance:home", "governance:version", "governance:version_svg"}
MEMBER_MAY = FUNDER_MAY | {
    "governance:instance",
    "governance:meeting",
    "governance:ideas",
    "governance:idea_join",
    "governance:disagreements",
    "governance:disagreement",
}


def governance_routes() -> list[tuple[str, str]]:
    return [(route, name) for route, name in _routes() if name.startswith("governance:")]


@pytest.fixture
def samples(network, members, staff, member_coordinator, model_1):
    services.adopt_version(version=model_1, on=date(2019, 10, 1))
    instance = model_1.instances.get(name="Comité des partenaires")
    seat = instance.seats.get()
    meeting = services.record_meeting(instance=instance, held_on=date(2020, 1, 10), attendees="A")
    decision = services.add_decision(meeting=meeting, text="Réviser les ententes")
    idea = services.propose_idea(
        network=network, by=member_coordinator, title="Camion", description="Partager un camion"
    )
    disagreement = services.raise_disagreement(
        network=network, by=member_coordinator, subject="Camion", description="Le mardi"
    )
    return {
        "pk": network.pk,
        "version_pk": model_1.pk,
        "instance_pk": instance.pk,
        "seat_pk": seat.pk,
        "holder_pk": seat.holders.first().pk,
        "link_pk": model_1.links.first().pk,
        "meeting_pk": meeting.pk,
        "decision_pk": decision.pk,
        "idea_pk": idea.pk,
        "dis_pk": disagreement.pk,
    }


def _urls(samples: dict[str, int], names: set[str] | None = None) -> list[tuple[str, str]]:
    urls = []
    for route, name in governance_routes():
        if names is not None and name not in names:
            continue
        url = route
        for param in re.findall(r"<int:(\w+)>", route):
            assert param in samples, f"add a sample for <int:{param}> ({name})"
            url = url.replace(f"<int:{param}>", str(samples[param]))
        assert "<" not in url, f"add a sample for {url} ({name})"
        urls.append((name, "/" + url))
    return urls


def _state() -> tuple:
    return (
        Version.objects.count(),
        Instance.objects.count(),
        Seat.objects.count(),
        Link.objects.count(),
        Decision.objects.filter(status="done").count(),
        Idea.objects.filter(status="formed").count(),
        AuditEntry.objects.filter(action__startswith="governance.").count(),
    )


def test_the_walk_covers_every_governance_page(samples):
    names = {name for _route, name in governance_routes()}
    assert len(names) >= 25
    assert MEMBER_MAY <= names


def _leaks(client, urls, allowed: set[str]) -> list[str]:
    leaks = []
    for name, url in urls:
        for method in ("get", "post"):
            status = getattr(client, method)(url).status_code
            if name in allowed:
                continue
            if status != 404:
                leaks.append(f"{method.upper()} {url} ({name}) gave {status}")
    return leaks


@pytest.mark.parametrize("who", ["other_network_staff", "program_coordinator"])
def test_outsiders_get_404_everywhere_and_change_nothing(client, samples, who, region_qc):
    if who == "other_network_staff":
        other = measurement.create_network(
            backbone=Organization.objects.create(name="Ailleurs", territory=region_qc),
            name="Autre réseau",
        )
        person = make_person("Olga", "Ailleurs")
        measurement.assign_network_role(network=other, person=person, kind=Kind.STAFF)
    else:
        person = make_person("Paul", "Programme")
    client.force_login(person.user)
    before = _state()
    assert not _leaks(client, _urls(samples), allowed=set())
    assert _state() == before


def test_a_funder_sees_the_adopted_model_only(client, samples, funder):
    client.force_login(funder.user)
    before = _state()
    assert not _leaks(client, _urls(samples), allowed=FUNDER_MAY)
    for _name, url in _urls(samples, FUNDER_MAY):
        assert client.get(url).status_code == 200, url
    assert _state() == before


def test_a_funder_sees_no_one_s_name_in_the_model(client, samples, funder):
    client.force_login(funder.user)
    html = client.get(f"/reseaux/{samples['pk']}/gouvernance/").content.decode()
    assert "Comité des partenaires" in html
    assert "Aline Antenne" not in html


@pytest.mark.parametrize("kind", [Kind.MEMBER, Kind.STEERING])
def test_a_member_gets_404_on_every_staff_page(client, samples, members, kind):
    person = make_person("Marc", "Membre")
    measurement.assign_network_role(
        network=samples_network(samples),
        person=person,
        kind=kind,
        member=members[0] if kind == Kind.MEMBER else None,
    )
    client.force_login(person.user)
    before = _state()
    # Marc is no party to Camille's disagreement: its page is a 404 for him as well.
    allowed = MEMBER_MAY - {"governance:disagreement"}
    assert not _leaks(client, _urls(samples), allowed=allowed)
    assert _state()[:6] == before[:6]


def samples_network(samples):
    from maillage.measurement.models import Network

    return Network.objects.get(pk=samples["pk"])


def test_a_member_opens_the_member_pages(client, samples, member_coordinator):
    client.force_login(member_coordinator.user)
    for _name, url in _urls(samples, MEMBER_MAY - {"governance:idea_join"}):
        assert client.get(url).status_code == 200, url


def test_a_member_gets_404_on_a_draft_version(client, samples, member_coordinator, network):
    draft = services.create_version(network=network, name="Brouillon")
    client.force_login(member_coordinator.user)
    base = f"/reseaux/{network.pk}/gouvernance/modeles/{draft.pk}/"
    assert client.get(base).status_code == 404
    assert client.get(base + "schema.svg").status_code == 404
    instance = draft.instances.first()
    assert (
        client.get(f"/reseaux/{network.pk}/gouvernance/instances/{instance.pk}/").status_code == 404
    )


def test_staff_open_every_page(client, samples, staff):
    client.force_login(staff.user)
    for name, url in _urls(samples):
        status = client.get(url).status_code
        assert status in (200, 405), f"{url} ({name}) gave {status}"


def test_signed_out_visitors_are_sent_to_sign_in(client, samples):
    for _name, url in _urls(samples):
        response = client.get(url)
        assert response.status_code == 302, url
        assert "/comptes/login/" in response["Location"] or "connexion" in response["Location"], url
