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
from maillage.inclusion.selectors import indicators as inclusion_indicators
from maillage.intake.models import Application
from maillage.programs.models import Program, Track
from maillage.tools.models import Tool
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


def too_few(behind: list[int], k: int) -> bool:
    """A figure standing for a single group, or for fewer than k people, describes them."""
    groups, people = behind
    return groups < 2 or people < k


def shown_figure(value: Any) -> str:
    """A figure as the report shows it: already a string (suppressed or formatted) or a number
    (reports frozen before the small-cell rule covered activities)."""
    return value if isinstance(value, str) else num(value)


def activity(ind: dict[str, Any], k: int) -> dict[str, Any]:
    """The program's activity figures (meetings, hours, objectives, tools) and the monthly table,
    with the small-cell rule: a month's figure that stands for one group or fewer than k people
    is hidden, and so are the figures (months or totals) that would give it away, by difference
    or within a narrow range. The program's totals are the program's own figures (what funders
    ask for): they go only when the program has a single group, whose figures they would be."""
    over = ind["over_time"]
    months = over["months"]
    keys = ("meetings_collective", "meetings_individual", "hours_used")
    all_hidden = ind["groups"] == 1
    matrix = [[over[key][n] for key in keys] for n in range(len(months))]
    sensitive = {
        ("c", n, j)
        for n in range(len(months))
        for j, key in enumerate(keys)
        if matrix[n][j] and (all_hidden or too_few(over["behind"][key][n], k))
    }
    if all_hidden:
        sensitive |= {("k", j) for j in range(len(keys))}
    hidden_total = dict.fromkeys(keys, all_hidden)
    rows = []
    if months:
        table = suppress(
            matrix,
            k=k,
            row_totals=False,
            col_totals=True,
            sensitive=sensitive,
            by_value=False,
            grand_total=False,  # meetings plus hours is no figure
        )
        hidden_total = {
            key: table.col_totals[j].suppressed or all_hidden for j, key in enumerate(keys)
        }
        for month, row in zip(months, table.rows, strict=True):
            rows.append(
                {
                    "month": month_label(month),
                    "collective": _shown(row[0]),
                    "individual": _shown(row[1]),
                    "hours": _shown(row[2]),
                    "series": [None if c.suppressed else c.value for c in row],
                }
            )

    def total(value: Any, *hidden: bool) -> str:
        return MARK if any(hidden) else num(value)

    held, hours = ind["meetings_held"], ind["hours"]
    collective, individual = (
        hidden_total["meetings_collective"],
        hidden_total["meetings_individual"],
    )
    return {
        "rows": rows,
        "all_hidden": all_hidden,
        "meetings_collective": total(held["collective"], collective),
        "meetings_individual": total(held["individual"], individual),
        # The total gives a hidden part away as the difference with the other part.
        "meetings_total": total(held["total"], collective, individual),
        "hours_bank": total(hours["bank"], all_hidden),
        "hours_used": total(hours["used"], hidden_total["hours_used"]),
        # The bank minus what remains is what was used.
        "hours_remaining": total(hours["remaining"], hidden_total["hours_used"]),
        "objectives_set": total(ind["objectives"]["set"], all_hidden),
        "objectives_reached": total(ind["objectives"]["reached"], all_hidden),
    }


def tool_rows(program: Program, ind: dict[str, Any], k: int) -> dict[str, Any]:
    """Tools shared per track, by type and by direction, with the small-cell rule: a figure
    standing for one group or fewer than k people is hidden, with what would give it away. The
    two tables share the tracks' totals and the program's total, so what one hides the other
    hides too."""
    entries = tools_by_track(program)
    index = {entry.track.pk if entry.track else None: n for n, entry in enumerate(entries)}
    types = [(value, label) for value, label in Tool.Type.choices]
    directions = [(value, label) for value, label in Tool.Direction.choices]
    members = Tool.objects.filter(group__program=program, planned=False).values_list(
        "group__track_id", "type", "direction", "group_id", "group__members__role__person_id"
    )
    behind: dict[tuple, tuple[set, set]] = {}
    for track_id, kind, direction, group_id, person_id in members:
        for key in (
            ("type", track_id, kind),
            ("direction", track_id, direction),
            ("track", track_id),
        ):
            groups, people = behind.setdefault(key, (set(), set()))
            groups.add(group_id)
            if person_id:
                people.add(person_id)

    def few(key: tuple) -> bool:
        groups, people = behind.get(key, (set(), set()))
        return bool(groups) and too_few([len(groups), len(people)], k)

    all_hidden = ind["groups"] == 1
    tables = {
        "type": [[e.by_type[value] for value, _l in types] for e in entries],
        "direction": [[e.by_direction[value] for value, _l in directions] for e in entries],
    }
    shared: set[tuple] = {("t",)} if all_hidden and ind["tools"]["total"] else set()
    shared |= {
        ("r", index[e.track.pk if e.track else None])
        for e in entries
        if e.count and (all_hidden or few(("track", e.track.pk if e.track else None)))
    }
    results: dict[str, Any] = {}
    if entries:
        while True:
            for name, columns in (("type", types), ("direction", directions)):
                sensitive = set(shared) | {
                    ("c", i, j)
                    for i, e in enumerate(entries)
                    for j, (value, _label) in enumerate(columns)
                    if tables[name][i][j]
                    and (all_hidden or few((name, e.track.pk if e.track else None, value)))
                }
                results[name] = suppress(
                    tables[name],
                    k=k,
                    row_totals=True,
                    col_totals=False,
                    sensitive=sensitive,
                    by_value=False,
                )
            hidden = {
                p
                for result in results.values()
                for p in [("r", i) for i, c in enumerate(result.row_totals) if c.suppressed]
                + ([("t",)] if result.grand_total.suppressed else [])
            }
            if hidden <= shared:
                break
            shared |= hidden
    rows = []
    for i, entry in enumerate(entries):
        type_cells = results["type"].rows[i]
        direction_cells = results["direction"].rows[i]
        rows.append(
            {
                "track": entry.name or _("Sans volet"),
                "total": MARK if ("r", i) in shared else num(entry.count),
                "types": [
                    [str(label), _shown(cell)]
                    for (value, label), cell in zip(types, type_cells, strict=True)
                    if cell.suppressed or cell.value
                ],
                "directions": [
                    [str(label), _shown(cell)]
                    for (value, label), cell in zip(directions, direction_cells, strict=True)
                    if cell.suppressed or cell.value
                ],
            }
        )
    total_hidden = ("t",) in shared or all_hidden
    return {"rows": rows, "total": MARK if total_hidden else num(ind["tools"]["total"])}


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


def figure_rows(
    ind: dict[str, Any], k: int, shown: dict[str, str] | None = None
) -> list[dict[str, str]]:
    """The key figures: people counts with the small-cell rule, and the activity figures as
    ``shown`` gives them (the report's, suppressed) or as they are (the indicators page, read by
    the program's own coordination)."""
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
    shown = shown or {}
    rows += [
        {"key": key, "label": label, "value": shown.get(key) or num(v)} for key, label, v in others
    ]
    return rows


def inclusion_rows(program: Program, k: int) -> list[dict[str, str]]:
    """Each tracked group's share at each stage, against its objective: only the figures that
    count at least k people and that the inclusion page itself publishes (a remainder or a
    difference between stages under k hides one there, so here too). Nothing when the program
    tracks no group or has too few people: the section is then left out of the report."""
    ind = inclusion_indicators(program, k)
    rows = []
    for group, figures in ind.rows:
        for figure in figures:
            if figure.hidden or figure.count is None or figure.count < k or not figure.total:
                continue
            rows.append(
                {
                    "group": group.label,
                    "stage": figure.label,
                    "count": str(figure.count),
                    "total": str(figure.total),
                    "percent": f"{figure.percent}\u00a0%",
                    "target": "" if figure.target is None else f"{figure.target}\u00a0%",
                }
            )
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
        quotes = [
            {"passage": clean(q.passage), "attribution": clean(q.attribution(language))}
            for q in Quote.objects.publishable()
            .filter(program=program)
            .select_related("speaker")
            .order_by("created_at", "pk")
            if q.is_publishable()
        ]
        done = activity(ind, k)
        tools = tool_rows(program, ind, k)
        shown = {
            key: done[key]
            for key in (
                "meetings_collective",
                "meetings_individual",
                "meetings_total",
                "hours_bank",
                "hours_used",
                "hours_remaining",
                "objectives_set",
                "objectives_reached",
            )
        }
        shown["tools_total"] = tools["total"]
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
            "figures": figure_rows(ind, k, shown),
            "timeline": {
                "months": [row["month"] for row in done["rows"]],
                "meetings_collective": [row["series"][0] for row in done["rows"]],
                "meetings_individual": [row["series"][1] for row in done["rows"]],
                "hours_used": [row["series"][2] for row in done["rows"]],
                "rows": [
                    {key: row[key] for key in ("month", "collective", "individual", "hours")}
                    for row in done["rows"]
                ],
                "hours_bank": None if done["hours_bank"] == MARK else ind["hours"]["bank"],
            },
            "evaluation": _evaluation(program, ind, k),
            "accomplishments": {key: done[key] for key in shown if key != "tools_total"},
            "satisfaction": satisfaction_rows(ind, k),
            "inclusion": inclusion_rows(program, k),
            "tools_by_track": [{**row, "track": clean(row["track"])} for row in tools["rows"]],
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
    for row in data.get("inclusion", []):
        rows.append(
            [
                _("Inclusion"),
                f"{row['group']} — {row['stage']}",
                row["count"],
                row["total"],
                row["percent"],
            ]
        )
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
        rows.append(
            [_("Outils partagés par volet"), track["track"], shown_figure(track["total"]), "", ""]
        )
        for label, n in track["types"]:
            rows.append(
                [
                    _("Outils partagés par volet"),
                    f"{track['track']} — {label}",
                    shown_figure(n),
                    "",
                    "",
                ]
            )
    for row in data["themes"]:
        rows.append([_("Ce qui a fonctionné ou non"), row["label"], row["value"], "", ""])
    for row in data["regions"]:
        rows.append([_("Organisations par région"), row["region"], row["organizations"], "", ""])
    for text in data["recommendations"]:
        rows.append([_("Recommandations"), text, "", "", ""])
    return rows
