from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from maillage.core.models import Organization, Territory

from .models import Indicator, Network, NetworkMember, NetworkRole


def name_if_new(label: str) -> forms.CharField:
    """A first or last name, needed for someone without a role in this network or in the
    user's programs (whether Maillage knows the address elsewhere is never said)."""
    return forms.CharField(
        label=label,
        max_length=100,
        required=False,
        help_text=_(
            "Seulement si la personne n’a pas encore de rôle dans ce réseau ni dans vos programmes."
        ),
    )


class IndicatorForm(forms.ModelForm):
    class Meta:
        model = Indicator
        fields = [
            "code",
            "label_fr",
            "label_en",
            "unit",
            "kind",
            "source_key",
            "aggregation",
            "counts_people",
            "order",
        ]


class BaselineForm(forms.Form):
    value = forms.DecimalField(label=_("Valeur de référence"), max_digits=14, decimal_places=2)
    on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    source = forms.CharField(label=_("Source"), required=False, max_length=300)


class TargetForm(forms.Form):
    on = forms.DateField(label=_("Date visée"), widget=forms.DateInput(attrs={"type": "date"}))
    value = forms.DecimalField(label=_("Cible"), max_digits=14, decimal_places=2)


class MeasurementForm(forms.Form):
    member = forms.ModelChoiceField(label=_("Organisation membre"), queryset=None)
    period_start = forms.DateField(
        label=_("Début de la période"), widget=forms.DateInput(attrs={"type": "date"})
    )
    period_end = forms.DateField(
        label=_("Fin de la période"), widget=forms.DateInput(attrs={"type": "date"})
    )
    value = forms.DecimalField(label=_("Valeur"), max_digits=14, decimal_places=2, min_value=0)

    def __init__(self, *args, members=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members


class MemberForm(forms.Form):
    """An organization by name: the page offers the directory's names as one types (a datalist,
    no script); a name Maillage does not know is a new organization, whose region is asked."""

    name = forms.CharField(
        label=_("Organisation"),
        max_length=200,
        help_text=_(
            "Commencez à taper : les organisations déjà connues de Maillage vous sont proposées. "
            "Pour une organisation nouvelle, tapez son nom complet et choisissez sa région."
        ),
        widget=forms.TextInput(attrs={"list": "organisations", "autocomplete": "off"}),
    )
    region = forms.ModelChoiceField(
        label=_("Région (seulement pour une nouvelle organisation)"),
        queryset=Territory.objects.filter(kind=Territory.Kind.REGION),
        required=False,
        empty_label=_("Choisissez la région"),
    )


class NetworkStartForm(forms.Form):
    """A new network and the person who will run it (its backbone staff)."""

    name = forms.CharField(label=_("Nom du réseau"), max_length=300)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    backbone = forms.ModelChoiceField(
        label=_("Organisation de soutien (backbone) existante"),
        queryset=Organization.objects.order_by("name"),
        required=False,
    )
    backbone_name = forms.CharField(
        label=_("ou nouvelle organisation de soutien : nom"), max_length=200, required=False
    )
    email = forms.EmailField(
        label=_("Courriel de la personne qui animera le réseau"),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    first_name = name_if_new(_("Prénom"))
    last_name = name_if_new(_("Nom"))

    def clean(self):
        data = super().clean()
        if not data.get("backbone") and not (data.get("backbone_name") or "").strip():
            self.add_error(
                "backbone_name",
                _("Choisissez l’organisation de soutien dans la liste ou donnez son nom."),
            )
        return data


class NetworkRoleForm(forms.Form):
    email = forms.EmailField(
        label=_("Courriel"), widget=forms.EmailInput(attrs={"autocomplete": "off"})
    )
    first_name = name_if_new(_("Prénom"))
    last_name = name_if_new(_("Nom"))
    # No role chosen in advance: the first one would be the backbone staff, who can do everything.
    kind = forms.ChoiceField(
        label=_("Rôle"), choices=[("", _("Choisissez un rôle")), *NetworkRole.Kind.choices]
    )
    member = forms.ModelChoiceField(
        label=_("Organisation membre"),
        queryset=NetworkMember.objects.none(),
        required=False,
        empty_label=_("Choisissez l’organisation"),
        help_text=_("Seulement pour la coordination d’une organisation membre."),
    )

    def __init__(self, *args, network: Network, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = network.members.select_related("organization").order_by(
            "organization__name"
        )
