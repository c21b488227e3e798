"""Demo tools: the pilot's Tableau 3, shared in the demo program's groups.

`pilot.build_past_edition` calls `add_demo_tools(program)` once the groups have lived their
edition; it adds nothing to a group that already has the table's tools, so running it twice
changes nothing.
"""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from maillage.mentoring.models import Group, GroupMember
from maillage.programs.models import Program
from maillage.tools.models import Tool
from maillage.tools.services import add_tool

# (title, type, theme, reuse, planned, file name or "") per track, from the pilot's Tableau 3.
# Links point to a fictional address: the demo holds no real document.
PILOT_TOOLS: dict[str, list[tuple[str, str, str, str, bool, str]]] = {
    "Logistique": [
        (
            "Application de calcul de la réduction des GES issue de la récupération de denrées",
            "calculator",
            "Environnement",
            "program",
            False,
            "",
        ),
        (
            "Modèle de protocole d’entente de mutualisation de camions",
            "agreement",
            "Mutualisation des véhicules",
            "public",
            False,
            "",
        ),
        (
            "Formulaires de collecte des volumes de denrées récupérées et tableau de compilation",
            "survey",
            "Données",
            "group",
            False,
            "compilation-volumes.csv",
        ),
        (
            "Guide de tri des aliments invendus récupérés",
            "guide",
            "Tri des aliments",
            "program",
            False,
            "guide-de-tri.txt",
        ),
        (
            "Plan d’organisation de l’espace de tri des aliments récupérés",
            "plan",
            "Tri des aliments",
            "group",
            False,
            "",
        ),
    ],
    "Synergies": [
        (
            "Gabarit d’outils de gestion des risques et mesures d’atténuation",
            "template",
            "Gestion des risques",
            "group",
            False,
            "",
        ),
        ("Guide de tarification sociale", "guide", "Financement", "program", False, ""),
        (
            "Guide pour l’organisation d’un événement écoresponsable",
            "guide",
            "Événements",
            "program",
            False,
            "",
        ),
        ("Plan d’action structuré par étapes", "plan", "Planification", "group", False, ""),
        (
            "Ressources sur la gouvernance et les systèmes alimentaires durables",
            "resource",
            "Gouvernance",
            "group",
            False,
            "",
        ),
        ("Sondage sur l’implication des partenaires", "survey", "Gouvernance", "group", False, ""),
        ("Guide de gouvernance", "guide", "Gouvernance", "group", False, ""),
        (
            "Outil visuel pour recenser les initiatives du territoire par volet",
            "other",
            "Territoire",
            "group",
            True,
            "",
        ),
    ],
}
FILES = {
    "compilation-volumes.csv": "date;organisme;catégorie;kg\n2022-09-06;Organisme A;fruits;120\n"
    "2022-09-13;Organisme A;boulangerie;45\n",
    "guide-de-tri.txt": "Guide de tri (démonstration)\n1. Peser à la réception.\n"
    "2. Trier par catégorie et par date.\n3. Noter les volumes dans le tableau de compilation.\n",
}

MENTEE_LIST = "Liste d’outils compilée lors d’un coaching"


def add_demo_tools(program: Program) -> list[Tool]:
    added: list[Tool] = []
    for group in program.groups.select_related("track").prefetch_related("members__role__person"):
        track = group.track.name if group.track else "Logistique"
        table = PILOT_TOOLS.get(track, [])
        if group.tools.filter(title__in=[MENTEE_LIST, *(row[0] for row in table)]).exists():
            continue
        mentors = [m.role.person for m in group.members.all() if m.side == GroupMember.Side.MENTOR]
        mentees = [m.role.person for m in group.members.all() if m.side == GroupMember.Side.MENTEE]
        if not mentors:
            continue
        for title, type_, theme, reuse, planned, file_name in table:
            file = None
            if file_name:
                file = SimpleUploadedFile(file_name, FILES[file_name].encode("utf-8"))
            added.append(
                add_tool(
                    group=group,
                    shared_by=mentors[0],
                    title=title,
                    type=type_,
                    theme=theme,
                    reuse=reuse,
                    planned=planned,
                    file=file,
                    url="" if file or planned else f"https://exemple.org/outils/{len(added) + 1}",
                )
            )
        if mentees:
            # The pilot's mentee who passed the tools from her coaching to the whole group.
            added.append(_mentee_list(group, mentees[0]))
    return added


def _mentee_list(group: Group, person) -> Tool:
    return add_tool(
        group=group,
        shared_by=person,
        title=MENTEE_LIST,
        type=Tool.Type.RESOURCE,
        theme="Gestion d’organisme",
        url="https://exemple.org/outils/coaching",
    )
