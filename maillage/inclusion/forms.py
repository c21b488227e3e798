from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from maillage.core.locking import VersionedForm
from maillage.programs.models import Program

from .models import InclusionGroup, Purpose


class GroupAddForm(forms.Form):
    """A group the coordination names itself (the default list is a row of buttons)."""

    label_fr = forms.CharField(label=_("Nom du groupe (français)"), max_length=120)
    label_en = forms.CharField(label=_("Nom du groupe (anglais)"), max_length=120, required=False)


def _target(label: Any) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=0,
        max_value=100,
        help_text=_("En pourcentage, de 0 à 100 ; laissez vide s’il n’y a pas d’objectif."),
        error_messages={
            "invalid": _("Écrivez un nombre entier de 0 à 100, sans le signe %."),
            "min_value": _("Un objectif est un pourcentage de 0 à 100."),
            "max_value": _("Un objectif est un pourcentage de 0 à 100."),
        },
    )


class GroupForm(VersionedForm, forms.ModelForm):
    target_applicants = _target(_("Objectif parmi les candidatures (%)"))
    target_selected = _target(_("Objectif parmi les personnes sélectionnées (%)"))
    target_matched = _target(_("Objectif parmi les personnes mentorées jumelées (%)"))
    target_mentors = _target(_("Objectif parmi les mentor·es jumelé·es (%)"))

    class Meta:
        model = InclusionGroup
        fields = [
            "label_fr",
            "label_en",
            "target_applicants",
            "target_selected",
            "target_matched",
            "target_mentors",
        ]
        labels = {
            "label_fr": _("Nom du groupe (français)"),
            "label_en": _("Nom du groupe (anglais)"),
        }


class DeclareForm(forms.Form):
    """One purpose's answer: the groups the person belongs to, for matching also the groups they
    wish the other side to belong to, and the consent box (never ticked in advance)."""

    purpose = forms.ChoiceField(choices=Purpose.choices, widget=forms.HiddenInput)
    members = forms.ModelMultipleChoiceField(
        queryset=InclusionGroup.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    wishes = forms.ModelMultipleChoiceField(
        queryset=InclusionGroup.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    consent = forms.BooleanField(required=False)

    def __init__(self, *args: Any, program: Program, purpose: str, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", purpose)
        super().__init__(*args, **kwargs)
        groups = program.inclusion_groups.all()
        self.fields["members"].queryset = groups
        self.fields["wishes"].queryset = groups
        self.fields["purpose"].initial = purpose
        if purpose == Purpose.OBJECTIVES:
            del self.fields["wishes"]
