from __future__ import annotations

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from maillage.core.locking import VersionedForm

from .models import Instance, Link, Seat, Version

DATE = {"type": "date"}


def _date() -> forms.DateInput:
    # A date field shows its ISO value: the browser's date picker reads no other format.
    return forms.DateInput(attrs=DATE, format="%Y-%m-%d")


class VersionNewForm(forms.Form):
    name = forms.CharField(label=_("Nom du modèle"), max_length=200)
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Pourquoi ce modèle, ce qu’il change."),
    )


class VersionForm(VersionedForm, forms.ModelForm):
    class Meta:
        model = Version
        fields = ["name", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 4})}


class AdoptForm(forms.Form):
    adopted_on = forms.DateField(label=_("Adopté le"), initial=date.today, widget=_date())


class InstanceForm(VersionedForm, forms.ModelForm):
    class Meta:
        model = Instance
        fields = ["name", "kind", "mandate"]
        widgets = {"mandate": forms.Textarea(attrs={"rows": 4})}


class SeatForm(forms.Form):
    kind = forms.ChoiceField(label=_("Sièges pour"), choices=Seat.Kind.choices)
    count = forms.IntegerField(label=_("Nombre de sièges"), min_value=1, max_value=99, initial=1)


class HolderForm(forms.Form):
    seat = forms.ModelChoiceField(label=_("Siège"), queryset=Seat.objects.none(), empty_label=None)
    name = forms.CharField(label=_("Nom de la personne"), max_length=200)
    member = forms.ModelChoiceField(
        label=_("Organisation représentée"),
        queryset=None,
        required=False,
        empty_label=_("(aucune)"),
    )
    starts_on = forms.DateField(label=_("Début du mandat"), initial=date.today, widget=_date())
    ends_on = forms.DateField(label=_("Fin du mandat"), required=False, widget=_date())

    def __init__(self, *args, instance: Instance, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["seat"].queryset = instance.seats.all()
        self.fields["seat"].label_from_instance = lambda seat: seat.get_kind_display()
        self.fields["member"].queryset = instance.version.network.members.select_related(
            "organization"
        )

    def clean(self):
        data = super().clean()
        start, end = data.get("starts_on"), data.get("ends_on")
        if start and end and end < start:
            self.add_error("ends_on", _("La fin du mandat précède son début."))
        return data


class LinkForm(forms.Form):
    source = forms.ModelChoiceField(label=_("Instance"), queryset=Instance.objects.none())
    kind = forms.ChoiceField(label=_("Type de lien"), choices=Link.Kind.choices)
    target = forms.ModelChoiceField(label=_("Envers l’instance"), queryset=Instance.objects.none())

    def __init__(self, *args, version: Version, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = version.instances.all()
        self.fields["target"].queryset = version.instances.all()

    def clean(self):
        data = super().clean()
        if data.get("source") and data.get("source") == data.get("target"):
            self.add_error("target", _("Une instance ne peut pas être liée à elle-même."))
        return data


class MeetingForm(forms.Form):
    held_on = forms.DateField(label=_("Date de la rencontre"), initial=date.today, widget=_date())
    attendees = forms.CharField(
        label=_("Personnes présentes"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Une par ligne."),
    )
    notes = forms.CharField(
        label=_("Compte rendu"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )


class DecisionForm(forms.Form):
    text = forms.CharField(label=_("Décision"), widget=forms.Textarea(attrs={"rows": 2}))
    follow_up_by = forms.CharField(label=_("Suivi par"), max_length=200, required=False)
    due_on = forms.DateField(label=_("Échéance"), required=False, widget=_date())


class IdeaForm(forms.Form):
    title = forms.CharField(label=_("Titre de l’idée"), max_length=200)
    description = forms.CharField(
        label=_("Description"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Ce que l’équipe ferait, pour qui, et pourquoi maintenant."),
    )


class TeamForm(forms.Form):
    reports_to = forms.ModelChoiceField(
        label=_("L’équipe rend compte à"),
        queryset=Instance.objects.none(),
        required=False,
        empty_label=_("(choisir plus tard)"),
    )
    mandate = forms.CharField(
        label=_("Mandat de l’équipe"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Par défaut, la description de l’idée."),
    )

    def __init__(self, *args, version: Version | None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if version is not None:
            self.fields["reports_to"].queryset = version.instances.all()


class DisagreementForm(forms.Form):
    subject = forms.CharField(label=_("Objet"), max_length=200)
    with_member = forms.ModelChoiceField(
        label=_("Avec l’organisation membre"),
        queryset=None,
        required=False,
        empty_label=_("(aucune en particulier)"),
    )
    description = forms.CharField(
        label=_("Ce qui s’est passé"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Visible par les parties et l’équipe de soutien seulement."),
    )

    def __init__(self, *args, network, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["with_member"].queryset = network.members.select_related("organization")


class StepForm(forms.Form):
    outcome = forms.CharField(
        label=_("Résultat de l’étape"), widget=forms.Textarea(attrs={"rows": 3})
    )
    on = forms.DateField(label=_("Date de fin de l’étape"), initial=date.today, widget=_date())
    instance = forms.ModelChoiceField(
        label=_("Instance qui a tranché"),
        queryset=Instance.objects.none(),
        required=False,
        help_text=_("Pour l’étape « Décision d’une instance »."),
    )
    resolved = forms.TypedChoiceField(
        label=_("Suite"),
        choices=[
            ("yes", _("Le différend est réglé")),
            ("no", _("Pas d’entente : passer à l’étape suivante")),
        ],
        coerce=lambda v: v == "yes",
        initial="yes",
    )

    def __init__(self, *args, network, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["instance"].queryset = Instance.objects.filter(
            version__network=network, version__status=Version.Status.ADOPTED
        )
