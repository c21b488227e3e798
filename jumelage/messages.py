"""Plain-language French and English text for every code the engine emits.

Problems (bad input), reasons (why someone is unmatched) and violations (what `check` found) all
share one shape, ``{"code", "params", "message"}``. The platform shows them to coordinators, so
each template names the people (label when given, else id) and the rule, in words a
non-technical reader understands. ``params`` keep the raw ids so a caller can re-render the
message in the reader's language.

Each count agrees with its noun, never with a bracketed « s »: in a template, ``{free}`` writes
the number and ``{free:place libre|places libres}`` the words that agree with it (see `plural`).
"""

from __future__ import annotations

from typing import Any

LANGS = ("fr", "en")

# Human names of the hard rules, used inside other messages.
RULE_NAMES: dict[str, dict[str, str]] = {
    "different_region": {
        "fr": "mentor et mentoré de régions différentes",
        "en": "mentor and mentee from different regions",
    },
    "same_region_different_mrc": {
        "fr": "même région mais MRC différente",
        "en": "same region but a different MRC",
    },
    "same_sector": {"fr": "même secteur d'activité", "en": "same sector"},
    "conflict_of_interest": {
        "fr": "conflit d'intérêts déclaré",
        "en": "declared conflict of interest",
    },
    "competition": {"fr": "situation de concurrence déclarée", "en": "declared competition"},
    "availability": {"fr": "disponibilités en commun", "en": "overlapping availability"},
    "language": {"fr": "une langue en commun", "en": "a language in common"},
    "mentee_class_limit": {
        "fr": "limite de mentorés semblables dans un groupe",
        "en": "limit on similar mentees in one group",
    },
    "forbidden": {
        "fr": "paire interdite par la coordination",
        "en": "pair forbidden by the coordinator",
    },
    "capacity_zero": {"fr": "aucune place disponible", "en": "no seat available"},
    "not_scored": {
        "fr": "seules les paires notées dans pair_scores sont permises",
        "en": "only the pairs scored in pair_scores are allowed",
    },
}

TEMPLATES: dict[str, dict[str, str]] = {
    # --- problems with the input -------------------------------------------------------------
    "unreadable_file": {
        "fr": "Impossible de lire le fichier {path} : {detail}.",
        "en": "Cannot read the file {path}: {detail}.",
    },
    "unwritable_file": {
        "fr": "Impossible d'écrire le fichier {path} : {detail}.",
        "en": "Cannot write the file {path}: {detail}.",
    },
    "id_on_both_sides": {
        "fr": "L'identifiant « {id} » désigne à la fois un mentor et un mentoré ; "
        "donnez-leur des identifiants distincts.",
        "en": "The id “{id}” names both a mentor and a mentee; give them distinct ids.",
    },
    "invalid_json": {
        "fr": "Le fichier {path} n'est pas du JSON valide : {detail}.",
        "en": "The file {path} is not valid JSON: {detail}.",
    },
    "invalid_value": {
        "fr": "Valeur invalide à « {path} » : {expected} attendu.",
        "en": "Invalid value at “{path}”: expected {expected}.",
    },
    "missing_field": {
        "fr": "Champ obligatoire manquant à « {path} ».",
        "en": "Required field missing at “{path}”.",
    },
    "duplicate_id": {
        "fr": "L'identifiant « {id} » est utilisé plus d'une fois parmi les {side_text}.",
        "en": "The id “{id}” is used more than once among the {side_text}.",
    },
    "unknown_id": {
        "fr": "« {path} » mentionne « {id} », qui n'est pas dans la liste des {side_text}.",
        "en": "“{path}” refers to “{id}”, who is not in the list of {side_text}.",
    },
    "capacity_zero": {
        "fr": "{mentee_name} est jumelé d'office à {mentor_name}, qui n'a aucune place (capacité 0).",
        "en": "{mentee_name} is locked to {mentor_name}, who has no seat (capacity 0).",
    },
    "locked_pair_breaks_rule": {
        "fr": "Le jumelage imposé de {mentee_name} avec {mentor_name} enfreint la règle « {rule_text} ».",
        "en": "The locked pair {mentee_name} with {mentor_name} breaks the rule “{rule_text}”.",
    },
    "lock_over_capacity": {
        "fr": "{mentor_name} a {count} {count:mentoré imposé|mentorés imposés}, mais seulement "
        "{capacity} {capacity:place|places}.",
        "en": "{mentor_name} has {count} locked {count:mentee|mentees} but only "
        "{capacity} {capacity:seat|seats}.",
    },
    "lock_and_forbid": {
        "fr": "La paire {mentee_name} – {mentor_name} est à la fois imposée et interdite.",
        "en": "The pair {mentee_name} – {mentor_name} is both locked and forbidden.",
    },
    "mentee_locked_twice": {
        "fr": "{mentee_name} est jumelé d'office à plusieurs mentors ({mentors}).",
        "en": "{mentee_name} is locked to several mentors ({mentors}).",
    },
    "vector_dimension": {
        "fr": "Le vecteur de « {id} » a {got} {got:dimension|dimensions} au lieu de {expected}.",
        "en": "The vector of “{id}” has {got} {got:dimension|dimensions} instead of {expected}.",
    },
    "fit_backend_unavailable": {
        "fr": "Le calcul de proximité des textes « {backend} » n'est pas disponible : {detail}.",
        "en": "The text-fit backend “{backend}” is not available: {detail}.",
    },
    "unknown_mode": {
        "fr": "Mode de jumelage inconnu : « {mode} » (exact, large ou stable).",
        "en": "Unknown matching mode: “{mode}” (exact, large or stable).",
    },
    "mode_unavailable": {
        "fr": "Le mode « {mode} » n'est pas installé dans cette version : {detail}.",
        "en": "The mode “{mode}” is not installed in this version: {detail}.",
    },
    # --- why someone is unmatched ------------------------------------------------------------
    "no_compatible_mentor": {
        "fr": "Aucun mentor compatible avec {mentee_name} : {counts}.",
        "en": "No mentor is compatible with {mentee_name}: {counts}.",
    },
    "capacity_full": {
        "fr": "{mentee_name} a {compatible} {compatible:mentor compatible|mentors compatibles}, "
        "{compatible:déjà complet|tous déjà complets} : {compatible:ses|leurs} places sont allées à "
        "des jumelages qui obtiennent un meilleur score d'ensemble.",
        "en": "{mentee_name} has {compatible} compatible {compatible:mentor|mentors}, "
        "{compatible:already full|all already full}: their seats went to pairs with a better "
        "overall score.",
    },
    "class_limit_full": {
        "fr": "Les mentors compatibles avec {mentee_name} qui ont encore de la place ont déjà un mentoré "
        "de même {attribute} (règle « {rule_text} »).",
        "en": "The compatible mentors of {mentee_name} who still have a seat already have a mentee "
        "with the same {attribute} (rule “{rule_text}”).",
    },
    "not_selected": {
        "fr": "{mentee_name} n'a pas été jumelé : la meilleure solution trouvée ne l'inclut pas.",
        "en": "{mentee_name} was not matched: the best solution found does not include them.",
    },
    "mentor_capacity_zero": {
        "fr": "{mentor_name} n'a aucune place (capacité 0) et n'est donc pas jumelé.",
        "en": "{mentor_name} has no seat (capacity 0) and is therefore not matched.",
    },
    "no_compatible_mentee": {
        "fr": "{mentor_name} a {free} {free:place libre|places libres} : aucun mentoré compatible "
        "({counts}).",
        "en": "{mentor_name} has {free} free {free:seat|seats}: no compatible mentee ({counts}).",
    },
    "mentees_matched_elsewhere": {
        "fr": "{mentor_name} a {free} {free:place libre|places libres} : {compatible} "
        "{compatible:mentoré compatible|mentorés compatibles}, {compatible:jumelé|tous jumelés} "
        "ailleurs, avec un meilleur score d'ensemble ou selon les règles du groupe.",
        "en": "{mentor_name} has {free} free {free:seat|seats}: {compatible} compatible "
        "{compatible:mentee|mentees}, {compatible:matched|all matched} elsewhere, with a better "
        "overall score or because of the group rules.",
    },
    # --- what `check` found ------------------------------------------------------------------
    "pair_breaks_rule": {
        "fr": "Le groupe de {mentor_name} contient {mentee_name}, ce qui enfreint la règle « {rule_text} ».",
        "en": "The group of {mentor_name} contains {mentee_name}, which breaks the rule “{rule_text}”.",
    },
    "over_capacity": {
        "fr": "{mentor_name} a {count} {count:mentoré|mentorés} pour {capacity} {capacity:place|places}.",
        "en": "{mentor_name} has {count} {count:mentee|mentees} for {capacity} {capacity:seat|seats}.",
    },
    "class_limit_exceeded": {
        "fr": "Le groupe de {mentor_name} a {count} {count:mentoré|mentorés} avec {attribute} = {value} "
        "(maximum {max}).",
        "en": "The group of {mentor_name} has {count} {count:mentee|mentees} with {attribute} = {value} "
        "(at most {max}).",
    },
    "mentee_assigned_twice": {
        "fr": "{mentee_name} figure dans plusieurs groupes.",
        "en": "{mentee_name} appears in several groups.",
    },
    "lock_missing": {
        "fr": "Le jumelage imposé de {mentee_name} avec {mentor_name} est absent du résultat.",
        "en": "The locked pair {mentee_name} with {mentor_name} is missing from the result.",
    },
    "score_mismatch": {
        "fr": "Le score annoncé pour {what} ({reported}) ne correspond pas au score recalculé ({recomputed}).",
        "en": "The reported score for {what} ({reported}) differs from the recomputed one ({recomputed}).",
    },
    "bound_below_objective": {
        "fr": "La borne annoncée ({bound}) est inférieure à l'objectif ({objective}).",
        "en": "The reported bound ({bound}) is below the objective ({objective}).",
    },
    "matches_left": {
        "fr": "Le résultat jumelle {matched} {matched:mentoré|mentorés} ; avec les mêmes règles, "
        "{possible} {possible:peut l'être|peuvent l'être}.",
        "en": "The result matches {matched} {matched:mentee|mentees}; under the same rules, "
        "{possible} can be matched.",
    },
    "matched_listed_unmatched": {
        "fr": "{mentee_name} est à la fois dans un groupe et dans la liste des non-jumelés.",
        "en": "{mentee_name} is both in a group and in the unmatched list.",
    },
    "blocking_pair": {
        "fr": "{mentee_name} et {mentor_name} se préfèrent mutuellement à leur jumelage actuel : "
        "le résultat n'est pas stable.",
        "en": "{mentee_name} and {mentor_name} prefer each other to their current match: the result "
        "is not stable.",
    },
    "invalid_result": {
        "fr": "Le résultat est mal formé à « {path} » : {expected} attendu.",
        "en": "The result is malformed at “{path}”: expected {expected}.",
    },
}

ATTRIBUTE_NAMES = {
    "region": {"fr": "région", "en": "region"},
    "mrc": {"fr": "MRC", "en": "MRC"},
    "sector": {"fr": "secteur", "en": "sector"},
    "style": {"fr": "style de travail", "en": "working style"},
}

SIDE_TEXT = {
    "mentor": {"fr": "mentors", "en": "mentors"},
    "mentee": {"fr": "mentorés", "en": "mentees"},
}

# (one, several, none): the count agrees with its noun (see `plural`).
COUNT_TEXT = {
    "fr": (
        "{n} exclu par la règle « {rule} »",
        "{n} exclus par la règle « {rule} »",
        "aucun mentor disponible",
    ),
    "en": (
        "{n} excluded by the rule “{rule}”",
        "{n} excluded by the rule “{rule}”",
        "no mentor available",
    ),
}


def rule_text(rule: str, lang: str = "fr") -> str:
    """The human name of a rule code, or the code itself if it has none."""
    return RULE_NAMES.get(rule, {}).get(lang, rule)


def plural(n: int, one: str, many: str, lang: str = "fr") -> str:
    """``one`` or ``many``, whichever agrees with the count ``n`` in ``lang``.

    French takes the singular for 0 and 1 (« 0 place libre », « 1 place libre », « 2 places
    libres »); English only for 1 (« 1 free seat », « 0 free seats »).
    """
    singular = abs(n) < 2 if lang == "fr" else abs(n) == 1
    return one if singular else many


def _counts_text(counts: dict[str, int], lang: str) -> str:
    one, several, empty = COUNT_TEXT[lang]
    parts = [
        plural(n, one, several, lang).format(n=n, rule=rule_text(rule, lang))
        for rule, n in counts.items()
        if n
    ]
    return ", ".join(parts) if parts else empty


def render(code: str, params: dict[str, Any], lang: str = "fr") -> str:
    """Render the message of ``code`` in ``lang``; unknown codes fall back to the code and params."""
    lang = lang if lang in LANGS else "fr"
    template = TEMPLATES.get(code, {}).get(lang)
    if template is None:
        return f"{code} {params}"
    values: dict[str, Any] = {str(k): v for k, v in params.items()}
    for who in ("mentor", "mentee"):
        if who in params:
            values.setdefault(f"{who}_name", params.get(f"{who}_label") or params[who])
    if "rule" in params:
        values["rule_text"] = rule_text(str(params["rule"]), lang)
    elif code == "class_limit_full":
        values["rule_text"] = rule_text("mentee_class_limit", lang)
    if "attribute" in params:
        attr = str(params["attribute"])
        values["attribute"] = ATTRIBUTE_NAMES.get(attr, {}).get(lang, attr)
    if "side" in params:
        values["side_text"] = SIDE_TEXT.get(str(params["side"]), {}).get(lang, params["side"])
    if "excluded_by" in params:
        values["counts"] = _counts_text(dict(params["excluded_by"]), lang)
    if isinstance(values.get("mentors"), list):
        values["mentors"] = ", ".join(str(m) for m in values["mentors"])
    for key, value in values.items():
        if isinstance(value, int) and not isinstance(value, bool):
            values[key] = _Count(value, lang)
    try:
        return template.format_map(_Defaulting(values))
    except (ValueError, IndexError):  # a malformed template must never hide the problem itself
        return f"{code} {params}"


class _Count:
    """A count param: ``{n}`` writes the number, ``{n:place|places}`` the word that agrees with it."""

    def __init__(self, n: int, lang: str) -> None:
        self.n, self.lang = n, lang

    def __format__(self, spec: str) -> str:
        if "|" in spec:
            one, many = spec.split("|", 1)
            return plural(self.n, one, many, self.lang)
        return format(self.n, spec)


class _Missing:
    """A missing param stays visible as ``{key}``, whatever the template does with it."""

    def __init__(self, key: str) -> None:
        self.key = key

    def __format__(self, spec: str) -> str:
        return "{" + self.key + "}"


class _Defaulting(dict):
    """Leave a placeholder visible rather than crash when a param is missing."""

    def __missing__(self, key: str) -> _Missing:
        return _Missing(key)


def entry(code: str, params: dict[str, Any], lang: str = "fr") -> dict[str, Any]:
    """The ``{"code", "params", "message"}`` shape used in every result and report."""
    return {"code": code, "params": params, "message": render(code, params, lang)}
