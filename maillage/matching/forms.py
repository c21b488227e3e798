from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from maillage.core.locking import VersionedForm
from maillage.programs.models import Program

from .instance import Roster, weights_of
from .models import Exclusion, MatchRun, ProfileCard
from .presentation import CRITERIA


class SettingsForm(VersionedForm):
    """The matching policy (hard rules) and the weights of each criterion."""

    region_rule = forms.ChoiceField(
        label=_("Règle de territoire"),
        choices=Program.RegionRule.choices,
        help_text=_(
            "Le pilote réunissait un mentor et des personnes mentorées de régions différentes."
        ),
    )
    mentees_from_different_regions = forms.BooleanField(
        label=_("Les personnes mentorées d’un groupe viennent de régions différentes"),
        required=False,
    )
    allow_mentor_from_other_sector = forms.BooleanField(
        label=_("Permettre un côté mentor d’un autre secteur"), required=False
    )
    mentees_per_group = forms.IntegerField(
        label=_("Personnes mentorées par groupe (au plus)"),
        min_value=1,
        max_value=10,
        help_text=_("Une équipe mentorée (une ville, par exemple) compte pour une seule place."),
    )

    def __init__(self, *args: Any, program: Program, **kwargs: Any) -> None:
        weights = weights_of(program)
        initial = {
            "region_rule": program.region_rule,
            "mentees_from_different_regions": program.mentees_from_different_regions,
            "allow_mentor_from_other_sector": program.allow_mentor_from_other_sector,
            "mentees_per_group": program.mentees_per_group,
            **{f"weight_{name}": Decimal(str(round(weights[name], 2))) for name in CRITERIA},
            "revision": program.revision,
        }
        super().__init__(*args, initial=initial, **kwargs)
        for name, (label, help_text) in CRITERIA.items():
            self.fields[f"weight_{name}"] = forms.DecimalField(
                label=label,
                help_text=help_text,
                min_value=0,
                max_value=10,
                decimal_places=2,
                widget=forms.NumberInput(attrs={"step": "0.1"}),
                error_messages={
                    "min_value": _("Un poids est positif ou nul."),
                    "max_value": _("Un poids va de 0 à 10."),
                },
            )

    def weight_fields(self) -> list[forms.BoundField]:
        return [self[f"weight_{name}"] for name in CRITERIA]

    def policy_fields(self) -> list[forms.BoundField]:
        return [
            self[name]
            for name in (
                "region_rule",
                "mentees_per_group",
                "mentees_from_different_regions",
                "allow_mentor_from_other_sector",
            )
        ]

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "weights": {name: float(data[f"weight_{name}"]) for name in CRITERIA},
            "region_rule": data["region_rule"],
            "mentees_from_different_regions": data["mentees_from_different_regions"],
            "allow_mentor_from_other_sector": data["allow_mentor_from_other_sector"],
            "mentees_per_group": data["mentees_per_group"],
            "revision": data.get("revision"),
        }


class RunForm(forms.Form):
    mode = forms.ChoiceField(
        label=_("Mode"),
        choices=[c for c in MatchRun.Mode.choices if c[0] != MatchRun.Mode.SELF],
        initial=MatchRun.Mode.EXACT,
    )
    seed = forms.IntegerField(
        label=_("Graine"),
        min_value=0,
        initial=0,
        required=False,
        help_text=_("Même graine et mêmes données : mêmes groupes."),
    )


class PairForm(forms.Form):
    mentor = forms.CharField(max_length=40)
    mentee = forms.CharField(max_length=40)


class MoveForm(forms.Form):
    mentee = forms.CharField(max_length=40)
    to_mentor = forms.CharField(
        label=_("Nouveau côté mentor"),
        max_length=40,
        error_messages={"required": _("Choisissez le côté mentor qui accueillera cette personne.")},
    )


class ExclusionForm(forms.Form):
    mentor = forms.ChoiceField(label=_("Côté mentor"))
    mentee = forms.ChoiceField(label=_("Personne mentorée"))
    reason = forms.ChoiceField(label=_("Motif"), choices=Exclusion.Reason.choices)
    declared_by = forms.ChoiceField(label=_("Déclaré par"), choices=Exclusion.DeclaredBy.choices)
    note = forms.CharField(
        label=_("Précisions"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Visible seulement par la coordination."),
    )

    def __init__(self, *args: Any, people: Roster, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["mentor"].choices = [("", "—")] + [(s.key, s.label) for s in people.mentors]
        self.fields["mentee"].choices = [("", "—")] + [
            (s.key, f"{s.label} ({s.organization})" if s.organization else s.label)
            for s in people.mentees
        ]


# --- Self-matching ----------------------------------------------------------------------------


class DateTimeLocal(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class SelfMatchingForm(forms.Form):
    is_open = forms.BooleanField(
        label=_("Ouvrir l’auto-jumelage : les personnes mentorées choisissent leur côté mentor"),
        required=False,
    )
    closes_at = forms.DateTimeField(
        label=_("Date limite des demandes et des réponses"),
        required=False,
        widget=DateTimeLocal(),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        help_text=_("Après cette date, seule la coordination peut répondre ou annuler."),
    )


PHOTO_MAX_BYTES = 2 * 1024 * 1024


class ProfileCardForm(forms.ModelForm):
    """What a participant lets the other side of the program see."""

    remove_photo = forms.BooleanField(label=_("Retirer ma photo"), required=False)

    class Meta:
        model = ProfileCard
        fields = ["intro", "photo", *ProfileCard.SHOWN]
        widgets = {
            "intro": forms.Textarea(attrs={"rows": 3, "maxlength": 600}),
            "photo": forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        }
        help_texts = {
            "intro": _("Toujours visible de l’autre côté du programme, comme votre nom et volet."),
            "photo": _("JPEG, PNG ou WebP, 2 Mo au plus. Montrée seulement si vous cochez."),
        }

    def __init__(self, *args: Any, mentor: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["photo"].widget = forms.FileInput(
            attrs={"accept": "image/jpeg,image/png,image/webp"}
        )
        self.fields["show_text"].label = (
            _("Montrer mon expertise") if mentor else _("Montrer mes besoins")
        )
        if not self.instance.photo:
            del self.fields["remove_photo"]

    def clean_photo(self) -> Any:
        photo = self.cleaned_data.get("photo")
        if photo and getattr(photo, "size", 0) > PHOTO_MAX_BYTES:
            raise forms.ValidationError(
                _("Cette photo dépasse 2 Mo : choisissez-en une plus légère.")
            )
        name = getattr(photo, "name", "") or ""
        if photo and not name.lower().endswith((".jpg", ".jpeg", ".png", ".webp")):
            raise forms.ValidationError(_("Choisissez une photo JPEG, PNG ou WebP."))
        return photo

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        new = data.get("photo") if "photo" in self.files else None
        return {
            "intro": data["intro"],
            "photo": new,
            "remove_photo": bool(data.get("remove_photo")),
            **{name: data[name] for name in ProfileCard.SHOWN},
        }


class RequestForm(forms.Form):
    mentor = forms.CharField(widget=forms.HiddenInput, max_length=40)
    message = forms.CharField(
        label=_("Votre message"),
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 2000}),
        max_length=2000,
        error_messages={
            "required": _("Écrivez un mot au côté mentor : il le lira avant de répondre.")
        },
        help_text=_("Ce que vous attendez du mentorat, en quelques phrases."),
    )


class AnswerForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Votre réponse"),
        choices=[("accept", _("Accepter")), ("decline", _("Décliner"))],
        widget=forms.RadioSelect,
    )
    answer = forms.CharField(
        label=_("Message à la personne"),
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 2000}),
        max_length=2000,
        required=False,
        help_text=_("Obligatoire si vous déclinez : il l’aide à choisir ailleurs."),
    )
    reason = forms.CharField(
        label=_("Motif de la coordination (si elle répond à la place du côté mentor)"),
        required=False,
        max_length=500,
    )


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Motif"), required=False, max_length=500)


class ApproveForm(forms.Form):
    mentor = forms.CharField(widget=forms.HiddenInput, max_length=40)
