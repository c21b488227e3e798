"""The demo 2025 edition's inclusion: the groups it tracked with its objectives, and a few
declarations its participants chose to make, each under a consent to its purpose.

The edition is small (a few groups of three): under the threshold of 10, its indicators page
shows « masqué » everywhere, which is the point of the rule; the people's own pages show what
they declared. Written directly rather than through the services: the edition is closed, and a
closed program takes no new answer (`inclusion.services.declare`)."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import translation

from maillage.core.smallcell import small_cell_k
from maillage.demo.editions import PAST_DEMO_TITLE
from maillage.inclusion.models import (
    Declaration,
    Declined,
    InclusionConsent,
    InclusionGroup,
    Purpose,
)
from maillage.inclusion.services import CONSENT_VERSION, consent_text
from maillage.programs.models import Program, Role

GROUPS = [
    # key, French, English, objectives: applicants, selected, matched mentees, matched mentors
    ("women", "Femmes", "Women", (40, 40, 40, 30)),
    (
        "newcomers",
        "Personnes immigrantes ou nouvellement arrivées",
        "Immigrants and newcomers",
        (None, None, 20, None),
    ),
    ("racialized", "Personnes racisées", "Racialized people", (None, None, None, None)),
]


def _consent(person, program: Program, purpose: str, at) -> InclusionConsent:
    with translation.override("fr"):
        text = consent_text(program, purpose, k=small_cell_k())
    return InclusionConsent.objects.create(
        person=person,
        program=program,
        purpose=purpose,
        text=text,
        version=CONSENT_VERSION,
        language="fr",
        source=InclusionConsent.Source.DEMO,
        given_at=at,
    )


def build_demo_inclusion() -> Program | None:
    """Once: the 2025 edition's groups, objectives and a few consented declarations."""
    program = Program.objects.filter(title=PAST_DEMO_TITLE).first()
    if program is None or program.inclusion_groups.exists():
        return program
    at = program.created_at + timedelta(days=30)
    with transaction.atomic():
        groups = {}
        for position, (key, fr, en, targets) in enumerate(GROUPS):
            applicants, selected, matched, mentors = targets
            groups[key] = InclusionGroup.objects.create(
                program=program,
                key=key,
                label_fr=fr,
                label_en=en,
                position=position,
                target_applicants=applicants,
                target_selected=selected,
                target_matched=matched,
                target_mentors=mentors,
            )
        roles = program.roles.select_related("person").order_by("pk")
        mentees = [r.person for r in roles.filter(kind=Role.Kind.MENTEE)]
        mentors = [r.person for r in roles.filter(kind=Role.Kind.MENTOR)]
        counted = [
            (mentees[0], ["women"]),
            (mentees[1], ["women", "newcomers"]) if len(mentees) > 1 else None,
            (mentees[2], ["racialized"]) if len(mentees) > 2 else None,
            (mentors[0], ["women"]) if mentors else None,
        ]
        for item in filter(None, counted):
            person, keys = item
            consent = _consent(person, program, Purpose.OBJECTIVES, at)
            for key in keys:
                Declaration.objects.create(
                    person=person,
                    program=program,
                    group=groups[key],
                    purpose=Purpose.OBJECTIVES,
                    consent=consent,
                )
        # Matching: a mentee asked for a woman on the mentor side, a mentor said she is one.
        if mentees and mentors:
            consent = _consent(mentees[0], program, Purpose.MATCHING, at)
            for kind in (Declaration.Kind.MEMBER, Declaration.Kind.WISH):
                Declaration.objects.create(
                    person=mentees[0],
                    program=program,
                    group=groups["women"],
                    purpose=Purpose.MATCHING,
                    kind=kind,
                    consent=consent,
                )
            consent = _consent(mentors[0], program, Purpose.MATCHING, at)
            Declaration.objects.create(
                person=mentors[0],
                program=program,
                group=groups["women"],
                purpose=Purpose.MATCHING,
                consent=consent,
            )
        # And someone preferred not to answer, for both purposes.
        if len(mentees) > 3:
            for purpose in Purpose.values:
                Declined.objects.create(person=mentees[3], program=program, purpose=purpose)
    return program
