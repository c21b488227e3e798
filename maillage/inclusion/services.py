"""Writes of inclusion: the groups and objectives of a program (its coordination), and each
person's self-identification (the person alone)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from maillage.core.audit import acting_as, record
from maillage.core.locking import save_versioned
from maillage.core.models import Person
from maillage.programs.models import Program
from maillage.programs.services import ensure_open

from .defaults import default_group
from .errors import InclusionError
from .models import Declaration, Declined, InclusionConsent, InclusionGroup, Purpose
from .signals import declarations_withdrawn

# The version of the consent texts below: a change of their words is a new version, and the
# consents already given keep the one they agreed to (as programs.CONSENT_TEXT_VERSION).
CONSENT_VERSION = 1


def consent_text(program: Program, purpose: str, *, k: int) -> str:
    """What a person agrees to, word for word, kept with the consent, in the current language."""
    if purpose == Purpose.OBJECTIVES:
        return _(
            "J’accepte que le programme « %(program)s » compte ma réponse, sans mon nom, dans "
            "ses indicateurs d’inclusion, pour suivre ses objectifs. Personne d’autre que moi ne "
            "voit ma réponse : la coordination ne voit que des totaux, et jamais un total de "
            "moins de %(k)s personnes. Je peux retirer ma réponse en tout temps : elle est alors "
            "effacée et sort de tous les totaux."
        ) % {"program": program.title, "k": k}
    return _(
        "J’accepte que l’outil de jumelage du programme « %(program)s » tienne compte de ma "
        "réponse pour former les groupes : les groupes dont je fais partie, pour répondre à la "
        "préférence d’une autre personne, et mes préférences, pour me proposer une personne qui "
        "y répond. La coordination voit seulement qu’une préférence déclarée a été respectée ou "
        "non, jamais laquelle ; une personne dont la préférence est respectée par mon jumelage "
        "le saura. Je peux retirer ma réponse en tout temps : elle est alors effacée et le "
        "jumelage n’en tient plus compte."
    ) % {"program": program.title}


def _log(action: str, program: Program, person: Person, **changes: Any) -> None:
    """An entry that names who and for which purpose, never a group (the content)."""
    record(
        action=action,
        model="inclusion.Declaration",
        object_id=str(person.pk),
        object_repr=str(person),
        program_id=program.pk,
        changes={"person": person.pk, **changes},
    )


# --- The coordination: groups and objectives ---------------------------------------------------


def add_group(
    *, program: Program, by: Any, key: str = "", label_fr: str = "", label_en: str = ""
) -> InclusionGroup:
    """Track a group of the default list (`key`), or one the coordination names (`label_fr`)."""
    ensure_open(program, error=InclusionError)
    if key:
        found = default_group(key)
        if found is None:
            raise InclusionError(_("Ce groupe ne fait pas partie de la liste proposée."))
        label_fr, label_en = found["label_fr"], found["label_en"]
    else:
        label_fr, label_en = label_fr.strip(), label_en.strip()
        if not label_fr:
            raise InclusionError(_("Donnez un nom en français au groupe."), field="label_fr")
        key = "own-" + (slugify(label_fr)[:30] or "groupe")
    with acting_as(by), transaction.atomic():
        if InclusionGroup.objects.filter(program=program, key=key).exists() or (
            InclusionGroup.objects.filter(program=program, label_fr__iexact=label_fr).exists()
        ):
            raise InclusionError(_("Ce programme suit déjà ce groupe."), field="label_fr")
        last = program.inclusion_groups.order_by("-position").first()
        group = InclusionGroup(
            program=program,
            key=key,
            label_fr=label_fr,
            label_en=label_en,
            position=(last.position + 1) if last else 0,
        )
        InclusionError.check(group)
        group.save()
        record(action="inclusion.group_added", instance=group, changes={"key": key})
    return group


def update_group(
    *,
    group: InclusionGroup,
    by: Any,
    seen: int | None,
    label_fr: str,
    label_en: str = "",
    target_applicants: int | None = None,
    target_selected: int | None = None,
    target_matched: int | None = None,
    target_mentors: int | None = None,
) -> InclusionGroup:
    """Rename a group in both languages and set its objectives (a share per stage, in %)."""
    ensure_open(group.program, error=InclusionError)
    group.label_fr = label_fr.strip()
    group.label_en = label_en.strip()
    group.target_applicants = target_applicants
    group.target_selected = target_selected
    group.target_matched = target_matched
    group.target_mentors = target_mentors
    with acting_as(by), transaction.atomic():
        InclusionError.check(group, exclude=["revision"])
        if (
            InclusionGroup.objects.filter(program=group.program, label_fr__iexact=group.label_fr)
            .exclude(pk=group.pk)
            .exists()
        ):
            raise InclusionError(_("Ce programme suit déjà ce groupe."), field="label_fr")
        save_versioned(group, seen=seen)
    return group


def remove_group(*, group: InclusionGroup, by: Any) -> None:
    """Stop tracking a group: every declaration about it is deleted with it (nobody consented
    to have it kept for a group the program no longer tracks)."""
    ensure_open(group.program, error=InclusionError)
    with acting_as(by), transaction.atomic():
        record(
            action="inclusion.group_removed",
            instance=group,
            changes={"key": group.key},
        )
        Declaration.objects.filter(group=group).delete()
        group.delete()


# --- The person: declare, prefer not to answer, withdraw --------------------------------------


def _consent(*, person: Person, program: Program, purpose: str, k: int) -> InclusionConsent:
    """The person's valid consent for this purpose at the current version, recorded now if
    there is none (a second click finds the first one)."""
    current = (
        InclusionConsent.objects.of(person, program, purpose)
        .valid()
        .filter(version=CONSENT_VERSION)
        .first()
    )
    if current is not None:
        return current
    # An older version is replaced by the one the person just read.
    InclusionConsent.objects.of(person, program, purpose).valid().update(
        withdrawn_at=timezone.now()
    )
    consent = InclusionConsent(
        person=person,
        program=program,
        purpose=purpose,
        text=consent_text(program, purpose, k=k),
        version=CONSENT_VERSION,
        language=(translation.get_language() or "fr")[:2],
        source=InclusionConsent.Source.OWN_PAGE,
        given_at=timezone.now(),
    )
    InclusionError.check(consent)
    consent.save()
    return consent


def declare(
    *,
    person: Person,
    program: Program,
    purpose: str,
    by: Any,
    members: list[InclusionGroup],
    wishes: list[InclusionGroup] = (),  # type: ignore[assignment]
    consented: bool,
    k: int,
) -> list[Declaration]:
    """The person's answer for one purpose, replacing the one before. Nothing is kept without
    the consent box ticked; an empty answer is « prefer not to answer »."""
    ensure_open(program, error=InclusionError)
    if purpose not in Purpose.values:
        raise InclusionError(_("Cette fin n’existe pas."))
    if purpose == Purpose.OBJECTIVES:
        wishes = []
    chosen = [*members, *wishes]
    if any(g.program_id != program.pk for g in chosen):
        raise InclusionError(_("Ce groupe n’est pas suivi par ce programme."))
    if not chosen:
        raise InclusionError(
            _(
                "Cochez au moins un groupe, ou choisissez « Je préfère ne pas répondre » : "
                "rien n’est obligatoire."
            )
        )
    if not consented:
        raise InclusionError(
            _("Cochez la case de consentement pour que votre réponse soit gardée."),
            field="consent",
        )
    with acting_as(by), transaction.atomic():
        consent = _consent(person=person, program=program, purpose=purpose, k=k)
        Declaration.objects.filter(person=person, program=program, purpose=purpose).delete()
        made = Declaration.objects.bulk_create(
            [
                Declaration(
                    person=person,
                    program=program,
                    group=g,
                    purpose=purpose,
                    kind=kind,
                    consent=consent,
                )
                for kind, groups in (
                    (Declaration.Kind.MEMBER, members),
                    (Declaration.Kind.WISH, wishes),
                )
                for g in dict.fromkeys(groups)
            ]
        )
        Declined.objects.filter(person=person, program=program, purpose=purpose).delete()
        _log("inclusion.declared", program, person, purpose=purpose, consent=consent.pk)
    return made


def withdraw(*, person: Person, program: Program, purpose: str, by: Any) -> int:
    """Withdraw the consent for one purpose: the declarations are deleted (not flagged), so that
    they leave the person's data, the matching inputs and every count at once. Open even on a
    closed program: a right is never read-only. Returns how many declarations were deleted."""
    with acting_as(by), transaction.atomic():
        deleted, _rows = Declaration.objects.filter(
            person=person, program=program, purpose=purpose
        ).delete()
        withdrawn = (
            InclusionConsent.objects.of(person, program, purpose)
            .valid()
            .update(withdrawn_at=timezone.now())
        )
        if not deleted and not withdrawn:
            raise InclusionError(_("Il n’y a pas de réponse à retirer."))
        _log("inclusion.withdrawn", program, person, purpose=purpose)
        declarations_withdrawn.send(
            sender=Program, program=program, person=person, purpose=purpose, by=by
        )
    return deleted


def decline(*, person: Person, program: Program, purpose: str, by: Any) -> None:
    """« Je préfère ne pas répondre »: an answer like any other, never asked again. A person who
    had declared withdraws at the same time."""
    if purpose not in Purpose.values:
        raise InclusionError(_("Cette fin n’existe pas."))
    with acting_as(by), transaction.atomic():
        if Declaration.objects.filter(person=person, program=program, purpose=purpose).exists():
            withdraw(person=person, program=program, purpose=purpose, by=by)
        Declined.objects.get_or_create(person=person, program=program, purpose=purpose)
        _log("inclusion.declined", program, person, purpose=purpose)
