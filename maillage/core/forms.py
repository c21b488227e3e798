"""Forms of the core pages: a person's own account."""

from __future__ import annotations

from django import forms

from .models import NotificationPreference, Person


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


class NotificationForm(forms.ModelForm):
    """When a person hears by e-mail of her groups' messages and of the follow-up's alerts."""

    class Meta:
        model = NotificationPreference
        fields = ["messages", "alerts"]
        widgets = {"messages": forms.RadioSelect, "alerts": forms.RadioSelect}
