from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from maillage.core.models import Organization, Person

from .models import Program, Role, Track
from .selectors import people_known_to


class DateInput(forms.DateInput):
    input_type = "date"


class ProgramForm(forms.ModelForm):
    class Meta:
        model = Program
        fields = [
            "title",
            "theme",
            "description",
            "coordinating_organization",
            "sector",
            "domain",
            "start_date",
            "end_date",
            "hours_bank",
            "mentees_per_group",
            "mentor_sides_per_group",
            "meeting_every_min_weeks",
            "meeting_every_max_weeks",
            "meeting_duration_hours",
            "meeting_format",
            "update_every_min_days",
            "update_every_max_days",
            "compensation_per_mentor",
            "coordination_budget",
            "region_rule",
            "mentees_from_different_regions",
            "allow_mentor_from_other_sector",
            *Program.AGREEMENT_POINTS,
        ]
        widgets = {
            "start_date": DateInput(format="%Y-%m-%d"),
            "end_date": DateInput(format="%Y-%m-%d"),
            **{name: forms.Textarea(attrs={"rows": 3}) for name in Program.AGREEMENT_POINTS},
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    FIELDSETS = [
        (
            _("Le programme"),
            [
                "title",
                "theme",
                "description",
                "coordinating_organization",
                "sector",
                "domain",
                "start_date",
                "end_date",
            ],
        ),
        (
            _("Paramètres (valeurs du projet pilote par défaut)"),
            [
                "hours_bank",
                "mentees_per_group",
                "mentor_sides_per_group",
                "meeting_every_min_weeks",
                "meeting_every_max_weeks",
                "meeting_duration_hours",
                "meeting_format",
                "update_every_min_days",
                "update_every_max_days",
                "compensation_per_mentor",
                "coordination_budget",
            ],
        ),
        (
            _("Règles de jumelage"),
            ["region_rule", "mentees_from_different_regions", "allow_mentor_from_other_sector"],
        ),
        (_("Modèle d’entente : les six points"), list(Program.AGREEMENT_POINTS)),
    ]

    def fieldsets(self):
        for legend, names in self.FIELDSETS:
            yield legend, [self[name] for name in names]


class ProgramStartForm(forms.ModelForm):
    """What a new program needs on day one; the pilot's parameters follow, changed later."""

    token = forms.UUIDField(widget=forms.HiddenInput)
    organization_name = forms.CharField(
        label=_("ou nouvelle organisation : nom"), max_length=200, required=False
    )
    field_order = [
        "title",
        "theme",
        "coordinating_organization",
        "organization_name",
        "start_date",
        "end_date",
    ]

    class Meta:
        model = Program
        fields = ["title", "theme", "coordinating_organization", "start_date", "end_date"]
        widgets = {
            "start_date": DateInput(format="%Y-%m-%d"),
            "end_date": DateInput(format="%Y-%m-%d"),
        }
        labels = {"coordinating_organization": _("Organisation coordonnatrice existante")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["coordinating_organization"].queryset = Organization.objects.order_by("name")

    def clean(self):
        data = super().clean()
        if not data.get("coordinating_organization") and not data.get("organization_name"):
            self.add_error(
                "organization_name",
                _("Choisissez l’organisation coordonnatrice dans la liste ou donnez son nom."),
            )
        return data


class ProgramDuplicateForm(forms.ModelForm):
    """A new edition: its own title and period; the design comes from the earlier edition."""

    token = forms.UUIDField(widget=forms.HiddenInput)

    class Meta:
        model = Program
        fields = ["title", "start_date", "end_date"]
        widgets = {
            "start_date": DateInput(format="%Y-%m-%d"),
            "end_date": DateInput(format="%Y-%m-%d"),
        }


class TrackForm(forms.ModelForm):
    class Meta:
        model = Track
        fields = ["name", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}


class RoleForm(forms.Form):
    """Give a role to someone this program already knows, or to a new person by e-mail.

    Only people connected to this program are offered: listing everyone on the platform would
    show a coordinator the people of other programs.
    """

    person = forms.ModelChoiceField(
        label=_("Personne déjà connue du programme"), queryset=Person.objects.none(), required=False
    )
    first_name = forms.CharField(
        label=_("ou nouvelle personne : prénom"), max_length=100, required=False
    )
    last_name = forms.CharField(label=_("nom"), max_length=100, required=False)
    email = forms.EmailField(label=_("courriel"), required=False)
    kind = forms.ChoiceField(label=_("Rôle"), choices=Role.Kind.choices)
    track = forms.ModelChoiceField(label=_("Volet"), queryset=Track.objects.none(), required=False)

    def __init__(self, *args, program: Program, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people_known_to(program).select_related("organization")
        self.fields["track"].queryset = program.tracks.all()

    def clean(self):
        data = super().clean()
        if data.get("person") is None:
            missing = [n for n in ("first_name", "last_name", "email") if not data.get(n)]
            if missing:
                raise forms.ValidationError(
                    _(
                        "Choisissez une personne de la liste, ou donnez le prénom, le nom et le "
                        "courriel d’une nouvelle personne."
                    )
                )
        return data
