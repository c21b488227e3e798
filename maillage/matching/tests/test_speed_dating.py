"""Speed dating mentoral: plan, rotation under the program's rules, timetables by e-mail with the
.ics, rankings, groups formed by the stable mode with the stability certificate, and the
« Choix exprimés » weight mixing rankings into exact runs."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from maillage.conftest import login, make_person
from maillage.matching import services
from maillage.matching import speeddating as sd
from maillage.matching.errors import MatchingError
from maillage.matching.instance import build_instance
from maillage.matching.models import SpeedDatingEvent, SpeedDatingRanking
from maillage.programs.models import Program, Role
from maillage.programs.services import assign_role, close_program

pytestmark = pytest.mark.django_db


def keys(cast):
    mentees = [f"R{cast[n].pk}" for n in ("elise", "bruno", "chantal", "denis")]
    mentors = [f"R{cast['marc'].pk}", f"T{cast['team'].pk}"]
    return mentees, mentors


def a_plan(cast, *, start=None, rounds=2, places=("Salle A", "Salle B"), **extra):
    mentees, mentors = keys(cast)
    start = start or timezone.now() - timedelta(hours=2)
    return sd.EventPlan(
        title="Speed dating d’automne",
        format=SpeedDatingEvent.Format.IN_PERSON,
        starts_at=start,
        rounds=rounds,
        round_minutes=8,
        break_minutes=2,
        places=list(places),
        address="",
        mentee_keys=extra.get("mentees", mentees),
        mentor_keys=extra.get("mentors", mentors),
        ranking_deadline=start + timedelta(days=7),
    )


def test_rotation_meets_everyone_within_rounds_and_tables(cast, coordinator):
    event = sd.plan_event(program=cast["program"], plan=a_plan(cast, rounds=2), by=coordinator.user)
    meetings = list(event.meetings.all())
    # 2 mentor sides × 2 rounds: 4 meetings at most, one per mentee (the spread tier)
    assert len(meetings) == 4
    assert {m.mentee_key for m in meetings} == set(keys(cast)[0])
    pairs = [(m.mentee_key, m.mentor_key) for m in meetings]
    assert len(set(pairs)) == len(pairs)
    for r in range(2):
        here = [m for m in meetings if m.round == r]
        assert len(here) <= 2
        assert len({m.mentee_key for m in here}) == len(here)
        assert len({m.mentor_key for m in here}) == len(here)
    assert event.rotation["certificate"]["status"] == "optimal"
    assert event.rotation["certificate"]["meetings"] == 4


def test_rotation_never_uses_a_forbidden_pair(cast, coordinator):
    program = cast["program"]
    marc, elise = f"R{cast['marc'].pk}", f"R{cast['elise'].pk}"
    services.forbid_pair(program=program, mentor_key=marc, mentee_key=elise, by=coordinator.user)
    plan = a_plan(cast, rounds=4, places=("1", "2", "3", "4"))
    event = sd.plan_event(program=program, plan=plan, by=coordinator.user)
    pairs = set(event.meetings.values_list("mentor_key", "mentee_key"))
    assert (marc, elise) not in pairs
    assert len(pairs) == 7  # every other pair meets: 8 pairs, one forbidden


def test_publish_sends_each_person_a_timetable_with_the_ics_once(
    cast, coordinator, django_capture_on_commit_callbacks
):
    event = sd.plan_event(program=cast["program"], plan=a_plan(cast), by=coordinator.user)
    with django_capture_on_commit_callbacks(execute=True):
        sd.publish_event(event=event, by=coordinator.user)
    # 4 mentees, Marc, and the two people of the mentor team
    assert len(mail.outbox) == 7
    message = next(m for m in mail.outbox if cast["elise"].person.email in m.to)
    assert "Votre horaire" in message.subject
    name, body, kind = message.attachments[0]
    assert kind.startswith("text/calendar")
    cal = Calendar.from_ical(body)
    assert (
        len([c for c in cal.walk("VEVENT")])
        == event.meetings.filter(mentee_key=f"R{cast['elise'].pk}").count()
    )
    with pytest.raises(MatchingError):
        sd.publish_event(event=event, by=coordinator.user)  # a second click sends nothing


def _rank_everyone(event, cast, users):
    """Each side ranks the people it met, in a fixed preference: Élise and Bruno prefer the team,
    Chantal and Denis prefer Marc (the opposite of what their needs say)."""
    marc, team = f"R{cast['marc'].pk}", f"T{cast['team'].pk}"
    for name in ("elise", "bruno", "chantal", "denis"):
        key = f"R{cast[name].pk}"
        met = [m.mentor_key for m in sd.met_by(event, key, "mentee")]
        first = team if name in ("elise", "bruno") else marc
        order = sorted(met, key=lambda k: k != first)
        sd.submit_ranking(event=event, key=key, kind="mentee", order=order, by=users[name])
    for key in (marc, team):
        met = [m.mentee_key for m in sd.met_by(event, key, "mentor")]
        sd.submit_ranking(event=event, key=key, kind="mentor", order=met, by=None)


def _published(cast, coordinator, **kw):
    plan = a_plan(cast, rounds=4, places=("1", "2", "3", "4"), **kw)
    event = sd.plan_event(program=cast["program"], plan=plan, by=coordinator.user)
    return sd.publish_event(event=event, by=coordinator.user)


def test_ranks_must_be_distinct_and_cover_the_people_met(cast, coordinator):
    event = _published(cast, coordinator)
    key = f"R{cast['elise'].pk}"
    with pytest.raises(MatchingError):
        sd.submit_ranking(event=event, key=key, kind="mentee", order=["R999"], by=None)
    met = [m.mentor_key for m in sd.met_by(event, key, "mentee")]
    sd.submit_ranking(event=event, key=key, kind="mentee", order=met, by=None)
    sd.submit_ranking(event=event, key=key, kind="mentee", order=met[::-1], by=None)
    assert SpeedDatingRanking.objects.get(event=event, side_key=key).order == met[::-1]


def test_rankings_wait_for_the_end_of_the_event(cast, coordinator):
    plan = a_plan(cast, start=timezone.now() + timedelta(days=1))
    event = sd.plan_event(program=cast["program"], plan=plan, by=coordinator.user)
    sd.publish_event(event=event, by=coordinator.user)
    key = f"R{cast['elise'].pk}"
    met = [m.mentor_key for m in sd.met_by(event, key, "mentee")]
    with pytest.raises(MatchingError):
        sd.submit_ranking(event=event, key=key, kind="mentee", order=met, by=None)


def test_groups_follow_the_rankings_and_are_certified_stable(cast, coordinator):
    event = _published(cast, coordinator)
    _rank_everyone(event, cast, {n: None for n in ("elise", "bruno", "chantal", "denis")})
    run = sd.form_groups(event=event, by=coordinator.user)
    assert run.mode == "stable"
    groups = {p.mentor_key: set(p.mentee_keys) for p in run.proposals.all()}
    marc, team = f"R{cast['marc'].pk}", f"T{cast['team'].pk}"
    assert groups[team] == {f"R{cast['elise'].pk}", f"R{cast['bruno'].pk}"}
    assert groups[marc] == {f"R{cast['chantal'].pk}", f"R{cast['denis'].pk}"}
    event.refresh_from_db()
    formation = event.rotation["formation"]
    assert formation["blocking_pairs"] == 0
    # the needs say the opposite: respecting the rankings costs score against the optimum
    assert formation["cost"] > 0
    accepted = services.accept_run(run=run, by=coordinator.user)
    assert len(accepted) == 2


def test_only_pairs_who_met_form_a_group(cast, coordinator):
    program = cast["program"]
    marc = f"R{cast['marc'].pk}"
    elise = f"R{cast['elise'].pk}"
    services.forbid_pair(program=program, mentor_key=marc, mentee_key=elise, by=coordinator.user)
    event = _published(cast, coordinator)
    services.remove_constraint(constraint=program.pair_constraints.get())
    _rank_everyone(event, cast, {n: None for n in ("elise", "bruno", "chantal", "denis")})
    run = sd.form_groups(event=event, by=coordinator.user)
    for p in run.proposals.all():
        assert not (p.mentor_key == marc and elise in p.mentee_keys)


@pytest.mark.parametrize("mode", ["exact", "large"])
def test_choix_exprimes_weight_mixes_rankings_into_the_runs(cast, coordinator, mode):
    program = cast["program"]
    event = _published(cast, coordinator)
    _rank_everyone(event, cast, {n: None for n in ("elise", "bruno", "chantal", "denis")})
    data, _people = build_instance(program)
    assert any(p.get("ranking") for p in data["mentees"])

    def groups_with(weight):
        weights = (
            {**program.matching_weights, "ranking": weight}
            if program.matching_weights
            else {"ranking": weight}
        )
        Program.objects.filter(pk=program.pk).update(matching_weights=weights)
        program.refresh_from_db()
        run = services.run_matching(program=program, by=coordinator.user, mode=mode)
        return {p.mentor_key: frozenset(p.mentee_keys) for p in run.proposals.all()}

    without = groups_with(0.0)
    strong = groups_with(10.0)
    assert without != strong
    assert strong[f"T{cast['team'].pk}"] == {f"R{cast['elise'].pk}", f"R{cast['bruno'].pk}"}


def test_closed_program_is_read_only(cast, coordinator):
    event = sd.plan_event(program=cast["program"], plan=a_plan(cast), by=coordinator.user)
    close_program(program=cast["program"])
    with pytest.raises(MatchingError):
        sd.plan_event(program=cast["program"], plan=a_plan(cast), by=coordinator.user)
    with pytest.raises(MatchingError):
        sd.publish_event(event=event, by=coordinator.user)


# --- Pages ------------------------------------------------------------------------------------


def test_coordinator_plans_an_event_from_the_form(client, cast, coordinator):
    login(client, coordinator)
    program = cast["program"]
    mentees, mentors = keys(cast)
    day = (timezone.localtime() + timedelta(days=3)).date()
    data = {
        "title": "Speed dating",
        "format": "online",
        "date": day.isoformat(),
        "start": "13:30",
        "rounds": "2",
        "round_minutes": "8",
        "break_minutes": "2",
        "places": "pas un lien",
        "address": "",
        "deadline": (day + timedelta(days=7)).isoformat(),
        "mentees": mentees,
        "mentors": mentors,
    }
    url = reverse("matching:sd_new", args=[program.pk])
    response = client.post(url, data)
    assert response.status_code == 200
    assert "n’est pas un lien" in response.content.decode()
    assert "pas un lien" in response.content.decode()  # what was typed is kept
    data["places"] = "https://visio.exemple.org/a\nhttps://visio.exemple.org/b"
    # The form as rendered carries its token: a double click plans one event.
    page = client.get(url).content.decode()
    data["form_token"] = re.search(r'name="form_token" value="([^"]+)"', page).group(1)
    response = client.post(url, data)
    assert client.post(url, data).status_code == 302
    event = SpeedDatingEvent.objects.get(program=program)
    assert response.status_code == 302
    page = client.get(reverse("matching:sd_event", args=[program.pk, event.pk])).content.decode()
    assert "La meilleure rotation possible" in page


def test_participant_sees_the_timetable_and_ranks_on_the_phone_page(client, cast, coordinator):
    event = _published(cast, coordinator)
    login(client, cast["elise"].person)
    url = reverse("matching:sd_mine", args=[cast["program"].pk, event.pk])
    page = client.get(url).content.decode()
    assert "Mon horaire" in page and "Tour 1" in page
    assert "score" not in page.lower()
    met = sd.met_by(event, f"R{cast['elise'].pk}", "mentee")
    same = {f"rank_{m.mentor_key}": "1" for m in met}
    response = client.post(url, same)
    assert "rang différent" in response.content.decode()
    ranks = {f"rank_{m.mentor_key}": str(n + 1) for n, m in enumerate(met)}
    assert client.post(url, ranks).status_code == 302
    assert client.post(url, ranks).status_code == 302  # a double submit keeps one ranking
    assert SpeedDatingRanking.objects.filter(event=event).count() == 1
    ics = client.get(reverse("matching:sd_ics", args=[cast["program"].pk, event.pk]))
    assert ics["Content-Type"].startswith("text/calendar")


def test_someone_not_invited_gets_404(client, cast, coordinator, outsider):
    mentees, mentors = keys(cast)
    event = _published(cast, coordinator, mentees=mentees[:2])
    login(client, cast["denis"].person)  # in the program, not invited
    url = reverse("matching:sd_mine", args=[cast["program"].pk, event.pk])
    assert client.get(url).status_code == 404
    login(client, outsider)
    assert client.get(url).status_code == 404
    coordinator_url = reverse("matching:sd_event", args=[cast["program"].pk, event.pk])
    assert client.get(coordinator_url).status_code == 404
    post = reverse("matching:sd_publish", args=[cast["program"].pk, event.pk])
    assert client.post(post).status_code == 404


def test_participant_cannot_reach_the_coordinator_pages(client, cast, coordinator):
    event = _published(cast, coordinator)
    login(client, cast["elise"].person)
    url = reverse("matching:sd_event", args=[cast["program"].pk, event.pk])
    assert client.get(url).status_code == 404


def test_dashboard_shows_the_ranking_to_send(client, cast, coordinator):
    event = _published(cast, coordinator)
    login(client, cast["elise"].person)
    page = client.get(reverse("programs:dashboard")).content.decode()
    assert "Classer les personnes rencontrées" in page
    assert reverse("matching:sd_mine", args=[cast["program"].pk, event.pk]) in page


def test_extra_mentee_person_is_not_invited_by_default(cast):
    person = make_person("Zoé", "Zed")
    assign_role(program=cast["program"], person=person, kind=Role.Kind.MENTEE)
    people = sd.invitable(cast["program"])
    assert any(s.roles[0].person == person for s in people.mentees)


def test_edit_rebuilds_the_rotation_and_resends_then_cancel_tells_everyone(
    cast, coordinator, django_capture_on_commit_callbacks
):
    start = timezone.now() + timedelta(days=2)
    event = sd.plan_event(
        program=cast["program"], plan=a_plan(cast, start=start, rounds=2), by=coordinator.user
    )
    with django_capture_on_commit_callbacks(execute=True):
        sd.publish_event(event=event, by=coordinator.user)
    assert event.meetings.count() == 4
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        sd.update_event(event=event, plan=a_plan(cast, start=start, rounds=4), by=coordinator.user)
    assert event.meetings.count() == 8
    assert mail.outbox and all("Horaire modifié" in m.subject for m in mail.outbox)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        sd.cancel_event(event=event, by=coordinator.user)
    assert mail.outbox and all("Annulé" in m.subject for m in mail.outbox)
    with pytest.raises(MatchingError):
        sd.cancel_event(event=event, by=coordinator.user)


def test_a_started_event_keeps_its_rotation(cast, coordinator):
    event = sd.plan_event(program=cast["program"], plan=a_plan(cast), by=coordinator.user)
    with pytest.raises(MatchingError):
        sd.update_event(event=event, plan=a_plan(cast, rounds=4), by=coordinator.user)


def test_closed_program_pages_refuse_changes(client, cast, coordinator):
    event = sd.plan_event(program=cast["program"], plan=a_plan(cast), by=coordinator.user)
    close_program(program=cast["program"])
    login(client, coordinator)
    url = reverse("matching:sd_publish", args=[cast["program"].pk, event.pk])
    response = client.post(url, follow=True)
    event.refresh_from_db()
    assert not event.is_published
    assert "lecture seule" in response.content.decode()
    new = client.get(reverse("matching:sd_new", args=[cast["program"].pk]), follow=True)
    assert "aucun événement ne peut y être ajouté" in new.content.decode()
    page = client.get(reverse("matching:sd_event", args=[cast["program"].pk, event.pk]))
    assert "Publier et envoyer" not in page.content.decode()
