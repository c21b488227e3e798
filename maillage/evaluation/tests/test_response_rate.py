from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from maillage.conftest import make_person
from maillage.evaluation import selectors, services
from maillage.evaluation.models import Answer, Invitation, Round
from maillage.programs.services import assign_role


def test_response_rate_counts_submitted_over_sent(open_round, mentee_invitation):
    assert open_round.response_rate() == (0, 2, 0.0)
    services.save_answers(invitation=mentee_invitation, values={}, submit=True)
    assert open_round.response_rate() == (1, 2, 0.5)
    share = selectors.response_rate(Invitation.objects.filter(round=open_round))
    assert (share.count, share.total, share.percent) == (1, 2, 50)


def test_an_unsent_invitation_does_not_lower_the_rate(open_round, program_a, mentee_invitation):
    person = make_person("Paul", "Pasencore")
    assign_role(program=program_a, person=person, kind="mentee")
    services.invite_round(round=open_round)  # created, not yet sent (no commit in tests)
    services.save_answers(invitation=mentee_invitation, values={}, submit=True)
    assert open_round.response_rate() == (1, 2, 0.5)


def test_round_page_shows_the_rate(as_coordinator, open_round, mentee_invitation, program_a):
    services.save_answers(invitation=mentee_invitation, values={}, submit=True)
    page = as_coordinator.get(reverse("evaluation:round", args=[program_a.pk, open_round.pk]))
    assert "50 %" in page.content.decode()


def answer_final(invitation, **by_indicator):
    questions = {q.indicator: q for q in invitation.questions().exclude(indicator="")}
    services.save_answers(
        invitation=invitation,
        values={questions[k]: v for k, v in by_indicator.items() if k in questions},
        submit=True,
    )


def test_indicators_from_submitted_final_answers(program_a, final, mentor, mentee, english_mentee):
    today = timezone.localdate()
    round = Round.objects.create(
        program=program_a, questionnaire=final, send_on=today, closes_on=today + timedelta(days=5)
    )
    services.invite_round(round=round)
    round.invitations.update(sent_at=timezone.now())
    invitations = {i.person_id: i for i in round.invitations.all()}
    answer_final(
        invitations[mentor.pk], satisfaction=5, would_mentor_again="yes", would_recommend="yes"
    )
    answer_final(invitations[mentee.pk], satisfaction=4, would_recommend="maybe")
    answer_final(invitations[english_mentee.pk], satisfaction=2, would_recommend="yes")
    # A draft does not count: an extra unsubmitted satisfaction answer changes nothing.
    Invitation.objects.filter(pk=invitations[english_mentee.pk].pk).update(submitted_at=None)

    shares = {s.indicator: s for s in selectors.program_indicators(program_a)}
    assert (shares["satisfaction"].count, shares["satisfaction"].total) == (2, 2)
    assert shares["satisfaction"].percent == 100
    assert (shares["would_mentor_again"].count, shares["would_mentor_again"].total) == (1, 1)
    assert (shares["would_recommend"].count, shares["would_recommend"].total) == (1, 2)
    assert shares["would_recommend"].rate == 0.5
    assert Answer.objects.filter(question__indicator="satisfaction").count() == 3


def test_indicators_per_track(program_a, final, mentor, mentee, group):
    from maillage.programs.models import Track

    track = Track.objects.create(program=program_a, name="Logistique")
    group.track = track
    group.save()
    today = timezone.localdate()
    round = Round.objects.create(
        program=program_a, questionnaire=final, send_on=today, closes_on=today + timedelta(days=5)
    )
    services.invite_round(round=round)
    round.invitations.update(sent_at=timezone.now())
    answer_final(round.invitations.get(person=mentee), satisfaction=5)
    assert selectors.program_indicators(program_a, track_id=track.pk)[0].count == 1
    other = Track.objects.create(program=program_a, name="Synergies")
    assert selectors.program_indicators(program_a, track_id=other.pk)[0].total == 0
