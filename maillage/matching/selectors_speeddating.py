"""Reads of the speed dating pages: the coordinator's event page, the dashboard's next steps."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from maillage.programs.models import Program, Role

from .instance import mentor_team_ids, side_key
from .models import SpeedDatingEvent, SpeedDatingRanking
from .signals import standing_groups_of
from .speeddating import ranking_progress


def grouped_keys(program: Program) -> set[str]:
    """Engine ids of the mentee sides already in an accepted group."""
    teams = mentor_team_ids(program)
    return {
        side_key(r, mentor_teams=teams) for g in standing_groups_of(program) for r in g.mentee_roles
    }


def rotation_words(event: SpeedDatingEvent) -> str:
    """The rotation's certificate in words, for the coordinator."""
    cert = event.rotation.get("certificate") or {}
    n = int(cert.get("meetings", 0))
    possible = int(cert.get("possible", n))
    bound = int(cert.get("simple_bound", possible)) or 1
    proximity = number_format(100 * possible / bound, decimal_pos=0)
    text = ngettext(
        "La meilleure rotation possible : %(n)s rencontre sur %(possible)s possible",
        "La meilleure rotation possible : %(n)s rencontres sur %(possible)s possibles",
        possible,
    ) % {"n": n, "possible": possible}
    return text + _(
        " selon vos règles ; proximité %(p)s %% de la borne simple (%(bound)s rencontres si "
        "chacun·e pouvait rencontrer tout le monde à chaque tour)."
    ) % {"p": proximity, "bound": bound}


def formation_words(formation: dict[str, Any]) -> dict[str, str]:
    """The stability certificate and the cost of the rankings, in words for the coordinator."""
    out = {}
    blocking = int(formation.get("blocking_pairs", 0))
    if blocking == 0:
        out["stability"] = _(
            "Certificat de stabilité : aucune paire ne préférerait être ensemble plutôt qu’avec "
            "son groupe (vérifié paire par paire, indépendamment du calcul)."
        )
    else:
        out["stability"] = ngettext(
            "Attention : %(n)s paire préférerait être ensemble (les règles du programme l’empêchent peut-être).",
            "Attention : %(n)s paires préféreraient être ensemble (les règles du programme l’empêchent peut-être).",
            blocking,
        ) % {"n": blocking}
    cost = formation.get("cost")
    if cost is None:
        out["cost"] = _("Le coût des classements n’a pas pu être mesuré.")
    elif cost <= 1e-9:
        out["cost"] = _(
            "Respecter les classements ne coûte rien : ces groupes ont aussi le meilleur score "
            "possible."
        )
    else:
        out["cost"] = _(
            "Respecter les classements coûte %(p)s %% du score par rapport aux meilleurs groupes "
            "possibles selon vos critères (%(stable)s contre %(best)s)."
        ) % {
            "p": number_format(100 * cost, decimal_pos=1),
            "stable": number_format(formation.get("stable_score", 0), decimal_pos=2),
            "best": number_format(formation.get("optimal_score", 0), decimal_pos=2),
        }
    return out


def event_page(event: SpeedDatingEvent) -> dict[str, Any]:
    meetings = list(event.meetings.all())
    rounds = []
    for r in range(event.rounds):
        here = [m for m in meetings if m.round == r]
        rounds.append(
            {
                "number": r + 1,
                "starts_at": event.round_start(r),
                "ends_at": event.round_end(r),
                "meetings": [{"m": m, "place": event.place(m.table)} for m in here],
            }
        )
    progress = ranking_progress(event)
    ranked = sum(1 for p in progress if p["ranking"])
    formation = event.rotation.get("formation")
    labels = {m.mentee_key: m.mentee_label for m in meetings}
    return {
        "rounds": rounds,
        "rotation_text": rotation_words(event) if event.rotation else "",
        "unmet": [labels.get(k, k) for k in event.rotation.get("unmet", [])],
        "progress": progress,
        "ranked": ranked,
        "formation": formation,
        "formation_text": formation_words(formation) if formation else {},
        "run_is_latest": bool(
            event.match_run_id
            and event.program.match_runs.done().values_list("pk", flat=True).first()
            == event.match_run_id
        ),
        "can_edit": not event.is_cancelled and not event.has_started(),
        "ranking_open": event.ranking_open(),
        "after": event.is_published and timezone.now() >= event.ends_at,
    }


def dashboard_items(
    *, user: Any, programs: list[Program], roles: dict[int, list[Role]]
) -> dict[int, list[dict[str, Any]]]:
    """« Mes programmes »: an invited person's timetable, then their ranking to send; for every
    program at once (the events and the rankings sent: two queries at most, none for a person
    who is no mentor or mentee). `roles`: the user's roles by program, each with `has_consent`
    (`RoleQuerySet.with_consent`)."""
    from .speeddating import side_among

    out: dict[int, list[dict[str, Any]]] = {}
    participant = (Role.Kind.MENTOR, Role.Kind.MENTEE)
    ids = [
        p.pk
        for p in programs
        if not p.is_closed() and any(r.kind in participant for r in roles.get(p.pk, []))
    ]
    if not ids:
        return out
    now = timezone.now()
    events = list(
        SpeedDatingEvent.objects.filter(
            program_id__in=ids, status=SpeedDatingEvent.Status.PUBLISHED, ranking_deadline__gte=now
        )
    )
    if not events:
        return out
    # A person who withdrew their consent no longer ranks anyone (`Role.has_consent`, loaded
    # with the roles by « Mes programmes »).
    mine = {
        e.program_id: [r for r in roles[e.program_id] if r.kind in participant and r.has_consent]
        for e in events
    }
    teams: dict[int, set[int]] = {}
    teamed = {
        r.program_id for rs in mine.values() for r in rs if r.team_id and r.kind == Role.Kind.MENTEE
    }
    if teamed:  # the programs' mentor teams matter to a mentee in a team only (`side_key`)
        for program_id, team_id in Role.objects.filter(
            program_id__in=teamed, kind=Role.Kind.MENTOR, team__isnull=False
        ).values_list("program_id", "team_id"):
            teams.setdefault(program_id, set()).add(team_id)
    sides = {}
    for event in events:
        side = side_among(
            mine.get(event.program_id, []), event, mentor_teams=teams.get(event.program_id, ())
        )
        if side is not None:
            sides[event.pk] = side[0]
    ranking = [e.pk for e in events if e.pk in sides and e.ranking_open()]
    ranked: set[tuple[int, str]] = set()
    if ranking:
        ranked = set(
            SpeedDatingRanking.objects.filter(
                event_id__in=ranking, side_key__in={sides[pk] for pk in ranking}
            ).values_list("event_id", "side_key")
        )
    for event in events:
        if event.pk not in sides:
            continue
        url = reverse("matching:sd_mine", args=[event.program_id, event.pk])
        if event.pk in ranking and (event.pk, sides[event.pk]) not in ranked:
            label = _("Classer les personnes rencontrées à « %(title)s »")
        elif now < event.ends_at:
            label = _("Votre horaire pour « %(title)s »")
        else:
            continue
        out.setdefault(event.program_id, []).append(
            {"label": label % {"title": event.title}, "url": url}
        )
    return out
