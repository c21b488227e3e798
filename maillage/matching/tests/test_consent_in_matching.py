"""Consent enforced where people are processed (Law 25; issue 12, finding 10): a matching run,
self-matching and speed dating take nobody without a valid consent for the program; the
coordinator's page says who is left out and asks them; a withdrawal takes the person out of
every pool, cancels their live requests and tells the coordination about their group."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from maillage.alerts.models import Alert, Kind
from maillage.conftest import login, no_consent
from maillage.matching import services
from maillage.matching import speeddating as sd
from maillage.matching.errors import MatchingError
from maillage.matching.instance import roster
from maillage.matching.models import MatchRequest, ProfileCard, SpeedDatingEvent
from maillage.mentoring.models import Group
from maillage.programs.services import has_consent, withdraw_consent

pytestmark = pytest.mark.django_db


def key(role) -> str:
    return f"R{role.pk}"


@pytest.fixture
def open_cast(cast, coordinator):
    services.open_self_matching(
        program=cast["program"],
        is_open=True,
        closes_at=timezone.now() + timedelta(days=7),
        by=coordinator.user,
    )
    return cast


# --- A matching run ---------------------------------------------------------------------------


def test_a_mentee_without_consent_is_not_in_the_runs_instance(cast, coordinator):
    no_consent(cast["bruno"].person)
    run = services.run_matching(program=cast["program"], by=coordinator.user)
    mentees = {m["id"] for m in run.instance["mentees"]}
    assert key(cast["bruno"]) not in mentees
    assert key(cast["elise"]) in mentees
    assert run.instance["without_consent"] == [key(cast["bruno"])]
    proposed = {k for p in run.proposals.all() for k in p.mentee_keys}
    assert key(cast["bruno"]) not in proposed


def test_a_team_member_without_consent_leaves_the_team_side_not_the_team(cast, coordinator):
    rita, paul = cast["team_roles"]
    no_consent(paul.person)
    team = roster(cast["program"]).mentor(f"T{cast['team'].pk}")
    assert team is not None and [r.pk for r in team.roles] == [rita.pk]


def test_the_matching_page_names_who_is_left_out_and_offers_to_ask(client, cast, coordinator):
    no_consent(cast["bruno"].person)
    page = login(client, coordinator).get(reverse("matching:home", args=[cast["program"].pk]))
    html = page.content.decode()
    assert "1 personne laissée de côté faute de consentement" in html
    assert "Bruno Beauce" in html and "consentement jamais donné" in html
    assert reverse("programs:consent_request", args=[cast["program"].pk, cast["bruno"].pk]) in html


def test_asking_from_the_matching_page_sends_one_email_for_a_double_click(
    client, cast, coordinator, django_capture_on_commit_callbacks
):
    no_consent(cast["bruno"].person)
    program = cast["program"]
    url = reverse("programs:consent_request", args=[program.pk, cast["bruno"].pk])
    back = reverse("matching:home", args=[program.pk]) + "#consentement"
    data = {"form_token": uuid.uuid4().hex, "next": back}
    login(client, coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(url, data)
        second = client.post(url, data)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == back
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [cast["bruno"].person.email]


def test_asking_never_sends_the_coordinator_elsewhere(client, cast, coordinator):
    no_consent(cast["bruno"].person)
    url = reverse("programs:consent_request", args=[cast["program"].pk, cast["bruno"].pk])
    answer = login(client, coordinator).post(url, {"next": "https://ailleurs.example/"})
    assert answer["Location"] == reverse("programs:people", args=[cast["program"].pk])


def test_the_outsider_cannot_ask(client, cast, outsider):
    no_consent(cast["bruno"].person)
    url = reverse("programs:consent_request", args=[cast["program"].pk, cast["bruno"].pk])
    assert login(client, outsider).post(url).status_code == 404
    assert not mail.outbox


def test_once_consented_the_next_run_includes_them(cast, coordinator):
    from maillage.programs.models import Consent
    from maillage.programs.services import record_consent

    no_consent(cast["bruno"].person)
    services.run_matching(program=cast["program"], by=coordinator.user)
    record_consent(person=cast["bruno"].person, program=cast["program"], source=Consent.Source.LINK)
    run = services.run_matching(program=cast["program"], by=coordinator.user)
    assert key(cast["bruno"]) in {m["id"] for m in run.instance["mentees"]}
    assert run.instance["without_consent"] == []


# --- Self-matching ----------------------------------------------------------------------------


def test_self_matching_hides_a_mentor_without_consent(client, open_cast):
    no_consent(open_cast["marc"].person)
    page = login(client, open_cast["elise"].person).get(
        reverse("matching:profiles", args=[open_cast["program"].pk])
    )
    assert page.status_code == 200
    assert "Marc Mentor" not in page.content.decode()
    with pytest.raises(MatchingError):
        services.send_match_request(
            program=open_cast["program"],
            user=open_cast["elise"].person.user,
            mentor_key=key(open_cast["marc"]),
            message="Bonjour",
        )
    assert not MatchRequest.objects.exists()


def test_a_mentee_without_consent_sees_nobody_and_cannot_ask(client, open_cast):
    no_consent(open_cast["elise"].person)
    page = login(client, open_cast["elise"].person).get(
        reverse("matching:profiles", args=[open_cast["program"].pk])
    )
    html = page.content.decode()
    assert "Votre consentement manque" in html
    assert "Marc Mentor" not in html and "/programmes/consentement/" in html
    with pytest.raises(MatchingError, match="Votre consentement pour ce programme manque"):
        services.send_match_request(
            program=open_cast["program"],
            user=open_cast["elise"].person.user,
            mentor_key=key(open_cast["marc"]),
            message="Bonjour",
        )


def test_withdrawal_leaves_the_pools_cancels_requests_and_hides_the_card(
    client, open_cast, coordinator, django_capture_on_commit_callbacks
):
    program, elise = open_cast["program"], open_cast["elise"]
    ProfileCard.objects.create(program=program, person=elise.person, intro="Bonjour !")
    req = services.send_match_request(
        program=program,
        user=elise.person.user,
        mentor_key=key(open_cast["marc"]),
        message="Vos tournées m’intéressent.",
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        withdraw_consent(person=elise.person, program=program, by=elise.person.user)

    assert not has_consent(elise.person, program)
    req.refresh_from_db()
    assert req.status == MatchRequest.Status.CANCELLED
    # The mentor side is told, without the reason.
    assert [m.to for m in mail.outbox] == [[open_cast["marc"].person.email]]
    assert "consentement" not in mail.outbox[0].body
    assert key(elise) not in {s.key for s in roster(program).mentees}
    mentor_page = login(client, open_cast["marc"].person).get(
        reverse("matching:profiles", args=[program.pk])
    )
    assert "Élise Mentorée" not in mentor_page.content.decode()
    # The card is kept (a change of mind finds it) but shown to nobody.
    assert ProfileCard.objects.filter(person=elise.person).exists()


def test_withdrawal_in_an_active_group_alerts_the_coordination_and_keeps_the_group(
    open_cast, coordinator, django_capture_on_commit_callbacks
):
    from maillage.mentoring.services import create_group

    program, elise = open_cast["program"], open_cast["elise"]
    group = create_group(
        program=program,
        mentor_roles=[open_cast["marc"]],
        mentee_roles=[elise],
        approved_by=coordinator.user,
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        withdraw_consent(person=elise.person, program=program, by=elise.person.user)

    group.refresh_from_db()
    assert group.status == Group.Status.ACTIVE and elise in group.mentee_roles()
    alert = Alert.objects.get(kind=Kind.CONSENT_MISSING, group=group)
    assert list(alert.recipients.all()) == [coordinator]
    assert "Élise Mentorée a retiré son consentement" in alert.describe()
    # Told to the coordination only: the group's other alerts never mention the withdrawal.
    told = [m.to for m in mail.outbox if "consentement" in m.body]
    assert told == [[coordinator.email]]


# --- Speed dating -----------------------------------------------------------------------------


def test_speed_dating_cannot_invite_a_person_without_consent(cast, coordinator):
    no_consent(cast["chantal"].person)
    start = timezone.now() + timedelta(days=3)
    plan = sd.EventPlan(
        title="Speed dating",
        format=SpeedDatingEvent.Format.IN_PERSON,
        starts_at=start,
        rounds=2,
        round_minutes=8,
        break_minutes=2,
        places=["Salle A"],
        address="",
        mentee_keys=[key(cast["elise"]), key(cast["chantal"])],
        mentor_keys=[key(cast["marc"])],
        ranking_deadline=start + timedelta(days=7),
    )
    assert key(cast["chantal"]) not in {s.key for s in sd.invitable(cast["program"]).mentees}
    with pytest.raises(MatchingError):
        sd.plan_event(program=cast["program"], plan=plan, by=coordinator.user)
    assert not SpeedDatingEvent.objects.exists()
