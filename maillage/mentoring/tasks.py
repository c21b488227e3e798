"""Background work of mentoring: invitations and update notices, sent after the save."""

from __future__ import annotations

from django_tasks import task

from maillage.core.notifications import When, wants
from maillage.core.services import should_send

from .emails import meeting_invitation, message_notice, update_notice
from .models import GroupMessage, Meeting, UpdateMessage


@task()
def send_meeting_invitations(*, meeting_id: int, method: str) -> int:
    """One e-mail per invitee, in their language, with the .ics of the meeting as it is now
    (a later change sends its own, with a higher SEQUENCE)."""
    meeting = (
        Meeting.objects.select_related("group__program", "created_by").filter(pk=meeting_id).first()
    )
    if meeting is None:
        return 0
    sent = 0
    for member in meeting.invitees():
        person = member.role.person
        if person.email:
            meeting_invitation(meeting, person, method).send()
            sent += 1
    return sent


@task()
def send_update_notice(*, message_id: int) -> int:
    update = UpdateMessage.objects.select_related("group", "author").filter(pk=message_id).first()
    if update is None:
        return 0
    sent = 0
    for member in update.group.members.select_related("role__person"):
        person = member.role.person
        if person.pk == update.author_id or not person.email:
            continue
        if should_send(person, "mentoring_update"):
            update_notice(update, person).send()
            sent += 1
    return sent


@task()
def send_message_notices(*, message_id: int) -> int:
    """E-mail the group's other members who want it at once. One e-mail until they read: a
    member who has not yet read an earlier message of the thread is not e-mailed again."""
    message = (
        GroupMessage.objects.select_related("group__program", "author")
        .filter(pk=message_id)
        .first()
    )
    if message is None or message.is_removed:
        return 0
    sent = 0
    seen: set[int] = set()
    for member in message.group.members.select_related("role__person"):
        person = member.role.person
        if person.pk == message.author_id or person.pk in seen:
            continue
        seen.add(person.pk)
        if wants(person, "messages") != When.IMMEDIATELY:
            continue
        earlier = GroupMessage.objects.filter(group=message.group, pk__lt=message.pk)
        if earlier.unread_by(person).exists():
            continue
        message_notice(message, person).send()
        sent += 1
    return sent
