"""The pilot's interest form (seed 000, Annexe), as the default template of every program."""

from __future__ import annotations

# (key, kind, required, maps_to, label_fr, label_en, help_fr, help_en)
PILOT_QUESTIONS: list[tuple[str, str, bool, str, str, str, str, str]] = [
    (
        "organization",
        "short_text",
        True,
        "organization_name",
        "Nom de votre organisme",
        "Name of your organization",
        "",
        "",
    ),
    (
        "region",
        "region",
        True,
        "region",
        "Région administrative de votre organisme",
        "Administrative region of your organization",
        "Les groupes réunissent des organismes de régions différentes.",
        "Groups bring together organizations from different regions.",
    ),
    (
        "contact_name",
        "short_text",
        True,
        "contact_name",
        "Qui est la personne contact à ce sujet et qui bénéficierait du mentorat ?",
        "Who is the contact person for this, who would receive the mentoring?",
        "La même personne du début à la fin : c’est une condition de réussite du mentorat.",
        "The same person from start to finish: it is a condition for mentoring to work.",
    ),
    (
        "email",
        "email",
        True,
        "email",
        "À quel courriel pouvons-nous vous rejoindre ?",
        "At which e-mail address can we reach you?",
        "",
        "",
    ),
    (
        "position",
        "short_text",
        False,
        "",
        "Quel poste occupe cette personne ?",
        "What position does this person hold?",
        "Par exemple : direction, coordination du projet.",
        "For example: director, project coordinator.",
    ),
    (
        "concept",
        "long_text",
        True,
        "",
        "Pouvez-vous décrire brièvement le concept derrière votre projet ?",
        "Could you briefly describe the concept behind your project?",
        "Historique, stratégies, objectifs, complémentarités, partenariats, innovation, impacts souhaités…",
        "History, strategies, objectives, complementarities, partnerships, innovation, desired impacts…",
    ),
    (
        "operations",
        "long_text",
        True,
        "",
        "Pouvez-vous décrire brièvement le type d’opérations nécessaires pour mener à terme votre projet ?",
        "Could you briefly describe the operations needed to carry out your project?",
        "En lien avec la logistique, le transport, l’entreposage, la mise en marché.",
        "Related to logistics, transport, storage, marketing.",
    ),
    (
        "barriers",
        "long_text",
        True,
        "needs",
        "Quelles barrières prioritaires souhaitez-vous lever à ce sujet ?",
        "Which priority barriers would you like to remove?",
        "",
        "",
    ),
    (
        "mentoring_help",
        "long_text",
        True,
        "",
        "Comment le mentorat pourrait-il vous aider dans la réalisation du projet ?",
        "How could mentoring help you carry out the project?",
        "",
        "",
    ),
    (
        "revise_processes",
        "long_text",
        True,
        "can_decide",
        "Dans quelle mesure avez-vous la possibilité de revoir vos processus ?",
        "To what extent are you able to revise your processes?",
        "",
        "",
    ),
    (
        "comments",
        "long_text",
        False,
        "",
        "Avez-vous des commentaires ou spécifications à nous transmettre ?",
        "Do you have any comments or details to share with us?",
        "",
        "",
    ),
]

PURPOSE_FR = (
    "Vos réponses servent uniquement à sélectionner les projets du programme et à former les "
    "groupes de mentorat. Elles sont vues par l’équipe de coordination du programme et par les "
    "membres du comité consultatif qui évaluent les candidatures. Elles ne sont jamais publiées : "
    "les rapports du programme ne nomment ni personne ni organisation. Vous pouvez demander à "
    "consulter, corriger ou retirer vos renseignements en tout temps en écrivant à la coordination."
)
PURPOSE_EN = (
    "Your answers are used only to select the program's projects and to form the mentoring "
    "groups. They are seen by the program's coordination team and by the members of the advisory "
    "committee who review applications. They are never published: the program's reports name "
    "no person and no organization. You may ask to see, correct or withdraw your information at "
    "any time by writing to the coordination team."
)
CONSENT_FR = (
    "J’accepte que ces renseignements soient recueillis et utilisés par la coordination du "
    "programme et son comité consultatif aux fins décrites ci-dessus."
)
CONSENT_EN = (
    "I agree that this information be collected and used by the program's coordination team and "
    "its advisory committee for the purposes described above."
)
