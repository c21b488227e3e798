"""Writes of a network's governance: versions of the model, instances, seats and terms, links,
meetings and decisions, ideas and action teams, disagreements and their steps.

Every write validates, saves in a transaction and is audited (the models are registered with
`core.audit`; transitions that matter get a named entry)."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.db.models import Max
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from maillage.core.audit import record
from maillage.core.locking import locked, save_versioned
from maillage.core.models import Person
from maillage.measurement.models import Network, NetworkMember

from .errors import GovernanceError
from .models import (
    Decision,
    Disagreement,
    DisagreementStep,
    Idea,
    Instance,
    Link,
    Meeting,
    Seat,
    SeatHolder,
    Version,
)

# An idea becomes an action team once this many people (its author included) are in it.
IDEA_TEAM_MINIMUM = 2


def _ensure_editable(version: Version) -> None:
    if not version.is_editable:
        raise GovernanceError(
            _("Ce modèle a été remplacé : il reste tel qu’il était. Modifiez le modèle en vigueur.")
        )


def _ensure_draft(version: Version) -> None:
    """The structure (instances, seats, links) changes in a draft only: an adopted model changes
    through a new version, so that the comparison shows what changed and when. The people in
    the seats change in the model in force."""
    _ensure_editable(version)
    if version.status != Version.Status.DRAFT:
        raise GovernanceError(
            _(
                "Ce modèle est en vigueur : pour changer ses instances, ses sièges ou ses liens, "
                "créez un nouveau modèle (une copie), modifiez-le puis adoptez-le."
            )
        )


def current_version(network: Network) -> Version | None:
    """The adopted version (the one in force), if any."""
    return network.governance_versions.filter(status=Version.Status.ADOPTED).first()


# ---- versions ---------------------------------------------------------------------------------


@transaction.atomic
def create_version(*, network: Network, name: str, notes: str = "") -> Version:
    """A new version: a copy of the latest one if there is one (the adopted one first), an empty
    model otherwise."""
    source = current_version(network) or network.governance_versions.order_by("-number").first()
    if source is not None:
        return copy_version(version=source, name=name, notes=notes)
    version = Version(network=network, number=1, name=name.strip(), notes=notes)
    GovernanceError.check(version)
    version.save()
    record(action="governance.version_created", instance=version)
    return version


@transaction.atomic
def copy_version(*, version: Version, name: str = "", notes: str = "") -> Version:
    """A draft that starts as a copy of `version`: its instances (same lineage), seats, the
    people in them and the links."""
    network = version.network
    top = network.governance_versions.aggregate(top=Max("number"))["top"] or 0
    copy = Version(
        network=network,
        number=top + 1,
        name=(name or "").strip() or _("Modèle %(number)s") % {"number": top + 1},
        notes=notes,
        based_on=version,
    )
    GovernanceError.check(copy)
    copy.save()
    twins: dict[int, Instance] = {}
    for instance in version.instances.prefetch_related("seats__holders"):
        twin = Instance.objects.create(
            version=copy,
            lineage=instance.lineage,
            name=instance.name,
            kind=instance.kind,
            mandate=instance.mandate,
            order=instance.order,
        )
        twins[instance.pk] = twin
        for seat in instance.seats.all():
            new_seat = Seat.objects.create(instance=twin, kind=seat.kind, count=seat.count)
            for holder in seat.holders.all():
                SeatHolder.objects.create(
                    seat=new_seat,
                    name=holder.name,
                    member=holder.member,
                    starts_on=holder.starts_on,
                    ends_on=holder.ends_on,
                )
    for link in version.links.all():
        Link.objects.create(
            version=copy, source=twins[link.source_id], target=twins[link.target_id], kind=link.kind
        )
    record(
        action="governance.version_copied",
        instance=copy,
        changes={"based_on": version.pk},
    )
    return copy


@transaction.atomic
def edit_version(*, version: Version, name: str, notes: str, seen: int | None) -> Version:
    _ensure_editable(version)
    version.name, version.notes = name.strip(), notes
    GovernanceError.check(version)
    return save_versioned(version, seen=seen, fields=["name", "notes"])


@transaction.atomic
def adopt_version(*, version: Version, on: date) -> Version:
    """Put `version` in force from `on`; the one in force until then is superseded that day."""
    row = locked(version)
    if row.status != Version.Status.DRAFT:
        raise GovernanceError(_("Seul un brouillon peut être adopté."))
    if not version.instances.exists():
        raise GovernanceError(_("Ajoutez au moins une instance avant d’adopter ce modèle."))
    previous = current_version(version.network)
    if previous is not None:
        if previous.adopted_on and on < previous.adopted_on:
            raise GovernanceError(
                _("Le modèle en vigueur a été adopté le %(day)s : choisissez une date ultérieure.")
                % {"day": date_format(previous.adopted_on, "j F Y")},
                "adopted_on",
            )
        previous.status, previous.superseded_on = Version.Status.SUPERSEDED, on
        previous.save(update_fields=["status", "superseded_on"])
        record(action="governance.version_superseded", instance=previous)
    row.status, row.adopted_on = Version.Status.ADOPTED, on
    row.save(update_fields=["status", "adopted_on"])
    # The caller's object says what the row now says.
    version.status, version.adopted_on = row.status, row.adopted_on
    record(action="governance.version_adopted", instance=version, changes={"on": str(on)})
    return version


@transaction.atomic
def delete_version(*, version: Version) -> None:
    if version.status != Version.Status.DRAFT:
        raise GovernanceError(
            _("Seul un brouillon peut être supprimé : les autres sont l’historique.")
        )
    record(action="governance.version_deleted", instance=version)
    version.delete()


# ---- instances, seats, terms, links ----------------------------------------------------------


@transaction.atomic
def add_instance(*, version: Version, name: str, kind: str, mandate: str = "") -> Instance:
    _ensure_draft(version)
    return _add_instance(version=version, name=name, kind=kind, mandate=mandate)


def _add_instance(*, version: Version, name: str, kind: str, mandate: str) -> Instance:
    name = name.strip()
    if version.instances.filter(name__iexact=name).exists():
        raise GovernanceError(_("Une instance porte déjà ce nom dans ce modèle."), "name")
    top = version.instances.aggregate(top=Max("order"))["top"]
    instance = Instance(
        version=version,
        name=name,
        kind=kind,
        mandate=mandate,
        order=0 if top is None else top + 1,
    )
    GovernanceError.check(instance)
    instance.save()
    return instance


@transaction.atomic
def edit_instance(
    *, instance: Instance, name: str, kind: str, mandate: str, seen: int | None
) -> Instance:
    _ensure_draft(instance.version)
    name = name.strip()
    if instance.version.instances.exclude(pk=instance.pk).filter(name__iexact=name).exists():
        raise GovernanceError(_("Une instance porte déjà ce nom dans ce modèle."), "name")
    instance.name, instance.kind, instance.mandate = name, kind, mandate
    GovernanceError.check(instance)
    return save_versioned(instance, seen=seen, fields=["name", "kind", "mandate"])


@transaction.atomic
def remove_instance(*, instance: Instance) -> None:
    _ensure_draft(instance.version)
    if instance.meetings.exists():
        raise GovernanceError(
            _("Cette instance a des rencontres consignées : elle reste dans ce modèle.")
        )
    instance.delete()


@transaction.atomic
def set_seats(*, instance: Instance, kind: str, count: int) -> Seat:
    """The number of seats of one kind in an instance (added or changed)."""
    _ensure_draft(instance.version)
    return _set_seats(instance=instance, kind=kind, count=count)


def _set_seats(*, instance: Instance, kind: str, count: int) -> Seat:
    if count < 1:
        raise GovernanceError(_("Indiquez au moins un siège."), "count")
    seat = instance.seats.filter(kind=kind).first() or Seat(instance=instance, kind=kind)
    seat.count = count
    GovernanceError.check(seat, validate_unique=False)
    seat.save()
    return seat


@transaction.atomic
def remove_seat(*, seat: Seat) -> None:
    _ensure_draft(seat.instance.version)
    seat.delete()


@transaction.atomic
def add_holder(
    *,
    seat: Seat,
    name: str,
    starts_on: date,
    ends_on: date | None = None,
    member: NetworkMember | None = None,
) -> SeatHolder:
    _ensure_editable(seat.instance.version)
    if ends_on is not None and ends_on < starts_on:
        raise GovernanceError(_("La fin du mandat précède son début."), "ends_on")
    if member is not None and member.network_id != seat.instance.version.network_id:
        raise GovernanceError(_("Cette organisation n’est pas membre du réseau."), "member")
    if ends_on is None or ends_on >= date.today():
        if starts_on <= date.today() and not seat.vacant():
            raise GovernanceError(
                _(
                    "Tous les sièges de ce type sont occupés : ajoutez un siège ou terminez un mandat."
                )
            )
    holder = SeatHolder(seat=seat, name=name.strip(), starts_on=starts_on, ends_on=ends_on)
    holder.member = member
    GovernanceError.check(holder)
    holder.save()
    return holder


@transaction.atomic
def remove_holder(*, holder: SeatHolder) -> None:
    _ensure_editable(holder.seat.instance.version)
    holder.delete()


@transaction.atomic
def add_link(*, version: Version, source: Instance, target: Instance, kind: str) -> Link:
    _ensure_draft(version)
    return _add_link(version=version, source=source, target=target, kind=kind)


def _add_link(*, version: Version, source: Instance, target: Instance, kind: str) -> Link:
    if source.version_id != version.pk or target.version_id != version.pk:
        raise GovernanceError(_("Choisissez deux instances de ce modèle."))
    if source.pk == target.pk:
        raise GovernanceError(_("Une instance ne peut pas être liée à elle-même."), "target")
    if Link.objects.filter(source=source, target=target, kind=kind).exists():
        raise GovernanceError(_("Ce lien existe déjà."), "target")
    link = Link(version=version, source=source, target=target, kind=kind)
    GovernanceError.check(link, validate_constraints=False)
    link.save()
    return link


@transaction.atomic
def remove_link(*, link: Link) -> None:
    _ensure_draft(link.version)
    link.delete()


# ---- meetings and decisions ------------------------------------------------------------------


@transaction.atomic
def record_meeting(
    *, instance: Instance, held_on: date, attendees: str, notes: str = ""
) -> Meeting:
    meeting = Meeting(instance=instance, held_on=held_on, attendees=attendees.strip(), notes=notes)
    GovernanceError.check(meeting)
    meeting.save()
    return meeting


@transaction.atomic
def add_decision(
    *, meeting: Meeting, text: str, follow_up_by: str = "", due_on: date | None = None
) -> Decision:
    decision = Decision(
        meeting=meeting, text=text.strip(), follow_up_by=follow_up_by.strip(), due_on=due_on
    )
    GovernanceError.check(decision)
    decision.save()
    return decision


@transaction.atomic
def set_decision_status(*, decision: Decision, done: bool) -> Decision:
    decision = locked(decision)
    decision.status = Decision.Status.DONE if done else Decision.Status.OPEN
    decision.done_on = date.today() if done else None
    decision.save(update_fields=["status", "done_on"])
    record(
        action="governance.decision_done" if done else "governance.decision_reopened",
        instance=decision,
    )
    return decision


# ---- ideas and action teams ------------------------------------------------------------------


@transaction.atomic
def propose_idea(*, network: Network, by: Person, title: str, description: str) -> Idea:
    idea = Idea(
        network=network, proposed_by=by, title=title.strip(), description=description.strip()
    )
    GovernanceError.check(idea)
    idea.save()
    idea.members.add(by)
    record(action="governance.idea_proposed", instance=idea)
    return idea


@transaction.atomic
def join_idea(*, idea: Idea, person: Person) -> Idea:
    idea = locked(idea)
    if idea.status != Idea.Status.OPEN:
        raise GovernanceError(_("Cette idée a déjà son équipe d’action."))
    if not idea.members.filter(pk=person.pk).exists():
        idea.members.add(person)
        record(action="governance.idea_joined", instance=idea, changes={"person": person.pk})
    return idea


@transaction.atomic
def leave_idea(*, idea: Idea, person: Person) -> Idea:
    idea = locked(idea)
    if idea.status != Idea.Status.OPEN:
        raise GovernanceError(_("Cette idée a déjà son équipe d’action."))
    if idea.proposed_by_id == person.pk:
        raise GovernanceError(_("La personne qui a proposé l’idée en reste membre."))
    idea.members.remove(person)
    record(action="governance.idea_left", instance=idea, changes={"person": person.pk})
    return idea


@transaction.atomic
def form_action_team(
    *, idea: Idea, reports_to: Instance | None = None, mandate: str = ""
) -> Instance:
    """Turn an idea with enough people into an action team of the model in force: an instance
    named after the idea, with one seat per person in it, for a term starting today."""
    idea = locked(idea)
    if idea.status != Idea.Status.OPEN:
        raise GovernanceError(_("Cette idée a déjà son équipe d’action."))
    people = list(idea.members.order_by("last_name", "first_name"))
    if len(people) < IDEA_TEAM_MINIMUM:
        raise GovernanceError(
            _("Il faut au moins %(n)s personnes dans l’idée pour former une équipe d’action.")
            % {"n": IDEA_TEAM_MINIMUM}
        )
    version = current_version(idea.network)
    if version is None:
        raise GovernanceError(
            _("Adoptez d’abord un modèle de gouvernance : l’équipe d’action en fera partie.")
        )
    if reports_to is not None and reports_to.version_id != version.pk:
        raise GovernanceError(_("Choisissez une instance du modèle en vigueur."), "reports_to")
    name = idea.title
    if version.instances.filter(name__iexact=name).exists():
        name = _("Équipe d’action : %(title)s") % {"title": idea.title}
    # The one structural change an adopted model takes: the team its members formed.
    team = _add_instance(
        version=version,
        name=name,
        kind=Instance.Kind.ACTION_TEAM,
        mandate=mandate.strip() or idea.description,
    )
    seat = _set_seats(instance=team, kind=Seat.Kind.MEMBER, count=len(people))
    for person in people:
        add_holder(seat=seat, name=person.full_name, starts_on=date.today())
    if reports_to is not None:
        _add_link(version=version, source=team, target=reports_to, kind=Link.Kind.REPORTS_TO)
    idea.status, idea.team = Idea.Status.FORMED, team
    idea.save(update_fields=["status", "team"])
    record(action="governance.action_team_formed", instance=idea, changes={"team": team.pk})
    return team


# ---- disagreements ---------------------------------------------------------------------------


@transaction.atomic
def raise_disagreement(
    *,
    network: Network,
    by: Person,
    subject: str,
    description: str,
    with_member: NetworkMember | None = None,
) -> Disagreement:
    """A disagreement opens at the first step of the process: dialogue between the parties."""
    if with_member is not None and with_member.network_id != network.pk:
        raise GovernanceError(_("Cette organisation n’est pas membre du réseau."), "with_member")
    disagreement = Disagreement(
        network=network,
        raised_by=by,
        subject=subject.strip(),
        description=description.strip(),
        with_member=with_member,
    )
    GovernanceError.check(disagreement)
    disagreement.save()
    DisagreementStep.objects.create(
        disagreement=disagreement, kind=DisagreementStep.Kind.DIALOGUE, started_on=date.today()
    )
    record(action="governance.disagreement_raised", instance=disagreement)
    return disagreement


@transaction.atomic
def close_step(
    *,
    disagreement: Disagreement,
    outcome: str,
    resolved: bool,
    on: date | None = None,
    instance: Instance | None = None,
) -> Disagreement:
    """Record the outcome of the step under way. Resolved: the disagreement is settled. Not
    resolved: it goes to the next step (dialogue → facilitation → an instance's decision →
    appeal); after the appeal it is closed without agreement."""
    disagreement = locked(disagreement)
    if disagreement.status != Disagreement.Status.OPEN:
        raise GovernanceError(_("Ce différend est clos."))
    step = disagreement.current_step()
    if step is None:  # pragma: no cover - every open disagreement has a step under way
        raise GovernanceError(_("Ce différend n’a pas d’étape en cours."))
    outcome = outcome.strip()
    if not outcome:
        raise GovernanceError(_("Écrivez le résultat de cette étape."), "outcome")
    on = on or date.today()
    if on < step.started_on:
        raise GovernanceError(_("L’étape ne peut pas finir avant d’avoir commencé."), "on")
    if instance is not None and instance.version.network_id != disagreement.network_id:
        raise GovernanceError(_("Choisissez une instance du réseau."), "instance")
    step.outcome, step.ended_on = outcome, on
    if step.kind == DisagreementStep.Kind.DECISION and instance is not None:
        step.instance = instance
    step.save()
    following = step.next_kind()
    if resolved:
        disagreement.status = Disagreement.Status.RESOLVED
    elif following is None:
        disagreement.status = Disagreement.Status.UNRESOLVED
    else:
        DisagreementStep.objects.create(disagreement=disagreement, kind=following, started_on=on)
    disagreement.save(update_fields=["status"])
    record(
        action="governance.disagreement_step_closed",
        instance=disagreement,
        changes={"step": step.kind, "resolved": resolved, "next": following},
    )
    return disagreement
