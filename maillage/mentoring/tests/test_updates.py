from __future__ import annotations

import pytest
from django.core import mail

from maillage.mentoring import services
from maillage.mentoring.errors import MentoringError
from maillage.mentoring.models import Need, UpdateMessage, UpdateReply

from .conftest import later


@pytest.fixture
def need(group, mentee):
    plan = services.plan_for(member=group.members.get(role__person=mentee))
    return services.add_need(plan=plan, by=mentee, text="Transport réfrigéré")


def test_a_mentee_update_marks_needs_and_notifies_the_others(
    group, mentee, need, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        update = services.post_update(
            group=group, author=mentee, text="Réglé avec la ville", addressed=[need]
        )
    assert update.kind == UpdateMessage.Kind.MENTEE_UPDATE
    assert Need.objects.get().status == Need.Status.ADDRESSED
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        ["marc.mentor@exemple.org", "nadia.deuxieme@exemple.org"]
    )  # the author is not told about their own message


def test_a_mentee_cannot_mark_someone_elses_needs(group, second_mentee, need):
    with pytest.raises(MentoringError):
        services.post_update(group=group, author=second_mentee, text="x", addressed=[need])


def test_the_mentor_posts_the_next_meeting_content_and_mentees_answer(group, mentor, mentee):
    meeting = services.schedule_meeting(
        group=group, by=mentor, starts_at=later(days=5), duration_minutes=60
    )
    planned = services.post_update(
        group=group, author=mentor, text="Chaîne du froid", next_meeting=meeting
    )
    assert planned.kind == UpdateMessage.Kind.MENTOR_NEXT_MEETING
    services.reply_update(message=planned, person=mentee, answer=UpdateReply.Answer.NOT_NEEDED)
    services.reply_update(message=planned, person=mentee, answer=UpdateReply.Answer.RELEVANT)
    assert planned.replies.get().answer == UpdateReply.Answer.RELEVANT  # changed, not doubled
    with pytest.raises(MentoringError):
        services.reply_update(message=planned, person=mentor, answer="relevant")


def test_muted_people_get_no_update_email(
    group, mentee, monkeypatch, django_capture_on_commit_callbacks
):
    from maillage.mentoring import tasks

    monkeypatch.setattr(tasks, "should_send", lambda person, kind: person.first_name != "Marc")
    with django_capture_on_commit_callbacks(execute=True):
        services.post_update(group=group, author=mentee, text="Rien de neuf")
    assert [m.to[0] for m in mail.outbox] == ["nadia.deuxieme@exemple.org"]


def test_the_hook_answers_yes_by_default(mentee):
    from maillage.core.services import should_send

    assert should_send(mentee, "mentoring_update") is True
