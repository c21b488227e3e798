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
