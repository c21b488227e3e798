"""Evidence gathered from a program's own data, one small function per kind.

Each function takes the program and returns an `Evidence`: present or missing (or not
available yet on this platform), a few lines in words, and a link to where it lives. A criterion
of a framework (`frameworks.py`) names the kinds it expects. To add a kind, write a function
and decorate it:

    @evidence("my_kind", gettext_lazy("Ce que c’est"))
    def my_kind(program: Program) -> Evidence:
        n = Thing.objects.filter(program=program).count()
        if not n:
            return missing(_("Aucune chose."), url=_url("app:things", program.pk))
        return present([_("%(n)s choses.") % {"n": n}], url=_url("app:things", program.pk))

The dossier freezes what these functions answer when it is submitted (`Evidence.as_dict`), so
that later changes to the data never alter what an assessor rated.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from django.db.models import Count, Q
from django.urls import NoReverseMatch, reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from maillage.programs.models import Program

PRESENT, MISSING, UNAVAILABLE = "present", "missing", "unavailable"
STATUS_LABELS = {
    PRESENT: gettext_lazy("Présent"),
    MISSING: gettext_lazy("Manquant"),
    UNAVAILABLE: gettext_lazy("Non disponible"),
}


@dataclass
class Evidence:
    kind: str
    label: str
    status: str
    lines: list[str] = field(default_factory=list)
    url: str = ""

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])

    @property
    def is_present(self) -> bool:
        return self.status == PRESENT

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "label": str(self.label), "lines": [str(x) for x in self.lines]}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Evidence:
        keys = ("kind", "label", "status", "lines", "url")
        return cls(**{k: data.get(k, "" if k != "lines" else []) for k in keys})


@dataclass(frozen=True)
class EvidenceKind:
    code: str
    label: Any
    gather: Callable[[Program], Evidence]


EVIDENCE: dict[str, EvidenceKind] = {}


def evidence(code: str, label: Any) -> Callable:
    """Register an evidence function under `code` (its result gets this code and label)."""

    def wrap(fn: Callable[[Program], Evidence]) -> Callable[[Program], Evidence]:
        def gather(program: Program) -> Evidence:
            result = fn(program)
            result.kind, result.label = code, str(label)
            return result

        EVIDENCE[code] = EvidenceKind(code, label, gather)
        return fn

    return wrap


def gather(code: str, program: Program) -> Evidence:
    kind = EVIDENCE.get(code)
    if kind is None:
        return Evidence(code, code, UNAVAILABLE, [_("Type de preuve inconnu.")])
    return kind.gather(program)


def present(lines: list[str], *, url: str = "") -> Evidence:
    return Evidence("", "", PRESENT, lines, url)


def missing(line: str, *, url: str = "") -> Evidence:
    return Evidence("", "", MISSING, [line], url)


def _url(name: str, *args: Any) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def _percent(count: int, total: int) -> str:
    return formats.number_format(round(100 * count / total)) if total else "0"


# --- Kinds ------------------------------------------------------------------------------------


@evidence("selection_criteria", gettext_lazy("Critères de sélection et leur poids"))
def selection_criteria(program: Program) -> Evidence:
    from maillage.selection.models import Criterion

    url = _url("selection:criteria", program.pk)
    criteria = list(Criterion.objects.filter(program=program).active().order_by("order", "pk"))
    if not criteria:
        return missing(_("Aucun critère de sélection n’est défini."), url=url)
    lines = [
        ngettext("%(n)s critère pondéré :", "%(n)s critères pondérés :", len(criteria))
        % {"n": len(criteria)}
    ]
    lines += [
        _("%(label)s — poids %(weight)s")
        % {"label": c.label, "weight": formats.number_format(c.weight, decimal_pos=1)}
        for c in criteria
    ]
    return present(lines, url=url)


@evidence("interest_form", gettext_lazy("Formulaire d’intérêt"))
def interest_form(program: Program) -> Evidence:
    from maillage.intake.models import InterestForm

    url = _url("intake:forms", program.pk)
    forms = list(
        InterestForm.objects.filter(program=program)
        .annotate(n=Count("applications", distinct=True))
        .order_by("pk")
    )
    if not forms:
        return missing(_("Aucun formulaire d’intérêt."), url=url)
    lines = [
        ngettext(
            "« %(title)s » (%(audience)s) : %(n)s réponse.",
            "« %(title)s » (%(audience)s) : %(n)s réponses.",
            form.n,
        )
        % {"title": form.title_fr, "audience": form.get_audience_display().lower(), "n": form.n}
        for form in forms
    ]
    return present(lines, url=url)


@evidence("applications", gettext_lazy("Candidatures et décisions"))
def applications(program: Program) -> Evidence:
    from maillage.intake.models import Application

    url = _url("selection:applications", program.pk)
    counts = Application.objects.filter(program=program, duplicate_of__isnull=True).aggregate(
        total=Count("pk"),
        decided=Count("pk", filter=Q(decision__isnull=False)),
        selected=Count("pk", filter=Q(status=Application.Status.SELECTED)),
    )
    if not counts["total"]:
        return missing(_("Aucune candidature reçue."), url=url)
    return present(
        [
            ngettext("%(n)s candidature reçue.", "%(n)s candidatures reçues.", counts["total"])
            % {"n": counts["total"]},
            ngettext("%(n)s décision motivée.", "%(n)s décisions motivées.", counts["decided"])
            % {"n": counts["decided"]},
            ngettext("%(n)s retenue.", "%(n)s retenues.", counts["selected"])
            % {"n": counts["selected"]},
        ],
        url=url,
    )


@evidence("inclusion_objectives", gettext_lazy("Objectifs d’inclusion"))
def inclusion_objectives(program: Program) -> Evidence:
    from maillage.inclusion.selectors import indicators

    url = _url("inclusion:home", program.pk)
    figures = indicators(program)
    if not figures.rows:
        return missing(_("Le programme ne suit aucun groupe pour l’inclusion."), url=url)
    targets = sum(
        1 for group, _f in figures.rows if any(v is not None for v in group.targets().values())
    )
    lines = [
        ngettext(
            "%(n)s groupe suivi : %(names)s.",
            "%(n)s groupes suivis : %(names)s.",
            len(figures.rows),
        )
        % {"n": len(figures.rows), "names": ", ".join(str(g) for g, _f in figures.rows)},
        ngettext(
            "%(n)s groupe a des objectifs chiffrés.",
            "%(n)s groupes ont des objectifs chiffrés.",
            targets,
        )
        % {"n": targets},
    ]
    # Only figures the small-cell rule lets anyone see: a hidden one is neither reached nor not.
    judged = [f.reached for _g, fs in figures.rows for f in fs if f.reached is not None]
    if judged:
        lines.append(
            _("Objectifs atteints : %(n)s sur %(total)s mesurables.")
            % {"n": sum(judged), "total": len(judged)}
        )
    elif figures.any_hidden:
        lines.append(_("Les chiffres par groupe sont masqués : moins de personnes que le seuil."))
    if not targets:
        return Evidence("", "", MISSING, lines, url)
    return present(lines, url=url)


@evidence("training_completion", gettext_lazy("Formations suivies"))
def training_completion(program: Program) -> Evidence:
    from maillage.training.selectors import completion_summary

    url = _url("training:progress", program.pk)
    summary = completion_summary(program)
    total = summary["total"]
    if not total["assigned"]:
        return missing(
            _("Aucune formation n’est assignée aux personnes du programme."),
            url=_url("training:library", program.pk),
        )
    roles = {
        "mentor": _("Côté mentor"),
        "mentee": _("Personnes mentorées"),
        "coordinator": _("Coordination"),
    }
    lines = [
        ngettext("%(n)s module assigné.", "%(n)s modules assignés.", len(summary["modules"]))
        % {"n": len(summary["modules"])}
    ]
    for role, tally in summary["by_role"].items():
        lines.append(
            ngettext(
                "%(role)s : %(done)s formation terminée sur %(assigned)s (%(percent)s %%).",
                "%(role)s : %(done)s formations terminées sur %(assigned)s (%(percent)s %%).",
                tally["completed"],
            )
            % {
                "role": roles.get(role, role),
                "done": tally["completed"],
                "assigned": tally["assigned"],
                "percent": _percent(tally["completed"], tally["assigned"]),
            }
        )
    if not total["completed"]:
        return Evidence("", "", MISSING, lines, url)
    return present(lines, url=url)


@evidence("agreement_template", gettext_lazy("Modèle d’entente de mentorat"))
def agreement_template(program: Program) -> Evidence:
    url = _url("programs:edit", program.pk)
    points = program.agreement_points()
    absent = program.agreement_points_missing()
    if len(absent) == len(points):
        return missing(_("Le modèle d’entente est vide."), url=url)
    filled = len(points) - len(absent)
    lines = [
        ngettext("%(n)s point sur %(total)s rempli.", "%(n)s points sur %(total)s remplis.", filled)
        % {"n": filled, "total": len(points)}
    ]
    if absent:
        lines.append(_("À compléter : %(points)s.") % {"points": ", ".join(absent)})
        return Evidence("", "", MISSING, lines, url)
    return present(lines, url=url)


@evidence("shared_tools", gettext_lazy("Outils partagés dans les groupes"))
def shared_tools(program: Program) -> Evidence:
    from maillage.tools.models import Tool

    url = _url("tools:program", program.pk)
    n = Tool.objects.filter(group__program=program).count()
    if not n:
        return missing(_("Aucun outil partagé dans les groupes."), url=url)
    return present(
        [ngettext("%(n)s outil partagé.", "%(n)s outils partagés.", n) % {"n": n}], url=url
    )


@evidence("matching_certificate", gettext_lazy("Certificat du jumelage approuvé"))
def matching_certificate(program: Program) -> Evidence:
    from maillage.matching.models import MatchRun, Proposal
    from maillage.matching.presentation import certificate_text

    url = _url("matching:home", program.pk)
    run = (
        MatchRun.objects.done()
        .filter(program=program, proposals__status=Proposal.Status.ACCEPTED)
        .distinct()
        .order_by("-created_at", "-pk")
        .first()
    )
    if run is None:
        return missing(_("Aucun jumelage approuvé."), url=url)
    accepted = run.proposals.filter(status=Proposal.Status.ACCEPTED).count()
    return present(
        [
            _("Jumelage du %(date)s (%(mode)s).")
            % {"date": formats.date_format(run.created_at.date()), "mode": run.get_mode_display()},
            ngettext("%(n)s groupe approuvé.", "%(n)s groupes approuvés.", accepted)
            % {"n": accepted},
            certificate_text(run.certificate or {}),
        ],
        url=url,
    )


@evidence("follow_up", gettext_lazy("Rencontres et banque d’heures"))
def follow_up(program: Program) -> Evidence:
    from maillage.reports.indicators import program_indicators

    url = _url("mentoring:groups", program.pk)
    figures = program_indicators(program)
    if not figures["groups"]:
        return missing(_("Aucun groupe de mentorat."), url=url)
    held = figures["meetings_held"]["total"]
    hours = figures["hours"]
    lines = [
        ngettext(
            "%(n)s rencontre tenue dans %(g)s groupes.",
            "%(n)s rencontres tenues dans %(g)s groupes.",
            held,
        )
        % {"n": held, "g": figures["groups"]},
        _("%(used)s h utilisées sur une banque de %(bank)s h.")
        % {
            "used": formats.number_format(hours["used"], decimal_pos=1),
            "bank": formats.number_format(hours["bank"], decimal_pos=1),
        },
    ]
    return Evidence("", "", PRESENT if held else MISSING, lines, url)


@evidence("alerts_resolved", gettext_lazy("Alertes résolues"))
def alerts_resolved(program: Program) -> Evidence:
    from maillage.alerts.models import Alert

    url = _url("alerts:dashboard", program.pk)
    counts = Alert.objects.filter(program=program).aggregate(
        total=Count("pk"), resolved=Count("pk", filter=Q(resolved_at__isnull=False))
    )
    if not counts["total"]:
        return present([_("Aucune alerte n’a été levée.")], url=url)
    return present(
        [
            ngettext(
                "%(n)s alerte résolue sur %(total)s (%(p)s %%).",
                "%(n)s alertes résolues sur %(total)s (%(p)s %%).",
                counts["resolved"],
            )
            % {
                "n": counts["resolved"],
                "total": counts["total"],
                "p": _percent(counts["resolved"], counts["total"]),
            }
        ],
        url=url,
    )


@evidence("evaluation_responses", gettext_lazy("Taux de réponse aux questionnaires"))
def evaluation_responses(program: Program) -> Evidence:
    from maillage.evaluation.models import Invitation
    from maillage.evaluation.selectors import response_rate

    url = _url("evaluation:home", program.pk)
    share = response_rate(Invitation.objects.filter(round__program=program))
    if not share.total:
        return missing(_("Aucun questionnaire envoyé."), url=url)
    return present(
        [
            ngettext(
                "%(n)s réponse sur %(total)s invitation (%(p)s %%).",
                "%(n)s réponses sur %(total)s invitations (%(p)s %%).",
                share.count,
            )
            % {"n": share.count, "total": share.total, "p": _percent(share.count, share.total)}
        ],
        url=url,
    )


@evidence("evaluation_results", gettext_lazy("Résultats de l’évaluation"))
def evaluation_results(program: Program) -> Evidence:
    from maillage.evaluation.selectors import program_indicators
    from maillage.reports.suppression import small_cell_k

    url = _url("evaluation:home", program.pk)
    k = small_cell_k()
    shares = [s for s in program_indicators(program) if s.total]
    if not shares:
        return missing(_("Aucune réponse aux questions de satisfaction."), url=url)
    lines = []
    for share in shares:
        if share.total < k:
            # The small-cell rule: a dossier leaves the program for an assessor.
            lines.append(
                ngettext(
                    "%(label)s : moins de %(k)s réponse, résultat masqué.",
                    "%(label)s : moins de %(k)s réponses, résultat masqué.",
                    k,
                )
                % {"label": share.label, "k": k}
            )
        else:
            lines.append(
                _("%(label)s : %(p)s %% de %(total)s réponses.")
                % {"label": share.label, "p": share.percent, "total": share.total}
            )
    return present(lines, url=url)


@evidence("health_check", gettext_lazy("Bilan de santé du programme"))
def health_check(program: Program) -> Evidence:
    from maillage.alerts.health import OK, PROBLEM, WARNING, run_checks

    url = _url("alerts:health", program.pk)
    checks = [c for c in run_checks(program) if c.key != "accreditation"]
    counts = {s: sum(1 for c in checks if c.status == s) for s in (OK, WARNING, PROBLEM)}
    lines = [
        ngettext("%(n)s point conforme", "%(n)s points conformes", counts[OK]) % {"n": counts[OK]}
        + ", "
        + ngettext("%(n)s à surveiller", "%(n)s à surveiller", counts[WARNING])
        % {"n": counts[WARNING]}
        + ", "
        + ngettext("%(n)s à corriger.", "%(n)s à corriger.", counts[PROBLEM])
        % {"n": counts[PROBLEM]}
    ]
    lines += [
        _("À corriger : %(title)s.") % {"title": c.title} for c in checks if c.status == PROBLEM
    ]
    return present(lines, url=url)
