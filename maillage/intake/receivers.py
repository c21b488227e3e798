"""Recruiting's answers to the programs' signals (maillage.programs.signals)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import ngettext

from maillage.core.copies import copy_row
from maillage.core.models import Territory
from maillage.programs.models import Program, Track
from maillage.programs.signals import people_known, program_created, program_duplicated

from .models import InterestForm, PotentialMentor, Question, new_token
from .reference import forget_regions
from .services import create_default_form


@receiver(program_created, sender=Program, dispatch_uid="intake.default_form")
def give_default_form(*, program: Program, with_defaults: bool, **_: Any) -> None:
    if with_defaults:
        create_default_form(program=program)


@receiver(people_known, sender=Program, dispatch_uid="intake.people_known")
def applicants_and_potential_mentors(*, program: Program, **_: Any) -> Q:
    return Q(applications__program=program) | Q(
        pk__in=PotentialMentor.objects.filter(program=program).values("person")
    )


@receiver(program_duplicated, sender=Program, dispatch_uid="intake.copy_forms_and_mentors")
def copy_forms_and_mentor_pool(
    *, source: Program, copy: Program, tracks: dict[int, Track], **_: Any
) -> list[str]:
    """The forms with their questions, and the mentor pool to contact again (not applications)."""
    forms = questions = 0
    for form in source.forms.prefetch_related("questions"):
        # A new edition opens its form when its coordination is ready, with a new link.
        new = copy_row(form, program=copy, token=new_token(), is_open=False, closes_at=None)
        forms += 1
        for question in form.questions.all():
            copy_row(question, form=new)
            questions += 1
    mentors = 0
    for mentor in source.potential_mentors.all():
        copy_row(
            mentor,
            program=copy,
            status=PotentialMentor.Status.IDENTIFIED,
            track=tracks.get(mentor.track_id),
        )
        mentors += 1
    return [
        ngettext("%(n)s formulaire", "%(n)s formulaires", forms) % {"n": forms}
        + " ("
        + ngettext("%(n)s question", "%(n)s questions", questions) % {"n": questions}
        + ")",
        ngettext("%(n)s mentor potentiel", "%(n)s mentors potentiels", mentors) % {"n": mentors},
    ]


@receiver(post_save, sender=Question, dispatch_uid="intake.question_saved")
@receiver(post_delete, sender=Question, dispatch_uid="intake.question_deleted")
def form_changed(*, instance: Question, raw: bool = False, **_: Any) -> None:
    """A question added, edited or removed, by a service, the admin or a shell, moves its
    form's `updated_at`: the public form's stored page (`rendering`) is keyed by it. Not when a
    backup is loaded (`raw`): the rows come back as they were, the form's date with them."""
    if not raw:
        touch_form(instance.form_id)


def touch_form(form_id: int) -> None:
    InterestForm.objects.filter(pk=form_id).update(updated_at=timezone.now())


@receiver(post_save, sender=Territory, dispatch_uid="intake.region_saved")
@receiver(post_delete, sender=Territory, dispatch_uid="intake.region_deleted")
def regions_changed(**_: Any) -> None:
    """This process lists the regions again at once (the others within `reference.TTL`)."""
    forget_regions()
