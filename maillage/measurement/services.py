"""Writes of the shared measurement: networks, members, indicators, baseline, plan, values."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from maillage.core.audit import acting_as, record, record_bulk
from maillage.core.models import Organization, Person, Territory
from maillage.core.outbox import send_after_commit
from maillage.core.services import (
    find_or_create_organization,
    find_or_create_person,
    find_organization,
    merge_person,
    preferred_person,
)
from maillage.programs.models import Program, Role

from .errors import MeasurementError
from .models import (
    Baseline,
    Indicator,
    Measurement,
    MemberProgram,
    Network,
    NetworkInvitation,
    NetworkMember,
    NetworkRole,
    PlanTarget,
    ProgramFigures,
)


@transaction.atomic
def create_network(*, backbone: Organization, name: str, description: str = "") -> Network:
    network = Network(backbone=backbone, name=name, description=description)
    MeasurementError.check(network)
    network.save()
    return network


@transaction.atomic
def start_network(
    *,
    name: str,
    email: str,
    description: str = "",
    backbone: Organization | None = None,
    backbone_name: str = "",
    first_name: str = "",
    last_name: str = "",
    by: Any = None,
) -> Network:
    """A network made in pages by the platform's administrator, with the person (by e-mail) who
    will run it as its backbone staff."""
    if backbone is None:
        backbone, _created = find_or_create_organization(name=backbone_name, error=MeasurementError)
    network = create_network(backbone=backbone, name=name.strip(), description=description)
    assign_network_role_by_email(
        network=network,
        email=email,
        kind=NetworkRole.Kind.STAFF,
        first_name=first_name,
        last_name=last_name,
        by=by,
    )
    record(action="network.created", instance=network)
    return network


@transaction.atomic
def add_member(*, network: Network, organization: Organization) -> NetworkMember:
    member, _created = NetworkMember.objects.get_or_create(
        network=network, organization=organization, defaults={"joined_on": date.today()}
    )
    return member


@transaction.atomic
def assign_network_role(
    *, network: Network, person: Person, kind: str, member: NetworkMember | None = None
) -> NetworkRole:
    if kind == NetworkRole.Kind.MEMBER and member is None:
        raise MeasurementError(_("Indiquez l’organisation membre."), "member")
    if member is not None and member.network_id != network.pk:
        raise MeasurementError(_("Cette organisation n’est pas membre du réseau."), "member")
    role, _created = NetworkRole.objects.update_or_create(
        network=network, person=person, kind=kind, defaults={"member": member}
    )
    return role


@transaction.atomic
def attach_program(*, member: NetworkMember, program: Program, consent_by: Person) -> MemberProgram:
    """A program feeds the network only with the consent of one of its coordinators."""
    if not program.roles.filter(person=consent_by, kind=Role.Kind.COORDINATOR).exists():
        raise MeasurementError(
            _("Seule une personne qui coordonne ce programme peut consentir à son partage."),
            "consent_by",
        )
    link, _created = MemberProgram.objects.get_or_create(
        member=member,
        program=program,
        defaults={"consent_by": consent_by, "consent_at": timezone.now()},
    )
    return link


@transaction.atomic
def join_network(*, network: Network, name: str, region: Territory | None = None) -> NetworkMember:
    """Make an organization a member: the directory's organization of that name, or a new one in
    `region`. The region is asked for a new one only, so that a typo in the name of a known
    organization is caught rather than creating a second organization."""
    name = name.strip()
    if not name:
        raise MeasurementError(_("Indiquez le nom de l’organisation."), "name")
    known = find_organization(name=name)
    if known is None and region is None:
        raise MeasurementError(
            _(
                "Aucune organisation de ce nom dans Maillage. Choisissez-la dans la liste proposée "
                "pendant que vous tapez, ou indiquez sa région pour l’ajouter."
            ),
            "region",
        )
    if known is not None and network.members.filter(organization=known).exists():
        raise MeasurementError(
            _("« %(name)s » est déjà membre du réseau.") % {"name": known.name}, "name"
        )
    organization = (
        known or find_or_create_organization(name=name, territory=region, error=MeasurementError)[0]
    )
    return add_member(network=network, organization=organization)


@transaction.atomic
def remove_member(*, member: NetworkMember) -> None:
    """Take an organization out of the network, with its shared programs and its coordinators'
    roles. Refused once it has values: they belong to the network's history."""
    if member.measurements.exists():
        raise MeasurementError(
            _(
                "« %(name)s » a déjà des valeurs dans le réseau (saisies, ou figées à la clôture "
                "d’une période). La retirer effacerait ces chiffres de l’historique du réseau : "
                "elle reste membre."
            )
            % {"name": member.organization.name}
        )
    member.delete()


def people_seen_by(*, user: Any, network: Network) -> QuerySet[Person]:
    """The people this user may reach by typing their e-mail for `network`: its own people,
    those of the other networks the user staffs and of the programs the user coordinates, and
    the user themself; everyone for the platform's administrators."""
    if getattr(user, "is_superuser", False):
        return Person.objects.all()
    known = Q(network_roles__network=network)
    if getattr(user, "is_authenticated", False):
        staffed = Network.objects.of_user(user, NetworkRole.Kind.STAFF)
        coordinated = Program.objects.with_role(user, Role.Kind.COORDINATOR)
        known |= Q(user=user) | Q(network_roles__network__in=staffed)
        known |= Q(roles__program__in=coordinated)
    return Person.objects.filter(pk__in=Person.objects.filter(known).values("pk"))


@transaction.atomic
def assign_network_role_by_email(
    *,
    network: Network,
    email: str,
    kind: str,
    member: NetworkMember | None = None,
    first_name: str = "",
    last_name: str = "",
    by: Any = None,
) -> NetworkRole:
    """Give a role to the person with this e-mail whom `by` already sees, or to a new record of
    what was typed (names then needed). Someone Maillage knows from elsewhere is invited to join
    (`NetworkInvitation`): the network sees nothing of them before they accept, and the page
    reads the same whether the address is on the platform or not."""
    if kind not in NetworkRole.Kind.values:
        raise MeasurementError(_("Choisissez un rôle de la liste."), "kind")
    try:
        person, created = find_or_create_person(
            email=email,
            first_name=first_name,
            last_name=last_name,
            among=people_seen_by(user=by, network=network),
            error=MeasurementError,
        )
    except MeasurementError as error:
        if error.field not in ("first_name", "last_name"):
            raise
        raise MeasurementError(
            _(
                "Cette personne n’a pas encore de rôle dans ce réseau ni dans vos programmes : "
                "indiquez son prénom et son nom pour l’ajouter."
            ),
            "first_name",
        ) from error
    role = assign_network_role(
        network=network,
        person=person,
        kind=kind,
        member=member if kind == NetworkRole.Kind.MEMBER else None,
    )
    if created:
        # Whether the address is known elsewhere is looked up by the worker, after the
        # request: the request does the same work either way, and takes the same time.
        from .tasks import offer_network_role

        send_after_commit(
            offer_network_role,
            network_id=network.pk,
            stand_in_id=person.pk,
            by_id=getattr(by, "pk", None),
        )
    return role


def offer_network_role(*, network: Network, stand_in: Person, by: Any) -> NetworkInvitation | None:
    """Invite the person Maillage knows by the stand-in's address, if any, to take the
    stand-in's roles in `network` (run by the worker, see `assign_network_role_by_email`)."""
    person = preferred_person(
        Person.objects.filter(email__iexact=stand_in.email.strip()).exclude(pk=stand_in.pk)
    )
    if person is None:
        return None
    with acting_as(by), transaction.atomic():
        invitation, created = NetworkInvitation.objects.get_or_create(
            network=network,
            stand_in=stand_in,
            status=NetworkInvitation.Status.PENDING,
            defaults={"person": person, "created_by": by},
        )
        if not created:
            return invitation
        record(
            action="network.invitation_sent",
            instance=invitation,
            object_repr=str(stand_in),
            changes={"stand_in": stand_in.pk, "network_id": network.pk},
        )
        from .tasks import send_network_invitation

        send_after_commit(send_network_invitation, invitation_id=invitation.pk)
    return invitation


@transaction.atomic
def answer_network_invitation(*, invitation: NetworkInvitation, accept: bool) -> NetworkInvitation:
    """The invited person's answer: accepted, the stand-in's roles become theirs."""
    invitation = NetworkInvitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.status != NetworkInvitation.Status.PENDING:
        raise MeasurementError(_("Vous avez déjà répondu à cette invitation."))
    roles = invitation.offered_roles()
    if accept and not roles:
        raise MeasurementError(
            _("Cette invitation n’est plus valable : la coordination l’a retirée.")
        )
    person = invitation.person
    with acting_as(person.user):
        if accept:
            for role in roles:
                if invitation.network.roles.filter(person=person, kind=role.kind).exists():
                    role.delete()
            merge_person(stand_in=invitation.stand_in, into=person)
            if not Person.objects.filter(pk=invitation.stand_in_id).exists():
                invitation.stand_in = None
        invitation.status = (
            NetworkInvitation.Status.ACCEPTED if accept else NetworkInvitation.Status.DECLINED
        )
        invitation.answered_at = timezone.now()
        invitation.save(update_fields=["status", "answered_at", "stand_in"])
        record(
            action="network.invitation_accepted" if accept else "network.invitation_declined",
            instance=invitation,
            changes={"person": person.pk, "roles": [role.kind for role in roles]},
        )
    return invitation


@transaction.atomic
def remove_network_role(*, role: NetworkRole) -> None:
    network = Network.objects.select_for_update().get(pk=role.network_id)
    if (
        role.kind == NetworkRole.Kind.STAFF
        and network.roles.filter(kind=NetworkRole.Kind.STAFF).count() == 1
    ):
        raise MeasurementError(
            _("Un réseau garde au moins une personne dans l’équipe de l’organisation de soutien.")
        )
    role.delete()


@transaction.atomic
def detach_program(*, link: MemberProgram, by: Person | None) -> None:
    """Withdraw a program's consent: it stops feeding the network from now on. The values frozen
    when a period closed stay: they are the network's history, as published at the time."""
    if by is None or not link.program.roles.filter(person=by, kind=Role.Kind.COORDINATOR).exists():
        raise MeasurementError(
            _("Seule une personne qui coordonne ce programme peut retirer son partage.")
        )
    link.delete()


@transaction.atomic
def define_indicator(*, network: Network, **fields: Any) -> Indicator:
    indicator = Indicator(network=network, **fields)
    if indicator.kind == Indicator.Kind.COMPUTED and not indicator.source_key:
        raise MeasurementError(
            _("Un indicateur calculé doit nommer l’indicateur de programme qu’il reprend."),
            "source_key",
        )
    MeasurementError.check(indicator)
    indicator.save()
    return indicator


@transaction.atomic
def set_baseline(*, indicator: Indicator, value: Decimal, on: date, source: str = "") -> Baseline:
    baseline, _created = Baseline.objects.update_or_create(
        indicator=indicator, defaults={"value": value, "date": on, "source": source}
    )
    MeasurementError.check(baseline)
    return baseline


@transaction.atomic
def set_target(*, indicator: Indicator, on: date, value: Decimal) -> PlanTarget:
    target, _created = PlanTarget.objects.update_or_create(
        indicator=indicator, date=on, defaults={"value": value}
    )
    MeasurementError.check(target)
    return target


@transaction.atomic
def record_measurement(
    *,
    indicator: Indicator,
    member: NetworkMember,
    period_start: date,
    period_end: date,
    value: Decimal,
    user: Any = None,
) -> Measurement:
    if indicator.kind != Indicator.Kind.ENTERED:
        raise MeasurementError(_("Cet indicateur est calculé : il ne se saisit pas."), "indicator")
    if member.network_id != indicator.network_id:
        raise MeasurementError(_("Cette organisation n’est pas membre du réseau."), "member")
    if period_end < period_start:
        raise MeasurementError(_("La fin de la période doit suivre son début."), "period_end")
    if value < 0:
        raise MeasurementError(_("La valeur ne peut pas être négative."), "value")
    measurement, _created = Measurement.objects.update_or_create(
        indicator=indicator,
        member=member,
        program=None,
        period_start=period_start,
        period_end=period_end,
        defaults={"value": value, "entered_by": user},
    )
    return measurement


@transaction.atomic
def close_period(*, network: Network, period_start: date, period_end: date) -> int:
    """Freeze each computed indicator per member program as of `period_end`: computed from the
    data as of that day (never the stored figures, which stand at their own date), each program
    once for all the indicators, written in bulk."""
    from .aggregation import figure, program_figures

    indicators = list(network.indicators.filter(kind=Indicator.Kind.COMPUTED))
    if not indicators:
        return 0
    links = list(MemberProgram.objects.filter(member__network=network).select_related("program"))
    keys = {indicator.source_key for indicator in indicators}
    figures = {}
    for link in links:
        if link.program_id not in figures:
            figures[link.program_id] = program_figures(
                link.program, until=period_end, fallback=keys
            )
    existing = {
        (m.indicator_id, m.member_id, m.program_id): m
        for m in Measurement.objects.filter(
            indicator__in=indicators,
            program__isnull=False,
            period_start=period_start,
            period_end=period_end,
        )
    }
    now = timezone.now()
    new, changed = [], []
    for indicator in indicators:
        for link in links:
            value = figure(figures[link.program_id], indicator.source_key)
            value = Decimal(str(value or 0))
            snapshot = existing.get((indicator.pk, link.member_id, link.program_id))
            if snapshot is None:
                new.append(
                    Measurement(
                        indicator=indicator,
                        member_id=link.member_id,
                        program_id=link.program_id,
                        period_start=period_start,
                        period_end=period_end,
                        value=value,
                        is_snapshot=True,
                    )
                )
            else:
                snapshot.value, snapshot.is_snapshot, snapshot.entered_at = value, True, now
                changed.append(snapshot)
    Measurement.objects.bulk_create(new, batch_size=500)
    Measurement.objects.bulk_update(changed, ["value", "is_snapshot", "entered_at"], batch_size=500)
    record_bulk(action="bulk_create", model=Measurement, ids=[m.pk for m in new], by=None)
    record_bulk(
        action="bulk_update",
        model=Measurement,
        ids=[m.pk for m in changed],
        by=None,
        changes={"fields": ["value", "is_snapshot", "entered_at"]},
    )
    return len(new) + len(changed)


# --- Stored figures: the live column of the network page -----------------------------------

REFRESH_BATCH = 50
# A refresh asked for longer ago than this is taken as lost (a stopped worker): the page stops
# saying it is under way and staff may ask again.
REFRESH_PATIENCE = timedelta(hours=1)


def _shared_programs(network: Network | None) -> Any:
    links = MemberProgram.objects.all()
    if network is not None:
        links = links.filter(member__network=network)
    return Program.objects.filter(pk__in=links.values("program_id")).order_by("pk")


def refresh_figures(
    *, network: Network | None = None, programs: Iterable[Program] | None = None
) -> int:
    """Recompute and store the figures of `programs`, else of every program shared with
    `network`, else with any network. Each program as of today; stored by batches, so that a
    long refresh never holds the database for its whole length and what is done stays done."""
    from .aggregation import program_figures

    if programs is None:
        programs = _shared_programs(network)
    today = timezone.localdate()
    count = 0
    batch: list[ProgramFigures] = []
    for program in programs:
        computed_at = timezone.now()  # the data are at least as fresh as this
        figures = program_figures(program, until=today)
        batch.append(ProgramFigures(program=program, figures=figures, computed_at=computed_at))
        if len(batch) == REFRESH_BATCH:
            count += _store(batch)
            batch = []
    return count + _store(batch)


def _store(batch: list[ProgramFigures]) -> int:
    ProgramFigures.objects.bulk_create(
        batch,
        update_conflicts=True,
        unique_fields=["program"],
        update_fields=["figures", "computed_at"],
    )
    return len(batch)


def ensure_figures(*, network: Network) -> int:
    """Compute and store the figures of the network's programs that have none (just shared), so
    that the page works at once and reads them stored from then on. One query when none lack."""
    missing = _shared_programs(network).filter(network_figures__isnull=True)
    return refresh_figures(programs=list(missing))


def refresh_pending(network: Network, *, now: Any = None) -> bool:
    """Whether a refresh asked for by staff is still queued or running."""
    asked = network.figures_requested_at
    return asked is not None and asked > (now or timezone.now()) - REFRESH_PATIENCE


def refresh_progress(network: Network) -> tuple[int, int] | None:
    """(programs refreshed, programs to refresh) of the refresh staff asked for, None when
    none is under way: a program counts as done once its figures are newer than the request."""
    if not refresh_pending(network):
        return None
    programs = _shared_programs(network)
    done = programs.filter(network_figures__computed_at__gte=network.figures_requested_at)
    return done.count(), programs.count()


def request_figures_refresh(*, network: Network, by: Any = None) -> bool:
    """Staff ask for fresh figures: queue the background refresh once (False when one is
    already under way: the network's row lock, so a double click or two colleagues queue one
    task). The page says it is under way until the task has stored them."""
    from .tasks import refresh_network_figures

    with transaction.atomic():
        network = Network.objects.select_for_update().get(pk=network.pk)
        if refresh_pending(network):
            return False
        network.figures_requested_at = timezone.now()
        network.figures_failed_at = None
        network.save(update_fields=["figures_requested_at", "figures_failed_at"])
        with acting_as(by):
            record(action="network.figures_refresh_requested", instance=network)
        transaction.on_commit(lambda: refresh_network_figures.enqueue(network_id=network.pk))
    return True


def finish_figures_refresh(*, network: Network, started_at: Any) -> int:
    """The task's work: refresh the network's programs, then clear the request it answered.
    Safe to run again (a worker that died mid-way): each program's figures are replaced."""
    count = refresh_figures(network=network)
    cleared = Network.objects.filter(pk=network.pk, figures_requested_at__lte=started_at).update(
        figures_requested_at=None, figures_failed_at=None
    )
    if cleared:
        record(action="network.figures_refreshed", instance=network, changes={"programs": count})
    return count


def fail_figures_refresh(*, network: Network, started_at: Any) -> None:
    """The task failed: the page stops saying « en cours » and says it failed, with the
    button to ask again (the figures shown stay those of before)."""
    failed = Network.objects.filter(pk=network.pk, figures_requested_at__lte=started_at).update(
        figures_requested_at=None, figures_failed_at=timezone.now()
    )
    if failed:
        record(action="network.figures_refresh_failed", instance=network)


def queue_daily_figures(*, today: date | None = None, force: bool = False) -> int:
    """The daily job: queue the refresh of every program shared with any network whose figures
    are not yet of today (all of them with `force`). Safe to call every hour."""
    from .tasks import refresh_program_figures

    today = today or timezone.localdate()
    programs = _shared_programs(None)
    if not force:
        start = timezone.make_aware(datetime.combine(today, time.min))
        programs = programs.exclude(network_figures__computed_at__gte=start)
    ids = list(programs.values_list("pk", flat=True))
    for i in range(0, len(ids), REFRESH_BATCH):
        refresh_program_figures.enqueue(program_ids=ids[i : i + REFRESH_BATCH])
    return len(ids)
