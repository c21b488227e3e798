"""Reads of inclusion: a person's own answers, and the program's indicators as the coordination
sees them, never a count under the small-cell threshold."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from maillage.core.models import Person
from maillage.core.smallcell import MARK, small_cell_k
from maillage.intake.models import Application
from maillage.programs.models import Program, Role

from .models import Declaration, Declined, InclusionConsent, InclusionGroup, Purpose
from .signals import stage_people

PARTICIPANTS = (Role.Kind.MENTOR, Role.Kind.MENTEE)

# The stages of the indicators, in the order people go through them. "mentors" is the mentor
# side of the groups: another population, beside "matched" (the mentees in a group).
STAGES: dict[str, Any] = {
    "applicants": _("Candidatures"),
    "selected": _("Sélectionnées"),
    "matched": _("Personnes mentorées jumelées"),
    "mentors": _("Mentor·es jumelé·es"),
    "satisfied": _("Satisfaites ou très satisfaites"),
}
# Stages whose people are a subset of the stage before: a difference between two published
# figures of one group along this chain would count the few who left, so it is protected too.
CHAIN = ("applicants", "selected", "matched", "satisfied")


# --- The person's own page ---------------------------------------------------------------------


@dataclass
class Answer:
    """What a person holds for one purpose, as their page shows it."""

    purpose: str
    label: str
    consent: InclusionConsent | None
    members: list[InclusionGroup] = field(default_factory=list)
    wishes: list[InclusionGroup] = field(default_factory=list)
    declined: bool = False

    @property
    def declared(self) -> bool:
        return bool(self.members or self.wishes)


def answers_of(person: Person, program: Program) -> dict[str, Answer]:
    declarations = list(
        Declaration.objects.filter(person=person, program=program).select_related("group")
    )
    declined = set(
        Declined.objects.filter(person=person, program=program).values_list("purpose", flat=True)
    )
    out = {}
    for purpose, label in Purpose.choices:
        mine = [d for d in declarations if d.purpose == purpose]
        out[purpose] = Answer(
            purpose=purpose,
            label=str(label),
            consent=InclusionConsent.objects.of(person, program, purpose).valid().first(),
            members=[d.group for d in mine if d.kind == Declaration.Kind.MEMBER],
            wishes=[d.group for d in mine if d.kind == Declaration.Kind.WISH],
            declined=purpose in declined,
        )
    return out


def unanswered(person: Person, program: Program) -> bool:
    """True when the program tracks groups and the person has given no answer at all, for
    neither purpose: the only case where « Mes programmes » mentions the question (once)."""
    if not program.inclusion_groups.exists():
        return False
    return not (
        Declaration.objects.filter(person=person, program=program).exists()
        or Declined.objects.filter(person=person, program=program).exists()
        or InclusionConsent.objects.filter(person=person, program=program).exists()
    )


def my_programs(person: Person) -> list[dict[str, Any]]:
    """« Mon compte »: each program where the person is a mentor or a mentee and which tracks
    groups, with what they answered for each purpose."""
    programs = (
        Program.objects.filter(roles__person=person, roles__kind__in=PARTICIPANTS)
        .filter(inclusion_groups__isnull=False)
        .distinct()
        .order_by("-start_date", "title")
    )
    return [{"program": p, "answers": answers_of(person, p)} for p in programs]


def person_data(person: Person) -> list[dict[str, Any]]:
    """Law 25 portability (« Mes données »): every declaration the person holds now, with the
    consent it was given under. A withdrawn one is gone, so it is not here."""
    rows = []
    for d in (
        Declaration.objects.filter(person=person)
        .select_related("program", "group", "consent")
        .order_by("program_id", "purpose", "kind", "group__position")
    ):
        rows.append(
            {
                "program": d.program.title,
                "purpose": d.get_purpose_display(),
                "kind": d.get_kind_display(),
                "group": d.group.label,
                "consent_text": d.consent.text,
                "consent_version": d.consent.version,
                "consent_language": d.consent.language,
                "consent_at": d.consent.given_at.isoformat(),
            }
        )
    return rows


def consents_of(person: Person) -> list[dict[str, Any]]:
    """« Mes consentements »: for each program and purpose, the person's latest consent to
    self-identification (given, or withdrawn and when), with what it lets the program do."""
    from django.conf import settings

    languages = dict(settings.LANGUAGES)
    latest: dict[tuple[int, str], InclusionConsent] = {}
    for consent in (
        InclusionConsent.objects.filter(person=person)
        .select_related("program")
        .order_by("-given_at", "-pk")
    ):
        latest.setdefault((consent.program_id, consent.purpose), consent)
    held = set(
        Declaration.objects.filter(person=person, consent__withdrawn_at__isnull=True).values_list(
            "consent_id", flat=True
        )
    )
    participant = set(
        Role.objects.filter(person=person, kind__in=PARTICIPANTS).values_list(
            "program_id", flat=True
        )
    )
    rows = [
        {
            "consent": consent,
            "program": consent.program,
            "purpose": consent.get_purpose_display(),
            "language": str(languages.get(consent.language, consent.language)),
            "withdrawn": consent.withdrawn_at is not None,
            "holds_answers": consent.pk in held,
            "own_page": consent.program_id in participant,
        }
        for consent in latest.values()
    ]
    rows.sort(key=lambda r: (r["program"].title, r["consent"].purpose))
    return rows


# --- The program's indicators -----------------------------------------------------------------


@dataclass
class Figure:
    """One published figure: how many people of a stage declared a group, hidden (`hidden`)
    when it or anything it lets one work out counts fewer than k people."""

    count: int | None
    total: int | None
    target: int | None = None
    hidden: bool = False
    label: str = ""  # the stage's

    @property
    def shown(self) -> str:
        return MARK if self.hidden else ("" if self.count is None else str(self.count))

    @property
    def percent(self) -> int | None:
        if self.hidden or self.count is None or not self.total:
            return None
        return round(100 * self.count / self.total)

    @property
    def reached(self) -> bool | None:
        """Against the objective: None when there is none or the figure is hidden."""
        if self.target is None or self.percent is None:
            return None
        return self.percent >= self.target


@dataclass
class Stage:
    key: str
    label: str
    total: int
    total_hidden: bool


@dataclass
class Indicators:
    k: int
    stages: list[Stage]
    rows: list[tuple[InclusionGroup, list[Figure]]]
    respondents: Figure  # how many people answered for the objectives at all

    @property
    def any_hidden(self) -> bool:
        return self.respondents.hidden or any(f.hidden for _g, fs in self.rows for f in fs)


def _small(n: int, k: int) -> bool:
    return 1 <= n <= k - 1


def stage_populations(program: Program) -> dict[str, tuple[int, set[int]]]:
    """Each stage's size and the people in it who could have declared (a person with an
    account). Applications without a person count in the size, never as a member."""
    apps = list(Application.objects.filter(program=program).values_list("person_id", "status"))
    selected = [p for p, status in apps if status == Application.Status.SELECTED]
    out = {
        "applicants": (len(apps), {p for p, _s in apps if p}),
        "selected": (len(selected), {p for p in selected if p}),
    }
    found: dict[str, set[int]] = {}
    for _receiver, answer in stage_people.send(sender=Program, program=program):
        for stage, people in (answer or {}).items():
            found.setdefault(stage, set()).update(people)
    for stage in ("matched", "mentors", "satisfied"):
        people = found.get(stage, set())
        out[stage] = (len(people), people)
    return out


def _protect(values: list[tuple[str, int, int]], k: int) -> set[str]:
    """The stages of one group's row to hide: a count under k, a remainder (the stage's other
    people) under k, or a difference under k with a figure already published along the chain
    of nested stages."""
    hidden: set[str] = set()
    published: list[int] = []
    for stage, count, total in values:
        if _small(count, k) or _small(total - count, k) or _small(total, k):
            hidden.add(stage)
            continue
        if stage in CHAIN and any(_small(abs(count - other), k) for other in published):
            hidden.add(stage)
            continue
        if stage in CHAIN:
            published.append(count)
    return hidden


def indicators(program: Program, k: int | None = None) -> Indicators:
    """Representation of each tracked group at each stage, against its objectives, counted from
    the declarations made for the objectives (never those made for matching), under a valid
    consent."""
    k = small_cell_k(k)
    groups = list(program.inclusion_groups.all())
    if not groups:  # nothing tracked, nothing to count: one query (the impact report asks)
        return Indicators(k=k, stages=[], rows=[], respondents=Figure(count=0, total=None))
    counted = Declaration.objects.filter(
        program=program,
        purpose=Purpose.OBJECTIVES,
        kind=Declaration.Kind.MEMBER,
        consent__withdrawn_at__isnull=True,
    )
    members: dict[int, set[int]] = {}
    for person_id, group_id in counted.values_list("person_id", "group_id"):
        members.setdefault(group_id, set()).add(person_id)
    populations = stage_populations(program)
    stages = [
        Stage(key, str(label), populations[key][0], _small(populations[key][0], k))
        for key, label in STAGES.items()
    ]
    rows = []
    for group in groups:
        mine = members.get(group.pk, set())
        values = [(s.key, len(mine & populations[s.key][1]), s.total) for s in stages]
        hidden = _protect(values, k)
        targets = group.targets()
        rows.append(
            (
                group,
                [
                    Figure(
                        count=None if stage in hidden else count,
                        total=total,
                        target=targets.get(stage),
                        hidden=stage in hidden,
                        label=str(STAGES[stage]),
                    )
                    for stage, count, total in values
                ],
            )
        )
    answered = len(set(counted.values_list("person_id", flat=True)))
    respondents = Figure(
        count=None if _small(answered, k) else answered, total=None, hidden=_small(answered, k)
    )
    return Indicators(k=k, stages=stages, rows=rows, respondents=respondents)


def indicators_table(ind: Indicators) -> tuple[list[str], list[list[Any]]]:
    """The indicators page as a table to download: one row per group and stage, with exactly
    the figures the page shows (« x » where the page masks one), and the number of people who
    answered. Nothing here is computed that the page does not publish."""
    headers = [
        _t("Groupe"),
        _t("Étape"),
        _t("Personnes à l’étape"),
        _t("Personnes du groupe"),
        _t("Part (%)"),
        _t("Objectif (%)"),
        _t("Objectif atteint"),
    ]
    reached = {True: _t("atteint"), False: _t("pas encore"), None: ""}
    rows: list[list[Any]] = []
    for group, figures in ind.rows:
        for stage, figure in zip(ind.stages, figures, strict=True):
            rows.append(
                [
                    group.label,
                    stage.label,
                    MARK if stage.total_hidden else stage.total,
                    MARK if figure.hidden else figure.count,
                    MARK if figure.hidden else ("" if figure.percent is None else figure.percent),
                    "" if figure.target is None else figure.target,
                    reached[figure.reached],
                ]
            )
    if ind.rows:
        rows.append(
            [
                _t("Personnes ayant répondu pour les objectifs"),
                "",
                "",
                MARK if ind.respondents.hidden else ind.respondents.count,
                "",
                "",
                "",
            ]
        )
    return headers, rows
