from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from maillage.core.locking import VersionedForm
from maillage.programs.models import Program

from .instance import Roster, weights_of
from .models import Exclusion, MatchRun
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
        label=_("Mode"), choices=MatchRun.Mode.choices, initial=MatchRun.Mode.EXACT
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
