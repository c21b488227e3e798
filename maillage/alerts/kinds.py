"""Thresholds of the alerts and the sentence that shows each alert's evidence.

Every threshold sits here, named, so that the coordinator's documentation and the tests quote one
place. Evidence is stored as figures and ISO dates (JSON) and turned into a sentence in the reader's
language when shown or e-mailed.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import formats
from django.utils.translation import gettext as _

from .models import Alert, Kind

# "Start fast" (Tableau 4, Activités de mentorat): first meeting within 3 weeks of acceptance.
START_WITHIN_DAYS = 21
# A gap between meetings is tolerated up to the program's maximum frequency plus this grace
# (a meeting moved by a few days should not wake anybody up).
MEETING_GAP_GRACE_DAYS = 7
# Hours bank pace, on the share of the program period elapsed (program start → program end).
# Too slow: more than 25 % of the bank left in the last 15 % of the period (the pilot's
# Synergies group still had 7 of 20 h at the end).
SLOW_LAST_SHARE_OF_PERIOD = 0.15
SLOW_REMAINING_SHARE_OF_BANK = 0.25
# Too fast: the bank empty, or projected empty at the current pace, before 80 % of the period.
FAST_BEFORE_SHARE_OF_PERIOD = 0.80
# The projection needs some history before it says anything.
FAST_MIN_ELAPSED_SHARE = 0.25
# Inactivity (no held meeting, time entry or update message): warn, then propose closing.
INACTIVE_WARN_DAYS = 60
INACTIVE_CLOSE_DAYS = 90
# Needs drift: a need is outside the mentor side's expertise when people marked it so, or when
# its calibrated fit is below the outside threshold of the encoder in use
# (maillage.core.textfit.FIT_THRESHOLDS, the one the action plans use too).
# Which needs are "the latest": open action-plan needs created in this window and the latest
# update messages of the mentees.
DRIFT_WINDOW_DAYS = 60
DRIFT_LATEST_UPDATES = 3
# Drift when at least this share of the latest needs is outside, and at least this many.
DRIFT_OUTSIDE_SHARE = 0.5
DRIFT_MIN_OUTSIDE = 2


def _day(value: str | None) -> str:
    if not value:
        return "—"
    try:
        return formats.date_format(date.fromisoformat(value[:10]), "j F Y")
    except ValueError:
        return value


def _hours(value: Any) -> str:
    return formats.number_format(float(value), 1)


def _why(item: dict[str, Any]) -> str:
    if item.get("marked") is False:
        return _("marqué hors expertise")
    return _("proximité %(fit)s") % {"fit": formats.number_format(float(item.get("fit") or 0), 2)}


def describe(alert: Alert) -> str:
    e: dict[str, Any] = alert.evidence or {}
    kind = alert.kind
    if kind == Kind.NO_DESIGNATED:
        return _(
            "%(org)s n’a pas de personne désignée pour recevoir le mentorat "
            "(groupe approuvé le %(approved)s)%(note)s."
        ) % {
            "org": e.get("organization") or e.get("person", ""),
            "approved": _day(e.get("approved_on")),
            "note": f" : {e['note'].rstrip('. ')}" if e.get("note") else "",
        }
    if kind == Kind.SLOW_START:
        return _(
            "Groupe approuvé le %(approved)s : %(days)s jours sans première rencontre "
            "(seuil : %(limit)s jours). Prochaine rencontre prévue : %(next)s."
        ) % {
            "approved": _day(e.get("approved_on")),
            "days": e.get("days"),
            "limit": e.get("limit_days"),
            "next": _day(e.get("next_meeting")),
        }
    if kind == Kind.MEETING_GAP:
        return _(
            "Dernière rencontre le %(last)s, il y a %(days)s jours ; le programme prévoit une "
            "rencontre au plus toutes les %(weeks)s semaines (tolérance : %(grace)s jours). "
            "Prochaine rencontre prévue : %(next)s."
        ) % {
            "last": _day(e.get("last_meeting")),
            "days": e.get("days"),
            "weeks": e.get("max_weeks"),
            "grace": e.get("grace_days"),
            "next": _day(e.get("next_meeting")),
        }
    if kind == Kind.HOURS_PACE:
        figures = {
            "used": _hours(e.get("used", 0)),
            "bank": _hours(e.get("bank", 0)),
            "remaining": _hours(e.get("remaining", 0)),
            "elapsed": round(100 * float(e.get("elapsed_share", 0))),
            "end": _day(e.get("period_end")),
            "projected": _day(e.get("projected_empty_on")),
        }
        if e.get("direction") == "slow":
            return (
                _(
                    "%(remaining)s h sur %(bank)s h restent alors que %(elapsed)s %% de la période "
                    "est écoulée (fin le %(end)s) : la banque d’heures est utilisée trop lentement."
                )
                % figures
            )
        return (
            _(
                "%(used)s h sur %(bank)s h déjà utilisées à %(elapsed)s %% de la période ; "
                "au rythme actuel, la banque sera vide le %(projected)s, bien avant la fin "
                "(%(end)s)."
            )
            % figures
        )
    if kind == Kind.UPDATE_OVERDUE:
        return _(
            "%(person)s n’a pas envoyé de message de suivi depuis le %(since)s (%(days)s jours ; "
            "le programme prévoit au plus %(limit)s jours)."
        ) % {
            "person": e.get("person", ""),
            "since": _day(e.get("since")),
            "days": e.get("days"),
            "limit": e.get("limit_days"),
        }
    if kind == Kind.NEEDS_DRIFT:
        outside = e.get("outside", [])
        lines = "; ".join(f"« {item['text'][:120]} » ({_why(item)})" for item in outside[:4])
        return _(
            "%(n)s des %(total)s besoins récents sortent de l’expertise du côté mentor "
            "(seuil de proximité : %(threshold)s) : %(lines)s."
        ) % {
            "n": len(outside),
            "total": e.get("total"),
            "threshold": formats.number_format(float(e.get("threshold", 0)), 2),
            "lines": lines,
        }
    if kind == Kind.INACTIVE:
        if e.get("stage") == "close":
            return _(
                "Aucune activité (rencontre, temps, message) depuis le %(since)s, soit %(days)s "
                "jours : nous proposons de terminer le groupe (seuil : %(limit)s jours)."
            ) % {"since": _day(e.get("since")), "days": e.get("days"), "limit": e.get("limit_days")}
        return _(
            "Aucune activité (rencontre, temps, message) depuis le %(since)s, soit %(days)s jours "
            "(avertissement à %(limit)s jours)."
        ) % {"since": _day(e.get("since")), "days": e.get("days"), "limit": e.get("limit_days")}
    if kind == Kind.CONSENT_MISSING:
        if e.get("withdrawn_on"):
            return _(
                "%(person)s a retiré son consentement le %(date)s : ses renseignements ne "
                "peuvent plus être traités dans ce groupe. Le groupe n’a pas été modifié : "
                "parlez-lui, puis retirez-la du groupe, terminez le groupe ou consignez un "
                "nouveau consentement."
            ) % {"person": e.get("person", ""), "date": _day(e.get("withdrawn_on"))}
        return _(
            "%(person)s n’a pas donné son consentement pour ce programme : ses renseignements "
            "ne peuvent pas être traités dans ce groupe. Demandez-le-lui depuis la page "
            "Personnes, ou retirez-la du groupe."
        ) % {"person": e.get("person", "")}
    return ""
