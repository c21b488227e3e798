from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

from .models import Tool
from .uploads import ALLOWED_LABEL, max_bytes


class ToolForm(forms.Form):
    title = forms.CharField(label=_("Titre"), max_length=200)
    type = forms.ChoiceField(label=_("Type d’outil"), choices=Tool.Type.choices)
    theme = forms.CharField(
        label=_("Thème"),
        max_length=200,
        required=False,
        help_text=_("Par exemple : mutualisation des véhicules, gouvernance, tri des matières."),
    )
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    file = forms.FileField(label=_("Fichier"), required=False)
    url = forms.URLField(
        label=_("ou un lien"),
        required=False,
        max_length=1000,
        assume_scheme="https",
        validators=[URLValidator(schemes=["http", "https"])],
        error_messages={"invalid": _("Indiquez une adresse web complète (https://…).")},
        help_text=_("Une adresse qui commence par https:// ou http://."),
    )
    reuse = forms.ChoiceField(
        label=_("Qui peut le réutiliser hors du groupe ?"),
        choices=Tool.Reuse.choices,
        initial=Tool.Reuse.GROUP,
        widget=forms.RadioSelect,
        help_text=_(
            "Par défaut, l’outil reste dans le groupe. La diffusion publique est confirmée par "
            "la coordination."
        ),
    )
    planned = forms.BooleanField(
        label=_("Outil à venir (pas encore de fichier ni de lien)"), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "Types acceptés : %(allowed)s ; %(limit)s Mo au plus."
        ) % {"allowed": ALLOWED_LABEL, "limit": max_bytes() // 1024 // 1024}

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("file") and data.get("url"):
            self.add_error("url", _("Partagez un fichier ou un lien, pas les deux."))
        elif not data.get("file") and not data.get("url") and not data.get("planned"):
            if "url" not in self.errors and "file" not in self.errors:
                self.add_error(
                    "file", _("Joignez un fichier ou indiquez un lien (ou cochez « à venir »).")
                )
        return data

    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.fields}


class CompleteToolForm(forms.Form):
    """The file or link of a tool that was announced « à venir »."""

    file = forms.FileField(label=_("Fichier"), required=False)
    url = forms.URLField(
        label=_("ou un lien"),
        required=False,
        max_length=1000,
        assume_scheme="https",
        validators=[URLValidator(schemes=["http", "https"])],
        error_messages={"invalid": _("Indiquez une adresse web complète (https://…).")},
    )

    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.fields}
