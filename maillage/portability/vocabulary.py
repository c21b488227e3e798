"""The words a spreadsheet may use: column headers and cell values, in French or English.

Coordinators type their own headers and values (« Courriel », « E-mail », « mentoré·e »,
« Oui »…). Everything is matched through `Lookup`, which tries the exact spelling first (case
folded) and then an accent- and punctuation-blind form, so that « MENTORÉ » and « mentore »
(a feminine mentor) stay different while « Region » still finds « Région ».
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from maillage.core.models import AVAILABILITY_SLOTS, Language, WorkingStyle
from maillage.intake.models import Application
from maillage.programs.models import Role


def fold(text: str) -> str:
    """Case-folded, NFC: the exact spelling a person typed, without case."""
    return unicodedata.normalize("NFC", str(text)).strip().casefold()


def blind(text: str) -> str:
    """Accents, case, spaces and punctuation removed: « Mentoré·e » → « mentoree »."""
    decomposed = unicodedata.normalize("NFKD", str(text))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    return re.sub(r"[^a-z0-9]+", "", bare)


class Lookup:
    """Find a canonical value from any of its spellings.

    Two spellings that differ only by accents but mean different things (« mentore »,
    « mentoré ») are kept apart: such a blind form is dropped, so only the exact one matches.
    """

    def __init__(self, entries: Iterable[tuple[str, Iterable[str]]]) -> None:
        self.exact: dict[str, str] = {}
        blind_map: dict[str, str | None] = {}
        for value, spellings in entries:
            for spelling in [value, *spellings]:
                self.exact.setdefault(fold(spelling), value)
                key = blind(spelling)
                if not key:
                    continue
                if blind_map.get(key, value) != value:
                    blind_map[key] = None  # ambiguous without accents
                else:
                    blind_map[key] = value
        self.blind = {k: v for k, v in blind_map.items() if v is not None}

    def get(self, text: str) -> str | None:
        if not str(text).strip():
            return None
        return self.exact.get(fold(text)) or self.blind.get(blind(text))


def _labels(label: object) -> list[str]:
    """A lazy label in French and in English (whatever the catalogue says)."""
    spellings = []
    for lang in ("fr", "en"):
        with translation.override(lang):
            spellings.append(str(label))
    return spellings


def choice_lookup(choices: type, extra: dict[str, list[str]]) -> Lookup:
    return Lookup(
        (value, [*_labels(label), *extra.get(value, [])]) for value, label in choices.choices
    )


ROLE_WORDS: dict[str, list[str]] = {
    Role.Kind.COORDINATOR: [
        "coordinator",
        "coordination",
        "coordonnateur",
        "coordonnatrice",
        "coordonnateur·trice",
        "coordonnateur-trice",
        "coordo",
    ],
    Role.Kind.MENTOR: ["mentor", "mentore", "mentors", "mentores", "mentor·e", "mentor(e)"],
    Role.Kind.MENTEE: [
        "mentee",
        "mentees",
        "mentoré",
        "mentorée",
        "mentoré·e",
        "mentoré(e)",
        "mentorés",
        "mentorées",
        "mentoree",
        "personne mentorée",
        "organisme mentoré",
    ],
    Role.Kind.OBSERVER: [
        "observer",
        "observateur",
        "observatrice",
        "observateur·trice",
        "observation",
        "évaluateur",
        "évaluatrice",
        "evaluator",
        "évaluation",
    ],
    Role.Kind.COMMITTEE: [
        "committee",
        "comité",
        "membre du comité",
        "committee member",
        "comité consultatif",
        "advisory committee",
        "gtao",
    ],
    Role.Kind.FUNDER: [
        "funder",
        "bailleur",
        "bailleur de fonds",
        "bailleuse de fonds",
        "financeur",
    ],
}

YES_NO = Lookup(
    [
        ("yes", ["oui", "o", "yes", "y", "1", "vrai", "true", "x"]),
        ("no", ["non", "n", "no", "0", "faux", "false"]),
    ]
)

LANGUAGE_WORDS = {
    Language.FR: ["fr", "français", "francais", "french", "fra", "fr-ca"],
    Language.EN: ["en", "anglais", "english", "eng", "en-ca"],
}

STYLE_WORDS = {
    WorkingStyle.STRUCTURED: ["structuré", "structurée", "structured"],
    WorkingStyle.INTUITIVE: ["intuitif", "intuitive"],
}

STATUS_WORDS = {
    Application.Status.RECEIVED: ["received", "reçue", "recue", "nouvelle", "new"],
    Application.Status.IN_REVIEW: ["in review", "en évaluation", "en cours"],
    Application.Status.SELECTED: ["selected", "retenue", "sélectionnée", "acceptée", "accepted"],
    Application.Status.WAITLISTED: ["waitlisted", "en attente", "liste d’attente", "waiting list"],
    Application.Status.DECLINED: ["declined", "non retenue", "refusée", "rejected", "refused"],
    Application.Status.WITHDRAWN: ["withdrawn", "retirée", "désistement"],
}

_DAYS = {
    "mon": ["lundi", "monday", "lun", "mon"],
    "tue": ["mardi", "tuesday", "mar", "tue"],
    "wed": ["mercredi", "wednesday", "mer", "wed"],
    "thu": ["jeudi", "thursday", "jeu", "thu"],
    "fri": ["vendredi", "friday", "ven", "fri"],
}
_PARTS = {
    "am": ["matin", "morning", "am", "a.m."],
    "pm": ["après-midi", "apres-midi", "afternoon", "pm", "p.m."],
}


def _slot_spellings(code: str, label: object) -> list[str]:
    day, part = code.split("-")
    spellings = _labels(label)
    for day_word in _DAYS[day]:
        for part_word in _PARTS[part]:
            spellings.append(f"{day_word} {part_word}")
    return spellings


class Vocabulary:
    """Built on first use: labels are lazy and translated in both languages."""

    _built = False

    @classmethod
    def build(cls) -> None:
        if cls._built:
            return
        cls.roles = choice_lookup(Role.Kind, ROLE_WORDS)
        cls.languages = choice_lookup(Language, LANGUAGE_WORDS)
        cls.styles = choice_lookup(WorkingStyle, STYLE_WORDS)
        cls.statuses = choice_lookup(Application.Status, STATUS_WORDS)
        cls.slots = Lookup(
            (code, _slot_spellings(code, label)) for code, label in AVAILABILITY_SLOTS
        )
        cls._built = True


def roles() -> Lookup:
    Vocabulary.build()
    return Vocabulary.roles


def languages() -> Lookup:
    Vocabulary.build()
    return Vocabulary.languages


def styles() -> Lookup:
    Vocabulary.build()
    return Vocabulary.styles


def statuses() -> Lookup:
    Vocabulary.build()
    return Vocabulary.statuses


def slots() -> Lookup:
    Vocabulary.build()
    return Vocabulary.slots


def split_list(text: str) -> list[str]:
    """« fr, en » or « lundi matin; mardi après-midi » or one per line."""
    return [part.strip() for part in re.split(r"[,;\n|/]+", text) if part.strip()]


@dataclass(frozen=True)
class Column:
    """One column of a people or applications sheet."""

    key: str
    label: object  # lazy: the header in the user's language
    required: bool = False
    aliases: tuple[str, ...] = ()

    def header(self) -> str:
        return str(self.label)

    def spellings(self) -> list[str]:
        return [*_labels(self.label), *self.aliases]


PEOPLE_COLUMNS: list[Column] = [
    Column("first_name", _("Prénom"), True, ("first name", "firstname", "given name")),
    Column("last_name", _("Nom"), True, ("last name", "nom de famille", "surname", "family name")),
    Column(
        "email",
        _("Courriel"),
        True,
        (
            "e-mail",
            "email",
            "adresse courriel",
            "mail",
            "adresse électronique",
            "email address",
            "courriel",
        ),
    ),
    Column(
        "phone",
        _("Téléphone"),
        False,
        ("phone", "tél", "tel", "phone number", "numéro de téléphone"),
    ),
    Column("organization", _("Organisation"), False, ("organisme", "organization", "organisation")),
    Column(
        "region",
        _("Région"),
        False,
        ("region", "région administrative", "region of the organization"),
    ),
    Column(
        "sector",
        _("Secteur"),
        False,
        ("sector", "secteur d’activité", "secteur d'activité", "sector of the organization"),
    ),
    Column("position", _("Poste"), False, ("position", "fonction", "job title")),
    Column(
        "can_decide",
        _("Peut décider"),
        False,
        ("can decide", "peut décider et appliquer des changements", "décideur", "decision maker"),
    ),
    Column(
        "language",
        _("Langue"),
        False,
        ("language", "langue de communication", "preferred language"),
    ),
    Column("languages", _("Langues parlées"), False, ("languages", "langues", "languages spoken")),
    Column("working_style", _("Style de travail"), False, ("working style", "style")),
    Column("availability", _("Disponibilités"), False, ("availability", "disponibilité")),
    Column("role", _("Rôle"), True, ("role", "type de participation")),
    Column("track", _("Volet"), False, ("track", "stream")),
    Column("team", _("Équipe"), False, ("team",)),
]

APPLICATION_COLUMNS: list[Column] = [
    Column("id", _("Numéro"), False, ("id", "no", "n°", "numéro", "identifiant", "number")),
    Column(
        "received",
        _("Reçue le"),
        False,
        ("received", "received on", "date de réception", "submitted", "date"),
    ),
    Column("language", _("Langue"), False, ("language",)),
    Column(
        "organization", _("Organisation"), True, ("organization", "organisme", "nom de l’organisme")
    ),
    Column(
        "contact", _("Personne contact"), True, ("contact", "contact person", "contact name", "nom")
    ),
    Column("email", _("Courriel"), True, ("e-mail", "email", "adresse courriel", "email address")),
    Column("phone", _("Téléphone"), False, ("phone", "tél", "tel")),
    Column("region", _("Région"), False, ("region", "région administrative")),
    Column("status", _("Statut"), False, ("status", "état")),
    Column("track", _("Volet"), False, ("track",)),
    Column(
        "duplicate_of",
        _("Doublon possible de"),
        False,
        ("possible duplicate of", "duplicate of", "doublon de"),
    ),
    Column(
        "consent_given",
        _("Consentement donné"),
        False,
        ("consent given", "consent", "consentement"),
    ),
    Column("consent_version", _("Version du consentement"), False, ("consent version",)),
    Column("consent_language", _("Langue du consentement"), False, ("consent language",)),
    Column(
        "consent_at",
        _("Consentement le"),
        False,
        ("consent at", "consent date", "date du consentement", "consented at"),
    ),
]


def column_lookup(columns: list[Column]) -> Lookup:
    return Lookup((column.key, column.spellings()) for column in columns)


# The application fields an imported row sets when its cell is filled, in both writers (the
# row-by-row path in services and the batched one in bulk).
APPLICATION_FIELDS = (
    "organization_name",
    "contact_name",
    "email",
    "phone",
    "region",
    "track",
    "language",
    "status",
    "consent_language",
    "consent_at",
    "consent_version",
)
