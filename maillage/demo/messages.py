"""Demo messages: a few exchanges in the threads of the past edition's two groups.

`pilot.build_past_edition` calls `add_demo_messages(pilot)` while the edition is still running
(a closed program's thread is read-only); the e-mails they would send are held back by the
replay. The last message of each thread is left unread by the mentees, so that their
« Mes groupes » shows a count and the phone crawl reaches the thread.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import TYPE_CHECKING

from django.utils import timezone

from maillage.mentoring import services as mentoring
from maillage.mentoring.models import Group, GroupMessage

if TYPE_CHECKING:
    from .pilot import Pilot

# (group, author's first name, day, hour:minute, text)
MESSAGES: list[tuple[str, str, date, str, str]] = [
    (
        "Logistique",
        "Sophie",
        date(2025, 7, 8),
        "09:12",
        "Bonjour Marc et Isabelle ! Pour la première rencontre, pouvons-nous regarder "
        "ensemble notre circuit de collecte du mardi ? Il nous prend une journée entière.",
    ),
    (
        "Logistique",
        "Marc",
        date(2025, 7, 8),
        "11:40",
        "Bonjour Sophie, avec plaisir. Apportez la liste des arrêts et les volumes moyens : "
        "on tracera le circuit sur la carte pendant la rencontre.",
    ),
    (
        "Logistique",
        "Isabelle",
        date(2025, 7, 9),
        "08:05",
        "Je joins notre gabarit de compilation des volumes, à remplir avant la rencontre si "
        "possible : https://exemple.maillage.org/outils/compilation-des-volumes-recuperes"
        "-par-arret-et-par-semaine.csv",
    ),
    (
        "Logistique",
        "François",
        date(2025, 7, 10),
        "16:30",
        "Merci ! De notre côté, la question est surtout l’entreposage au froid l’été.",
    ),
    (
        "Synergies",
        "Hélène",
        date(2025, 7, 7),
        "10:00",
        "Bonjour Annie et Karim, je vous propose de commencer par vos partenaires actuels : "
        "qui donne, qui reçoit, qui pourrait faire plus ?",
    ),
    (
        "Synergies",
        "Annie",
        date(2025, 7, 8),
        "14:20",
        "Bonne idée. Nous avons déjà une liste de 23 partenaires, je l’apporte.",
    ),
    (
        "Synergies",
        "Karim",
        date(2025, 7, 9),
        "09:45",
        "Est-ce qu’on peut déplacer la rencontre à 14 h ? Le camion revient plus tard ce jour-là.",
    ),
]


def _at(day: date, clock: str) -> datetime:
    hour, minute = (int(x) for x in clock.split(":"))
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def add_demo_messages(pilot: Pilot) -> list[GroupMessage]:
    """Add the demo messages once (nothing when the program has messages already)."""
    if GroupMessage.objects.filter(group__program=pilot.program).exists():
        return []
    groups = {g.name: g for g in Group.objects.filter(program=pilot.program)}
    done = []
    for name, author, day, clock, text in MESSAGES:
        group = groups[name]
        message = mentoring.post_message(
            group=group, author=pilot.people[author], text=text, by=pilot.camille.user
        )
        GroupMessage.objects.filter(pk=message.pk).update(created_at=_at(day, clock))
        done.append(message)
    # Everyone read their thread, except each group's last message, new to the mentees.
    for group in groups.values():
        messages = list(group.messages.order_by("pk"))
        for member in group.members.select_related("role__person"):
            person = member.role.person
            upto = messages[-2].pk if member.side == "mentee" else messages[-1].pk
            mentoring.mark_read(group=group, person=person, up_to=upto)
    return done
