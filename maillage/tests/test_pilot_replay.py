"""The pilot replayed (seed 000, issue 4's "Done when"), through the services.

The demo program (`build_demo`) is moved to July–December 2025 so that every meeting is in the
past whatever day the test runs (recording a meeting refuses a future one). Two groups:

- Logistique (a mentor team, Marc and Isabelle, who take turns): five collective meetings of
  2 h from July to December, preparation and tools between them: the 20 h bank is used up.
- Synergies (Hélène): two collective then two individual meetings, some preparation: 7 of 20 h
  left at the end, as in the pilot. The Garde-Manger de la Petite-Nation never hires the person
  who was to receive the mentoring; Annie's needs drift from governance and partnerships to
  technical subjects (software, site web, cold room) outside Hélène's field.

The daily computation runs every week of the period with `today=` (no clock patched); message
and need timestamps are set to their replayed day after the service wrote them. At the end date,
the dashboard, the alerts and the health check say what the pilot's report says.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from maillage.alerts import selectors
from maillage.alerts.models import Alert, Kind
from maillage.alerts.services import compute_alerts
from maillage.mentoring import services as mentoring
from maillage.mentoring.models import Group, GroupMember, Need, TimeEntry, UpdateMessage
from maillage.programs import health
from maillage.programs.demo import build_demo
from maillage.programs.models import Role
from maillage.programs.services import update_program

pytestmark = pytest.mark.django_db

START, END = date(2025, 7, 7), date(2025, 12, 12)
APPROVED = date(2025, 7, 2)


def at(day: date, hour: int = 13) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def backdate(model, obj, day: date) -> None:
    model.objects.filter(pk=obj.pk).update(created_at=at(day, 9))


class Pilot:
    def __init__(self) -> None:
        self.program = build_demo()
        update_program(program=self.program, start_date=START, end_date=END)
        roles = {
            r.person.first_name: r
            for r in self.program.roles.filter(
                kind__in=[Role.Kind.MENTOR, Role.Kind.MENTEE]
            ).select_related("person", "track", "team")
        }
        self.people = {name: role.person for name, role in roles.items()}
        self.camille = self.program.roles.get(kind=Role.Kind.COORDINATOR).person
        self.logistique = mentoring.create_group(
            program=self.program,
            mentor_roles=[roles["Marc"], roles["Isabelle"]],
            mentee_roles=[roles["Sophie"], roles["François"]],
            approved_by=self.camille.user,
            approved_at=at(APPROVED, 10),
            track=roles["Marc"].track,
            mentor_team=roles["Marc"].team,
            name="Logistique",
        )
        self.synergies = mentoring.create_group(
            program=self.program,
            mentor_roles=[roles["Hélène"]],
            mentee_roles=[roles["Annie"], roles["Karim"]],
            approved_by=self.camille.user,
            approved_at=at(APPROVED, 10),
            track=roles["Hélène"].track,
            name="Synergies",
        )
        self.events: list[tuple[date, str, object]] = []

    def p(self, name: str):
        return self.people[name]

    def member(self, group: Group, name: str) -> GroupMember:
        return group.members.get(role__person=self.p(name))

    def meeting(self, group, day, present, *, by, kind="collective", individual_with=None):
        meeting = mentoring.schedule_meeting(
            group=group,
            by=self.camille,
            starts_at=at(day),
            duration_minutes=120,
            kind=kind,
            individual_with=self.member(group, individual_with) if individual_with else None,
        )
        mentoring.record_meeting(
            meeting=meeting,
            by=self.p(by),
            present=[self.p(n) for n in present],
            notes="Tour de table, avancement du plan d’action, prochaines étapes.",
        )
        return meeting

    def work(self, group, name, day, minutes, kind=TimeEntry.Kind.PREPARATION):
        mentoring.log_time(
            group=group,
            person=self.p(name),
            on=day,
            minutes=minutes,
            kind=kind,
            note="Préparation des contenus entre deux rencontres.",
        )

    def update(self, group, name, day, text):
        message = mentoring.post_update(group=group, author=self.p(name), text=text)
        backdate(UpdateMessage, message, day)
        return message

    def need(self, group, name, day, text, *, by=None):
        plan = mentoring.plan_for(member=self.member(group, name))
        need = mentoring.add_need(plan=plan, by=self.p(by or name), text=text)
        backdate(Need, need, day)
        return need


LOGISTIQUE_UPDATES = (
    "Les tournées de collecte optimisées sont en test avec le camion réfrigéré ; prochain "
    "sujet : l’espace de tri et l’entreposage au froid.",
    "L’entente de partage de camions réfrigérés entre organismes avance ; nous revoyons aussi "
    "le suivi des volumes.",
)


def weeks(start: date, end: date):
    day = start
    while day <= end:
        yield day
        day += timedelta(days=7)


@pytest.fixture
def pilot(settings):
    return replay(Pilot())


def replay(pilot: Pilot) -> Pilot:
    lo, sy = pilot.logistique, pilot.synergies
    # Start: the agreement, accepted by everyone who is there; Karim's organization has nobody.
    for group, names in ((lo, ["Marc", "Sophie", "François"]), (sy, ["Hélène", "Annie"])):
        agreement = mentoring.generate_agreement(group=group, by=pilot.camille)
        for name in names:
            mentoring.accept_agreement(group=group, person=pilot.p(name), version=agreement.version)
    mentoring.set_designation(
        member=pilot.member(sy, "Karim"),
        is_designated=False,
        note="La personne à la coordination n’a jamais été embauchée.",
    )
    # Action plans as written at the start, inside each mentor's field.
    for text in (
        "Optimiser nos tournées de collecte et le choix d’un camion réfrigéré",
        "Organiser l’espace de tri et l’entreposage au froid",
    ):
        need = pilot.need(lo, "Sophie", date(2025, 7, 16), text)
        mentoring.decide_need(need=need, by=pilot.p("Marc"), inside=True)
    first_needs = [
        pilot.need(sy, "Annie", date(2025, 7, 23), text)
        for text in (
            "Revoir la gouvernance du projet et mobiliser de nouveaux partenaires",
            "Créer des liens entre l’épicerie, le jardin et le service de repas",
        )
    ]

    # Logistique: five collective meetings, the team taking turns, preparation in between.
    # Preparation grows as the subjects deepen (1 h, then 1 h 30, then 2 h).
    for day, host, prep in (
        (date(2025, 7, 15), "Marc", 60),
        (date(2025, 8, 19), "Isabelle", 60),
        (date(2025, 9, 23), "Marc", 90),
        (date(2025, 10, 28), "Isabelle", 120),
        (date(2025, 12, 2), "Marc", 120),
    ):
        pilot.meeting(lo, day, [host, "Sophie", "François"], by=host)
        pilot.work(lo, host, day - timedelta(days=5), prep)
    pilot.work(lo, "Isabelle", date(2025, 10, 10), 150, TimeEntry.Kind.TOOLS)

    # Synergies: two collective, then two individual meetings with Annie.
    pilot.meeting(sy, date(2025, 7, 22), ["Hélène", "Annie"], by="Hélène")
    pilot.meeting(sy, date(2025, 8, 26), ["Hélène", "Annie"], by="Hélène")
    pilot.meeting(
        sy,
        date(2025, 10, 7),
        ["Hélène", "Annie"],
        by="Hélène",
        kind="individual",
        individual_with="Annie",
    )
    pilot.meeting(
        sy,
        date(2025, 11, 18),
        ["Hélène", "Annie"],
        by="Hélène",
        kind="individual",
        individual_with="Annie",
    )
    for day, minutes in (
        (date(2025, 8, 20), 120),
        (date(2025, 9, 30), 90),
        (date(2025, 11, 12), 90),
    ):
        pilot.work(sy, "Hélène", day, minutes)

    # Updates every two weeks from the first meeting: the Logistique mentees' needs stay
    # logistic; Annie's turn technical from October.
    for day in weeks(date(2025, 7, 29), END):
        pilot.update(lo, "Sophie", day, LOGISTIQUE_UPDATES[0])
        pilot.update(lo, "François", day, LOGISTIQUE_UPDATES[1])
    for day in weeks(date(2025, 7, 29), date(2025, 9, 30)):
        pilot.update(sy, "Annie", day, "La gouvernance avance ; deux partenaires rencontrés.")
    done = mentoring.post_update(
        group=sy,
        author=pilot.p("Annie"),
        text="Ces deux besoins sont réglés ou dépassés.",
        addressed=first_needs,
    )
    backdate(UpdateMessage, done, date(2025, 10, 7))
    technical = [
        "Nos besoins ont changé : il nous faut un système informatique de caisse et un "
        "inventaire numérique relié au site web.",
        "Nous travaillons maintenant sur les plans électriques et la réfrigération de la "
        "nouvelle chambre froide.",
        "Toujours sur le logiciel de caisse : paramétrage des codes-barres, des taxes et de la "
        "balance électronique.",
    ]
    for day, text in zip(weeks(date(2025, 10, 14), END), technical * 3, strict=False):
        pilot.update(sy, "Annie", day, text)
    pilot.need(
        sy,
        "Annie",
        date(2025, 10, 21),
        "Choisir et configurer un logiciel de gestion des stocks et de caisse",
    )
    web = pilot.need(
        sy,
        "Annie",
        date(2025, 11, 4),
        "Concevoir le site web transactionnel et la base de données des commandes",
    )
    # Hélène says plainly that this one is not her field (Tableau 4: mentors are transparent).
    mentoring.decide_need(need=web, by=pilot.p("Hélène"), inside=False)

    # The daily computation, once a week through the period, then on the end date.
    for day in [*weeks(APPROVED, END), END]:
        compute_alerts(program=pilot.program, today=day)
    return pilot


def open_kinds(group: Group) -> set[str]:
    return set(Alert.objects.filter(group=group).open().values_list("kind", flat=True))


def test_dashboard_hours_used_and_remaining_per_group(pilot, client):
    rows = {r.group.name: r for r in selectors.dashboard_rows(pilot.program, today=END)}
    lo, sy = rows["Logistique"], rows["Synergies"]
    # Logistique: 5 meetings × 2 h + 7 h 30 of preparation + 2 h 30 of tools = 20 h.
    assert (lo.bank, lo.used, lo.remaining) == (Decimal("20"), Decimal("20.00"), Decimal("0.00"))
    assert lo.percent_used == 100
    assert lo.meetings_held == 5
    assert lo.last_meeting == date(2025, 12, 2)
    # Synergies: 4 meetings × 2 h + 5 h of preparation = 13 h: 7 h left, as in the pilot.
    assert (sy.bank, sy.used, sy.remaining) == (Decimal("20"), Decimal("13.00"), Decimal("7.00"))
    assert sy.percent_used == 65
    assert sy.meetings_held == 4
    assert sy.last_meeting == date(2025, 11, 18)
    # The page, as Camille sees it.
    client.force_login(pilot.camille.user)
    page = client.get(reverse("alerts:dashboard", args=[pilot.program.pk])).content.decode()
    assert "20,0 h sur 20,0 h" in page and "13,0 h sur 20,0 h" in page
    assert "7,0 h" in page
    assert "Garde-Manger de la Petite-Nation" in page  # the organization without its person
    assert "n’a jamais été embauchée" in page
    assert "7,0 h sur 20,0 h restent" in page  # the slow bank's evidence


def test_alerts_that_apply_synergies_yes_logistique_no(pilot):
    assert {Kind.NO_DESIGNATED, Kind.HOURS_PACE, Kind.NEEDS_DRIFT} <= open_kinds(pilot.synergies)
    pace = Alert.objects.get(group=pilot.synergies, kind=Kind.HOURS_PACE)
    assert pace.evidence["direction"] == "slow"
    assert pace.evidence["remaining"] == 7.0
    drift = Alert.objects.get(group=pilot.synergies, kind=Kind.NEEDS_DRIFT)
    texts = " ".join(o["text"] for o in drift.evidence["outside"])
    assert "caisse" in texts and "site web" in texts
    assert len(drift.evidence["outside"]) >= drift.evidence["total"] / 2
    missing = Alert.objects.get(group=pilot.synergies, kind=Kind.NO_DESIGNATED)
    assert missing.evidence["person"] == pilot.p("Karim").full_name
    assert missing.first_seen_on == APPROVED
    # Logistique: none of them, and nothing open at the end.
    assert open_kinds(pilot.logistique) == set()
    assert not Alert.objects.filter(
        group=pilot.logistique,
        kind__in=[Kind.NO_DESIGNATED, Kind.HOURS_PACE, Kind.NEEDS_DRIFT, Kind.SLOW_START],
    ).exists()
    # Along the way: alerts sent once per cause and resolved when the condition cleared.
    # Synergies went six weeks without meeting (26 August → 7 October): flagged, then cleared.
    gaps = Alert.objects.filter(group=pilot.synergies, kind=Kind.MEETING_GAP)
    gap = next(a for a in gaps if a.evidence["last_meeting"] == "2025-08-26")
    assert gap.first_seen_on == date(2025, 10, 1)
    assert gap.resolved_at is not None
    assert not gaps.open().exists()
    # One alert per cause, one delivery per person and alert, whatever the number of runs.
    assert Alert.objects.filter(group=pilot.synergies, kind=Kind.NO_DESIGNATED).count() == 1
    karim_alert = Alert.objects.get(group=pilot.synergies, kind=Kind.NO_DESIGNATED)
    assert karim_alert.deliveries.count() == 2  # Camille and the org's contact, Karim


def test_health_check_findings(pilot, client):
    checks = {c.key: c for c in health.run_checks(pilot.program, today=END)}
    assert checks["designated_mentees"].status == health.PROBLEM
    assert any("Petite-Nation" in line for line in checks["designated_mentees"].evidence)
    assert checks["expertise_coverage"].status == health.PROBLEM
    assert any("Synergies" in line for line in checks["expertise_coverage"].evidence)
    assert checks["hours_period"].status == health.OK
    assert checks["group_size"].status == health.OK
    assert checks["meetings"].status == health.OK
    assert checks["start_delay"].status == health.OK  # 13 and 20 days after approval
    assert checks["agreement"].status == health.WARNING  # Karim's side never accepted
    assert checks["compensation"].status == health.WARNING
    assert "96,15" in " ".join(checks["compensation"].evidence)
    # The page: grouped by step, problems first.
    client.force_login(pilot.camille.user)
    page = client.get(reverse("alerts:health", args=[pilot.program.pk])).content.decode()
    assert page.index('data-check="designated_mentees"') < page.index('data-check="start_delay"')
    assert "Tableau 4" in page
