from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

from maillage.core.locking import VersionedForm
from maillage.core.models import Person
from maillage.core.uploads import ALLOWED_LABEL, max_bytes

from .models import AUDIENCES, FollowUp, ImplementationPath, Module, PathStep, SupportEntry

CHOICES_IN_FORM = 4


class ModuleForm(VersionedForm, forms.ModelForm):
    url = forms.URLField(
        label=_("Lien"),
        required=False,
        max_length=1000,
        assume_scheme="https",
        validators=[URLValidator(schemes=["http", "https"])],
        error_messages={"invalid": _("Indiquez une adresse web complète (https://…).")},
        help_text=_("Pour une vidéo ou un lien externe : l’adresse qui commence par https://."),
    )
    file = forms.FileField(label=_("Document"), required=False)

    class Meta:
        model = Module
        fields = ["title", "summary", "kind", "body", "url", "minutes", "language", "pass_mark"]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 2}),
            "body": forms.Textarea(attrs={"rows": 10}),
            "kind": forms.RadioSelect,
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = Module.Kind.choices  # no blank radio
        self.fields["kind"].initial = self.fields["kind"].initial or Module.Kind.TEXT
        self.fields["file"].help_text = _(
            "Pour un document : %(allowed)s ; %(limit)s Mo au plus."
        ) % {"allowed": ALLOWED_LABEL, "limit": max_bytes() // 1024 // 1024}
        self.fields["pass_mark"].help_text = _(
            "La part des questions à réussir, si le module a un questionnaire. Les participant·es "
            "voient « Réussi » ou « À reprendre », jamais le chiffre."
        )
        self.order_fields(
            ["title", "summary", "kind", "body", "url", "file", "minutes", "language", "pass_mark"]
        )

    def values(self) -> dict[str, Any]:
        return {n: self.cleaned_data[n] for n in self.fields if n != "revision"}

    def _post_clean(self) -> None:
        # The service validates the module (content by kind, the file); the form only parses.
        pass


class QuestionForm(forms.Form):
    text = forms.CharField(label=_("Question"), max_length=500)

    explanation = forms.CharField(
        label=_("Explication montrée après la réponse"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for i in range(1, CHOICES_IN_FORM + 1):
            self.fields[f"choice_{i}"] = forms.CharField(
                label=_("Choix %(n)s") % {"n": i}, max_length=300, required=i <= 2
            )
            self.fields[f"correct_{i}"] = forms.BooleanField(
                label=_("Le choix %(n)s est une bonne réponse") % {"n": i}, required=False
            )
        self.order_fields(["text"])

    def choices(self) -> list[tuple[str, bool]]:
        return [
            (self.cleaned_data.get(f"choice_{i}", ""), self.cleaned_data.get(f"correct_{i}", False))
            for i in range(1, CHOICES_IN_FORM + 1)
        ]

    def rows(self) -> list[tuple[Any, Any]]:
        return [(self[f"choice_{i}"], self[f"correct_{i}"]) for i in range(1, CHOICES_IN_FORM + 1)]


class AssignForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("À qui"),
        choices=[(k.value, k.label) for k in AUDIENCES],
        widget=forms.RadioSelect,
        initial="mentee",
    )
    people = forms.ModelMultipleChoiceField(
        label=_("Seulement ces personnes (facultatif)"),
        queryset=Person.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Sans personne cochée, le module va à tout le rôle, y compris aux personnes "
            "qui s’ajouteront plus tard."
        ),
    )
    due_on = forms.DateField(
        label=_("À faire d’ici le"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Un rappel part par courriel trois jours avant, à qui ne l’a pas terminé."),
    )

    def __init__(self, *args: Any, program: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = Person.objects.filter(
            roles__program=program, roles__kind__in=[k.value for k in AUDIENCES]
        ).distinct()
        self.fields["people"].queryset = people.order_by("last_name", "first_name")
        kinds: dict[int, list[str]] = {}
        for person_id, kind in program.roles.filter(
            kind__in=[k.value for k in AUDIENCES]
        ).values_list("person_id", "kind"):
            kinds.setdefault(person_id, []).append(str(dict(self.fields["kind"].choices)[kind]))
        self.fields["people"].label_from_instance = lambda p: (
            f"{p} ({', '.join(kinds.get(p.pk, []))})"
        )


def answers_from(data: Any, module: Module) -> dict[int, set[int]]:
    """The quiz's answers as posted: « q<id> » holds the chosen choice ids."""
    answers: dict[int, set[int]] = {}
    for question in module.questions.all():
        values = data.getlist(f"q{question.pk}")
        answers[question.pk] = {int(v) for v in values if str(v).isdigit()}
    return answers


class PathForm(VersionedForm, forms.ModelForm):
    class Meta:
        model = ImplementationPath
        fields = ["budget_hours", "accompanied_by"]


class StepForm(VersionedForm, forms.ModelForm):
    class Meta:
        model = PathStep
        fields = ["status", "notes"]
        widgets = {"status": forms.RadioSelect, "notes": forms.Textarea(attrs={"rows": 4})}

    def _post_clean(self) -> None:
        pass


class SupportForm(forms.ModelForm):
    class Meta:
        model = SupportEntry
        fields = ["on", "hours", "note"]
        widgets = {
            "on": forms.DateInput(attrs={"type": "date"}),
            "hours": forms.NumberInput(attrs={"step": "0.1", "min": "0.1", "inputmode": "decimal"}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["hours"].min_value = Decimal("0.1")

    def _post_clean(self) -> None:
        pass


class FollowUpForm(forms.ModelForm):
    class Meta:
        model = FollowUp
        fields = ["on", "note"]
        widgets = {"on": forms.DateInput(attrs={"type": "date"})}

    def _post_clean(self) -> None:
        pass
