"""Forms of the running mentoring. Services do the rules; forms give per-field messages."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maillage.core.locking import VersionedForm

from .models import (
    AgreementAcceptance,
    GroupMember,
    Meeting,
    Need,
    TimeEntry,
    UpdateMessage,
    UpdateReply,
)

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class DateTimeLocal(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format=DATETIME_FORMAT, **kwargs)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


def when_field(label: Any = None) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label or _("Date et heure"),
        widget=DateTimeLocal(),
        input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M"],
        help_text=_("Heure du Québec."),
    )


def past_date_field(label: Any, help_text: Any = "") -> forms.DateField:
    """A day already lived, for what is entered after the fact (empty: today)."""
    return forms.DateField(
        label=label,
        required=False,
        widget=DateInput(),
        help_text=help_text or _("Laissez vide pour aujourd’hui. Pas de date future."),
        validators=[not_in_future],
    )


def not_in_future(value: date) -> None:
    if value and value > timezone.localdate():
        raise forms.ValidationError(
            _("Cette date est dans le futur : inscrivez le jour où c’est arrivé.")
        )


def duration_field(required: bool = True) -> forms.IntegerField:
    return forms.IntegerField(
        label=_("Durée (minutes)"),
        required=required,
        validators=[MinValueValidator(5), MaxValueValidator(12 * 60)],
        help_text=_("Par exemple 120 pour deux heures."),
    )


def _members_choices(members: list[GroupMember]) -> list[tuple[str, str]]:
    return [(str(m.pk), m.role.person.full_name) for m in members]


class MeetingForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Type de rencontre"),
        choices=[
            (Meeting.Kind.COLLECTIVE, Meeting.Kind.COLLECTIVE.label),
            (Meeting.Kind.INDIVIDUAL, Meeting.Kind.INDIVIDUAL.label),
        ],
        help_text=_("Collective : tout le groupe. Individuelle : le côté mentor et une personne."),
    )
    individual_with = forms.ChoiceField(label=_("Avec (rencontre individuelle)"), required=False)
    mode = forms.ChoiceField(label=_("Format"), choices=Meeting.Mode.choices)
    starts_at = when_field()
    duration_minutes = duration_field()
    location = forms.CharField(
        label=_("Lieu ou lien"),
        required=False,
        max_length=500,
        help_text=_("Adresse de la visite ou lien de la visioconférence."),
    )
    agenda = forms.CharField(
        label=_("Ordre du jour"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Envoyé avec l’invitation. N’y mettez rien de confidentiel."),
    )

    def __init__(
        self, *args: Any, mentees: list[GroupMember], kickoff: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.mentees = {str(m.pk): m for m in mentees}
        self.fields["individual_with"].choices = [("", "—"), *_members_choices(mentees)]
        if kickoff:
            del self.fields["kind"]
            del self.fields["individual_with"]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("kind") == Meeting.Kind.INDIVIDUAL and not data.get("individual_with"):
            self.add_error(
                "individual_with", _("Choisissez la personne de la rencontre individuelle.")
            )
        data["individual_with"] = self.mentees.get(data.get("individual_with") or "")
        return data


class RescheduleForm(forms.Form):
    starts_at = when_field(_("Nouvelle date et heure"))
    duration_minutes = duration_field()
    reason = forms.CharField(
        label=_("Raison du changement"),
        max_length=500,
        help_text=_("Elle est envoyée au groupe avec la nouvelle invitation."),
    )


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Raison de l’annulation"),
        max_length=500,
        help_text=_("Elle est envoyée au groupe avec l’annulation."),
    )


class RecordForm(forms.Form):
    present = forms.MultipleChoiceField(
        label=_("Personnes présentes"), widget=forms.CheckboxSelectMultiple
    )
    duration_minutes = duration_field()
    log_time = forms.BooleanField(
        label=_("Ajouter ce temps à la banque d’heures pour chaque personne présente"),
        required=False,
        initial=True,
    )
    notes = forms.CharField(
        label=_("Notes de la rencontre (confidentielles)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Visibles par le groupe et la coordination seulement."),
    )

    def __init__(self, *args: Any, invitees: list[GroupMember], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.people = {str(m.role.person_id): m.role.person for m in invitees}
        self.fields["present"].choices = [(k, p.full_name) for k, p in self.people.items()]

    def present_people(self) -> list[Any]:
        return [self.people[k] for k in self.cleaned_data["present"]]


class NoteForm(forms.Form):
    text = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 4}))


class TimeEntryForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DateInput())
    hours = forms.DecimalField(
        label=_("Durée (heures)"),
        min_value=Decimal("0.25"),
        max_value=Decimal("24"),
        decimal_places=2,
        help_text=_("Par exemple 1,5 pour une heure et demie."),
        localize=True,
    )
    kind = forms.ChoiceField(
        label=_("Type de temps"),
        choices=[c for c in TimeEntry.Kind.choices if c[0] != TimeEntry.Kind.MEETING],
    )
    note = forms.CharField(label=_("Précision"), required=False, max_length=300)
    person = forms.ChoiceField(label=_("Pour qui"), required=False)

    def __init__(self, *args: Any, members: list[GroupMember] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.people = {str(m.role.person_id): m.role.person for m in members or []}
        if members:
            self.fields["person"].choices = [(k, p.full_name) for k, p in self.people.items()]
            self.fields["person"].required = True
        else:
            del self.fields["person"]

    def minutes(self) -> int:
        return int(self.cleaned_data["hours"] * 60)


class NeedForm(forms.Form):
    text = forms.CharField(
        label=_("Nouveau besoin"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Une phrase : ce que l’organisation veut régler ou apprendre."),
    )
    noted_on = past_date_field(
        _("Noté le"),
        _(
            "Pour un besoin noté plus tôt, par exemple à la rencontre de démarrage. Vide : aujourd’hui."
        ),
    )


class ObjectiveForm(forms.Form):
    text = forms.CharField(label=_("Nouvel objectif"), max_length=1000)
    due = forms.DateField(label=_("Échéance"), required=False, widget=DateInput())


class StepForm(forms.Form):
    text = forms.CharField(label=_("Nouvelle étape"), max_length=500)
    due = forms.DateField(label=_("Date"), required=False, widget=DateInput())


class UpdateForm(forms.Form):
    text = forms.CharField(
        label=_("Votre message"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000
    )
    addressed = forms.MultipleChoiceField(
        label=_("Besoins réglés depuis la dernière rencontre"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    changed = forms.MultipleChoiceField(
        label=_("Besoins qui ont changé"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    next_meeting = forms.ChoiceField(label=_("Rencontre concernée"), required=False)

    def __init__(
        self, *args: Any, needs: list[Need], meetings: list[Meeting], mentor: bool, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.needs = {str(n.pk): n for n in needs}
        self.meetings = {str(m.pk): m for m in meetings}
        if mentor:
            self.fields["text"].label = _("Contenu prévu pour la prochaine rencontre")
            del self.fields["addressed"]
            del self.fields["changed"]
            self.fields["next_meeting"].choices = [
                ("", "—"),
                *[(k, str(m.starts_at.date())) for k, m in self.meetings.items()],
            ]
        else:
            del self.fields["next_meeting"]
            choices = [(k, n.text[:120]) for k, n in self.needs.items()]
            self.fields["addressed"].choices = choices
            self.fields["changed"].choices = choices
            if not choices:
                del self.fields["addressed"]
                del self.fields["changed"]

    def picked(self, name: str) -> list[Any]:
        pool = self.meetings if name == "next_meeting" else self.needs
        value = self.cleaned_data.get(name) or []
        if isinstance(value, str):
            return [pool[value]] if value in pool else []
        return [pool[k] for k in value if k in pool]


class ReplyForm(forms.Form):
    answer = forms.ChoiceField(label=_("Réponse"), choices=UpdateReply.Answer.choices)


class AgreementForm(VersionedForm):
    def __init__(self, *args: Any, points: list[list[str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for index, (label, text) in enumerate(points):
            self.fields[f"point_{index}"] = forms.CharField(
                label=label,
                required=False,
                initial=text,
                widget=forms.Textarea(attrs={"rows": 4}),
            )

    def texts(self) -> list[str]:
        return [self.cleaned_data[name] for name in self.fields if name.startswith("point_")]

    def saved(self, agreement: Any) -> dict[str, str]:
        """The saved agreement's texts under this form's field names (for the conflict)."""
        return {f"point_{index}": text for index, (_label, text) in enumerate(agreement.points)}


class RecordAcceptanceForm(forms.Form):
    """The coordination records an acceptance given outside Maillage (kickoff, paper, e-mail)."""

    member = forms.ChoiceField(label=_("Qui a accepté"))
    accepted_on = past_date_field(
        _("Le"), _("Le jour où la personne a accepté l’entente. Pas de date future.")
    )
    how = forms.ChoiceField(
        label=_("De quelle façon"),
        choices=AgreementAcceptance.How.choices,
        initial=AgreementAcceptance.How.KICKOFF,
        widget=forms.RadioSelect,
    )
    how_detail = forms.CharField(
        label=_("Précision (si autrement)"),
        required=False,
        max_length=200,
        help_text=_("Par exemple : « au téléphone, avec la directrice »."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, members: list[GroupMember], **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "consigner")
        super().__init__(*args, **kwargs)
        self.members = {str(m.pk): m for m in members}
        self.fields["member"].choices = _members_choices(members)
        self.fields["accepted_on"].initial = timezone.localdate

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if (
            data.get("how") == AgreementAcceptance.How.OTHER
            and not data.get("how_detail", "").strip()
        ):
            self.add_error("how_detail", _("Précisez de quelle façon l’entente a été acceptée."))
        return data

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "member": self.members[data["member"]],
            "on": data["accepted_on"],
            "how": data["how"],
            "how_detail": data["how_detail"],
            "version": data["version"],
        }


class GroupSettingsForm(forms.Form):
    hours_bank = forms.DecimalField(
        label=_("Banque d’heures du groupe"),
        min_value=Decimal("1"),
        max_value=Decimal("500"),
        decimal_places=1,
        localize=True,
    )
    observer_allowed = forms.BooleanField(
        label=_("Le groupe accepte une personne observatrice (elle verra les notes)"),
        required=False,
    )
    approved_on = past_date_field(
        _("Date d’approbation du groupe"),
        _("Pour un programme saisi après coup : le jour où le groupe a été approuvé."),
    )


class DesignationForm(forms.Form):
    is_designated = forms.BooleanField(label=_("La personne désignée est en poste"), required=False)
    designation_note = forms.CharField(label=_("Note"), required=False, max_length=300)


KIND_UPDATE = UpdateMessage.Kind


class MessageForm(forms.Form):
    """A message of the group's thread. `form_token` is drawn anew for each rendered form: the
    same form sent twice makes one message."""

    text = forms.CharField(
        label=_("Votre message"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 5000}),
        error_messages={"required": _("Écrivez votre message avant de l’envoyer.")},
    )
    form_token = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("form_token", uuid.uuid4())


class MessageEditForm(forms.Form):
    text = forms.CharField(
        label=_("Message"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": 5000}),
        error_messages={"required": _("Écrivez votre message avant de l’envoyer.")},
    )


class HideMessageForm(forms.Form):
    reason = forms.CharField(
        label=_("Raison, lue par le groupe"),
        max_length=300,
        help_text=_(
            "Par exemple : propos blessants, renseignements personnels d’une autre personne."
        ),
        error_messages={"required": _("Dites au groupe pourquoi ce message est masqué.")},
    )
