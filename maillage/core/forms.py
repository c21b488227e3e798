"""Forms of the core pages: a person's own account."""

from __future__ import annotations

from django import forms

from .models import Person


class AccountForm(forms.ModelForm):
    """What a signed-in person corrects about herself: her name, phone and language. The
    e-mail is the account's, changed by the coordination; her matching profile is per program."""

    class Meta:
        model = Person
        fields = ["first_name", "last_name", "phone", "language"]
        widgets = {
            "first_name": forms.TextInput(attrs={"autocomplete": "given-name"}),
            "last_name": forms.TextInput(attrs={"autocomplete": "family-name"}),
            "phone": forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
        }
