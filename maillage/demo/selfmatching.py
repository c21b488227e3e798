"""Self-matching in the demo program: open for three weeks, the mentor sides showing their
profiles, two mentees showing part of theirs, and one request waiting for the mentor side's
answer (so that the home pages, the profiles and the requests all have something to show)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from maillage.matching import services
from maillage.matching.models import ProfileCard
from maillage.matching.seats import build_board
from maillage.programs.models import Program, Role

DEMO_MESSAGE = (
    "Bonjour ! Nos tournées de collecte et notre entreposage au froid ont besoin d’un regard "
    "d’expérience : votre façon de partager les camions nous inspire."
)


def build_demo_self_matching(program: Program) -> None:
    coordinator = program.roles.filter(kind=Role.Kind.COORDINATOR).first()
    by = coordinator.person.user if coordinator else None
    services.open_self_matching(
        program=program, is_open=True, closes_at=timezone.now() + timedelta(days=21), by=by
    )
    shown = {name: True for name in ProfileCard.SHOWN if name != "show_photo"}
    for role in program.roles.filter(kind=Role.Kind.MENTOR).select_related("person"):
        services.save_profile_card(
            program=program,
            person=role.person,
            intro="Heureux de partager ce que nous avons appris, erreurs comprises.",
            **shown,
        )
    mentees = list(program.roles.filter(kind=Role.Kind.MENTEE).select_related("person"))
    for role in mentees[:2]:
        services.save_profile_card(
            program=program, person=role.person, show_region=True, show_text=True
        )
    # The waiting request: the first mentee (never the demo's signed-in mentee, who still has
    # her choice to make) who may ask a mentor side.
    board = build_board(program)
    for role in mentees:
        if role.person.first_name == "Sophie":
            continue
        side = board.people.key_of(role)
        mentor = next((m for m in board.people.mentors if not board.blockers(side, m.key)), None)
        if mentor is not None:
            services.send_match_request(
                program=program,
                user=by,
                mentor_key=mentor.key,
                message=DEMO_MESSAGE,
                for_mentee=side,
                notify=False,
            )
            return
