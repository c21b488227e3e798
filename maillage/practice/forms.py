from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from maillage.core.locking import VersionedForm
from maillage.core.models import Person
from maillage.mentoring.forms import DateInput, duration_field, when_field

from .models import Meeting, Series


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%H:%M", **kwargs)


class PeopleField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Person) -> str:
        org = f" ({obj.organization})" if obj.organization_id else ""
        return f"{obj.full_name}{org}"


class SeriesForm(forms.Form):
    title = forms.CharField(label=_("Titre de la série"), max_length=200)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("À qui s’adresse la série, ce qu’on y fait."),
    )
    themes = forms.CharField(
        label=_("Thèmes, un par ligne"),
        widget=forms.Textarea(attrs={"rows": 7}),
        help_text=_("Une rencontre par thème, dans cet ordre."),
    )
    first_day = forms.DateField(label=_("Date de la première rencontre"), widget=DateInput())
    start_time = forms.TimeField(
        label=_("Heure"), widget=TimeInput(), help_text=_("Heure du Québec.")
    )
    duration_minutes = duration_field()
    every_months = forms.IntegerField(
        label=_("Une rencontre tous les … mois"),
        initial=1,
        validators=[MinValueValidator(1), MaxValueValidator(6)],
    )
    online_url = forms.URLField(
        label=_("Lien de la visioconférence"),
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text=_("Commence par https://"),
    )
    place = forms.CharField(
        label=_("Lieu"), required=False, max_length=300, help_text=_("Adresse, si en personne.")
    )
    capacity = forms.IntegerField(
        label=_("Places"),
        initial=20,
        validators=[MinValueValidator(1), MaxValueValidator(500)],
        help_text=_("Au-delà, les personnes s’inscrivent sur la liste d’attente."),
    )
    facilitators = PeopleField(
        label=_("Animation"),
        queryset=Person.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Les personnes qui animent prennent les présences et les notes."),
    )
    survey = forms.ChoiceField(
        label=_("Questionnaire de satisfaction"),
        choices=Series.Survey.choices,
        initial=Series.Survey.EACH,
    )

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["facilitators"].queryset = people.select_related("organization").order_by(
            "last_name", "first_name"
        )

    def service_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["themes"] = data["themes"].splitlines()
        data["facilitators"] = list(data["facilitators"])
        return data


class MeetingForm(VersionedForm, forms.ModelForm):
    starts_at = when_field()
    duration_minutes = duration_field()
    online_url = forms.URLField(
        label=_("Lien de la visioconférence"), required=False, max_length=500, assume_scheme="https"
    )

    class Meta:
        model = Meeting
        fields = ["theme", "starts_at", "duration_minutes", "online_url", "place"]


class ResourceForm(forms.Form):
    title = forms.CharField(label=_("Titre"), max_length=300)
    url = forms.URLField(label=_("Lien"), required=False, max_length=1000, assume_scheme="https")
    file = forms.FileField(
        label=_("ou document"), required=False, help_text=_("PDF, Word, Excel, PowerPoint, image.")
    )


class CapacityForm(forms.Form):
    capacity = forms.IntegerField(
        label=_("Places"), validators=[MinValueValidator(1), MaxValueValidator(500)]
    )


class AttendanceForm(forms.Form):
    present = forms.MultipleChoiceField(
        label=_("Présentes et présents"), required=False, widget=forms.CheckboxSelectMultiple
    )
    notes = forms.CharField(
        label=_("Notes de la rencontre"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Partagées avec les personnes inscrites."),
    )

    def __init__(self, *args: Any, people: list[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.people = {str(p.pk): p for p in people}
        self.fields["present"].choices = [(str(p.pk), p.full_name) for p in people]

    def present_people(self) -> list[Person]:
        return [self.people[pk] for pk in self.cleaned_data["present"]]


class QuestionForm(forms.Form):
    text = forms.CharField(
        label=_("Question en suspens"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Elle restera affichée aux rencontres suivantes jusqu’à sa réponse."),
    )


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Réponse"), max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )
