"""A person's data as CSV (Law 25 portability, beside the JSON): a zip of one CSV per section
of `selectors.person_data`, UTF-8 with a BOM so that Excel opens the accents, headers and file
names in the person's language. Nested values (an application's answers, a review's scores)
stay readable in one cell: JSON for a mapping, a comma-separated list for plain values."""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from maillage.core.writing import to_csv

SECTIONS: dict[str, Any] = {
    "person": _("fiche"),
    "roles": _("rôles"),
    "applications": _("candidatures"),
    "potential_mentor": _("mentor potentiel"),
    "reviews_written": _("évaluations écrites"),
    "tools_shared": _("outils partagés"),
    "mentoring.agreements_accepted": _("ententes acceptées"),
    "mentoring.time_entries": _("temps inscrit"),
    "mentoring.updates_written": _("messages de suivi écrits"),
    "mentoring.group_messages_written": _("messages de groupe écrits"),
    "mentoring.replies_written": _("réponses aux messages de suivi"),
    "mentoring.meeting_notes_written": _("notes de rencontre écrites"),
    "evaluation.answers": _("réponses aux questionnaires"),
    "evaluation.final_interviews": _("entrevues finales"),
    "evaluation.quotes": _("citations"),
    "inclusion": _("auto-identification"),
}

COLUMNS: dict[str, Any] = {
    "generated_at": _("produit le"),
    "first_name": _("prénom"),
    "last_name": _("nom"),
    "email": _("courriel"),
    "phone": _("téléphone"),
    "organization": _("organisation"),
    "organization_region": _("région de l’organisation"),
    "position": _("poste"),
    "can_decide": _("peut décider"),
    "language": _("langue"),
    "languages": _("langues parlées"),
    "working_style": _("style de travail"),
    "availability": _("disponibilités (codes)"),
    "availability_labels": _("disponibilités"),
    "expertise": _("expertise"),
    "created_at": _("créé le"),
    "updated_at": _("modifié le"),
    "program": _("programme"),
    "role": _("rôle (code)"),
    "role_label": _("rôle"),
    "track": _("volet"),
    "team": _("équipe"),
    "capacity": _("capacité"),
    "since": _("depuis le"),
    "number": _("numéro"),
    "received_at": _("reçue le"),
    "contact": _("personne contact"),
    "region": _("région"),
    "status": _("statut (code)"),
    "status_label": _("statut"),
    "answers": _("réponses"),
    "consent_given": _("consentement donné"),
    "consent_version": _("version du consentement"),
    "consent_language": _("langue du consentement"),
    "consent_at": _("consentement le"),
    "decision": _("décision"),
    "themes": _("thèmes"),
    "suggested_by": _("suggéré par"),
    "contacts": _("contacts"),
    "application_number": _("candidature n°"),
    "comment": _("commentaire"),
    "scores": _("notes"),
    "title": _("titre"),
    "description": _("description"),
    "theme": _("thème"),
    "type": _("type"),
    "link": _("lien"),
    "file_name": _("fichier"),
    "reuse": _("réutilisation"),
    "group": _("groupe"),
    "version": _("version"),
    "at": _("le"),
    "how": _("comment"),
    "recorded_by": _("inscrit par"),
    "date": _("date"),
    "minutes": _("minutes"),
    "kind": _("type"),
    "note": _("note"),
    "text": _("texte"),
    "edited_at": _("corrigé le"),
    "withdrawn_at": _("retiré le"),
    "answer": _("réponse"),
    "meeting": _("rencontre"),
    "questionnaire": _("questionnaire"),
    "round_sent_on": _("envoyé le"),
    "question": _("question"),
    "held_on": _("tenue le"),
    "learning": _("apprentissages"),
    "objectives": _("atteinte des objectifs"),
    "appreciation": _("appréciation"),
    "recommendations": _("recommandations"),
    "validated_at": _("validée le"),
    "passage": _("passage"),
    "consented_at": _("consentement le"),
    "purpose": _("fin"),
    "consent_text": _("texte consenti"),
}


def cell(value: Any) -> Any:
    if isinstance(value, bool):
        return str(_("oui") if value else _("non"))
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, default=str)
    if isinstance(value, list):
        if all(not isinstance(v, (dict, list)) for v in value):
            return ", ".join(str(v) for v in value)
        return json.dumps(value, ensure_ascii=False, default=str)
    return value


def section_rows(data: dict[str, Any], key: str) -> list[dict[str, Any]]:
    value: Any = data
    for part in key.split("."):
        value = (value or {}).get(part)
    if key == "person":
        return [{"generated_at": data.get("generated_at"), **(value or {})}] if value else []
    return list(value or [])


def table(rows: list[dict[str, Any]]) -> tuple[list[str], list[list[Any]]]:
    keys: list[str] = []
    for row in rows:
        keys += [k for k in row if k not in keys]
    headers = [str(COLUMNS.get(k, k)) for k in keys]
    return headers, [[cell(row.get(k)) for k in keys] for row in rows]


def zip_of(data: dict[str, Any], language: str) -> bytes:
    """One CSV per section that holds something (the profile always, when there is one)."""
    buffer = io.BytesIO()
    with translation.override(language), zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for number, (key, name) in enumerate(SECTIONS.items(), start=1):
            rows = section_rows(data, key)
            if not rows:
                continue
            headers, cells = table(rows)
            z.writestr(f"{number:02d}-{slugify(str(name))}.csv", to_csv(headers, cells))
    return buffer.getvalue()
