"""The demo network's communities of practice (seed 002: Mentorat Québec's « Jasettes
mentoriales », 7 monthly meetings on themes with articles and tools, and the « Explorations du
mentorat inclusif » webinars). Every name and link is invented.

The Jasettes started three months ago: three meetings are past, with attendance, notes and a
question still open; the four to come carry their themes and resources. Registrations and
attendance are written as rows (the audit trail records them) rather than through the services,
so that loading the demo sends no e-mail.
"""

from __future__ import annotations

from datetime import time, timedelta

from django.db import transaction
from django.utils import timezone

from maillage.core.models import Person
from maillage.measurement.models import Network, NetworkRole
from maillage.practice import services
from maillage.practice.models import (
    Attendance,
    Question,
    Registration,
    Resource,
    Series,
    eligible_people,
)

JASETTES = "Jasettes mentoriales"
EXPLORATIONS = "Explorations du mentorat inclusif"

# (theme, [(resource title, link)]): 7 meetings, 10 themes, 14 articles and tools.
THEMES = [
    (
        "Recruter des mentor·es et les garder",
        [
            ("Guide de recrutement des mentor·es (fictif)", "https://exemple.org/recrutement"),
            ("Gabarit d’annonce de bénévolat (fictif)", "https://exemple.org/annonce"),
        ],
    ),
    (
        "Jumeler : critères, entrevues et premiers contacts",
        [
            ("Grille de jumelage commentée (fictif)", "https://exemple.org/grille"),
            ("Article : la première rencontre (fictif)", "https://exemple.org/premiere"),
        ],
    ),
    (
        "Former les mentor·es au mentorat inclusif",
        [
            ("Trousse de formation inclusive (fictif)", "https://exemple.org/trousse"),
            ("Capsule : biais et jumelage (fictif)", "https://exemple.org/biais"),
        ],
    ),
    (
        "Accompagner les dyades et prévenir les ruptures",
        [
            ("Fiche : signaux d’alerte d’une dyade (fictif)", "https://exemple.org/signaux"),
            ("Gabarit de suivi mensuel (fictif)", "https://exemple.org/suivi"),
        ],
    ),
    (
        "Évaluer : questionnaires et indicateurs communs",
        [
            ("Questionnaire de satisfaction type (fictif)", "https://exemple.org/questionnaire"),
            ("Article : mesurer sans alourdir (fictif)", "https://exemple.org/mesurer"),
        ],
    ),
    (
        "Reconnaître l’engagement et clore un cycle",
        [
            ("Idées de reconnaissance des bénévoles (fictif)", "https://exemple.org/reconnaitre"),
            ("Modèle de bilan de fin de cycle (fictif)", "https://exemple.org/bilan"),
        ],
    ),
    (
        "Financer et pérenniser son programme",
        [
            ("Carte des bailleurs de fonds (fictif)", "https://exemple.org/bailleurs"),
            ("Article : raconter son impact (fictif)", "https://exemple.org/impact"),
        ],
    ),
]

NOTES = [
    "Tour de table des programmes. Deux organismes peinent à recruter des mentors en région : "
    "piste retenue, passer par les ordres professionnels et les anciens mentorés.",
    "Échange sur les entrevues de jumelage : la moitié des programmes font une entrevue à deux. "
    "Fatima partage sa grille ; à adapter aux petits programmes.",
    "Atelier sur les biais dans le jumelage. Plusieurs veulent une formation commune pour les "
    "mentors des membres du réseau.",
]


def _members(network: Network) -> list[Person]:
    people = eligible_people(network).filter(user__isnull=False)
    return sorted(people, key=lambda p: (p.last_name, p.first_name, p.pk))


@transaction.atomic
def build_demo_practice(network: Network) -> Series:
    """The Jasettes of the demo network (and the Explorations series); running it again
    changes nothing."""
    existing = Series.objects.filter(network=network, title=JASETTES).first()
    if existing is not None:
        return existing
    staff = NetworkRole.objects.filter(network=network, kind=NetworkRole.Kind.STAFF).first()
    by = staff.person.user if staff else None
    people = _members(network)
    facilitators = [staff.person] if staff else people[:1]
    today = timezone.localdate()
    # Three meetings past, the fourth next week.
    first_day = services.add_months(today + timedelta(days=7), -3)
    series = services.create_series(
        network=network,
        title=JASETTES,
        description=(
            "Groupes d’échanges mensuels entre responsables de programmes de mentorat : partager "
            "les défis et les solutions, apprendre des meilleures pratiques, créer une communauté "
            "d’entraide. Une heure, à l’heure du dîner, en ligne."
        ),
        first_day=first_day,
        start_time=time(12, 0),
        duration_minutes=60,
        themes=[theme for theme, _resources in THEMES],
        online_url="https://visio.exemple.org/jasettes",
        capacity=25,
        facilitators=facilitators,
        by=by,
    )
    meetings = list(series.meetings.order_by("number"))
    for meeting, (_theme, resources) in zip(meetings, THEMES, strict=True):
        for title, url in resources:
            Resource.objects.create(meeting=meeting, title=title, url=url)
    for person in people:
        Registration.objects.create(
            series=series, person=person, status=Registration.Status.CONFIRMED
        )
    past = [m for m in meetings if m.starts_at < timezone.now()][:3]
    for number, meeting in enumerate(past):
        for index, person in enumerate(people):
            Attendance.objects.create(
                meeting=meeting,
                person=person,
                # Someone misses a meeting now and then.
                present=(index + number) % 4 != 3,
                recorded_by=facilitators[0] if facilitators else None,
            )
        meeting.notes = NOTES[number]
        meeting.attendance_taken_at = meeting.starts_at + timedelta(hours=1)
        meeting.save(update_fields=["notes", "attendance_taken_at"])
    if past:
        asker = facilitators[0] if facilitators else None
        Question.objects.create(
            meeting=past[0],
            text="Comment reconnaître les mentors sans budget ?",
            asked_by=asker,
            answer="Lettres de reconnaissance signées par l’organisme et mention au rapport "
            "annuel ; un 5 à 7 partagé entre membres du réseau.",
            answered_in=past[-1],
            answered_at=past[-1].starts_at,
        )
        Question.objects.create(
            meeting=past[-1],
            text="Qui aurait une formation sur les biais à partager avec les autres membres ?",
            asked_by=asker,
        )
    services.create_series(
        network=network,
        title=EXPLORATIONS,
        description="Six webinaires sur le mentorat inclusif, ouverts à tous les membres.",
        first_day=today + timedelta(days=20),
        start_time=time(10, 0),
        duration_minutes=75,
        every_months=2,
        themes=[
            "Le mentorat inclusif, de quoi parle-t-on ?",
            "Mentorat et femmes en génie",
            "Mentorat et personnes immigrantes",
            "Le mentorat inversé",
            "Mesurer l’inclusion",
            "Regards d’ailleurs",
        ],
        online_url="https://visio.exemple.org/explorations",
        capacity=100,
        survey=Series.Survey.END,
        by=by,
    )
    return series
