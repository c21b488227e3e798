from __future__ import annotations

from typing import Any

from django import forms
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from maillage.mentoring.models import Group, Meeting
from maillage.programs.models import Program, Role

from .models import FinalInterview, ObserverNote, Question, Questionnaire, Round

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class QuestionnaireForm(forms.ModelForm):
    class Meta:
        model = Questionnaire
        fields = ["title_fr", "title_en", "intro_fr", "intro_en"]
        widgets = {
            "intro_fr": forms.Textarea(attrs={"rows": 3}),
            "intro_en": forms.Textarea(attrs={"rows": 3}),
        }


class QuestionForm(forms.ModelForm):
    choices_text = forms.CharField(
        label=_("Choix"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Un choix par ligne : « français | English », ou « code | français | English »."
        ),
    )

    class Meta:
        model = Question
        fields = [
            "kind",
            "label_fr",
            "label_en",
            "help_fr",
            "help_en",
            "required",
            "audience",
            "scale_low_fr",
            "scale_low_en",
            "scale_high_fr",
            "scale_high_en",
            "objectives_fallback",
            "indicator",
            "theme",
        ]
        widgets = {"objectives_fallback": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.choices:
            self.initial["choices_text"] = "\n".join(
                f"{c.get('value')} | {c.get('fr', '')} | {c.get('en', '')}"
                for c in self.instance.choices
            )

    def clean_choices_text(self) -> list[dict[str, str]]:
        choices = []
        for number, line in enumerate(self.cleaned_data["choices_text"].splitlines(), start=1):
            parts = [p.strip() for p in line.split("|")]
            if not any(parts):
                continue
            if len(parts) >= 3:
                value, fr, en = parts[0], parts[1], parts[2]
            else:
                fr, en = parts[0], parts[1] if len(parts) > 1 else ""
                value = slugify(fr) or str(number)
            choices.append({"value": value or str(number), "fr": fr, "en": en})
        return choices

    def _post_clean(self) -> None:
        # The model's rules run in the service (one place), whose error lands on its field.
        return None

    def service_fields(self) -> dict[str, Any]:
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        data["choices"] = self.cleaned_data["choices_text"]
        return data


class RoundForm(forms.ModelForm):
    class Meta:
        model = Round
        fields = [
            "questionnaire",
            "audience",
            "send_on",
            "closes_on",
            "reminder_after_days",
            "cancelled",
        ]
        widgets = {"send_on": DATE, "closes_on": DATE}

    def __init__(self, *args: Any, program: Program, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["questionnaire"].queryset = program.questionnaires.all()


def _scale_choices(question: Question, language: str) -> list[tuple[str, str]]:
    low, high = question.scale_ends(language)
    labels = {1: low, 5: high}
    return [(str(n), f"{n} — {labels[n]}" if labels.get(n) else str(n)) for n in range(1, 6)]


class AnswerForm(forms.Form):
    """The questions of one invitation, in the person's language.

    Field `q<pk>` per question; an objective-progress question has one scale `q<pk>_<n>` per
    objective. `blocks` keeps them together for the template.
    """

    def __init__(
        self,
        *args: Any,
        questions: list[Question],
        objectives: dict[int, list[str]],
        language: str,
        answers: dict[int, Any] | None = None,
        disabled: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.questions = questions
        self.objectives = objectives
        self.blocks: list[tuple[Question, list[str]]] = []
        answers = answers or {}
        for question in questions:
            names = []
            for name, field in self._fields_for(question, language):
                field.disabled = disabled
                self.fields[name] = field
                names.append(name)
            self._set_initial(question, answers.get(question.pk))
            self.blocks.append((question, names))

    def _fields_for(self, q: Question, language: str) -> list[tuple[str, forms.Field]]:
        label, help_text, name = q.label(language), q.help(language), f"q{q.pk}"
        common = {"label": label, "help_text": help_text, "required": q.required}
        kind = q.kind
        if kind == Question.Kind.SCALE:
            return [
                (
                    name,
                    forms.ChoiceField(
                        choices=_scale_choices(q, language), widget=forms.RadioSelect, **common
                    ),
                )
            ]
        if kind == Question.Kind.SINGLE:
            return [
                (
                    name,
                    forms.ChoiceField(
                        choices=q.choice_pairs(language), widget=forms.RadioSelect, **common
                    ),
                )
            ]
        if kind == Question.Kind.MULTIPLE:
            return [
                (
                    name,
                    forms.MultipleChoiceField(
                        choices=q.choice_pairs(language),
                        widget=forms.CheckboxSelectMultiple,
                        **common,
                    ),
                )
            ]
        if kind == Question.Kind.NUMBER:
            return [(name, forms.DecimalField(max_digits=12, decimal_places=2, **common))]
        if kind == Question.Kind.SHORT_TEXT:
            return [(name, forms.CharField(max_length=500, **common))]
        if kind == Question.Kind.LONG_TEXT:
            return [
                (
                    name,
                    forms.CharField(
                        max_length=5000, widget=forms.Textarea(attrs={"rows": 4}), **common
                    ),
                )
            ]
        return [
            (
                f"{name}_{n}",
                forms.ChoiceField(
                    label=objective,
                    choices=_scale_choices(q, language),
                    widget=forms.RadioSelect,
                    required=q.required,
                ),
            )
            for n, objective in enumerate(self.objectives.get(q.pk, []))
        ]

    def _set_initial(self, q: Question, value: Any) -> None:
        if value in (None, ""):
            return
        if q.kind == Question.Kind.OBJECTIVE_PROGRESS and isinstance(value, dict):
            for n, objective in enumerate(self.objectives.get(q.pk, [])):
                if objective in value:
                    self.initial[f"q{q.pk}_{n}"] = str(value[objective])
        elif q.kind == Question.Kind.SCALE:
            self.initial[f"q{q.pk}"] = str(value)
        else:
            self.initial[f"q{q.pk}"] = value

    def _value(self, q: Question, cleaned: dict[str, Any]) -> Any:
        if q.kind == Question.Kind.OBJECTIVE_PROGRESS:
            return {
                objective: int(cleaned[f"q{q.pk}_{n}"])
                for n, objective in enumerate(self.objectives.get(q.pk, []))
                if cleaned.get(f"q{q.pk}_{n}")
            }
        value = cleaned.get(f"q{q.pk}")
        if q.kind == Question.Kind.SCALE and value:
            return int(value)
        if isinstance(value, str):
            return value.strip()
        return value

    def values(self) -> dict[Question, Any]:
        return {q: self._value(q, self.cleaned_data) for q in self.questions}

    def draft_value(self, question: Question) -> tuple[Any, list[str]]:
        """One question cleaned without the `required` rule: what autosave keeps, or why not."""
        names = dict((q.pk, n) for q, n in self.blocks)[question.pk]
        cleaned, errors = {}, []
        for name in names:
            field = self.fields[name]
            required, field.required = field.required, False
            try:
                cleaned[name] = field.clean(
                    field.widget.value_from_datadict(self.data, self.files, self.add_prefix(name))
                )
            except forms.ValidationError as error:
                errors.extend(error.messages)
            finally:
                field.required = required
        return (None if errors else self._value(question, cleaned)), errors


class InterviewForm(forms.ModelForm):
    class Meta:
        model = FinalInterview
        fields = [
            "participant",
            "held_on",
            "learning",
            "objectives",
            "appreciation",
            "recommendations",
        ]
        widgets = {
            "held_on": DATE,
            **{name: forms.Textarea(attrs={"rows": 5}) for name in FinalInterview.THEMES},
        }

    def __init__(self, *args: Any, program: Program, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["participant"].queryset = program.roles.filter(
            kind__in=(Role.Kind.MENTOR, Role.Kind.MENTEE)
        ).select_related("person")
        self.fields["participant"].label_from_instance = lambda r: (
            f"{r.person.full_name} — {r.get_kind_display()}"
        )
        if self.instance.pk:
            self.fields["participant"].disabled = True


class CorrectionForm(forms.Form):
    comment = forms.CharField(
        label=_("Ce qu’il faut corriger"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000
    )


class ObserverNoteForm(forms.ModelForm):
    class Meta:
        model = ObserverNote
        fields = ["meeting", "group", "meeting_ref", "observed_on", "notes"]
        widgets = {"observed_on": DATE, "notes": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args: Any, program: Program, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.program = program  # for the model's checks run by the form
        self.fields["group"].queryset = Group.objects.filter(program=program)
        self.fields["meeting"].queryset = Meeting.objects.filter(
            group__program=program
        ).select_related("group")
        self.fields["meeting"].label_from_instance = lambda m: (
            f"{m.starts_at:%Y-%m-%d} — {m.group} ({m.get_kind_display()})"
        )


class QuoteForm(forms.Form):
    passage = forms.CharField(
        label=_("Passage à citer"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Copiez le passage tel quel ; la personne verra exactement ce texte."),
    )
    topic_fr = forms.CharField(
        label=_("Sujet (français)"),
        max_length=200,
        help_text=_("Complète « — une personne mentorée, sur … »"),
    )
    topic_en = forms.CharField(
        label=_("Sujet (anglais)"),
        max_length=200,
        required=False,
        help_text=_("Complète « — a mentee, on … »"),
    )
