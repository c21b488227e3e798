from __future__ import annotations

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from maillage.core.locking import VersionedForm
from maillage.core.models import (
    AVAILABILITY_SLOTS,
    Language,
    Organization,
    Person,
    Sector,
    Team,
    Territory,
)
from maillage.core.services import PROFILE_FIELDS

from .models import Program, Role, Track
from .selectors import people_known_to
from .services import PARTICIPANT_KINDS


class DateInput(forms.DateInput):
    input_type = "date"


class ProgramForm(VersionedForm, forms.ModelForm):
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
    consent = forms.BooleanField(
        label=_(
            "La personne m’a donné son consentement pour ce programme (de vive voix ou par écrit)"
        ),
        required=False,
        help_text=_(
            "Sinon, une demande de consentement lui est envoyée par courriel : le programme ne "
            "la sélectionne ni ne la jumelle avant sa réponse."
        ),
    )

    def __init__(self, *args, program: Program, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people_known_to(program).select_related("organization")
        self.fields["track"].queryset = program.tracks.all()
        if program.is_closed():
            # A closed program takes no new participant; readers and coordinators still come.
            frozen = {str(kind) for kind in PARTICIPANT_KINDS}
            self.fields["kind"].choices = [
                (value, label) for value, label in Role.Kind.choices if value not in frozen
            ]

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


class OrganizationForm(forms.ModelForm):
    """An organization's details; the region list holds Québec's regions and their MRC."""

    website = forms.URLField(
        label=capfirst(Organization._meta.get_field("website").verbose_name),
        required=False,
        assume_scheme="https",
    )
    updated_at = forms.DateTimeField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Organization
        fields = ["name", "kind", "sector", "territory", "phase", "website", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["territory"]
        field.queryset = Territory.objects.filter(
            kind__in=[Territory.Kind.REGION, Territory.Kind.MRC, Territory.Kind.TE]
        )
        field.choices = [("", "---------"), *place_choices()]
        field.label = _("Région ou MRC")
        if self.instance.pk:
            self.initial["updated_at"] = self.instance.updated_at


def place_choices() -> list[tuple[str, list[tuple[int, str]]]]:
    """Each region, then its MRC, grouped under the region's name."""
    children: dict[int, list[Territory]] = {}
    for mrc in Territory.objects.filter(kind__in=[Territory.Kind.MRC, Territory.Kind.TE]):
        children.setdefault(mrc.parent_id, []).append(mrc)
    groups = []
    for region in Territory.objects.filter(kind=Territory.Kind.REGION).order_by("code"):
        whole = _("%(region)s (toute la région)") % {"region": region.name}
        mrcs = sorted(children.get(region.pk, []), key=lambda t: t.name)
        groups.append((region.name, [(region.pk, whole), *((t.pk, t.name) for t in mrcs)]))
    return groups


class ProfileForm(forms.ModelForm):
    """What matching reads of a person, edited by the program's coordination."""

    languages = forms.MultipleChoiceField(
        label=_("Langues parlées"),
        choices=Language.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    availability = forms.MultipleChoiceField(
        label=_("Disponibilités"),
        choices=AVAILABILITY_SLOTS,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    needs = forms.CharField(
        label=_("Besoins (pour le jumelage)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_(
            "Ce que la personne veut apprendre ou régler : le jumelage le compare à "
            "l’expertise des mentor·es."
        ),
    )
    updated_at = forms.DateTimeField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Person
        fields = list(PROFILE_FIELDS)  # what the profile service writes, no more
        widgets = {"expertise": forms.Textarea(attrs={"rows": 4})}

    # What a participant completes herself: never her name, e-mail, organization or whether
    # she decides for it, which the coordination vouches for.
    PARTICIPANT_EXCLUDED = ("first_name", "last_name", "organization", "can_decide")

    def __init__(self, *args, mentor: bool, mentee: bool, participant: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expertise"].help_text = _(
            "Ce que la personne peut transmettre : le jumelage le compare aux besoins."
        )
        if not mentor:
            del self.fields["expertise"]
        if not mentee:
            del self.fields["needs"]
        if participant:
            self._limit_to_participant()
        self.initial["updated_at"] = self.instance.updated_at

    def _limit_to_participant(self) -> None:
        for name in self.PARTICIPANT_EXCLUDED:
            del self.fields[name]
        if "needs" in self.fields:
            self.fields["needs"].label = _("Vos besoins (pour le jumelage)")
            self.fields["needs"].help_text = _(
                "Ce que vous voulez apprendre ou régler : le jumelage le compare à "
                "l’expertise des mentor·es."
            )
        if "expertise" in self.fields:
            self.fields["expertise"].label = _("Votre expertise (pour le jumelage)")
            self.fields["expertise"].help_text = _(
                "Ce que vous pouvez transmettre : le jumelage le compare aux besoins."
            )
        # Her organization's sector and region, only while nobody has given them: once set,
        # they are the coordination's to change (the organization is shared with others).
        org = self.instance.organization
        if org is not None and org.sector_id is None:
            self.fields["sector"] = forms.ModelChoiceField(
                label=_("Secteur de votre organisation"),
                queryset=Sector.objects.all(),
                required=False,
            )
        if org is not None and org.territory_id is None:
            self.fields["territory"] = forms.ModelChoiceField(
                label=_("Région ou MRC de votre organisation"),
                queryset=Territory.objects.filter(
                    kind__in=[Territory.Kind.REGION, Territory.Kind.MRC, Territory.Kind.TE]
                ),
                required=False,
            )
            self.fields["territory"].choices = [("", "---------"), *place_choices()]


class TeamForm(forms.Form):
    name = forms.CharField(label=_("Nom de l’équipe"), max_length=200)
    kind = forms.ChoiceField(label=_("Type d’équipe"), choices=Team.Kind.choices)
    side = forms.ChoiceField(
        label=_("Côté de la relation"),
        choices=[(Role.Kind.MENTOR, _("Mentor·es")), (Role.Kind.MENTEE, _("Personnes mentorées"))],
        widget=forms.RadioSelect,
        initial=Role.Kind.MENTOR,
    )
    organization = forms.ModelChoiceField(
        label=_("Organisation principale"),
        queryset=Organization.objects.all(),
        required=False,
        help_text=_(
            "Pour une équipe de ville, l’organisation qui coordonne l’équipe, s’il y en a une."
        ),
    )
    members = forms.ModelMultipleChoiceField(
        label=_("Membres"), queryset=Person.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    referent = forms.ModelChoiceField(
        label=_("Personne-référence"),
        queryset=Person.objects.none(),
        help_text=_(
            "La personne à qui l’on s’adresse pour l’équipe ; elle fait partie des membres."
        ),
    )

    def __init__(self, *args, program: Program, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        people = (
            Person.objects.filter(
                roles__program=program, roles__kind__in=[Role.Kind.MENTOR, Role.Kind.MENTEE]
            )
            .select_related("organization")
            .distinct()
        )
        kinds: dict[int, list[str]] = {}
        for role in program.roles.filter(kind__in=[Role.Kind.MENTOR, Role.Kind.MENTEE]):
            kinds.setdefault(role.person_id, []).append(str(role.get_kind_display()))
        self.fields["members"].queryset = people
        self.fields["members"].label_from_instance = lambda person: " — ".join(
            [_member_label(person), *kinds.get(person.pk, [])]
        )
        self.fields["referent"].queryset = people
        if editing:
            del self.fields["side"]


def _member_label(person: Person) -> str:
    if person.organization_id:
        return f"{person.full_name} ({person.organization.name})"
    return person.full_name
