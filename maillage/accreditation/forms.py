from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from maillage.core.locking import VersionedForm
from maillage.core.models import Person
from maillage.measurement.models import Network

from .models import Assessor, Level, Rating


class StartForm(forms.Form):
    framework = forms.CharField(widget=forms.HiddenInput)
    part = forms.CharField(widget=forms.HiddenInput)


class NoteForm(VersionedForm):
    criterion = forms.CharField(widget=forms.HiddenInput)
    comment = forms.CharField(
        label=_("Commentaire de la coordination"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        help_text=_("Ce que l’évaluation doit savoir sur ce critère : contexte, explications."),
    )


class DocumentForm(forms.Form):
    criterion = forms.CharField(widget=forms.HiddenInput)
    title = forms.CharField(label=_("Titre du document"), max_length=200, required=False)
    upload = forms.FileField(label=_("Fichier (PDF, Word, Excel, image ; 10 Mo au plus)"))


class SubmitForm(forms.Form):
    assessor = forms.ModelChoiceField(
        label=_("Évaluateur·rice"),
        queryset=Assessor.objects.none(),
        empty_label=_("Choisissez une personne"),
    )

    def __init__(self, *args: Any, assessors: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assessor"].queryset = assessors
        self.fields["assessor"].label_from_instance = lambda a: (
            f"{a.person.full_name} — {a.network.name}"
        )


class RatingForm(forms.Form):
    criterion = forms.CharField(widget=forms.HiddenInput)
    value = forms.ChoiceField(
        label=_("Appréciation"), choices=Rating.Value.choices, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("Commentaire"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class SendBackForm(forms.Form):
    comment = forms.CharField(
        label=_("Ce qu’il faut modifier ou compléter"), widget=forms.Textarea(attrs={"rows": 4})
    )


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Décision"),
        choices=[("accredited", _("Accréditer")), ("refused", _("Ne pas accréditer"))],
        widget=forms.RadioSelect,
    )
    level = forms.ChoiceField(
        label=_("Niveau"), choices=[("", _("Choisissez un niveau")), *Level.choices], required=False
    )
    expires_on = forms.DateField(
        label=_("Échéance"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Le bilan de santé du programme le rappellera 90 jours avant."),
    )
    comment = forms.CharField(
        label=_("Commentaire pour la coordination"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Obligatoire en cas de refus : les motifs."),
    )


class AppointForm(forms.Form):
    person = forms.ModelChoiceField(
        label=_("Personne"),
        queryset=Person.objects.none(),
        empty_label=_("Choisissez une personne du réseau"),
        help_text=_(
            "Une personne qui a déjà un rôle dans le réseau. Pour une personne externe, "
            "invitez-la d’abord dans « Rôles »."
        ),
    )

    def __init__(self, *args: Any, network: Network, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = (
            Person.objects.filter(network_roles__network=network)
            .exclude(assessor_roles__network=network, assessor_roles__ended_at__isnull=True)
            .distinct()
            .order_by("last_name", "first_name")
        )
        self.fields["person"].label_from_instance = lambda p: p.full_name
