"""Background work of programs: the e-mail inviting someone known elsewhere to join a program."""

from __future__ import annotations

from django_tasks import task

from .emails import join_invitation_message
from .models import ProgramInvitation


@task()
def send_program_invitation(*, invitation_id: int) -> bool:
    invitation = (
        ProgramInvitation.objects.select_related("program", "person", "created_by")
        .filter(pk=invitation_id, status=ProgramInvitation.Status.PENDING)
        .first()
    )
    if invitation is None or not invitation.person.email:
        return False
    join_invitation_message(invitation).send()
    return True


@task()
def offer_to_join(*, program_id: int, stand_in_id: int, by_id: int | None = None) -> bool:
    """After a role given by e-mail: invite the person Maillage knows by that address, if any."""
    from django.contrib.auth import get_user_model

    from maillage.core.models import Person

    from . import services
    from .models import Program

    program = Program.objects.filter(pk=program_id).first()
    stand_in = Person.objects.filter(pk=stand_in_id).first()
    if program is None or stand_in is None:
        return False
    by = get_user_model().objects.filter(pk=by_id).first() if by_id else None
    return services.offer_to_join(program=program, stand_in=stand_in, by=by) is not None


@task()
def send_consent_request(*, person_id: int, program_id: int) -> bool:
    from maillage.core.models import Person

    from .emails import consent_request_message
    from .models import Program

    person = Person.objects.filter(pk=person_id).first()
    program = Program.objects.filter(pk=program_id).first()
    if person is None or program is None or not person.email:
        return False
    if Person.objects.filter(email__iexact=person.email).exclude(pk=person.pk).exists():
        # Someone Maillage knows elsewhere: the invitation to join (`offer_to_join`) asks for
        # the consent with the same answer; a second e-mail would only confuse them.
        return False
    consent_request_message(person, program).send()
    return True
