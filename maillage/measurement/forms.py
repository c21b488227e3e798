from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Indicator


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
