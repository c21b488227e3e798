from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class TrailFilterForm(forms.Form):
    person = forms.CharField(label=_("Personne (nom ou courriel)"), required=False, max_length=200)
    model = forms.ChoiceField(label=_("Type d’objet"), required=False)
    object_id = forms.CharField(label=_("Identifiant de l’objet"), required=False, max_length=64)
    action = forms.ChoiceField(label=_("Action"), required=False)
    program = forms.TypedChoiceField(
        label=_("Programme"), required=False, coerce=int, empty_value=None
    )
    since = forms.DateField(
        label=_("Du"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("Au"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(
        self,
        *args,
        models: list[str],
        actions: list[tuple[str, str]],
        programs: list[tuple[int, str]] = (),
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.fields["model"].choices = [("", _("Tous"))] + [(m, m) for m in models]
        self.fields["action"].choices = [("", _("Toutes"))] + actions
        self.fields["program"].choices = [("", _("Tous"))] + list(programs)

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            self.add_error("until", _("La date de fin précède la date de début."))
        return data


class RequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("Votre demande"), choices=(), widget=forms.RadioSelect)
    details = forms.CharField(
        label=_("Précisions (facultatif, sauf pour une rectification)"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, **kwargs):
        from .models import PrivacyRequest

        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = PrivacyRequest.Kind.choices


class AnswerForm(forms.Form):
    status = forms.ChoiceField(label=_("Statut"), choices=())
    answer = forms.CharField(
        label=_("Réponse donnée à la personne"),
        required=False,
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def __init__(self, *args, **kwargs):
        from .models import PrivacyRequest

        super().__init__(*args, **kwargs)
        self.fields["status"].choices = PrivacyRequest.Status.choices


class IncidentForm(forms.ModelForm):
    class Meta:
        from .models import Incident

        model = Incident
        fields = [
            "discovered_on",
            "occurred_on",
            "description",
            "data_concerned",
            "people_affected",
            "risk",
            "risk_reasons",
            "commission_notified_on",
            "people_notified_on",
            "measures",
            "measures_done_on",
        ]
        widgets = {
            name: forms.DateInput(attrs={"type": "date"})
            for name in (
                "discovered_on",
                "occurred_on",
                "commission_notified_on",
                "people_notified_on",
                "measures_done_on",
            )
        } | {
            name: forms.Textarea(attrs={"rows": 3})
            for name in ("description", "data_concerned", "risk_reasons", "measures")
        }


class DestructionFilterForm(forms.Form):
    rule = forms.ChoiceField(label=_("Type de renseignements"), required=False)
    action = forms.ChoiceField(label=_("Action"), required=False)
    since = forms.DateField(
        label=_("Du"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("Au"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, rules: list[tuple[str, str]], **kwargs):
        from .models import DestructionLog

        super().__init__(*args, **kwargs)
        self.fields["rule"].choices = [("", _("Tous"))] + rules
        self.fields["action"].choices = [("", _("Toutes"))] + list(DestructionLog.Action.choices)

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            self.add_error("until", _("La date de fin précède la date de début."))
        return data
