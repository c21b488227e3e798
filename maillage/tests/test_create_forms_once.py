"""Every create form counts once, whatever the clicks (issue 12, finding 5).

The walk: for each create form of the apps, render its page as the person who uses it, fill the
form as rendered (its own defaults, plus a few words where a field is required), send it twice
with the same token, and check that one row was made and that the repeat answered with the same
page as the first. A form that lost its `{% form_token %}` fails here, by name."""

from __future__ import annotations

from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import timezone

from maillage.conftest import login
from maillage.evaluation.models import ObserverNote
from maillage.inclusion.models import InclusionGroup
from maillage.intake.models import PotentialMentor
from maillage.mentoring.models import Group, MeetingNote, Need, Objective, TimeEntry, UpdateMessage
from maillage.mentoring.services import create_group, plan_for, record_meeting, schedule_meeting
from maillage.programs.models import Role, Track
from maillage.selection.models import Criterion

pytestmark = pytest.mark.django_db


class _Form(HTMLParser):
    """The fields of the POST form whose action starts with `action` (or the first form with
    a token), as the browser would send them untouched."""

    def __init__(self, action: str | None) -> None:
        super().__init__()
        self.action, self.inside, self.done = action, False, False
        self.fields: dict[str, str] = {}
        self._textarea: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and not self.done:
            wanted = self.action is None or (a.get("action") or "").startswith(self.action)
            self.inside = a.get("method") == "post" and wanted
            if self.inside:
                self.fields = {}
            return
        if not self.inside:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self.fields[name] = a.get("value", "on")
                elif kind == "radio":
                    self.fields.setdefault(name, a.get("value", ""))
            elif kind not in ("submit", "button"):
                self.fields[name] = a.get("value") or ""
        elif tag == "textarea" and name:
            self._textarea = name
            self.fields[name] = ""
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select:
            if "selected" in a or self._select not in self.fields:
                self.fields[self._select] = a.get("value", "")

    def handle_data(self, data):
        if self._textarea:
            self.fields[self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "form" and self.inside:
            self.inside = False
            if self.action is not None or "form_token" in self.fields:
                self.done = True


def form_fields(html: str, action: str | None) -> dict[str, str]:
    parser = _Form(action)
    parser.feed(html)
    assert parser.done, f"no POST form for {action} on the page"
    return parser.fields


@pytest.fixture
def group(program_a, mentor, mentee, coordinator) -> Group:
    return create_group(
        program=program_a,
        mentor_roles=[program_a.roles.get(person=mentor, kind=Role.Kind.MENTOR)],
        mentee_roles=[program_a.roles.get(person=mentee, kind=Role.Kind.MENTEE)],
        approved_by=coordinator.user,
        name="Logistique",
    )


def _cases(program, group, coordinator, mentor):
    """(who, page, form action or None, what to type, the rows that must grow by one)."""
    g = (program.pk, group.pk)
    member = group.members.get(side="mentee")
    plan_for(member=member)
    p = (*g, member.pk)
    meeting = schedule_meeting(
        group=group,
        by=coordinator,
        starts_at=timezone.now() - timedelta(days=2),
        duration_minutes=120,
    )
    record_meeting(meeting=meeting, by=coordinator, present=[mentor], log_time=False)
    return [
        (
            coordinator,
            reverse("programs:edit", args=[program.pk]),
            reverse("programs:track_add", args=[program.pk]),
            {"name": "Synergies"},
            Track,
        ),
        (
            coordinator,
            reverse("selection:criteria", args=[program.pk]),
            reverse("selection:criterion_add", args=[program.pk]),
            {"new-label_fr": "Capacité d’accueil", "new-weight": "2"},
            Criterion,
        ),
        (
            coordinator,
            reverse("inclusion:home", args=[program.pk]),
            reverse("inclusion:group_add", args=[program.pk]) + "#ajouter",
            {"label_fr": "Personnes proches aidantes"},
            InclusionGroup,
        ),
        (
            coordinator,
            reverse("intake:potential_mentor_add", args=[program.pk]),
            None,
            {"first_name": "Marie", "last_name": "Leader", "email": "marie.leader@exemple.org"},
            PotentialMentor,
        ),
        (
            mentor,
            reverse("mentoring:plan", args=p),
            reverse("mentoring:need_add", args=p),
            {"text": "Trouver un camion réfrigéré"},
            Need,
        ),
        (
            mentor,
            reverse("mentoring:plan", args=p),
            reverse("mentoring:objective_add", args=p),
            {"text": "Deux tournées par semaine"},
            Objective,
        ),
        (
            mentor,
            reverse("mentoring:hours", args=g),
            None,
            {"hours": "1.5", "description": "Appel de suivi"},
            TimeEntry,
        ),
        (
            mentor,
            reverse("mentoring:meeting", args=(*g, meeting.pk)),
            reverse("mentoring:note_add", args=(*g, meeting.pk)),
            {"text": "Bonne rencontre."},
            MeetingNote,
        ),
        (
            mentor,
            reverse("mentoring:updates", args=g),
            None,
            {"text": "Nous avons trouvé un camion."},
            UpdateMessage,
        ),
        (
            coordinator,
            reverse("evaluation:notes", args=[program.pk]),
            None,
            {
                "meeting": str(meeting.pk),
                "observed_on": str(timezone.localdate()),
                "notes": "Le groupe avance bien.",
            },
            ObserverNote,
        ),
    ]


def test_every_create_form_counts_once(client, program_a, group, coordinator, mentor):
    problems = []
    for who, page, action, typed, model in _cases(program_a, group, coordinator, mentor):
        login(client, who)
        html = client.get(page).content.decode()
        where = f"{model.__name__} ({page})"
        try:
            fields = form_fields(html, action)
        except AssertionError:
            problems.append(f"{where}: no form on the page")
            continue
        if "form_token" not in fields:
            problems.append(f"{where}: no form_token")
            continue
        data = {**fields, **{k: v for k, v in typed.items() if k in fields}}
        target = action or page
        before = model.objects.count()
        first = client.post(target, data)
        again = client.post(target, data)
        made = model.objects.count() - before
        if first.status_code != 302:
            errors = getattr(first.context, "get", lambda *_: None)("form")
            problems.append(
                f"{where}: first answer {first.status_code} {getattr(errors, 'errors', '')}"
            )
        elif made != 1 or again.status_code != 302 or again["Location"] != first["Location"]:
            problems.append(f"{where}: {made} rows, repeat {again.status_code}")
    assert problems == [], "\n".join(problems)
