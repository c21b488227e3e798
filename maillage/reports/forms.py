from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from maillage.core.locking import VersionedForm


class RecommendationsForm(VersionedForm):
    recommendations = forms.CharField(
        label=_("Recommandations"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_(
            "Une recommandation par ligne. Elles viennent du bilan de santé du programme : "
            "modifiez-les avant de publier. Ne nommez personne ni aucune organisation."
        ),
    )
