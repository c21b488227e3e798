from __future__ import annotations

import threading
import time
from collections import OrderedDict
from typing import Any

from django import forms
from django.core.validators import RegexValidator
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from maillage.core.i18n import localized
from maillage.core.models import Language, Organization, Sector
from maillage.core.services import name_key
from maillage.programs.models import Program

from .models import InterestForm, MentorContact, PotentialMentor, Question
from .reference import regions

# --- The public form ---------------------------------------------------------------------------

phone_validator = RegexValidator(
    r"^\+?[0-9 ().\-]{10,}(\s*(poste|ext\.?|x)\s*[0-9]+)?$",
    _("Entrez un numéro de téléphone à 10 chiffres, par exemple 418 555-0123."),
)

HONEYPOT = "site_web"

AUTOCOMPLETE = {
    Question.Maps.ORGANIZATION: "organization",
    Question.Maps.CONTACT_NAME: "name",
}


def field_name(question: Question) -> str:
    # Prefixed so that a question key can never collide with « consent » or the honeypot.
    return f"q_{question.key}"


def question_field(question: Question) -> forms.Field:
    """The form field that asks one question, labelled in the active language."""
    common: dict[str, Any] = {
        "label": question.label,
        "help_text": question.help,
        "required": question.required,
    }
    kind = question.kind
    # WCAG 1.3.5: say what a field is for, so that browsers can fill it in.
    purpose = AUTOCOMPLETE.get(question.maps_to)
    if kind == Question.Kind.LONG_TEXT:
        return forms.CharField(max_length=5000, widget=forms.Textarea(attrs={"rows": 5}), **common)
    if kind == Question.Kind.EMAIL:
        return forms.EmailField(
            max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"}), **common
        )
    if kind == Question.Kind.PHONE:
        return forms.CharField(
            max_length=40,
            validators=[phone_validator],
            widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
            **common,
        )
    if kind == Question.Kind.NUMBER:
        return forms.IntegerField(min_value=0, max_value=10**9, **common)
    if kind == Question.Kind.YES_NO:
        return forms.ChoiceField(
            choices=[("yes", _("Oui")), ("no", _("Non"))], widget=forms.RadioSelect, **common
        )
    if kind == Question.Kind.CHOICE:
        return forms.ChoiceField(
            choices=question.choice_pairs(), widget=forms.RadioSelect, **common
        )
    if kind == Question.Kind.MULTIPLE:
        return forms.MultipleChoiceField(
            choices=question.choice_pairs(), widget=forms.CheckboxSelectMultiple, **common
        )
    if kind == Question.Kind.REGION:
        return forms.ChoiceField(
            choices=[("", _("Choisissez une région"))]
            + [(code, f"{code[-2:]} – {name}") for code, _pk, name in regions()],
            **common,
        )
    if kind == Question.Kind.SECTOR:
        # The answer is a code of the reference sectors, so matching's same-sector rule finds it.
        sectors = sorted(Sector.objects.all(), key=lambda s: name_key(str(s.name)))
        return forms.ChoiceField(
            choices=[("", _("Choisissez un secteur"))] + [(s.code, s.name) for s in sectors],
            error_messages={
                "invalid_choice": _("Choisissez un secteur d’activité dans la liste."),
            },
            **common,
        )
    # 200: the longest mapped column (organization, contact name) it may fill.
    attrs = {"autocomplete": purpose} if purpose else {}
    return forms.CharField(max_length=200, widget=forms.TextInput(attrs=attrs), **common)


# The public form's fields, built once per form, revision and language in each process (issue
# 14: building them and reading the questions was a third of an answer's Python and a query).
# The key holds the form's `updated_at`, which every change of the form or of a question moves
# (`receivers.form_changed`), so an edit is seen at once; TTL covers the reference lists the
# key does not hold (the regions' and sectors' names).
FIELDS_TTL = 300.0  # seconds
FIELDS_SIZE = 256  # forms × languages kept per process
_built: OrderedDict[tuple, tuple[float, list[Question], dict[str, forms.Field]]] = OrderedDict()
_built_lock = threading.Lock()


def forget_public_forms() -> None:
    """Empty this process's built forms (tests)."""
    with _built_lock:
        _built.clear()


def public_form_parts(interest_form: InterestForm) -> tuple[list[Question], dict[str, forms.Field]]:
    """The form's questions and its fields in the active language, from this process's store."""
    key = (
        interest_form.pk,
        interest_form.token,
        interest_form.updated_at,
        translation.get_language(),
    )
    now = time.monotonic()
    with _built_lock:
        found = _built.get(key)
        if found is not None:
            _built.move_to_end(key)
    if found is not None and found[0] > now:
        return found[1], found[2]
    questions = list(Question.objects.filter(form_id=interest_form.pk))
    fields: dict[str, forms.Field] = {field_name(q): question_field(q) for q in questions}
    fields["consent"] = forms.BooleanField(
        label=localized(interest_form, "consent"),
        required=True,
        error_messages={
            "required": _("Pour envoyer le formulaire, cochez la case de consentement.")
        },
    )
    # Bots fill every field; people never see this one.
    fields[HONEYPOT] = forms.CharField(
        label=_("Ne remplissez pas ce champ"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )
    with _built_lock:
        _built[key] = (now + FIELDS_TTL, questions, fields)
        while len(_built) > FIELDS_SIZE:
            _built.popitem(last=False)
    return questions, fields


class PublicForm(forms.Form):
    """An interest form as the public answers it. Build it inside the visitor's language."""

    # The browser must not block the submission: the server gives the clearer messages.
    use_required_attribute = False

    def __init__(self, *args: Any, interest_form: InterestForm, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.interest_form = interest_form
        questions, fields = public_form_parts(interest_form)
        self.questions = list(questions)
        # The built fields are shared, not deep-copied as Django does for declared fields:
        # nothing changes a field or its widget per form (no per-instance `required`, no
        # attrs added by a template), and cleaning and rendering only read them.
        self.fields = dict(fields)

    def is_bot(self) -> bool:
        return bool(self.data.get(HONEYPOT, "").strip())

    def question_fields(self) -> list[forms.BoundField]:
        return [self[field_name(q)] for q in self.questions]

    def answers(self) -> dict[str, Any]:
        """Clean answers keyed by question key, ready for JSON."""
        answers: dict[str, Any] = {}
        for question in self.questions:
            value = self.cleaned_data.get(field_name(question))
            if isinstance(value, str):
                value = value.strip()
            answers[question.key] = value if value is not None else ""
        return answers


# --- The builder -------------------------------------------------------------------------------


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class FormTextsForm(forms.ModelForm):
    class Meta:
        model = InterestForm
        fields = [
            "audience",
            "title_fr",
            "title_en",
            "intro_fr",
            "intro_en",
            "purpose_fr",
            "purpose_en",
            "consent_fr",
            "consent_en",
            "closes_at",
        ]
        widgets = {
            "intro_fr": forms.Textarea(attrs={"rows": 4}),
            "intro_en": forms.Textarea(attrs={"rows": 4}),
            "purpose_fr": forms.Textarea(attrs={"rows": 5}),
            "purpose_en": forms.Textarea(attrs={"rows": 5}),
            "consent_fr": forms.Textarea(attrs={"rows": 3}),
            "consent_en": forms.Textarea(attrs={"rows": 3}),
            "closes_at": DateTimeInput(),
        }
        help_texts = {
            "purpose_fr": _(
                "Affiché avant les questions. Le modifier crée une nouvelle version du "
                "consentement ; les candidatures déjà reçues gardent la leur."
            ),
            "consent_fr": _(
                "Le texte à côté de la case à cocher, qui n’est jamais cochée d’avance."
            ),
            "closes_at": _(
                "Facultatif. Après ce moment, le formulaire n’accepte plus de réponses."
            ),
        }


def parse_choices(text: str, existing: list[dict[str, str]] | None = None) -> list[dict[str, str]]:
    """« libellé français | English label », one per line. Known labels keep their value."""
    known = {c.get("fr", ""): c["value"] for c in existing or []}
    choices = []
    for line in text.splitlines():
        if not line.strip():
            continue
        fr, _sep, en = (part.strip() for part in line.partition("|"))
        value = known.get(fr) or slugify(fr)[:60] or fr
        choices.append({"value": value, "fr": fr, "en": en})
    return choices


def format_choices(choices: list[dict[str, str]]) -> str:
    return "\n".join(f"{c.get('fr', '')} | {c.get('en', '')}".rstrip(" |") for c in choices or [])


class QuestionForm(forms.ModelForm):
    choices_text = forms.CharField(
        label=_("Choix de réponse"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Pour les types « Choix unique » et « Choix multiples » : un choix par ligne, "
            "en français puis en anglais séparés par une barre verticale, "
            "par exemple « Logistique | Logistics »."
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
            "maps_to",
        ]
        help_texts = {
            "maps_to": _(
                "Pour repérer les doublons et joindre la personne, une question peut remplir une "
                "colonne de la candidature (le courriel, la région…)."
            ),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["choices_text"] = format_choices(self.instance.choices)

    def service_fields(self) -> dict[str, Any]:
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        data["choices"] = parse_choices(
            self.cleaned_data.get("choices_text", ""), self.instance.choices
        )
        return data


# --- Potential mentors -------------------------------------------------------------------------


def split_themes(text: str) -> list[str]:
    return [t.strip() for t in text.replace(";", ",").split(",") if t.strip()]


class PotentialMentorEditForm(forms.Form):
    expertise = forms.CharField(
        label=_("Expertise"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    themes = forms.CharField(
        label=_("Thèmes"),
        required=False,
        help_text=_("Séparés par des virgules, par exemple « transport, entreposage »."),
    )
    capacity = forms.IntegerField(
        label=_("Capacité (personnes mentorées)"), min_value=1, max_value=20, initial=2
    )
    track = forms.ModelChoiceField(label=_("Volet"), queryset=None, required=False)
    suggested_by = forms.CharField(label=_("Suggéré·e par"), required=False, max_length=200)

    def __init__(self, *args: Any, program: Program, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["track"].queryset = program.tracks.all()

    def service_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["themes"] = split_themes(data.get("themes", ""))
        return data

    @classmethod
    def initial_for(cls, mentor: PotentialMentor) -> dict[str, Any]:
        return {
            "expertise": mentor.expertise,
            "themes": ", ".join(mentor.themes or []),
            "capacity": mentor.capacity,
            "track": mentor.track_id,
            "suggested_by": mentor.suggested_by,
        }


class PotentialMentorAddForm(PotentialMentorEditForm):
    first_name = forms.CharField(label=_("Prénom"), max_length=100)
    last_name = forms.CharField(label=_("Nom"), max_length=100)
    email = forms.EmailField(
        label=_("Courriel"),
        help_text=_("Si Maillage connaît déjà cette personne, sa fiche est réutilisée."),
    )
    phone = forms.CharField(label=_("Téléphone"), max_length=40, required=False)
    organization = forms.ModelChoiceField(
        label=_("Organisation (annuaire)"), queryset=Organization.objects.all(), required=False
    )
    organization_name = forms.CharField(
        label=_("… ou nouvelle organisation"),
        max_length=200,
        required=False,
        help_text=_("Si elle n’est pas dans l’annuaire, elle y sera ajoutée."),
    )
    position = forms.CharField(label=_("Poste"), max_length=200, required=False)
    language = forms.ChoiceField(
        label=_("Langue de communication"), choices=Language.choices, initial=Language.FR
    )

    field_order = [
        "first_name",
        "last_name",
        "email",
        "phone",
        "organization",
        "organization_name",
        "position",
        "language",
        "expertise",
        "themes",
        "capacity",
        "track",
        "suggested_by",
    ]


class MentorContactForm(forms.ModelForm):
    class Meta:
        model = MentorContact
        fields = ["at", "channel", "summary"]
        widgets = {"at": DateTimeInput(), "summary": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("at", timezone.localtime().replace(second=0, microsecond=0))


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Statut"), choices=PotentialMentor.Status.choices)
