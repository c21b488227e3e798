"""Program health check: the recommendations of the pilot's Tableau 4 (seed 000, section 2.2)
held against a program's design (its parameters) and its running state (its groups).

Each check returns a `Check` with a status, the figures it looked at, the recommendation it comes
from (a short quote and the Tableau 4 line) and where the coordinator can fix it. The thresholds
are named constants below; the alerts of `maillage.alerts` watch the same things day by day.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Min, Prefetch, Q
from django.urls import NoReverseMatch, reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from maillage.core.textfit import outside_threshold
from maillage.mentoring.models import Group, Meeting, Need
from maillage.mentoring.selectors import agreements_missing
from maillage.programs.models import Program, Role

from .checks import fits_by_group, local_day
from .models import Alert, Kind

OK, WARNING, PROBLEM, NOT_APPLICABLE = "ok", "warning", "problem", "not_applicable"
STATUS_ORDER = {PROBLEM: 0, WARNING: 1, OK: 2, NOT_APPLICABLE: 3}
STATUS_LABELS = {
    OK: gettext_lazy("Conforme"),
    WARNING: gettext_lazy("À surveiller"),
    PROBLEM: gettext_lazy("À corriger"),
    NOT_APPLICABLE: gettext_lazy("Sans objet pour l’instant"),
}

# The lifecycle steps of Tableau 4, in its order.
STEP_PLANNING = "planning"
STEP_PARAMETERS = "parameters"
STEP_SELECTION = "selection"
STEP_ACTIVITIES = "activities"
STEPS = {
    STEP_PLANNING: gettext_lazy("Planification et proposition du programme"),
    STEP_PARAMETERS: gettext_lazy("Paramètres du programme"),
    STEP_SELECTION: gettext_lazy("Sélection et appariement des participant·es"),
    STEP_ACTIVITIES: gettext_lazy("Activités de mentorat"),
}

# Tableau 4, "Banque d'heures de mentorat": about 20 h over four to six months.
BANK_OK = (Decimal("15"), Decimal("25"))
BANK_WARN = (Decimal("10"), Decimal("30"))
PERIOD_MONTHS_OK = (4.0, 6.0)
PERIOD_MONTHS_WARN = (3.0, 8.0)
DAYS_PER_MONTH = 30.44
# "Nombre de participant·es": groups of three, two mentees and one mentor.
GROUP_MENTEES = 2
GROUP_MENTOR_SIDES = 1
# "Fréquence, format et durée des rencontres": about two hours every two to four weeks.
FREQ_WEEKS_OK = (2, 4)
FREQ_MAX_WEEKS_WARN = 6
DURATION_OK = (Decimal("1.5"), Decimal("2.5"))
DURATION_WARN = (Decimal("1"), Decimal("3"))
# "Débuter rapidement": the same three weeks as the start-fast alert.
START_WITHIN_DAYS = 21
# "Communication en continu": e.g. a short e-mail every two weeks.
UPDATE_MAX_DAYS_OK = 14
# "Compensation financière": 2 500 $ per mentor for the 20-hour bank plus the planning, kickoff
# and evaluation meetings with the coordination (about 6 h counted here: three 2-hour meetings),
# which the pilot found insufficient.
PILOT_COMPENSATION = Decimal("2500")
PILOT_BANK_HOURS = Decimal("20")
OVERHEAD_HOURS = Decimal("6")
PILOT_RATE = PILOT_COMPENSATION / (PILOT_BANK_HOURS + OVERHEAD_HOURS)  # ≈ 96.15 $/h
# "Attentes raisonnables": at most this share of a group's prioritized needs outside expertise.
PRIORITIZED_NEEDS_PER_PLAN = 3
OUTSIDE_SHARE_PROBLEM = 0.5


@dataclass
class Check:
    key: str
    step: str
    status: str
    title: str
    evidence: list[str]
    recommendation: str
    source: str
    action_label: str = ""
    action_url: str = ""

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])

    @property
    def step_label(self) -> str:
        return str(STEPS[self.step])


def _worst(*statuses: str) -> str:
    return min(statuses, key=lambda s: STATUS_ORDER[s]) if statuses else NOT_APPLICABLE


def _in(value: Any, bounds: tuple[Any, Any]) -> bool:
    return bounds[0] <= value <= bounds[1]


def _url(name: str, *args: Any) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def _num(value: Any, places: int = 1) -> str:
    return formats.number_format(value, places)


def load_groups(program: Program, today: date) -> list[Any]:
    """The program's active groups with everything the checks read, loaded once for all of
    them in a fixed number of queries: members, open needs in priority order, the first
    meeting held by `today`, and who has yet to accept the agreement (`missing`, None when
    there is no agreement yet)."""
    held = Q(meetings__status=Meeting.Status.HELD, meetings__starts_at__date__lte=today)
    groups = list(
        Group.objects.filter(program=program, status=Group.Status.ACTIVE)
        .prefetch_related(
            "members__role__person__organization",
            Prefetch(
                "action_plans__needs",
                queryset=Need.objects.filter(status=Need.Status.OPEN).order_by("priority", "id"),
                to_attr="open_needs",
            ),
        )
        .annotate(first_held=Min("meetings__starts_at", filter=held))
        .order_by("track__order", "name", "pk")
    )
    missing = agreements_missing(groups)
    for group in groups:
        group.missing = missing[group.pk]
    return groups


def _mentees(group: Any) -> list[Any]:
    return [m for m in group.members.all() if m.side == "mentee"]


def _mentees_text(n: int) -> str:
    return ngettext("%(n)s personne mentorée", "%(n)s personnes mentorées", n) % {"n": n}


def _sides_text(n: int) -> str:
    return ngettext("%(n)s côté mentor", "%(n)s côtés mentor", n) % {"n": n}


def _sides(group: Any, side: str) -> int:
    members = [m for m in group.members.all() if m.side == side]
    # A team counts as one side, as in the matching: a mentor organization's team, a mentored
    # city of three people.
    return len({m.role.team_id or f"R{m.role_id}" for m in members})


# --- Checks ----------------------------------------------------------------------------------


def check_hours_and_period(program: Program, today: date, groups: list[Any]) -> Check:
    bank = Decimal(program.hours_bank)
    evidence = [_("Banque d’heures : %(h)s h par groupe.") % {"h": _num(bank)}]
    statuses = [OK if _in(bank, BANK_OK) else WARNING if _in(bank, BANK_WARN) else PROBLEM]
    if program.start_date and program.end_date:
        months = (program.end_date - program.start_date).days / DAYS_PER_MONTH
        evidence.append(
            _("Période : du %(start)s au %(end)s, %(months)s mois.")
            % {
                "start": formats.date_format(program.start_date),
                "end": formats.date_format(program.end_date),
                "months": _num(months),
            }
        )
        statuses.append(
            OK
            if _in(months, PERIOD_MONTHS_OK)
            else WARNING
            if _in(months, PERIOD_MONTHS_WARN)
            else PROBLEM
        )
    else:
        evidence.append(_("La période du mentorat (début et fin) n’est pas fixée."))
        statuses.append(WARNING)
    return Check(
        key="hours_period",
        step=STEP_PARAMETERS,
        status=_worst(*statuses),
        title=_("Banque d’heures et période"),
        evidence=evidence,
        recommendation=_(
            "« Une vingtaine d’heures de mentorat (incluant la préparation des rencontres et "
            "contenus) sur une période de quatre à six mois représente un bon format. »"
        ),
        source=_("Tableau 4 — Paramètres du programme : Banque d’heures de mentorat"),
        action_label=_("Modifier les paramètres"),
        action_url=_url("programs:edit", program.pk),
    )


def check_group_size(program: Program, today: date, groups: list[Any]) -> Check:
    design_ok = (
        program.mentees_per_group == GROUP_MENTEES
        and program.mentor_sides_per_group == GROUP_MENTOR_SIDES
    )
    evidence = [
        _("Paramètre : %(mentees)s et %(sides)s par groupe.")
        % {
            "mentees": _mentees_text(program.mentees_per_group),
            "sides": _sides_text(program.mentor_sides_per_group),
        }
    ]
    status = OK if design_ok else WARNING
    if program.mentees_per_group > GROUP_MENTEES + 2 or program.mentor_sides_per_group > 2:
        status = PROBLEM
    for group in groups:
        mentees, sides = _sides(group, "mentee"), _sides(group, "mentor")
        if (mentees, sides) != (GROUP_MENTEES, GROUP_MENTOR_SIDES):
            status = _worst(status, WARNING)
            evidence.append(
                _("Groupe « %(group)s » : %(mentees)s, %(sides)s.")
                % {"group": group, "mentees": _mentees_text(mentees), "sides": _sides_text(sides)}
            )
    return Check(
        key="group_size",
        step=STEP_PARAMETERS,
        status=status,
        title=_("Taille des groupes"),
        evidence=evidence,
        recommendation=_(
            "« Des groupes de trois (deux mentoré·es et un·e mentor·e) permettent de créer un "
            "lien de confiance et d’avoir de riches échanges où tous·tes participent. »"
        ),
        source=_("Tableau 4 — Paramètres du programme : Nombre de participant·es"),
        action_label=_("Modifier les paramètres"),
        action_url=_url("programs:edit", program.pk),
    )


def check_meetings(program: Program, today: date, groups: list[Any]) -> Check:
    low, high = program.meeting_every_min_weeks, program.meeting_every_max_weeks
    duration = Decimal(program.meeting_duration_hours)
    freq = (
        OK
        if low >= FREQ_WEEKS_OK[0] and high <= FREQ_WEEKS_OK[1]
        else WARNING
        if high <= FREQ_MAX_WEEKS_WARN
        else PROBLEM
    )
    length = (
        OK if _in(duration, DURATION_OK) else WARNING if _in(duration, DURATION_WARN) else PROBLEM
    )
    evidence = [
        _("Une rencontre toutes les %(low)s à %(high)s semaines, d’environ %(h)s h.")
        % {"low": low, "high": high, "h": _num(duration)}
    ]

    held = Meeting.objects.filter(group__program=program, status=Meeting.Status.HELD)
    if held.exists():
        minutes = [m.duration_minutes for m in held]
        evidence.append(
            ngettext(
                "%(n)s rencontre tenue, de %(h)s h.",
                "%(n)s rencontres tenues, %(h)s h en moyenne.",
                len(minutes),
            )
            % {"n": len(minutes), "h": _num(sum(minutes) / len(minutes) / 60)}
        )
    return Check(
        key="meetings",
        step=STEP_PARAMETERS,
        status=_worst(freq, length),
        title=_("Fréquence et durée des rencontres"),
        evidence=evidence,
        recommendation=_(
            "« Des rencontres virtuelles d’environ deux heures à toutes les deux à quatre "
            "semaines permettaient de couvrir des sujets en profondeur sans perdre le fil. »"
        ),
        source=_("Tableau 4 — Paramètres du programme : Fréquence, format et durée des rencontres"),
        action_label=_("Modifier les paramètres"),
        action_url=_url("programs:edit", program.pk),
    )


def check_designated_mentees(program: Program, today: date, groups: list[Any]) -> Check:

    evidence: list[str] = []
    status = OK
    if groups:
        people = []
        for group in groups:
            for member in _mentees(group):
                person = member.role.person
                people.append(person)
                org = person.organization.name if person.organization else person.full_name
                if not member.is_designated:
                    status = PROBLEM
                    evidence.append(
                        _(
                            "Groupe « %(group)s » : %(org)s n’a pas de personne désignée en poste%(note)s."
                        )
                        % {
                            "group": group,
                            "org": org,
                            "note": f" ({member.designation_note.rstrip('. ')})"
                            if member.designation_note
                            else "",
                        }
                    )
                elif not person.can_decide:
                    status = _worst(status, WARNING)
                    evidence.append(
                        _("%(person)s (%(org)s) n’a pas le pouvoir de décision.")
                        % {"person": person.full_name, "org": org}
                    )
    else:
        people = [
            r.person
            for r in program.roles.filter(kind=Role.Kind.MENTEE).select_related(
                "person__organization"
            )
        ]
        for person in people:
            if not person.can_decide:
                status = _worst(status, WARNING)
                evidence.append(
                    _("%(person)s n’a pas le pouvoir de décision dans son organisation.")
                    % {"person": person.full_name}
                )
    if not people:
        status = NOT_APPLICABLE
        evidence.append(_("Aucune personne mentorée pour l’instant."))
    elif status == OK:
        evidence.append(
            ngettext(
                "%(n)s personne mentorée, désignée et en mesure de décider.",
                "%(n)s personnes mentorées, toutes désignées et en mesure de décider.",
                len(people),
            )
            % {"n": len(people)}
        )
    return Check(
        key="designated_mentees",
        step=STEP_SELECTION,
        status=status,
        title=_("Une personne désignée, qui peut décider, dans chaque organisation mentorée"),
        evidence=evidence,
        recommendation=_(
            "« Il faut une personne attitrée à recevoir le mentorat dans l’organisation mentorée, "
            "avant le démarrage » et qui « doit pouvoir implémenter directement les "
            "recommandations issues du mentorat »."
        ),
        source=_("Tableau 4 — Sélection et appariement : Choix des personnes mentorées"),
        action_label=_("Voir les personnes"),
        action_url=_url("programs:people", program.pk),
    )


def check_expertise_coverage(program: Program, today: date, groups: list[Any]) -> Check:

    evidence: list[str] = []
    status = NOT_APPLICABLE
    total = 0
    needs_of = {
        group.pk: [
            need
            for plan in group.action_plans.all()
            for need in plan.open_needs[:PRIORITIZED_NEEDS_PER_PLAN]
        ]
        for group in groups
    }
    asked = [
        (
            g,
            [
                {"key": f"N{n.pk}", "text": n.text, "marked": None}
                for n in needs_of[g.pk]
                if n.inside_expertise is None
            ],
        )
        for g in groups
    ]
    try:
        fits_of = fits_by_group(program, [(g, items) for g, items in asked if items])
    except Exception:  # the text model is optional
        fits_of = {}
    for group in groups:
        needs = needs_of[group.pk]
        if not needs:
            continue
        total += len(needs)
        unmarked = [n for n in needs if n.inside_expertise is None]
        values, encoder = fits_of.get(group.pk, ([], ""))
        threshold = outside_threshold(encoder)
        fits: dict[int, float | None] = {n.pk: v for n, v in zip(unmarked, values, strict=False)}
        outside = [
            n
            for n in needs
            if n.inside_expertise is False
            or (
                n.inside_expertise is None and fits.get(n.pk) is not None and fits[n.pk] < threshold
            )
        ]
        share = len(outside) / len(needs)
        group_status = PROBLEM if share > OUTSIDE_SHARE_PROBLEM else WARNING if outside else OK
        status = group_status if status == NOT_APPLICABLE else _worst(status, group_status)
        evidence.append(
            _(
                "Groupe « %(group)s » : %(out)s des %(n)s besoins prioritaires hors de l’expertise du côté mentor%(list)s."
            )
            % {
                "group": group,
                "out": len(outside),
                "n": len(needs),
                "list": (" : " + "; ".join(f"« {n.text[:80]} »" for n in outside[:3]))
                if outside
                else "",
            }
        )
    if total == 0:
        evidence.append(_("Aucun besoin inscrit dans un plan d’action pour l’instant."))
    return Check(
        key="expertise_coverage",
        step=STEP_PLANNING,
        status=status,
        title=_("L’expertise du côté mentor couvre les besoins prioritaires"),
        evidence=evidence,
        recommendation=_(
            "« Les objectifs des mentoré·es doivent s’inscrire dans l’expertise de la personne "
            "mentore et devraient être abordés selon une priorisation faite au début du projet. »"
        ),
        source=_(
            "Tableau 4 — Planification : Plan de programme précis, clair et respecté (attentes raisonnables)"
        ),
        action_label=_("Voir le suivi des groupes"),
        action_url=_url("alerts:dashboard", program.pk),
    )


def check_start_delay(program: Program, today: date, groups: list[Any]) -> Check:

    evidence: list[str] = []
    status = NOT_APPLICABLE
    for group in groups:
        approved = local_day(group.approved_at)
        first = local_day(group.first_held)
        if approved is None:
            continue
        if first is not None and first < approved:
            # A meeting before the group existed means a date was entered wrong (often a
            # program entered after the fact): a negative delay is no quick start, so it is
            # neither counted as conforme nor listed in the report as what worked.
            status = WARNING if status == NOT_APPLICABLE else _worst(status, WARNING)
            evidence.append(
                _(
                    "Groupe « %(group)s » : première rencontre le %(first)s, avant l’approbation "
                    "du %(approved)s ; vérifiez ces dates."
                )
                % {
                    "group": group,
                    "first": formats.date_format(first, "j F Y"),
                    "approved": formats.date_format(approved, "j F Y"),
                }
            )
            continue
        days = ((first or today) - approved).days
        late = days > START_WITHIN_DAYS
        if first is None and not late:
            continue
        group_status = PROBLEM if late else OK
        status = group_status if status == NOT_APPLICABLE else _worst(status, group_status)
        if first:
            evidence.append(
                _("Groupe « %(group)s » : première rencontre %(days)s jours après l’approbation.")
                % {"group": group, "days": days}
            )
        else:
            evidence.append(
                _("Groupe « %(group)s » : aucune rencontre %(days)s jours après l’approbation.")
                % {"group": group, "days": days}
            )
    if status == NOT_APPLICABLE:
        evidence.append(_("Aucun groupe n’a encore eu à démarrer."))
    return Check(
        key="start_delay",
        step=STEP_ACTIVITIES,
        status=status,
        title=_("Démarrage rapide (première rencontre en moins de 3 semaines)"),
        evidence=evidence,
        recommendation=_(
            "« Il faut établir un plan d’action et initier les rencontres mentorales le plus tôt "
            "possible après la formation d’un groupe afin que les besoins de départ soient "
            "encore valides. »"
        ),
        source=_("Tableau 4 — Activités de mentorat : Débuter rapidement la relation de mentorat"),
        action_label=_("Voir le suivi des groupes"),
        action_url=_url("alerts:dashboard", program.pk),
    )


def check_communication(program: Program, today: date, groups: list[Any]) -> Check:

    evidence = [
        _("Message de suivi des personnes mentorées au plus tard tous les %(days)s jours.")
        % {"days": program.update_every_max_days}
    ]
    status = OK if program.update_every_max_days <= UPDATE_MAX_DAYS_OK else WARNING
    if not program.agreement_communication.strip():
        status = WARNING
        evidence.append(
            _("Les canaux et la fréquence des communications ne sont pas inscrits à l’entente.")
        )
    overdue = Alert.objects.filter(program=program, kind=Kind.UPDATE_OVERDUE).open().count()
    if overdue:
        status = _worst(status, WARNING)
        evidence.append(
            ngettext(
                "%(n)s message de suivi en retard en ce moment.",
                "%(n)s messages de suivi en retard en ce moment.",
                overdue,
            )
            % {"n": overdue}
        )
    return Check(
        key="communication",
        step=STEP_ACTIVITIES,
        status=status,
        title=_("Une fréquence de communication convenue et respectée"),
        evidence=evidence,
        recommendation=_(
            "« La personne mentore et les personnes mentorées d’un groupe devraient établir en "
            "amont du projet une fréquence et un canal de communication à respecter (p. ex. "
            "court courriel aux deux semaines). »"
        ),
        source=_("Tableau 4 — Activités de mentorat : Communication en continu"),
        action_label=_("Modifier les paramètres"),
        action_url=_url("programs:edit", program.pk),
    )


def check_agreement(program: Program, today: date, groups: list[Any]) -> Check:
    missing = program.agreement_points_missing()
    evidence = []
    status = OK
    if missing:
        status = PROBLEM
        evidence.append(
            _("Points de l’entente non remplis (%(n)s sur 6) : %(points)s.")
            % {"n": len(missing), "points": ", ".join(missing)}
        )
    else:
        evidence.append(_("Les six points de l’entente sont remplis."))
    for group in groups:
        if group.missing is None or group.missing:
            status = _worst(status, WARNING)
            waiting = group.missing if group.missing is not None else list(group.members.all())
            names = ", ".join(m.role.person.full_name for m in waiting)
            evidence.append(
                _("Groupe « %(group)s » : entente pas encore acceptée par %(names)s.")
                % {"group": group, "names": names or "—"}
            )
    return Check(
        key="agreement",
        step=STEP_PLANNING,
        status=status,
        title=_("Une entente qui couvre les six points, acceptée par chaque côté"),
        evidence=evidence,
        recommendation=_(
            "« Les responsabilités et objectifs de chacun·e doivent être clairs dès le départ » ; "
            "ils « pourraient faire l’objet d’une entente formelle avant de débuter le projet »."
        ),
        source=_(
            "Tableau 4 — Planification : Plan de programme précis, clair et respecté (rôles et objectifs)"
        ),
        action_label=_("Compléter l’entente"),
        action_url=_url("programs:edit", program.pk),
    )


def compensation_rate(program: Program) -> Decimal:
    hours = Decimal(program.hours_bank) + OVERHEAD_HOURS
    return (Decimal(program.compensation_per_mentor) / hours).quantize(Decimal("0.01"))


def check_compensation(program: Program, today: date, groups: list[Any]) -> Check:
    rate = compensation_rate(program)
    evidence = [
        _(
            "%(amount)s $ par mentor pour %(bank)s h de banque + %(overhead)s h de rencontres de "
            "planification, de démarrage et d’évaluation : %(rate)s $ l’heure."
        )
        % {
            "amount": _num(program.compensation_per_mentor, 0),
            "bank": _num(program.hours_bank),
            "overhead": _num(OVERHEAD_HOURS, 0),
            "rate": _num(rate, 2),
        },
        _(
            "Projet pilote : 2 500 $ pour 20 h + ces rencontres, soit %(pilot)s $ l’heure, "
            "jugé insuffisant."
        )
        % {"pilot": _num(PILOT_RATE, 2)},
    ]
    if rate <= 0:
        status = PROBLEM
    elif rate <= PILOT_RATE.quantize(Decimal("0.01")):
        status = WARNING
    else:
        status = OK
    return Check(
        key="compensation",
        step=STEP_PLANNING,
        status=status,
        title=_("Compensation par heure de mentorat"),
        evidence=evidence,
        recommendation=_(
            "« Les compensations allouées dans le cadre du projet pilote, soit 2 500 $ pour "
            "chaque mentor·e et 10 000 $ pour la coordination et l’évaluation ont été "
            "insuffisantes : il faudrait soit augmenter les compensations, soit réduire les "
            "implications et responsabilités. »"
        ),
        source=_("Tableau 4 — Planification et proposition du programme : Compensation financière"),
        action_label=_("Modifier les paramètres"),
        action_url=_url("programs:edit", program.pk),
    )


CHECKS: tuple[Callable[[Program, date, list[Any]], Check], ...] = (
    check_agreement,
    check_expertise_coverage,
    check_compensation,
    check_hours_and_period,
    check_group_size,
    check_meetings,
    check_designated_mentees,
    check_start_delay,
    check_communication,
)


# Checks that higher floors add (accreditation reminds before its expiry): each registers from
# its AppConfig.ready, since this floor never imports them. A registered check returns None when
# it has nothing to say about this program (no accreditation at all).
REGISTERED: list[Callable[[Program, date, list[Any]], Check | None]] = []


def register_check(check: Callable[[Program, date, list[Any]], Check | None]) -> None:
    if check not in REGISTERED:
        REGISTERED.append(check)


def run_checks(program: Program, *, today: date | None = None) -> list[Check]:
    today = today or timezone.localdate()
    groups = load_groups(program, today)
    checks = [check(program, today, groups) for check in CHECKS]
    extra = [check(program, today, groups) for check in REGISTERED]
    return checks + [c for c in extra if c is not None]


def by_step(checks: list[Check]) -> list[tuple[str, list[Check]]]:
    """The checks grouped by the lifecycle step of Tableau 4, problems first in each step."""
    out = []
    for step, label in STEPS.items():
        mine = sorted((c for c in checks if c.step == step), key=lambda c: STATUS_ORDER[c.status])
        if mine:
            out.append((str(label), mine))
    return out
