from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from maillage.core.models import Person

from .models import Program, Role, Track


class DateInput(forms.DateInput):
    input_type = "date"


class ProgramForm(forms.ModelForm):
    class Meta:
        model = Program
        fields = [
            "title", "theme", "description", "coordinating_organization", "sector", "domain",
            "status", "start_date", "end_date",
            "hours_bank", "mentees_per_group", "mentor_sides_per_group",
            "meeting_every_min_weeks", "meeting_every_max_weeks", "meeting_duration_hours",
            "meeting_format", "update_every_min_days", "update_every_max_days",
            "compensation_per_mentor", "coordination_budget",
            "region_rule", "mentees_from_different_regions", "allow_mentor_from_other_sector",
            *Program.AGREEMENT_POINTS,
        ]
        widgets = {
            "start_date": DateInput(format="%Y-%m-%d"),
            "end_date": DateInput(format="%Y-%m-%d"),
            **{name: forms.Textarea(attrs={"rows": 3}) for name in Program.AGREEMENT_POINTS},
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    FIELDSETS = [
        (_("Le programme"), ["title", "theme", "description", "coordinating_organization", "sector", "domain", "status", "start_date", "end_date"]),
        (_("Paramètres (valeurs du projet pilote par défaut)"), ["hours_bank", "mentees_per_group", "mentor_sides_per_group", "meeting_every_min_weeks", "meeting_every_max_weeks", "meeting_duration_hours", "meeting_format", "update_every_min_days", "update_every_max_days", "compensation_per_mentor", "coordination_budget"]),
        (_("Règles de jumelage"), ["region_rule", "mentees_from_different_regions", "allow_mentor_from_other_sector"]),
        (_("Modèle d’entente : les six points"), list(Program.AGREEMENT_POINTS)),
    ]

    def fieldsets(self):
        for legend, names in self.FIELDSETS:
            yield legend, [self[name] for name in names]


class TrackForm(forms.ModelForm):
    class Meta:
        model = Track
        fields = ["name", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}


class RoleForm(forms.Form):
    person = forms.ModelChoiceField(label=_("Personne"), queryset=Person.objects.none())
    kind = forms.ChoiceField(label=_("Rôle"), choices=Role.Kind.choices)
    track = forms.ModelChoiceField(label=_("Volet"), queryset=Track.objects.none(), required=False)

    def __init__(self, *args, program: Program, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = Person.objects.select_related("organization")
        self.fields["track"].queryset = program.tracks.all()
