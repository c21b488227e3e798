"""Self-matching's services: a mentee side asks a mentor side, which answers; seats, the
engine's hard rules, the deadline and the closed program are enforced; a double click makes one
request; the coordinator steps in and approves the group as the engine's proposals are."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from maillage.core.models import AuditEntry, Territory
from maillage.matching import services
from maillage.matching.errors import MatchingError
from maillage.matching.models import Approval, MatchRequest, MatchRun, SelfMatching
from maillage.matching.seats import build_board
from maillage.mentoring.models import Group
from maillage.programs.models import Program

from .test_mentee_team import city  # noqa: F401, F811  (the mentored city of three, one side)

pytestmark = pytest.mark.django_db


@pytest.fixture
def open_cast(cast, coordinator):
    services.open_self_matching(
        program=cast["program"],
        is_open=True,
        closes_at=timezone.now() + timedelta(days=7),
        by=coordinator.user,
    )
    # Marc has one seat left.
    cast["marc"].capacity = 1
    cast["marc"].save()
    return cast


def ask(cast, who: str, mentor_key: str, message: str = "Bonjour, vos tournées m’intéressent."):
    return services.send_match_request(
        program=cast["program"],
        user=cast[who].person.user,
        mentor_key=mentor_key,
        message=message,
    )


def marc_key(cast) -> str:
    return f"R{cast['marc'].pk}"


def team_key(cast) -> str:
    return f"T{cast['team'].pk}"


def test_a_pending_request_holds_the_last_seat(open_cast):
    req = ask(open_cast, "elise", marc_key(open_cast))
    assert req.status == MatchRequest.Status.PENDING
    assert build_board(open_cast["program"]).seats_left(marc_key(open_cast)) == 0
    with pytest.raises(MatchingError, match="Plus de place"):
        ask(open_cast, "bruno", marc_key(open_cast))
    assert MatchRequest.objects.count() == 1


def test_withdrawing_frees_the_seat(open_cast):
    req = ask(open_cast, "elise", marc_key(open_cast))
    services.withdraw_match_request(request=req, user=open_cast["elise"].person.user)
    req.refresh_from_db()
    assert req.status == MatchRequest.Status.WITHDRAWN
    assert ask(open_cast, "bruno", marc_key(open_cast)).status == MatchRequest.Status.PENDING


def test_a_double_submit_creates_one_request(open_cast):
    ask(open_cast, "elise", marc_key(open_cast))
    with pytest.raises(MatchingError, match="déjà une demande en cours"):
        ask(open_cast, "elise", marc_key(open_cast))
    with pytest.raises(MatchingError, match="déjà une demande en cours"):
        ask(open_cast, "elise", team_key(open_cast))
    assert MatchRequest.objects.filter(mentee_key=f"R{open_cast['elise'].pk}").count() == 1


def test_the_database_refuses_a_second_live_request_of_one_side(open_cast):
    req = ask(open_cast, "elise", marc_key(open_cast))
    with pytest.raises(IntegrityError), transaction.atomic():
        MatchRequest.objects.create(
            program=req.program,
            mentee_key=req.mentee_key,
            mentor_key=team_key(open_cast),
            mentee_role=req.mentee_role,
            mentor_role=open_cast["team_roles"][0],
            mentee_label="x",
            mentor_label="y",
            message="z",
        )


def test_a_declared_conflict_is_refused_with_its_reason(open_cast, coordinator):
    services.declare_exclusion(
        program=open_cast["program"],
        mentor_key=marc_key(open_cast),
        mentee_key=f"R{open_cast['elise'].pk}",
        reason="conflict_of_interest",
        declared_by="mentee",
        by=coordinator.user,
    )
    with pytest.raises(MatchingError, match="conflit d’intérêts"):
        ask(open_cast, "elise", marc_key(open_cast))


def test_a_forbidden_pair_is_refused(open_cast, coordinator):
    services.forbid_pair(
        program=open_cast["program"],
        mentor_key=marc_key(open_cast),
        mentee_key=f"R{open_cast['bruno'].pk}",
        by=coordinator.user,
    )
    with pytest.raises(MatchingError, match="écarté"):
        ask(open_cast, "bruno", marc_key(open_cast))


def test_the_region_rule_is_the_engines(open_cast):
    organization = open_cast["elise"].person.organization
    organization.territory = Territory.objects.get(code="QC-16")  # Marc's region
    organization.save()
    with pytest.raises(MatchingError, match="même région"):
        ask(open_cast, "elise", marc_key(open_cast))


def test_one_mentee_per_region_in_a_group(open_cast):
    ask(open_cast, "chantal", team_key(open_cast))
    organization = open_cast["denis"].person.organization
    organization.territory = Territory.objects.get(code="QC-04")  # Chantal's region
    organization.save()
    with pytest.raises(MatchingError, match="de votre région"):
        ask(open_cast, "denis", team_key(open_cast))


def test_the_deadline_closes_requests(open_cast):
    SelfMatching.objects.filter(program=open_cast["program"]).update(
        closes_at=timezone.now() - timedelta(minutes=1)
    )
    with pytest.raises(MatchingError, match="date limite"):
        ask(open_cast, "elise", marc_key(open_cast))


def test_nothing_is_asked_before_the_coordinator_opens(cast):
    with pytest.raises(MatchingError, match="pas ouvert"):
        ask(cast, "elise", f"R{cast['marc'].pk}")


def test_a_closed_program_takes_no_request(open_cast):
    Program.objects.filter(pk=open_cast["program"].pk).update(status=Program.Status.CLOSED)
    open_cast["program"].refresh_from_db()
    with pytest.raises(MatchingError):
        ask(open_cast, "elise", marc_key(open_cast))
    assert not MatchRequest.objects.exists()


def test_only_a_mentee_asks(open_cast):
    with pytest.raises(MatchingError, match="personnes mentorées"):
        services.send_match_request(
            program=open_cast["program"],
            user=open_cast["marc"].person.user,
            mentor_key=team_key(open_cast),
            message="Bonjour",
        )


def test_the_mentor_accepts_and_the_mentee_is_told_in_her_language(
    open_cast, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        req = ask(open_cast, "elise", marc_key(open_cast))
    assert [m.to for m in mail.outbox] == [[open_cast["marc"].person.email]]
    assert "Élise" in mail.outbox[0].subject
    elise = open_cast["elise"].person
    elise.language = "en"
    elise.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.answer_match_request(
            request=req, user=open_cast["marc"].person.user, accept=True, answer="Avec plaisir !"
        )
    req.refresh_from_db()
    assert req.status == MatchRequest.Status.ACCEPTED
    assert mail.outbox[-1].to == [elise.email]
    assert mail.outbox[-1].extra_headers["Content-Language"] == "en"
    assert AuditEntry.objects.filter(action="match_request.accepted").exists()


def test_declining_needs_a_word(open_cast):
    req = ask(open_cast, "elise", marc_key(open_cast))
    with pytest.raises(MatchingError, match="explication"):
        services.answer_match_request(
            request=req, user=open_cast["marc"].person.user, accept=False, answer=""
        )


def test_only_the_asked_side_answers(open_cast):
    req = ask(open_cast, "elise", marc_key(open_cast))
    with pytest.raises(MatchingError, match="côté mentor demandé"):
        services.answer_match_request(
            request=req, user=open_cast["team_roles"][0].person.user, accept=True, answer=""
        )


def test_the_coordinator_answers_on_behalf_with_a_reason(open_cast, coordinator):
    req = ask(open_cast, "elise", marc_key(open_cast))
    with pytest.raises(MatchingError, match="pourquoi"):
        services.answer_match_request(request=req, user=coordinator.user, accept=True, answer="")
    services.answer_match_request(
        request=req, user=coordinator.user, accept=True, answer="", reason="Marc en congé"
    )
    req.refresh_from_db()
    assert req.status == MatchRequest.Status.ACCEPTED
    assert req.coordinator_reason == "Marc en congé"
    entry = AuditEntry.objects.get(action="match_request.accepted")
    assert entry.changes["on_behalf"] is True


def test_the_coordinator_cancels_with_a_reason(open_cast, coordinator):
    req = ask(open_cast, "elise", marc_key(open_cast))
    with pytest.raises(MatchingError, match="pourquoi"):
        services.withdraw_match_request(request=req, user=coordinator.user)
    services.withdraw_match_request(request=req, user=coordinator.user, reason="Erreur")
    req.refresh_from_db()
    assert req.status == MatchRequest.Status.CANCELLED


def test_approval_forms_the_group_with_the_engines_approval_record(open_cast, coordinator):
    req = ask(open_cast, "elise", marc_key(open_cast))
    services.answer_match_request(
        request=req, user=open_cast["marc"].person.user, accept=True, answer="Oui"
    )
    group = services.approve_self_matched_group(
        program=open_cast["program"], mentor_key=marc_key(open_cast), by=coordinator.user
    )
    req.refresh_from_db()
    assert req.status == MatchRequest.Status.APPROVED
    assert isinstance(group, Group)
    assert {m.role_id for m in group.members.all()} == {open_cast["marc"].pk, open_cast["elise"].pk}
    approval = Approval.objects.get(proposal=req.proposal)
    assert approval.run.mode == MatchRun.Mode.SELF
    assert approval.inputs["mentees"][0]["id"] == req.mentee_key
    # The record is never the engine's latest run.
    assert not open_cast["program"].match_runs.done().exists()
    # Elise is in a group now: she cannot ask again.
    board = build_board(open_cast["program"])
    assert "groupe" in board.blockers(req.mentee_key, team_key(open_cast))[0]


def test_approval_rechecks_the_rules(open_cast, coordinator):
    req = ask(open_cast, "elise", marc_key(open_cast))
    services.answer_match_request(
        request=req, user=open_cast["marc"].person.user, accept=True, answer="Oui"
    )
    services.declare_exclusion(
        program=open_cast["program"],
        mentor_key=marc_key(open_cast),
        mentee_key=req.mentee_key,
        reason="competition",
        declared_by="mentor",
        by=coordinator.user,
    )
    with pytest.raises(MatchingError, match="concurrence"):
        services.approve_self_matched_group(
            program=open_cast["program"], mentor_key=marc_key(open_cast), by=coordinator.user
        )
    assert not Group.objects.exists()


def test_the_deadline_must_be_in_the_future(cast, coordinator):
    with pytest.raises(MatchingError, match="futur"):
        services.open_self_matching(
            program=cast["program"],
            is_open=True,
            closes_at=timezone.now() - timedelta(days=1),
            by=coordinator.user,
        )


def test_a_mentee_team_asks_as_one_side_and_joins_the_group_whole(
    city,  # noqa: F811
    coordinator,
    django_capture_on_commit_callbacks,
):
    program = city["program"]
    services.open_self_matching(program=program, is_open=True, by=coordinator.user)
    board = build_board(program)
    mentor = next(
        m.key for m in board.people.mentors if not board.blockers(city["team_key"], m.key)
    )
    first, second = (r.person.user for r in city["members"][:2])
    req = services.send_match_request(
        program=program, user=first, mentor_key=mentor, message="Bonjour de Rimouski"
    )
    assert req.mentee_key == city["team_key"]
    with pytest.raises(MatchingError, match="déjà une demande en cours"):
        services.send_match_request(
            program=program, user=second, mentor_key=mentor, message="Nous aussi"
        )
    mentor_user = services.mentor_roles_for(program, mentor)[0].person.user
    with django_capture_on_commit_callbacks(execute=True):
        services.answer_match_request(request=req, user=mentor_user, accept=True, answer="Oui")
    # Every member of the team is told.
    told = {address for m in mail.outbox for address in m.to}
    assert {r.person.email for r in city["members"]} <= told
    group = services.approve_self_matched_group(
        program=program, mentor_key=mentor, by=coordinator.user
    )
    grouped = {m.role_id for m in group.members.filter(side="mentee")}
    assert grouped == {r.pk for r in city["members"]}


def test_the_coordinator_records_a_request_for_a_mentee(open_cast, coordinator):
    elise = f"R{open_cast['elise'].pk}"
    req = services.send_match_request(
        program=open_cast["program"],
        user=coordinator.user,
        mentor_key=marc_key(open_cast),
        message="Demandé par téléphone",
        for_mentee=elise,
    )
    assert req.mentee_key == elise
    with pytest.raises(MatchingError, match="coordination"):
        services.send_match_request(
            program=open_cast["program"],
            user=open_cast["bruno"].person.user,
            mentor_key=team_key(open_cast),
            message="x",
            for_mentee=elise,
        )


def test_a_group_formed_by_the_engine_closes_the_mentees_live_request(open_cast, coordinator):
    # Élise asked Marc; the coordinator then places her with the Alliance team (a lock: the
    # text fit alone sends the team its two governance mentees) and approves the engine's group:
    # her request to Marc closes and his seat is free again.
    program = open_cast["program"]
    req = ask(open_cast, "elise", marc_key(open_cast))
    services.lock_pair(
        program=program,
        mentor_key=team_key(open_cast),
        mentee_key=req.mentee_key,
        by=coordinator.user,
    )
    run = services.run_matching(program=program, by=coordinator.user)
    proposal = next(p for p in run.proposals.all() if req.mentee_key in p.mentee_keys)
    services.accept_proposal(proposal=proposal, by=coordinator.user)
    req.refresh_from_db()
    assert req.status == MatchRequest.Status.CANCELLED
    assert req.coordinator_reason
    assert AuditEntry.objects.filter(action="match_request.cancelled").exists()
    assert not MatchRequest.objects.live().filter(program=program).exists()
