"""Forms of the speed dating mentoral: the coordinator's event form, a participant's ranking."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .instance import Roster
from .models import SpeedDatingEvent, SpeedDatingMeeting
from .speeddating import EventPlan, default_start


class EventForm(forms.Form):
    title = forms.CharField(label=_("Titre"), max_length=200)
    format = forms.ChoiceField(
        label=_("Format"),
        choices=SpeedDatingEvent.Format.choices,
        widget=forms.RadioSelect,
    )
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    start = forms.TimeField(
        label=_("Heure de début"), widget=forms.TimeInput(attrs={"type": "time"})
    )
    rounds = forms.IntegerField(
        label=_("Nombre de tours"),
        min_value=1,
        max_value=12,
        help_text=_("Chaque personne rencontre au plus une personne par tour."),
    )
    round_minutes = forms.IntegerField(label=_("Minutes par tour"), min_value=3, max_value=60)
    break_minutes = forms.IntegerField(
        label=_("Pause entre les tours (minutes)"), min_value=0, max_value=30
    )
    places = forms.CharField(
        label=_("Salles ou tables (en personne) ou liens de visioconférence (en ligne)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Une par ligne : autant de rencontres à la fois que de lignes. En ligne, un lien "
            "par table (https://…)."
        ),
    )
    address = forms.CharField(label=_("Adresse (en personne)"), max_length=300, required=False)
    deadline = forms.DateField(
        label=_("Classements attendus au plus tard le"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    mentees = forms.MultipleChoiceField(
        label=_("Personnes ou équipes mentorées invitées"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Invitez au moins une personne mentorée.")},
    )
    mentors = forms.MultipleChoiceField(
        label=_("Côtés mentors invités"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Invitez au moins un côté mentor.")},
    )

    def __init__(
        self,
        *args: Any,
        people: Roster,
        event: SpeedDatingEvent | None = None,
        grouped: set[str] = frozenset(),
        **kwargs: Any,
    ) -> None:
        if event is not None:
            local = timezone.localtime(event.starts_at)
            initial = {
                "title": event.title,
                "format": event.format,
                "date": local.date(),
                "start": local.time().replace(second=0, microsecond=0),
                "rounds": event.rounds,
                "round_minutes": event.round_minutes,
                "break_minutes": event.break_minutes,
                "places": "\n".join(event.places),
                "address": event.address,
                "deadline": timezone.localtime(event.ranking_deadline).date(),
                "mentees": event.mentee_keys,
                "mentors": event.mentor_keys,
            }
        else:
            start = default_start()
            initial = {
                "title": _("Speed dating mentoral"),
                "format": SpeedDatingEvent.Format.IN_PERSON,
                "date": start.date(),
                "start": time(13, 30),
                "rounds": 4,
                "round_minutes": 8,
                "break_minutes": 2,
                "deadline": start.date() + timedelta(days=7),
                # Invited by default: everyone not already in an accepted group.
                "mentees": [s.key for s in people.mentees if s.key not in grouped],
                "mentors": [s.key for s in people.mentors],
            }
        super().__init__(*args, initial=initial, **kwargs)
        self.fields["mentees"].choices = [(s.key, _label(s)) for s in people.mentees]
        self.fields["mentors"].choices = [(s.key, _label(s)) for s in people.mentors]

    def clean_places(self) -> list[str]:
        lines = [line.strip() for line in self.cleaned_data["places"].splitlines() if line.strip()]
        if not lines:
            raise ValidationError(_("Indiquez au moins une salle ou un lien."))
        return lines

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        places = data.get("places") or []
        if data.get("format") == SpeedDatingEvent.Format.ONLINE:
            check = URLValidator(schemes=["https", "http"])
            for line in places:
                try:
                    check(line)
                except ValidationError:
                    self.add_error(
                        "places",
                        _("« %(line)s » n’est pas un lien (https://…).") % {"line": line},
                    )
                    break
        if data.get("date") and data.get("deadline") and data["deadline"] < data["date"]:
            self.add_error("deadline", _("La date limite des classements vient après l’événement."))
        return data

    def plan(self) -> EventPlan:
        d = self.cleaned_data
        starts = timezone.make_aware(datetime.combine(d["date"], d["start"]))
        deadline = timezone.make_aware(datetime.combine(d["deadline"], time(23, 59)))
        return EventPlan(
            title=d["title"],
            format=d["format"],
            starts_at=starts,
            rounds=d["rounds"],
            round_minutes=d["round_minutes"],
            break_minutes=d["break_minutes"],
            places=d["places"],
            address=d["address"],
            mentee_keys=d["mentees"],
            mentor_keys=d["mentors"],
            ranking_deadline=deadline,
        )


def _label(side: Any) -> str:
    team = _(" (équipe)") if side.is_team else ""
    org = f" — {side.organization}" if side.organization and side.organization != side.label else ""
    return f"{side.label}{team}{org}"


class RankingForm(forms.Form):
    """One rank select per person met (no drag needed, works without JavaScript); ranks must be
    distinct."""

    def __init__(
        self, *args: Any, meetings: list[SpeedDatingMeeting], kind: str, order: list[str], **kw: Any
    ) -> None:
        super().__init__(*args, **kw)
        n = len(meetings)
        choices = [("", _("Choisir un rang"))] + [(str(r), str(r)) for r in range(1, n + 1)]
        position = {key: r + 1 for r, key in enumerate(order)}
        self.people: list[tuple[str, str]] = []
        for m in meetings:
            key = m.mentor_key if kind == "mentee" else m.mentee_key
            label = m.mentor_label if kind == "mentee" else m.mentee_label
            name = f"rank_{key}"
            self.fields[name] = forms.TypedChoiceField(
                label=label,
                choices=choices,
                coerce=int,
                initial=position.get(key),
                error_messages={"required": _("Choisissez un rang pour cette personne.")},
            )
            self.people.append((key, name))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        ranks = [data.get(name) for _key, name in self.people]
        if None not in ranks and len(set(ranks)) != len(ranks):
            raise ValidationError(
                _("Chaque personne a un rang différent : 1 pour votre premier choix, puis 2, 3…")
            )
        return data

    def order(self) -> list[str]:
        pairs = sorted((self.cleaned_data[name], key) for key, name in self.people)
        return [key for _rank, key in pairs]
