from __future__ import annotations

import datetime
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maillage.intake.models import Application
from maillage.programs.models import Program

from .models import SCORE_MAX, SCORE_MIN, CommitteeOpinion, Criterion, Decision

SCORE_LABELS = {
    0: _("ne répond pas"),
    1: _("très peu"),
    2: _("un peu"),
    3: _("en partie"),
    4: _("bien"),
    5: _("répond pleinement"),
}


class DateInput(forms.DateInput):
    input_type = "date"


class CriterionForm(forms.ModelForm):
    class Meta:
        model = Criterion
        fields = ["label_fr", "label_en", "description_fr", "description_en", "weight", "order"]
        widgets = {
            "description_fr": forms.Textarea(attrs={"rows": 2}),
            "description_en": forms.Textarea(attrs={"rows": 2}),
            "weight": forms.NumberInput(attrs={"step": "0.5", "min": "0"}),
        }
        labels = {"order": _("Ordre d’affichage")}
        error_messages = {
            "label_fr": {"required": _("Donnez le libellé du critère en français.")},
            "weight": {
                "min_value": _("Le poids ne peut pas être négatif."),
                "invalid": _("Le poids est un nombre, par exemple 1 ou 1,5."),
            },
        }

    def values(self) -> dict[str, Any]:
        """The edited fields only (a formset adds the row's id)."""
        return {name: self.cleaned_data[name] for name in self._meta.fields}


CriterionFormSet = forms.modelformset_factory(Criterion, form=CriterionForm, extra=0)


class NewCriterionForm(CriterionForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "new")
        kwargs.setdefault("initial", {"weight": Decimal("1"), "order": None})
        super().__init__(*args, **kwargs)
        self.fields["order"].required = False
        self.fields["order"].help_text = _("Laissez vide pour l’ajouter à la fin.")


class ReviewForm(forms.Form):
    """A 0–5 score for each active criterion, and a comment."""

    comment = forms.CharField(
        label=_("Commentaire"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Ce qui justifie vos notes ; les autres évaluateur·rices le liront."),
    )

    def __init__(self, *args: Any, criteria: list[Criterion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        choices = [(n, f"{n} — {SCORE_LABELS[n]}") for n in range(SCORE_MIN, SCORE_MAX + 1)]
        message = _("Choisissez une note de %(min)s (ne répond pas) à %(max)s (répond pleinement).")
        message = message % {"min": SCORE_MIN, "max": SCORE_MAX}
        for criterion in criteria:
            self.fields[self.key(criterion)] = forms.TypedChoiceField(
                label=criterion.label,
                help_text=criterion.description,
                choices=choices,
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={"required": message, "invalid_choice": message},
            )
        # The comment comes after the scores.
        self.order_fields([*(self.key(c) for c in criteria), "comment"])

    @staticmethod
    def key(criterion: Criterion) -> str:
        return f"c{criterion.pk}"

    def score_fields(self) -> Iterator[tuple[Criterion, forms.BoundField]]:
        for criterion in self.criteria:
            yield criterion, self[self.key(criterion)]

    def scores(self) -> dict[int, int]:
        return {c.pk: self.cleaned_data[self.key(c)] for c in self.criteria}


class OpinionForm(forms.ModelForm):
    class Meta:
        model = CommitteeOpinion
        fields = ["opinion", "comment", "meeting_date"]
        widgets = {
            "opinion": forms.RadioSelect,
            "comment": forms.Textarea(attrs={"rows": 3}),
            "meeting_date": DateInput(format="%Y-%m-%d"),
        }
        error_messages = {"opinion": {"required": _("Choisissez l’avis du comité.")}}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "avis")
        super().__init__(*args, **kwargs)
        # Radio buttons: no empty « ——— » choice.
        self.fields["opinion"].choices = CommitteeOpinion.Opinion.choices


class DecisionForm(forms.ModelForm):
    class Meta:
        model = Decision
        fields = ["outcome", "reason", "track", "share_reason"]
        widgets = {
            "outcome": forms.RadioSelect,
            "reason": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "reason": _("Ils restent au dossier, visibles de la coordination et du comité."),
            "track": _("Pour une candidature retenue : le volet où elle entre."),
        }
        labels = {
            "share_reason": _(
                "Donner les motifs dans le courriel à la personne (candidature non retenue)"
            ),
        }
        error_messages = {
            "outcome": {"required": _("Choisissez une décision.")},
            "reason": {"required": _("Donnez les motifs de la décision : ils restent au dossier.")},
        }

    decided_on = forms.DateField(
        label=_("Date de la décision"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_(
            "Pour une décision prise plus tôt (programme saisi après coup). "
            "Laissez vide : aujourd’hui pour une nouvelle décision."
        ),
    )

    # The application's decision revision the form was shown with (core.locking).
    seen_revision = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def __init__(
        self, *args: Any, program: Program, application: Application | None = None, **kwargs: Any
    ) -> None:
        kwargs.setdefault("prefix", "decision")
        super().__init__(*args, **kwargs)
        if application is not None and not self.is_bound:
            self.initial["seen_revision"] = application.revision
        self.fields["track"].queryset = program.tracks.all()
        self.fields["outcome"].choices = Decision.Outcome.choices

    def clean_decided_on(self) -> datetime.date | None:
        day = self.cleaned_data.get("decided_on")
        if day and day > timezone.localdate():
            raise forms.ValidationError(
                _("Cette date est dans le futur : inscrivez le jour où la décision a été prise.")
            )
        return day


class FilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Statut"),
        required=False,
        choices=[("", _("Tous les statuts")), *Application.Status.choices],
    )
    track = forms.ModelChoiceField(
        label=_("Volet"), required=False, queryset=None, empty_label=_("Tous les volets")
    )

    def __init__(self, *args: Any, program: Program, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["track"].queryset = program.tracks.all()

    def filters(self) -> dict[str, Any]:
        if not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v}
