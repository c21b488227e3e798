"""Background work of accounts: the invitation e-mail, sent after the account is saved."""

from __future__ import annotations

from django_tasks import task

from .emails import invitation_message
from .models import Person


@task()
def send_invitation(
    *, person_id: int, program_id: int | None = None, network_id: int | None = None
) -> bool:
    """E-mail the person a link to choose their password, in their language."""
    person = Person.objects.select_related("user", "invited_by").filter(pk=person_id).first()
    if person is None or person.user is None or not person.email:
        return False
    if person.user.has_usable_password():
        # They chose a password before the worker ran (an earlier link): nothing to send.
        return False
    invitation_message(person, program_id=program_id, network_id=network_id).send()
    return True
