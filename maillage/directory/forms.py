from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils.choices import CallableChoiceIterator
from django.utils.translation import gettext_lazy as _

from maillage.core.locking import VersionedForm
from maillage.core.models import Domain, Organization, Sector, Territory
from maillage.measurement.models import Network

from .models import FIELDS, Audience, DirectoryOptions


class TerritoryField(forms.ModelChoiceField):
    """Regions and their MRC in one list, grouped by region: choose the MRC when known, the
    region otherwise."""

    def __init__(self, **kwargs: Any) -> None:
        queryset = Territory.objects.filter(
            kind__in=[Territory.Kind.REGION, Territory.Kind.MRC, Territory.Kind.TE]
        ).select_related("parent")
        super().__init__(queryset=queryset, **kwargs)

    def _grouped(self) -> Any:
        # Lazy: read when the widget renders, never when the form class is defined.
        return CallableChoiceIterator(self._build)

    def _build(self) -> list[Any]:
        regions = [t for t in self.queryset if t.kind == Territory.Kind.REGION]
        children: dict[int, list[Territory]] = {}
        for t in self.queryset:
            if t.kind != Territory.Kind.REGION:
                children.setdefault(t.parent_id, []).append(t)
        choices: list[Any] = [("", _("Choisissez la région ou la MRC"))]
        for region in sorted(regions, key=lambda r: r.code):
            inside = sorted(children.get(region.pk, []), key=lambda t: t.name_fr)
            label = _("%(region)s (toute la région)") % {"region": region.name}
            choices.append((region.name, [(region.pk, label), *[(t.pk, t.name) for t in inside]]))
        return choices

    choices = property(_grouped, forms.ChoiceField.choices.fset)  # type: ignore[assignment]


def _collectives(network: Network, exclude: Organization | None = None):
    orgs = Organization.objects.filter(network_memberships__network=network).order_by("name")
    return orgs.exclude(pk=exclude.pk) if exclude is not None else orgs


class NewOrganizationForm(forms.Form):
    name = forms.CharField(
        label=_("Nom de l’organisation"),
        max_length=200,
        help_text=_(
            "Une organisation déjà connue de Maillage sous ce nom est reprise telle quelle."
        ),
        widget=forms.TextInput(attrs={"list": "organisations", "autocomplete": "off"}),
    )
    territory = TerritoryField(label=_("Région ou MRC"))
    kind = forms.ChoiceField(label=_("Type d’organisation"), choices=Organization.Kind.choices)
    sector = forms.ModelChoiceField(
        label=_("Secteur"),
        queryset=Sector.objects.all(),
        required=False,
        empty_label=_("Choisissez le secteur"),
    )
    parent = forms.ModelChoiceField(
        label=_("Antenne du collectif"),
        queryset=Organization.objects.none(),
        required=False,
        empty_label=_("Aucun : ce n’est pas une antenne"),
        help_text=_("Pour une antenne locale : le collectif dont elle fait partie."),
    )
    phase = forms.ChoiceField(
        label=_("Phase de maturité"),
        choices=[("", _("Pas de phase pour l’instant")), *Organization.Phase.choices],
        required=False,
    )
    description = forms.CharField(
        label=_("Ce que fait l’organisation"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    def __init__(self, *args: Any, network: Network, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = _collectives(network)


class OrganizationForm(VersionedForm, forms.ModelForm):
    territory = TerritoryField(label=_("Région ou MRC"), required=False)

    class Meta:
        model = Organization
        fields = [
            "name",
            "kind",
            "sector",
            "territory",
            "parent",
            "website",
            "description",
            "domains",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "domains": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args: Any, network: Network, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = _collectives(network, exclude=self.instance)
        self.fields["parent"].empty_label = _("Aucun : ce n’est pas une antenne")
        self.fields["parent"].label = _("Antenne du collectif")
        self.fields["sector"].empty_label = _("Choisissez le secteur")
        self.fields["domains"].queryset = Domain.objects.all()
        self.fields["domains"].required = False


class PhaseForm(forms.Form):
    phase = forms.ChoiceField(
        label=_("Nouvelle phase"), choices=[("", _("Choisissez")), *Organization.Phase.choices]
    )
    on = forms.DateField(
        label=_("Depuis le"),
        initial=date.today,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Ce qui a marqué ce passage (une ouverture, un financement, une pause…)."),
    )


class VisibilityForm(VersionedForm):
    """One choice of audience per part of the profile."""

    def __init__(self, *args: Any, profile: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, label in FIELDS:
            self.fields[name] = forms.ChoiceField(
                label=label, choices=Audience.choices, initial=profile.audience_of(name)
            )
        if not self.is_bound:
            self.initial["revision"] = profile.revision

    def visibility(self) -> dict[str, str]:
        return {name: self.cleaned_data[name] for name, _label in FIELDS}


class OptionsForm(forms.ModelForm):
    class Meta:
        model = DirectoryOptions
        fields = ["public", "intro"]
        widgets = {"intro": forms.Textarea(attrs={"rows": 3})}


class FilterForm(forms.Form):
    """The directory's search: choices are built from the entries the viewer sees, so a filter
    never names a sector or a region nobody shows."""

    q = forms.CharField(label=_("Rechercher"), required=False, max_length=100)
    sector = forms.ChoiceField(label=_("Secteur"), required=False)
    region = forms.ChoiceField(label=_("Région"), required=False)
    mrc = forms.ChoiceField(label=_("MRC"), required=False)
    phase = forms.ChoiceField(label=_("Phase de maturité"), required=False)
    kind = forms.ChoiceField(label=_("Type"), required=False)

    def __init__(self, *args: Any, found: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        every = _("Toutes")

        def options(pairs: set[tuple[str, str]], all_label: Any = every) -> list[Any]:
            return [("", all_label), *sorted(pairs, key=lambda p: p[1])]

        self.fields["sector"].choices = options(
            {(e.sector.code, e.sector.name) for e in found if e.sector is not None},
            _("Tous"),
        )
        self.fields["region"].choices = options(
            {(e.region.code, e.region.name) for e in found if e.region is not None}
        )
        self.fields["mrc"].choices = options(
            {(e.mrc.code, e.mrc.name) for e in found if e.mrc is not None}
        )
        phases = dict(Organization.Phase.choices)
        self.fields["phase"].choices = [
            ("", every),
            *[
                (p, phases[p])
                for p in Organization.Phase.values
                if any(e.phase == p for e in found)
            ],
        ]
        self.fields["kind"].choices = options(
            {(e.kind, e.kind_label) for e in found if e.kind}, _("Tous")
        )
