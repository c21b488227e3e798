"""The demo's inclusion: the groups each edition tracks, and a few declarations the 2025
edition's participants chose to make, each under a consent to its purpose.

The 2025 edition counted who came without fixing objectives (a first year gives the portrait to
set them from): its accreditation dossier has the groups but no objective, and the assessor
asked for them (`demo/accreditation.py`). The current edition fixed them
(`build_demo_inclusion_objectives`, through the services, as its coordinator would).

The 2025 edition is small (a few groups of three): under the threshold of 10, its indicators
page shows « masqué » everywhere, which is the point of the rule; the people's own pages show
what they declared. Written directly rather than through the services: the edition is closed,
and a closed program takes no new answer (`inclusion.services.declare`)."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone, translation

from maillage.core.smallcell import small_cell_k
from maillage.demo.editions import DEMO_TITLE, PAST_DEMO_TITLE
from maillage.inclusion import services
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
    # key, French, English, the current edition's objectives (%): applicants, selected, matched
    # mentees, matched mentors. The 2025 edition tracked the same groups without objectives.
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
    """Once: the 2025 edition's groups (no objectives) and a few consented declarations; the
    current edition's groups with their objectives."""
    build_demo_inclusion_objectives()
    program = Program.objects.filter(title=PAST_DEMO_TITLE).first()
    if program is None or program.inclusion_groups.exists():
        return program
    # Answered with the welcome, two weeks before the edition started (never after today).
    at = timezone.make_aware(datetime.combine(program.start_date - timedelta(days=14), time(10)))
    with transaction.atomic():
        groups = {}
        for position, (key, fr, en, _targets) in enumerate(GROUPS):
            groups[key] = InclusionGroup.objects.create(
                program=program, key=key, label_fr=fr, label_en=en, position=position
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


def build_demo_inclusion_objectives() -> Program | None:
    """Once: the current edition's groups and objectives, set by its coordinator after the
    assessor's review of the 2025 dossier."""
    program = Program.objects.filter(title=DEMO_TITLE).first()
    if program is None or program.inclusion_groups.exists():
        return program
    camille = program.roles.filter(kind=Role.Kind.COORDINATOR).order_by("pk").first().person
    with transaction.atomic():
        for key, _fr, _en, targets in GROUPS:
            group = services.add_group(program=program, key=key, by=camille.user)
            applicants, selected, matched, mentors = targets
            services.update_group(
                group=group,
                by=camille.user,
                seen=group.revision,
                label_fr=group.label_fr,
                label_en=group.label_en,
                target_applicants=applicants,
                target_selected=selected,
                target_matched=matched,
                target_mentors=mentors,
            )
    return program
