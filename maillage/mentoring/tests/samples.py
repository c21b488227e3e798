"""Objects of a running group for route walkers (the site-wide outsider walk included):
`walk_samples(program)` forms a group in `program` if it has none and returns one real pk for
each integer parameter of the mentoring routes."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from maillage.mentoring import services
from maillage.mentoring.models import Group, GroupMember
from maillage.programs.models import Program, Role


def walk_samples(program: Program) -> dict[str, Any]:
    group = Group.objects.filter(program=program).first()
    if group is None:
        mentor = program.roles.filter(kind=Role.Kind.MENTOR).first()
        mentee = program.roles.filter(kind=Role.Kind.MENTEE).first()
        coordinator = program.roles.filter(kind=Role.Kind.COORDINATOR).first()
        group = services.create_group(
            program=program,
            mentor_roles=[mentor],
            mentee_roles=[mentee],
            approved_by=coordinator.person.user,
        )
    member = group.members.filter(side=GroupMember.Side.MENTEE).select_related("role__person")[0]
    mentor = group.members.filter(side=GroupMember.Side.MENTOR).select_related("role__person")[0]
    meeting = group.meetings.first() or services.schedule_meeting(
        group=group,
        by=None,
        starts_at=timezone.now() - timedelta(days=1),
        duration_minutes=60,
    )
    plan = services.plan_for(member=member)
    need = plan.needs.first() or services.add_need(plan=plan, by=member.role.person, text="Besoin")
    objective = plan.objectives.first() or services.add_objective(
        plan=plan, by=member.role.person, text="Objectif"
    )
    step = objective.steps.first() or services.add_step(
        objective=objective, by=member.role.person, text="Étape"
    )
    update = group.updates.first() or services.post_update(
        group=group, author=mentor.role.person, text="Contenu prévu"
    )
    message = group.messages.first() or services.post_message(
        group=group, author=member.role.person, text="Bonjour à tous"
    )
    return {
        "group_pk": group.pk,
        "message_pk": message.pk,
        "meeting_pk": meeting.pk,
        "member_pk": member.pk,
        "need_pk": need.pk,
        "objective_pk": objective.pk,
        "step_pk": step.pk,
        "update_pk": update.pk,
    }
