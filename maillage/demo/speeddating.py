"""The demo's « speed dating mentoral »: held yesterday afternoon in the current edition, its
timetables sent, rankings still arriving (Sophie and the logistics team have not ranked yet, so
their home shows the ranking to send). The rankings agree with the pilot's two groups, so the
demo's matching keeps coming out as the pilot's."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.utils import timezone

from maillage.matching import speeddating as sd
from maillage.matching.models import SpeedDatingEvent, SpeedDatingRanking
from maillage.programs.models import Program, Role

WAITING = ("Sophie",)  # mentees who have not ranked yet


def build_demo_speed_dating(program: Program) -> SpeedDatingEvent:
    coordinator = program.roles.filter(kind=Role.Kind.COORDINATOR).first()
    by = coordinator.person.user if coordinator else None
    people = sd.invitable(program)
    day = timezone.localdate() - timedelta(days=1)
    starts = timezone.make_aware(datetime.combine(day, time(13, 30)))
    plan = sd.EventPlan(
        title="Speed dating mentoral d’automne",
        format=SpeedDatingEvent.Format.IN_PERSON,
        starts_at=starts,
        rounds=2,
        round_minutes=10,
        break_minutes=5,
        places=["Salle Saint-Laurent", "Salle Outaouais"],
        address="Maison du développement durable (fictif), Montréal",
        mentee_keys=[s.key for s in people.mentees],
        mentor_keys=[s.key for s in people.mentors],
        ranking_deadline=starts + timedelta(days=7),
    )
    event = sd.plan_event(program=program, plan=plan, by=by)
    SpeedDatingEvent.objects.filter(pk=event.pk).update(
        status=SpeedDatingEvent.Status.PUBLISHED, published_at=starts - timedelta(days=3)
    )
    # Who prefers whom: each mentee side its track's mentor side first (the pilot's groups).
    track_of = {s.key: s.data.get("track_id") for s in people.mentors + people.mentees}
    first_name = {s.key: s.roles[0].person.first_name for s in people.mentees}
    for kind, sides in (("mentee", people.mentees), ("mentor", people.mentors)):
        for side in sides:
            if kind == "mentee" and first_name[side.key] in WAITING:
                continue
            if kind == "mentor" and side.is_team:
                continue  # the logistics team ranks later
            met = sd.met_by(event, side.key, kind)
            others = [m.mentor_key if kind == "mentee" else m.mentee_key for m in met]
            order = sorted(others, key=lambda k, t=track_of[side.key]: track_of.get(k) != t)
            SpeedDatingRanking.objects.create(
                event=event,
                side_key=side.key,
                side_kind=kind,
                order=order,
                submitted_at=starts + timedelta(hours=3),
            )
    return event
