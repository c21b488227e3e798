from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .errors import PortabilityError
from .jobs import check_upload
from .services import APPLICATIONS, PEOPLE


class ImportForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Le fichier contient"),
        choices=[(PEOPLE, _("des personnes et leur rôle")), (APPLICATIONS, _("des candidatures"))],
        initial=PEOPLE,
        widget=forms.RadioSelect,
    )
    file = forms.FileField(
        label=_("Fichier CSV ou Excel (.xlsx)"),
        help_text=_("5 Mo au plus. La première ligne contient le titre des colonnes."),
        widget=forms.FileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
        error_messages={
            "required": _("Choisissez un fichier CSV ou Excel (.xlsx)."),
            "empty": _("Le fichier est vide."),
            "invalid": _("Ce fichier n’a pas pu être envoyé : choisissez-le de nouveau."),
        },
    )
    skip_bad_rows = forms.BooleanField(
        label=_("Importer les lignes valides et ignorer les lignes en erreur"),
        help_text=_("Sinon, un fichier qui contient une erreur n’est pas importé du tout."),
        required=False,
    )

    def clean_file(self) -> Any:
        """Its size and kind only: the worker reads the content, once, after the upload."""
        upload = self.cleaned_data["file"]
        try:
            check_upload(upload)
        except PortabilityError as error:
            raise forms.ValidationError(error.message) from error
        return upload
