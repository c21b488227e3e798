from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maillage.core.locking import VersionedForm
from maillage.core.models import Person, Territory
from maillage.measurement.models import Indicator, NetworkRole

from .models import CATEGORIES, WEEKDAYS, Agreement, IndicatorFeed, Kind, Resource, Unit


def category_choices() -> list[Any]:
    """Categories grouped by kind (an optgroup each), as the seed lists them."""
    labels = dict(Kind.choices)
    return [("", "—")] + [(labels[kind], items) for kind, items in CATEGORIES.items()]


class TerritoryField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Territory) -> str:
        if obj.kind == Territory.Kind.REGION:
            return str(_("%(name)s (toute la région)") % {"name": obj.name})
        region = obj.region()
        return f"{region.name if region else ''} — {obj.name}"


def territories():
    return (
        Territory.objects.filter(
            kind__in=(Territory.Kind.REGION, Territory.Kind.MRC, Territory.Kind.TE)
        )
        .select_related("parent")
        .order_by("code")
    )


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class ResourceForm(VersionedForm, forms.ModelForm):
    member = forms.ModelChoiceField(queryset=None, label=_("Organisation"), empty_label=None)
    category = forms.ChoiceField(label=_("Catégorie"), choices=category_choices)
    days = forms.MultipleChoiceField(
        label=_("Jours de la semaine (aucun : tous les jours)"),
        choices=WEEKDAYS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    territory = TerritoryField(
        queryset=territories(),
        required=False,
        label=_("Territoire (MRC ou région)"),
        empty_label=_("Celui de l’organisation"),
    )

    class Meta:
        model = Resource
        fields = [
            "member",
            "category",
            "title",
            "description",
            "quantity",
            "unit",
            "capacity",
            "available_from",
            "available_until",
            "days",
            "cost",
            "insurance_required",
            "operator_included",
            "conditions",
            "territory",
            "reach",
        ]
        widgets = {
            "available_from": DateInput(),
            "available_until": DateInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
            "conditions": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, members: Any, direction: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members
        if self.instance.pk:
            del self.fields["member"]
        self.fields["territory"].queryset = territories()
        self.fields["unit"].choices = [("", "—"), *Unit.choices]
        if direction == Resource.Direction.NEED:
            del self.fields["capacity"]
            del self.fields["operator_included"]
            self.fields["insurance_required"].label = _(
                "Nous pouvons fournir une preuve d’assurance"
            )
            self.fields["reach"].label = _("Jusqu’où nous irons chercher la ressource")
            self.fields["quantity"].label = _("Quantité demandée")
            self.fields["cost"].label = _("Coût que nous pouvons assumer")
            self.fields["available_from"].label = _("Besoin à partir du")
            self.fields["available_until"].label = _("Besoin jusqu’au")
        else:
            self.fields["reach"].label = _("Jusqu’où nous prêterons la ressource")
            self.fields["quantity"].label = _("Quantité offerte")
            self.fields["available_from"].label = _("Disponible à partir du")
            self.fields["available_until"].label = _("Disponible jusqu’au")


class StatusForm(forms.Form):
    status = forms.ChoiceField(choices=Resource.Status.choices)


class AgreementForm(VersionedForm, forms.ModelForm):
    class Meta:
        model = Agreement
        fields = [
            "title",
            "quantity",
            "unit",
            "starts_on",
            "ends_on",
            "schedule",
            "cost",
            "insurance",
            "operator",
            "responsibilities",
            "conditions",
            "lender_contact",
            "borrower_contact",
        ]
        widgets = {
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            "responsibilities": forms.Textarea(attrs={"rows": 4}),
            "conditions": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agreement = self.instance
        for side in ("lender", "borrower"):
            member = getattr(agreement, side)
            people = Person.objects.filter(
                network_roles__member=member, network_roles__kind=NetworkRole.Kind.MEMBER
            )
            current = getattr(agreement, f"{side}_contact_id")
            self.fields[f"{side}_contact"].queryset = Person.objects.filter(
                pk__in=[*people.values_list("pk", flat=True), current]
            ).order_by("last_name", "first_name")
            self.fields[f"{side}_contact"].label_from_instance = lambda p: p.full_name
        self.fields["unit"].choices = [("", "—"), *Unit.choices]


class SignForm(forms.Form):
    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    side = forms.ChoiceField(
        choices=[("lender", "lender"), ("borrower", "borrower")],
        required=False,
        widget=forms.HiddenInput,
    )


class UseForm(forms.Form):
    on = forms.DateField(label=_("Date"), widget=DateInput())
    quantity = forms.DecimalField(
        label=_("Quantité (kilomètres, heures, jours…)"), required=False, min_value=0
    )
    unit = forms.ChoiceField(label=_("Unité"), choices=[("", "—"), *Unit.choices], required=False)
    tonnes = forms.DecimalField(
        label=_("Denrées déplacées ou transformées (tonnes)"),
        required=False,
        min_value=0,
        decimal_places=3,
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args: Any, agreement: Agreement, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"on": timezone.localdate(), "unit": agreement.unit})
        super().__init__(*args, **kwargs)


class EndForm(forms.Form):
    reason = forms.CharField(label=_("Raison (facultatif)"), max_length=300, required=False)


class FeedForm(forms.Form):
    def __init__(self, *args: Any, network: Any, current: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        entered = network.indicators.filter(kind=Indicator.Kind.ENTERED)
        for source, label in IndicatorFeed.Source.choices:
            self.fields[source] = forms.ModelChoiceField(
                queryset=entered,
                required=False,
                label=label,
                empty_label=_("Aucun (ne pas alimenter)"),
                initial=current.get(source),
            )
