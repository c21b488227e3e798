"""The starter set of training modules, shipped as data: a coordinator copies one into their
program (`services.copy_starter`) and edits the copy. Written from the practice of seed 002
(Mentorat Québec's micro-trainings, training of mentors on unconscious bias) and the pilot's
agreement points (seed 000). French modules; a program writes its English version if it needs
one. Each quiz has a few multiple-choice questions, the right choices marked True.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class StarterQuestion:
    text: str
    choices: tuple[tuple[str, bool], ...]
    explanation: str = ""


@dataclass(frozen=True)
class Starter:
    key: str
    title: str
    summary: str
    body: str
    minutes: int
    audience: str  # the role it is written for: "mentor", "mentee" or "" (everyone)
    questions: tuple[StarterQuestion, ...] = ()


STARTERS: tuple[Starter, ...] = (
    Starter(
        key="role-du-mentor",
        title="Le rôle du mentor",
        summary="Ce que l’on attend d’un·e mentor·e, et ce qui n’est pas son rôle.",
        body=(
            "Le ou la mentor·e accompagne une personne qui a un défi semblable à un défi qu’il ou "
            "elle a déjà relevé. Son rôle : écouter, poser des questions, partager son expérience "
            "et ses contacts, et laisser la personne mentorée décider.\n\n"
            "Ce n’est pas son rôle : faire le travail à la place de la personne mentorée, "
            "évaluer sa performance pour son employeur, ou donner un avis professionnel hors de "
            "son expertise (juridique, comptable…). Quand un besoin dépasse son expertise, le ou "
            "la mentor·e le dit et oriente vers une autre ressource ; la coordination peut aider.\n\n"
            "La relation repose sur l’entente signée au démarrage : objectifs, fréquence des "
            "rencontres, canaux de communication et confidentialité."
        ),
        minutes=15,
        audience="mentor",
        questions=(
            StarterQuestion(
                "Une personne mentorée vous demande de rédiger son plan d’affaires à sa place. "
                "Que faites-vous ?",
                (
                    ("Je le rédige : c’est plus rapide.", False),
                    ("Je l’aide à structurer sa démarche et je commente ses versions.", True),
                    ("Je refuse d’en parler.", False),
                ),
                "Le ou la mentor·e accompagne ; la personne mentorée reste l’autrice de son travail.",
            ),
            StarterQuestion(
                "Un besoin sort de votre expertise. Quelles réponses conviennent ?",
                (
                    ("Le dire franchement à la personne mentorée.", True),
                    ("L’orienter vers une autre ressource ou la coordination.", True),
                    ("Donner quand même un avis, pour ne pas décevoir.", False),
                ),
            ),
        ),
    ),
    Starter(
        key="biais-inconscients",
        title="Biais inconscients en mentorat",
        summary=(
            "Reconnaître les biais et les micro-agressions qui freinent les femmes et les "
            "groupes sous-représentés, et les éviter dans la relation de mentorat (ÉDI)."
        ),
        body=(
            "Un biais inconscient est un raccourci de pensée qui nous fait juger une personne "
            "d’après un groupe auquel on l’associe. Tout le monde en a ; ils deviennent un "
            "problème quand ils guident nos conseils, nos recommandations et nos présentations.\n\n"
            "Exemples en mentorat : recommander d’office un poste « moins exposé » à une femme, "
            "interrompre plus souvent certaines personnes, ne présenter son réseau qu’aux personnes "
            "qui nous ressemblent.\n\n"
            "Une micro-agression est une remarque ou un geste banal en apparence qui renvoie une "
            "personne à son appartenance (« Tu parles bien français pour une nouvelle arrivante »). "
            "Répétées, elles usent et isolent.\n\n"
            "Pratiques utiles : se demander « Aurais-je dit la même chose à une autre personne ? », "
            "ouvrir son réseau largement, nommer une micro-agression quand on en est témoin, et "
            "demander à la personne mentorée ce dont elle a besoin plutôt que le supposer."
        ),
        minutes=20,
        audience="mentor",
        questions=(
            StarterQuestion(
                "Qu’est-ce qu’un biais inconscient ?",
                (
                    ("Une opinion assumée et réfléchie.", False),
                    ("Un raccourci de pensée qui associe une personne à un groupe.", True),
                    ("Une erreur de calcul.", False),
                ),
            ),
            StarterQuestion(
                "Lesquelles de ces pratiques réduisent l’effet des biais ?",
                (
                    ("Présenter son réseau aux personnes qui nous ressemblent.", False),
                    ("Demander à la personne mentorée ce dont elle a besoin.", True),
                    ("Se demander si l’on aurait dit la même chose à quelqu’un d’autre.", True),
                ),
                "Vérifier ses conseils et demander plutôt que supposer sont deux réflexes simples.",
            ),
            StarterQuestion(
                "Vous êtes témoin d’une micro-agression pendant une rencontre. Que faire ?",
                (
                    ("La nommer calmement et en parler.", True),
                    ("L’ignorer : ce n’était qu’une blague.", False),
                ),
            ),
        ),
    ),
    Starter(
        key="fixer-des-objectifs",
        title="Fixer des objectifs avec son mentoré",
        summary="Passer des besoins de la personne mentorée à des objectifs clairs et suivis.",
        body=(
            "Au démarrage, la personne mentorée nomme ses besoins ; ensemble, vous les classez "
            "par priorité et vous en tirez deux ou trois objectifs pour la durée du programme.\n\n"
            "Un bon objectif est précis (ce qui sera différent), mesurable (à quoi on le verra), "
            "réaliste dans le temps du programme, et porté par la personne mentorée. Notez pour "
            "chacun les premières étapes et une date de retour.\n\n"
            "Revenez sur les objectifs à chaque rencontre : les besoins changent, surtout au début. "
            "Un objectif abandonné pour une bonne raison n’est pas un échec ; notez pourquoi."
        ),
        minutes=15,
        audience="",
        questions=(
            StarterQuestion(
                "Qui porte les objectifs de la relation de mentorat ?",
                (
                    ("Le ou la mentor·e.", False),
                    ("La personne mentorée.", True),
                    ("La coordination du programme.", False),
                ),
            ),
            StarterQuestion(
                "Combien d’objectifs viser pour la durée d’un programme ?",
                (
                    ("Deux ou trois, par ordre de priorité.", True),
                    ("Le plus possible.", False),
                ),
            ),
        ),
    ),
    Starter(
        key="confidentialite-loi-25",
        title="Confidentialité et Loi 25",
        summary=(
            "Ce qui se dit en mentorat reste entre vous ; ce que le programme fait des "
            "renseignements personnels (Loi 25 du Québec)."
        ),
        body=(
            "Ce qui se dit pendant les rencontres est confidentiel : on n’en parle pas hors du "
            "groupe sans l’accord de la personne concernée. Exception : un danger pour la "
            "personne ou pour autrui, dont on parle à la coordination.\n\n"
            "La Loi 25 encadre les renseignements personnels : le programme ne les recueille que "
            "pour des fins nommées, avec votre consentement, et ne les garde que le temps "
            "nécessaire. Vous pouvez consulter vos données, les faire corriger et retirer votre "
            "consentement en tout temps depuis « Mon compte ».\n\n"
            "Quand vous partagez un document dans votre groupe, retirez-en ce qui identifie des "
            "tiers (clients, collègues) s’ils n’y ont pas consenti."
        ),
        minutes=10,
        audience="",
        questions=(
            StarterQuestion(
                "Une personne de votre groupe vous confie une difficulté au travail. "
                "Pouvez-vous en parler à un collègue ?",
                (
                    ("Oui, si je ne dis pas son nom.", False),
                    ("Non, sauf avec son accord ou en cas de danger.", True),
                ),
            ),
            StarterQuestion(
                "Que vous permet la Loi 25 ?",
                (
                    ("Consulter et faire corriger vos renseignements.", True),
                    ("Retirer votre consentement.", True),
                    ("Consulter les renseignements des autres participant·es.", False),
                ),
            ),
        ),
    ),
)


def starter(key: str) -> Starter | None:
    return next((s for s in STARTERS if s.key == key), None)
