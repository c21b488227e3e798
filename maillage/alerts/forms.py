from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Kind


class MuteForm(forms.Form):
    muted = forms.MultipleChoiceField(
        label=_("Ne plus m’envoyer par courriel"),
        choices=Kind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Les alertes restent visibles dans la plateforme ; seuls les courriels cessent."
        ),
    )
