"""What the impact report says, built from the data as plain JSON-ready values.

Everything here is already anonymized and suppressed: the same dict is shown as HTML, printed to
PDF, exported to XLSX/CSV, and frozen in `Report.snapshot` at publication.

Confidential by default (issue 5): no person or organization is named. Free text that reaches
the report (the program's description, quotes, recommendations) goes through `redactor`, which
blanks every first name, last name and organization name known to the program. Names are left
out entirely: the platform has no recorded consent "to be named", so nobody is named, and the
report says so. Regions are named only when at least k organizations share them.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from datetime import date
from typing import Any

from django.utils import timezone, translation
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from maillage.alerts import health
from maillage.core.models import Organization, Person
from maillage.evaluation.models import (
    Answer,
    FinalInterview,
    ObserverNote,
    Quote,
    Round,
)
from maillage.intake.models import Application
from maillage.programs.models import Program, Track
from maillage.tools.selectors import tools_by_track

from .indicators import program_indicators
from .suppression import MARK, small_cell_k, small_count, suppress

REDACTED = "[…]"
THEMES = ("success_factors", "difficulties")


# --- Names ------------------------------------------------------------------------------------


def known_names(program: Program) -> list[str]:
    """Every first name, last name and organization name this program knows of."""
    people = Person.objects.filter(roles__program=program).distinct()
    applicants = Application.objects.filter(program=program)
    names: set[str] = set()
    for first, last in people.values_list("first_name", "last_name"):
        names.update({first, last})
    for first, last in Person.objects.filter(pk__in=applicants.values("person")).values_list(
        "first_name", "last_name"
    ):
        names.update({first, last})
    organizations = Organization.objects.filter(
        pk__in=list(people.values_list("organization", flat=True))
        + list(applicants.values_list("organization", flat=True))
        + [program.coordinating_organization_id]
    )
    names.update(organizations.values_list("name", flat=True))
    names.update(applicants.values_list("organization_name", flat=True))
    names.update(applicants.values_list("contact_name", flat=True))
    return sorted({n.strip() for n in names if n and len(n.strip()) > 1}, key=len, reverse=True)


def redactor(program: Program) -> Callable[[str], str]:
    """Blanks known names in free text. Case-sensitive on purpose: a last name such as Côté
    must not eat the word "côté" in "côté mentor"."""
    names = known_names(program)
    if not names:
        return lambda text: text
    pattern = re.compile(r"(?<!\w)(" + "|".join(re.escape(n) for n in names) + r")(?!\w)")
    return lambda text: pattern.sub(REDACTED, text or "")


# --- Formatting -------------------------------------------------------------------------------


def num(value: float | int | None) -> str:
    """A figure in the active language (7,5 in French, 7.5 in English)."""
    if value is None:
        return "—"
    if float(value).is_integer():
        return number_format(int(value), force_grouping=True)
    return number_format(value, decimal_pos=1, force_grouping=True)


def month_label(month: str) -> str:
    return date_format(date(int(month[:4]), int(month[5:]), 1), "M Y")


def _shown(cell: Any) -> str:
    return MARK if cell.suppressed else num(cell.value)


def share_row(count: int, total: int, k: int) -> dict[str, str]:
    """count / total (percent) for people, with the small-cell rule on both parts."""
    table = suppress([[count, total - count]], k=k, row_totals=True, col_totals=False)
    yes, _no = table.rows[0]
    whole = table.row_totals[0]
    percent = (
        "" if yes.suppressed or whole.suppressed or not total else f"{round(100 * count / total)} %"
    )
    return {"count": _shown(yes), "total": _shown(whole), "percent": percent}


# --- The report -------------------------------------------------------------------------------


def _regions(program: Program, k: int) -> list[dict[str, str]]:
    """Organizations taking part, per region; a region is named only with k of them or more."""
    org_ids = set(
        Person.objects.filter(
            roles__program=program, roles__kind__in=["mentor", "mentee"]
        ).values_list("organization", flat=True)
    ) | set(
        Application.objects.filter(program=program, duplicate_of__isnull=True).values_list(
            "organization", flat=True
        )
    )
    per_region: Counter = Counter()
    names: dict[int | None, str] = {}
    for organization in Organization.objects.filter(pk__in=org_ids - {None}).select_related(
        "territory__parent"
    ):
        region = organization.region()
        key = region.pk if region else None
        names[key] = region.name if region else ""
        per_region[key] += 1
    named = sorted(
        ((key, n) for key, n in per_region.items() if key is not None and n >= k),
        key=lambda item: names[item[0]],
    )
    other = sum(n for key, n in per_region.items() if (key, n) not in named)
    labels = [names[key] for key, _n in named]
    counts = [[n] for _key, n in named]
    if other:
        labels.append(_("Autres régions"))
        counts.append([other])
    if not counts:
        return []
    table = suppress(counts, k=k, row_totals=False, col_totals=True)
    rows = [
        {"region": label, "organizations": _shown(row[0])}
        for label, row in zip(labels, table.rows, strict=True)
    ]
    rows.append({"region": _("Total"), "organizations": _shown(table.col_totals[0])})
    return rows


def figure_rows(ind: dict[str, Any], k: int) -> list[dict[str, str]]:
    people = [
        ("applications_received", _("Candidatures reçues"), ind["applications_received"]),
        ("applications_selected", _("Candidatures retenues"), ind["applications_selected"]),
        ("mentors", _("Mentor·es"), ind["mentors"]),
        ("mentees", _("Personnes mentorées"), ind["mentees"]),
    ]
    others = [
        ("groups", _("Groupes de mentorat"), ind["groups"]),
        (
            "meetings_collective",
            _("Rencontres collectives tenues"),
            ind["meetings_held"]["collective"],
        ),
        (
            "meetings_individual",
            _("Rencontres individuelles tenues"),
            ind["meetings_held"]["individual"],
        ),
        ("meetings_total", _("Rencontres tenues (total)"), ind["meetings_held"]["total"]),
        ("hours_bank", _("Heures de mentorat prévues (banques)"), ind["hours"]["bank"]),
        ("hours_used", _("Heures de mentorat utilisées"), ind["hours"]["used"]),
        ("hours_remaining", _("Heures restantes"), ind["hours"]["remaining"]),
        ("objectives_set", _("Objectifs fixés"), ind["objectives"]["set"]),
        ("objectives_reached", _("Objectifs atteints"), ind["objectives"]["reached"]),
        ("tools_total", _("Outils partagés"), ind["tools"]["total"]),
    ]
    rows = [
        {"key": key, "label": label, "value": _shown(small_count(v, k))} for key, label, v in people
    ]
    rows += [{"key": key, "label": label, "value": num(v)} for key, label, v in others]
    return rows


def satisfaction_rows(ind: dict[str, Any], k: int) -> list[dict[str, str]]:
    labels = {
        "satisfaction": _("Satisfait·es ou très satisfait·es"),
        "would_mentor_again": _("Seraient mentor·es à nouveau"),
        "would_recommend": _("Recommanderaient le programme"),
        "response_rate": _("Réponses aux questionnaires (sur les envois)"),
    }
    rows = []
    for key, label in labels.items():
        share = ind[key]
        rows.append({"key": key, "label": label, **share_row(share["count"], share["total"], k)})
    return rows


def _tracks(program: Program, language: str) -> list[dict[str, Any]]:
    rows = []
    for entry in tools_by_track(program):
        rows.append(
            {
                "track": entry.name or _("Sans volet"),
                "total": entry.count,
                "planned": entry.planned,
                "types": [[str(label), n] for label, n in entry.type_rows()],
                "directions": [[str(label), n] for label, n in entry.direction_rows()],
            }
        )
    return rows


def _evaluation(program: Program, ind: dict[str, Any], k: int) -> dict[str, Any]:
    rounds = []
    questionnaire_kinds = dict(
        Round.objects.filter(program=program).values_list("pk", "questionnaire__kind")
    )
    by_date = {
        r.send_on.isoformat(): r for r in Round.objects.filter(program=program, cancelled=False)
    }
    for entry in ind["response_rates"]:
        round_ = by_date.get(entry["send_on"])
        kind = questionnaire_kinds.get(round_.pk) if round_ else ""
        rounds.append(
            {
                "date": date_format(date.fromisoformat(entry["send_on"]), "j F Y"),
                "kind": _("Évaluation finale") if kind == "final" else _("Questionnaire mensuel"),
                **share_row(entry["count"], entry["total"], k),
            }
        )
    interviews = FinalInterview.objects.filter(program=program)
    return {
        "rounds": rounds,
        "monthly_rounds": sum(1 for r in rounds if r["kind"] == _("Questionnaire mensuel")),
        "final_rounds": sum(1 for r in rounds if r["kind"] == _("Évaluation finale")),
        "interviews_validated": num(
            interviews.filter(status=FinalInterview.Status.VALIDATED).count()
        ),
        "interviews_recorded": num(interviews.count()),
        "observer_notes": num(ObserverNote.objects.filter(program=program).count()),
    }


def _themes(program: Program, k: int) -> list[dict[str, str]]:
    labels = {
        "success_factors": _("Réponses décrivant des facteurs de réussite"),
        "difficulties": _("Réponses décrivant des difficultés"),
    }
    answers = Answer.objects.filter(
        invitation__round__program=program,
        invitation__submitted_at__isnull=False,
        question__theme__in=THEMES,
    ).exclude(value_text="")
    counts = Counter(answers.values_list("question__theme", flat=True))
    # The count is of answers, not of people; still suppressed because few answers mean few
    # people.
    return [
        {"label": label, "value": _shown(small_count(counts[theme], k))}
        for theme, label in labels.items()
    ]


def default_recommendations(
    program: Program, *, language: str, today: date | None = None
) -> list[str]:
    """Pre-filled from the health check's problems and warnings (the coordinator edits them)."""
    with translation.override(language):
        checks = health.run_checks(program, today=today)
        return [
            str(c.recommendation)
            for c in checks
            if c.status in (health.PROBLEM, health.WARNING) and c.recommendation
        ]


def build_report(
    program: Program,
    *,
    language: str,
    recommendations: list[str] | None = None,
    today: date | None = None,
    k: int | None = None,
) -> dict[str, Any]:
    """The whole report as data, in `language`, anonymized and with the small-cell rule."""
    k = small_cell_k(k)
    clean = redactor(program)
    with translation.override(language):
        ind = program_indicators(program)
        checks = health.run_checks(program, today=today)
        if recommendations is None:
            recommendations = [
                str(c.recommendation)
                for c in checks
                if c.status in (health.PROBLEM, health.WARNING) and c.recommendation
            ]
        months = ind["over_time"]["months"]
        quotes = [
            {"passage": clean(q.passage), "attribution": clean(q.attribution(language))}
            for q in Quote.objects.publishable()
            .filter(program=program)
            .select_related("speaker")
            .order_by("created_at", "pk")
            if q.is_publishable()
        ]
        held = ind["meetings_held"]
        data = {
            "language": language,
            "k": k,
            "generated_on": date_format(timezone.localdate(), "j F Y"),
            "title": clean(program.title),
            "context": {
                "theme": clean(program.theme),
                "description": clean(program.description),
                "objectives": clean(program.agreement_objectives),
                "period": (
                    f"{date_format(program.start_date, 'j F Y')} – "
                    f"{date_format(program.end_date, 'j F Y')}"
                    if program.start_date and program.end_date
                    else ""
                ),
                "tracks": [
                    clean(t.name) for t in Track.objects.filter(program=program).order_by("order")
                ],
            },
            "figures": figure_rows(ind, k),
            "timeline": {
                "months": [month_label(m) for m in months],
                "meetings_collective": ind["over_time"]["meetings_collective"],
                "meetings_individual": ind["over_time"]["meetings_individual"],
                "hours_used": ind["over_time"]["hours_used"],
                "rows": [
                    {
                        "month": month_label(m),
                        "collective": num(c),
                        "individual": num(i),
                        "hours": num(h),
                    }
                    for m, c, i, h in zip(
                        months,
                        ind["over_time"]["meetings_collective"],
                        ind["over_time"]["meetings_individual"],
                        ind["over_time"]["hours_used"],
                        strict=True,
                    )
                ],
                "hours_bank": ind["hours"]["bank"],
            },
            "evaluation": _evaluation(program, ind, k),
            "accomplishments": {
                "objectives_set": num(ind["objectives"]["set"]),
                "objectives_reached": num(ind["objectives"]["reached"]),
                "hours_used": num(ind["hours"]["used"]),
                "hours_bank": num(ind["hours"]["bank"]),
                "hours_remaining": num(ind["hours"]["remaining"]),
                "meetings_total": num(held["total"]),
                "meetings_collective": num(held["collective"]),
                "meetings_individual": num(held["individual"]),
            },
            "satisfaction": satisfaction_rows(ind, k),
            "tools_by_track": [
                {**row, "track": clean(row["track"])} for row in _tracks(program, language)
            ],
            "quotes": quotes,
            # The checks' titles are the platform's own wording, not anyone's text.
            "worked": [str(c.title) for c in checks if c.status == health.OK],
            "did_not": [
                str(c.title) for c in checks if c.status in (health.PROBLEM, health.WARNING)
            ],
            "themes": _themes(program, k),
            "regions": _regions(program, k),
            "recommendations": [clean(r) for r in recommendations],
        }
    return data


def export_rows(data: dict[str, Any]) -> list[list[str]]:
    """The same figures as the report, one line each: section, indicator, value, of, percent."""
    rows: list[list[str]] = []
    for row in data["figures"]:
        rows.append([_("Chiffres clés"), row["label"], row["value"], "", ""])
    for row in data["satisfaction"]:
        rows.append([_("Évaluation"), row["label"], row["count"], row["total"], row["percent"]])
    for row in data["evaluation"]["rounds"]:
        rows.append(
            [
                _("Taux de réponse"),
                f"{row['kind']} — {row['date']}",
                row["count"],
                row["total"],
                row["percent"],
            ]
        )
    for row in data["timeline"]["rows"]:
        rows.append([_("Rencontres collectives par mois"), row["month"], row["collective"], "", ""])
        rows.append(
            [_("Rencontres individuelles par mois"), row["month"], row["individual"], "", ""]
        )
        rows.append([_("Heures utilisées par mois"), row["month"], row["hours"], "", ""])
    for track in data["tools_by_track"]:
        rows.append([_("Outils partagés par volet"), track["track"], num(track["total"]), "", ""])
        for label, n in track["types"]:
            rows.append(
                [_("Outils partagés par volet"), f"{track['track']} — {label}", num(n), "", ""]
            )
    for row in data["themes"]:
        rows.append([_("Ce qui a fonctionné ou non"), row["label"], row["value"], "", ""])
    for row in data["regions"]:
        rows.append([_("Organisations par région"), row["region"], row["organizations"], "", ""])
    for text in data["recommendations"]:
        rows.append([_("Recommandations"), text, "", "", ""])
    return rows
