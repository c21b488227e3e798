"""Build the load benchmark's network (issue 14): programs, people, groups and meetings.

    DATABASE_URL=postgres://… .venv/bin/python bench/load/build.py --programs 200 \
        --participants 10000 --meetings 100000 --out /tmp/load-targets.json

Each program is made by the service a coordinator's page calls (`create_program`, with its
defaults and default interest form); the people, roles, consents, groups, members, meetings,
attendance and time entries are written in bulk, shaped as the services would write them
(groups of one mentor and two mentees, approved by the coordinator; meetings every two to
three weeks, the past ones held with attendance and time on the hours bank). Every account
shares one password, hashed once. The output JSON lists whom the load logs in as and which
pages they open.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "maillage.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from maillage.core.models import Organization, Person, Territory  # noqa: E402
from maillage.intake.services import create_default_form, set_form_open  # noqa: E402
from maillage.mentoring.models import (  # noqa: E402
    Attendance,
    Group,
    GroupMember,
    Meeting,
    TimeEntry,
)
from maillage.programs.models import Consent, Role  # noqa: E402
from maillage.programs.services import consent_purpose, consent_text, create_program  # noqa: E402

PASSWORD = "bench-maillage-2026"


def build(programs: int, participants: int, meetings: int, seed: int) -> dict:
    rng = random.Random(seed)
    User = get_user_model()
    password = make_password(PASSWORD)
    regions = list(Territory.objects.filter(kind="region")) or [None]
    now = timezone.now()
    per_program = max(3, participants // programs)
    groups_per_program = per_program // 3
    meetings_per_group = max(1, meetings // max(1, programs * groups_per_program))
    targets: dict = {"password": PASSWORD, "coordinators": [], "mentees": [], "forms": []}

    for p in range(programs):
        started = time.monotonic()
        with transaction.atomic():
            org = Organization.objects.create(
                name=f"Organisme coordonnateur {p:03d}", territory=rng.choice(regions)
            )
            users = User.objects.bulk_create(
                User(
                    username=f"p{p:03d}.{i:03d}@bench.maillage.org",
                    email=f"p{p:03d}.{i:03d}@bench.maillage.org",
                    password=password,
                )
                for i in range(per_program)
            )
            people = Person.objects.bulk_create(
                Person(
                    user=u,
                    first_name=f"Prénom{i:03d}",
                    last_name=f"Programme{p:03d}",
                    email=u.email,
                    organization=org,
                )
                for i, u in enumerate(users)
            )
            coordinator = people[0]
            program = create_program(
                by=coordinator,
                title=f"Programme de mentorat {p:03d}",
                theme="Réemploi alimentaire",
                coordinating_organization=org,
                start_date=(now - timedelta(days=120)).date(),
                end_date=(now + timedelta(days=240)).date(),
            )
            form = None
            if p < 5:  # a few programs recruit: the public form's load goes to them
                form = program.forms.first() or create_default_form(program=program)
                set_form_open(form=form, is_open=True)
            mentors = people[1 : 1 + groups_per_program]
            mentees = people[1 + groups_per_program : 1 + 3 * groups_per_program]
            roles = Role.objects.bulk_create(
                [Role(program=program, person=m, kind=Role.Kind.MENTOR) for m in mentors]
                + [Role(program=program, person=m, kind=Role.Kind.MENTEE) for m in mentees]
            )
            purpose, text = consent_purpose(program), consent_text(program)
            Consent.objects.bulk_create(
                Consent(
                    person=r.person,
                    program=program,
                    purpose=purpose,
                    text=text,
                    source=Consent.Source.FORM,
                    given_at=now - timedelta(days=110),
                )
                for r in roles
            )
            mentor_roles = roles[: len(mentors)]
            mentee_roles = roles[len(mentors) :]
            groups = Group.objects.bulk_create(
                Group(
                    program=program,
                    name=f"Groupe {g:02d}",
                    status=Group.Status.ACTIVE,
                    approved_by=coordinator.user,
                    approved_by_name=coordinator.full_name,
                    approved_at=now - timedelta(days=100),
                    hours_bank=program.hours_bank,
                )
                for g in range(groups_per_program)
            )
            members = []
            for g, group in enumerate(groups):
                members.append(
                    GroupMember(group=group, role=mentor_roles[g], side=GroupMember.Side.MENTOR)
                )
                for mentee_role in mentee_roles[2 * g : 2 * g + 2]:
                    members.append(
                        GroupMember(group=group, role=mentee_role, side=GroupMember.Side.MENTEE)
                    )
            GroupMember.objects.bulk_create(members)
            rows, held_people = [], []
            for g, group in enumerate(groups):
                sides = [mentors[g], *mentees[2 * g : 2 * g + 2]]
                first = now - timedelta(days=95)
                for k in range(meetings_per_group):
                    starts = first + timedelta(
                        days=14 * k + rng.randint(0, 7), hours=rng.randint(9, 16)
                    )
                    held = starts < now
                    rows.append(
                        Meeting(
                            group=group,
                            starts_at=starts.replace(second=0, microsecond=0),
                            duration_minutes=rng.choice([60, 90, 120]),
                            status=Meeting.Status.HELD if held else Meeting.Status.PLANNED,
                            uid=f"{uuid.uuid4()}@maillage",
                            created_by=coordinator,
                        )
                    )
                    held_people.append(sides if held else None)
            made = Meeting.objects.bulk_create(rows, batch_size=2000)
            attendance, time_entries = [], []
            for meeting, sides in zip(made, held_people, strict=True):
                if sides is None:
                    continue
                for person in sides:
                    attendance.append(Attendance(meeting=meeting, person=person, present=True))
                time_entries.append(
                    TimeEntry(
                        group=meeting.group,
                        person=sides[0],
                        date=timezone.localdate(meeting.starts_at),
                        minutes=meeting.duration_minutes,
                        kind=TimeEntry.Kind.MEETING,
                        meeting=meeting,
                    )
                )
            Attendance.objects.bulk_create(attendance, batch_size=5000)
            TimeEntry.objects.bulk_create(time_entries, batch_size=5000, ignore_conflicts=True)
        targets["coordinators"].append(
            {"email": coordinator.email, "program": program.pk, "groups": [g.pk for g in groups]}
        )
        targets["mentees"].extend(
            {"email": m.email, "program": program.pk, "group": groups[i // 2].pk}
            for i, m in enumerate(mentees[:10])
        )
        if form is not None:
            targets["forms"].append(form.token)
        print(
            f"program {p + 1}/{programs}: {len(people)} people, {len(groups)} groups, "
            f"{len(rows)} meetings ({time.monotonic() - started:.1f} s)",
            file=sys.stderr,
        )
    return targets


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--programs", type=int, default=200)
    parser.add_argument("--participants", type=int, default=10_000)
    parser.add_argument("--meetings", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=Path("/tmp/load-targets.json"))
    args = parser.parse_args()
    started = time.monotonic()
    targets = build(args.programs, args.participants, args.meetings, args.seed)
    args.out.write_text(json.dumps(targets, indent=1), encoding="utf-8")
    counts = {
        "people": Person.objects.count(),
        "groups": Group.objects.count(),
        "meetings": Meeting.objects.count(),
    }
    print(f"built {counts} in {time.monotonic() - started:.0f} s → {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
