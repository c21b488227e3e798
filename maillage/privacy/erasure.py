"""The one erasure code of Maillage: what destroying or anonymizing each kind of personal data
means. The retention rules (`retention`) and a deletion request answered from the register
(`services.erase_person_for_request`) both call these functions.

Everything is written with `QuerySet.update()` or after the row was emptied, so that the audit
trail records which rows and which fields, never the erased values; the trail's own mentions of
an anonymized person's name are scrubbed too (`scrub_trail`). Each function returns how many
rows it destroyed or anonymized.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db.models import QuerySet, Value
from django.db.models.functions import Replace
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maillage.core.audit import record_bulk
from maillage.core.models import AuditEntry, Person
from maillage.evaluation.models import (
    Answer,
    FinalInterview,
    Invitation,
    ObserverNote,
    Question,
    Quote,
    hash_token,
)
from maillage.intake.models import Application, MentorContact, PotentialMentor
from maillage.mentoring.models import GroupMessage, MeetingNote, UpdateMessage, UpdateReply
from maillage.programs.models import Role
from maillage.selection.models import CommitteeOpinion, Decision, Review

# What an anonymized person is called: the row stays, so that counts hold.
ANONYMOUS_FIRST_NAME = "Personne"
ANONYMOUS_LAST_NAME = "anonymisée"

# The log's rule for an erasure that answers a person's request rather than a period.
DELETION_REQUEST = "deletion_request"
REQUEST_LABELS = {DELETION_REQUEST: _("Suppression à la demande de la personne")}

_TEXT_KINDS = (Question.Kind.SHORT_TEXT, Question.Kind.LONG_TEXT)


def _ids(rows: QuerySet) -> list[int]:
    return list(rows.order_by().values_list("pk", flat=True).distinct())


def anonymize_applications(applications: QuerySet, by: Any = None) -> int:
    """Contact, organization name and answers go; region, sector, track, status and dates stay
    for the selection's figures. Reviewers' comments, the committee's and the decision's
    reasons go with them (they speak of the applicant)."""
    ids = _ids(applications)
    if not ids:
        return 0
    Application.objects.filter(pk__in=ids).update(
        contact_name="",
        email="",
        email_key="",
        email_domain="",
        phone="",
        organization_name="",
        organization_key="",
        organization=None,
        answers={},
        person=None,
        duplicate_of=None,
        duplicate_reason="",
    )
    # The trail's entries of these applications held the contact's values: they keep the
    # action, the moment and who acted.
    AuditEntry.objects.filter(
        model=Application._meta.label, object_id__in=[str(pk) for pk in ids]
    ).update(object_repr="", changes={})
    Review.objects.filter(application_id__in=ids).update(comment="")
    CommitteeOpinion.objects.filter(application_id__in=ids).update(comment="")
    Decision.objects.filter(application_id__in=ids).update(reason="")
    record_bulk(
        action="retention.anonymized",
        model=Application,
        ids=ids,
        by=by,
        changes={"fields": ["contact_name", "email", "phone", "organization_name", "answers"]},
    )
    return len(ids)


def delete_applications(applications: QuerySet, by: Any = None) -> int:
    """Emptied first, so that the trail's deletion entries name a number, not a person."""
    ids = _ids(applications)
    if not ids:
        return 0
    anonymize_applications(Application.objects.filter(pk__in=ids), by=by)
    Application.objects.filter(pk__in=ids).delete()
    return len(ids)


_INTERVIEW_TEXTS = (
    "learning",
    "objectives",
    "appreciation",
    "recommendations",
    "participant_comment",
)


def _interviews_with_texts(programs: Any) -> QuerySet:
    return FinalInterview.objects.filter(program__in=programs).exclude(
        **dict.fromkeys(_INTERVIEW_TEXTS, "")
    )


def count_program_notes(programs: QuerySet) -> int:
    return (
        _interviews_with_texts(programs).count()
        + ObserverNote.objects.filter(program__in=programs).count()
        + MeetingNote.objects.filter(meeting__group__program__in=programs).count()
    )


def erase_program_notes(programs: QuerySet, by: Any = None) -> int:
    """The final interviews' texts (the interview stays: held, validated, for the counts), the
    observers' notes and the meetings' notes of these programs."""
    count = 0
    for program in programs:
        ids = _ids(_interviews_with_texts([program.pk]))
        FinalInterview.objects.filter(pk__in=ids).update(**dict.fromkeys(_INTERVIEW_TEXTS, ""))
        record_bulk(
            action="retention.erased",
            model=FinalInterview,
            ids=ids,
            by=by,
            program_id=program.pk,
            changes={"fields": ["learning", "objectives", "appreciation", "recommendations"]},
        )
        for model, notes, field in (
            (ObserverNote, ObserverNote.objects.filter(program=program), "notes"),
            (MeetingNote, MeetingNote.objects.filter(meeting__group__program=program), "text"),
        ):
            note_ids = _ids(notes)
            # Emptied before the deletion: the trail's entry then holds no word of it.
            model.objects.filter(pk__in=note_ids).update(**{field: ""})
            model.objects.filter(pk__in=note_ids).delete()
            count += len(note_ids)
        count += len(ids)
    return count


def detach_answers(invitations: QuerySet, by: Any = None) -> int:
    """The answers stay as anonymous figures (scales, choices, numbers, the objectives' mean):
    the invitation no longer names its person nor group, its link opens nothing any more, and
    the free texts (which could name someone) go, with the quotes never consented to."""
    ids = _ids(invitations)
    if not ids:
        return 0
    Answer.objects.filter(invitation_id__in=ids, question__kind__in=_TEXT_KINDS).update(
        value=None, value_text=""
    )
    # Each objective's progress is keyed by the objective's own words: the mean stays.
    Answer.objects.filter(
        invitation_id__in=ids, question__kind=Question.Kind.OBJECTIVE_PROGRESS
    ).update(value=None, value_text="")
    Quote.objects.filter(answer__invitation_id__in=ids).exclude(
        status=Quote.Status.CONSENTED
    ).delete()
    for pk in ids:
        nonce = secrets.token_hex(32)
        link = Invitation(nonce=nonce)
        Invitation.objects.filter(pk=pk).update(
            person=None, group=None, nonce=nonce, token_hash=hash_token(link.token)
        )
    record_bulk(
        action="retention.anonymized",
        model=Invitation,
        ids=ids,
        by=by,
        changes={"fields": ["person", "group", "answers (texte)"]},
    )
    return len(ids)


def anonymize_person(person: Person, by: Any = None) -> None:
    """Name, e-mail, phone and every free text the person wrote or that describes them; their
    account can no longer sign in. Roles, groups, attendance and hours stay (counts)."""
    full_name, email = person.full_name, person.email
    Person.objects.filter(pk=person.pk).update(
        first_name=ANONYMOUS_FIRST_NAME,
        last_name=ANONYMOUS_LAST_NAME,
        email="",
        phone="",
        position="",
        expertise="",
        availability=[],
        anonymized_at=timezone.now(),
        updated_at=timezone.now(),
    )
    Role.objects.filter(person=person).update(needs="")
    PotentialMentor.objects.filter(person=person).update(expertise="", themes=[])
    MentorContact.objects.filter(potential_mentor__person=person).update(summary="")
    anonymize_applications(Application.objects.filter(person=person), by=by)
    if email:
        anonymize_applications(Application.objects.filter(email__iexact=email), by=by)
    GroupMessage.objects.filter(author=person).update(text="")
    UpdateMessage.objects.filter(author=person).update(text="")
    UpdateReply.objects.filter(person=person).update(comment="")
    MeetingNote.objects.filter(author=person).update(text="")
    _close_account(person.user_id)
    scrub_trail(person_pk=person.pk, full_name=full_name, email=email)
    record_bulk(
        action="retention.anonymized",
        model=Person,
        ids=[person.pk],
        by=by,
        changes={"fields": ["first_name", "last_name", "email", "phone", "expertise"]},
    )


def _close_account(user_id: int | None) -> None:
    if user_id is None:
        return
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator
    from allauth.socialaccount.models import SocialAccount
    from django.contrib.auth import get_user_model

    EmailAddress.objects.filter(user_id=user_id).delete()
    Authenticator.objects.filter(user_id=user_id).delete()
    SocialAccount.objects.filter(user_id=user_id).delete()
    get_user_model().objects.filter(pk=user_id).update(
        is_active=False,
        email="",
        username=f"anonyme-{user_id}",
        first_name="",
        last_name="",
        password=make_password(None),
    )


def scrub_trail(*, person_pk: int, full_name: str, email: str) -> None:
    """The trail keeps what happened, not who it was about: the entries of the person's record
    lose their values, and the person's name and address leave the other entries' labels."""
    AuditEntry.objects.filter(model=Person._meta.label, object_id=str(person_pk)).update(
        object_repr=f"{ANONYMOUS_FIRST_NAME} {ANONYMOUS_LAST_NAME}", changes={}
    )
    for words in (full_name, email):
        if len(words) >= 3:
            AuditEntry.objects.filter(object_repr__contains=words).update(
                object_repr=Replace("object_repr", Value(words), Value("•••"))
            )


def anonymize_people(people: QuerySet, by: Any = None) -> int:
    count = 0
    for person in people.order_by("pk"):
        anonymize_person(person, by=by)
        count += 1
    return count
