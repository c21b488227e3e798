"""Background work of the shared measurement: refreshing the stored figures of member programs
(the network page reads them instead of computing every program on each view)."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from maillage.core.dbwait import lost_database
from maillage.programs.models import Program

from . import services
from .models import Network


@task()
def refresh_network_figures(*, network_id: int) -> int:
    """Queued by staff's « Mettre à jour les chiffres »: every program of the network."""
    network = Network.objects.filter(pk=network_id).first()
    if network is None:
        return 0
    started_at = timezone.now()
    try:
        return services.finish_figures_refresh(network=network, started_at=started_at)
    except Exception as error:
        if lost_database(error):
            raise  # the worker runs it again once the database is back (core.worker)
        services.fail_figures_refresh(network=network, started_at=started_at)
        raise  # recorded as failed by the worker, with its traceback for the operators


@task()
def refresh_program_figures(*, program_ids: list[int]) -> int:
    """Queued by the daily job, by batches of programs."""
    programs = Program.objects.filter(pk__in=program_ids).order_by("pk")
    return services.refresh_figures(programs=programs)


@task()
def send_network_invitation(*, invitation_id: int) -> bool:
    """The e-mail inviting someone known elsewhere to take a role in a network."""
    from .emails import network_invitation_message
    from .models import NetworkInvitation

    invitation = (
        NetworkInvitation.objects.select_related("network", "person", "created_by")
        .filter(pk=invitation_id, status=NetworkInvitation.Status.PENDING)
        .first()
    )
    if invitation is None or not invitation.person.email:
        return False
    network_invitation_message(invitation).send()
    return True


@task()
def offer_network_role(*, network_id: int, stand_in_id: int, by_id: int | None = None) -> bool:
    """After a network role given by e-mail: invite the person Maillage knows by that
    address, if any."""
    from django.contrib.auth import get_user_model

    from maillage.core.models import Person

    network = Network.objects.filter(pk=network_id).first()
    stand_in = Person.objects.filter(pk=stand_in_id).first()
    if network is None or stand_in is None:
        return False
    by = get_user_model().objects.filter(pk=by_id).first() if by_id else None
    return services.offer_network_role(network=network, stand_in=stand_in, by=by) is not None
