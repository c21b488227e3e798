"""Tools shared inside a mentoring group: guides, templates, calculators, plans (the pilot's
Tableau 3), in any direction, as a checked file or a link, private to the group by default.
"""

from __future__ import annotations

import uuid
from pathlib import PurePosixPath
from typing import Any

from django.conf import settings
from django.core.validators import URLValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from maillage.core.models import Person
from maillage.mentoring.models import Group, GroupMember
from maillage.programs.models import Program, Role


def stored_name(instance: Tool, filename: str) -> str:
    """A random name under tools/: the person's file name is never used on disk (it is kept
    in `original_name` for the download only)."""
    suffix = PurePosixPath(filename).suffix.lower()
    return f"tools/{uuid.uuid4().hex}{suffix}"


class ToolQuerySet(models.QuerySet):
    def available(self) -> ToolQuerySet:
        return self.filter(planned=False)

    def shared_with_program(self) -> ToolQuerySet:
        """Tools their owners opened to every participant of the program (or wider)."""
        return self.filter(reuse__in=[Tool.Reuse.PROGRAM, Tool.Reuse.PUBLIC])

    def public(self) -> ToolQuerySet:
        """Tools in the network's public library: the owner asked and the coordinator confirmed."""
        return self.filter(reuse=Tool.Reuse.PUBLIC, public_confirmed_at__isnull=False)

    def visible_to(self, user: Any, program: Program) -> ToolQuerySet:
        """Tools of `program` this user may see: their groups' tools, the tools opened to the
        program, every tool for the coordinator, and for an observer the groups that agreed."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        tools = self.filter(group__program=program)
        kinds = set(program.roles.of_user(user).values_list("kind", flat=True))
        if user.is_superuser or Role.Kind.COORDINATOR in kinds:
            return tools
        if not kinds:
            return self.none()
        allowed = Q(reuse__in=[Tool.Reuse.PROGRAM, Tool.Reuse.PUBLIC]) | Q(
            group__in=Group.objects.of_user(user).filter(program=program)
        )
        if Role.Kind.OBSERVER in kinds:
            observed = [g.pk for g in program.groups.all() if observed_group(g)]
            allowed |= Q(group__in=observed)
        return tools.filter(allowed)


def observed_group(group: Group) -> bool:
    # The mentoring app adds `observer_allowed`; until it exists no group has agreed.
    return bool(getattr(group, "observer_allowed", False))


class Tool(models.Model):
    class Type(models.TextChoices):
        GUIDE = "guide", _("Guide")
        TEMPLATE = "template", _("Gabarit ou modèle")
        CALCULATOR = "calculator", _("Calculateur ou application")
        PLAN = "plan", _("Plan (plan d’action, plan d’aménagement)")
        SURVEY = "survey", _("Sondage ou formulaire")
        PRESENTATION = "presentation", _("Présentation")
        RESOURCE = "resource", _("Ressource informative")
        AGREEMENT = "agreement", _("Modèle d’entente")
        OTHER = "other", _("Autre")

    class Reuse(models.TextChoices):
        GROUP = "group", _("Réservé au groupe")
        PROGRAM = "program", _("Participant·es du programme")
        PUBLIC = "public", _("Bibliothèque publique du réseau (confirmée par la coordination)")

    class Direction(models.TextChoices):
        MENTOR_TO_MENTEE = "mentor_to_mentee", _("Mentor·e → personnes mentorées")
        MENTEE_TO_MENTOR = "mentee_to_mentor", _("Personne mentorée → mentor·e")
        MENTEE_TO_GROUP = "mentee_to_group", _("Personne mentorée → groupe")
        COORDINATION = "coordination", _("Coordination → groupe")

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="tools")
    shared_by = models.ForeignKey(
        Person, verbose_name=_("partagé par"), on_delete=models.PROTECT, related_name="tools"
    )
    # Derived from the sharer's side when the tool is added (see derive_direction), stored so
    # that the report counts it as it was, even if the group changes later.
    direction = models.CharField(_("sens du partage"), max_length=20, choices=Direction.choices)
    title = models.CharField(_("titre"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    theme = models.CharField(
        _("thème"),
        max_length=200,
        blank=True,
        help_text=_("Par exemple : mutualisation des véhicules, gouvernance, tri des matières."),
    )
    type = models.CharField(_("type d’outil"), max_length=20, choices=Type.choices)
    file = models.FileField(_("fichier"), upload_to=stored_name, blank=True, max_length=200)
    original_name = models.CharField(_("nom du fichier"), max_length=200, blank=True)
    content_type = models.CharField(max_length=120, blank=True)
    size = models.PositiveBigIntegerField(_("taille (octets)"), null=True, blank=True)
    url = models.URLField(
        _("lien"),
        max_length=1000,
        blank=True,
        validators=[URLValidator(schemes=["http", "https"])],
    )
    reuse = models.CharField(
        _("réutilisation hors du groupe"),
        max_length=10,
        choices=Reuse.choices,
        default=Reuse.GROUP,
    )
    public_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("diffusion publique confirmée par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    public_confirmed_at = models.DateTimeField(
        _("diffusion publique confirmée le"), null=True, blank=True
    )
    planned = models.BooleanField(
        _("à venir"),
        default=False,
        help_text=_(
            "L’outil est annoncé mais pas encore prêt (ni fichier ni lien pour l’instant)."
        ),
    )
    created_at = models.DateTimeField(_("partagé le"), auto_now_add=True)

    objects = ToolQuerySet.as_manager()

    class Meta:
        verbose_name = _("outil partagé")
        verbose_name_plural = _("outils partagés")
        ordering = ["theme", "type", "title", "id"]
        constraints = [
            # A file or a link, never both; neither only while the tool is still to come.
            models.CheckConstraint(
                condition=~(~Q(file="") & ~Q(url="")),
                name="tool_file_or_link_not_both",
            ),
            models.CheckConstraint(
                condition=Q(planned=True) | ~Q(file="") | ~Q(url=""),
                name="tool_file_or_link_unless_planned",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def program_id(self) -> int:
        return self.group.program_id

    @property
    def is_file(self) -> bool:
        return bool(self.file)

    @property
    def is_public(self) -> bool:
        return self.reuse == self.Reuse.PUBLIC and self.public_confirmed_at is not None

    @property
    def awaits_public_confirmation(self) -> bool:
        return self.reuse == self.Reuse.PUBLIC and self.public_confirmed_at is None


def derive_direction(group: Group, person: Person) -> str:
    """Which way a tool travels, from the sharer's side in the group.

    A mentee sharing in a group with other mentees shares with the whole group (the pilot's
    mentee who passed her coaching tools to her mentor and the other mentee); alone with a
    mentor, with the mentor. Someone outside the group (the coordinator) shares as coordination.
    """
    members = list(group.members.select_related("role"))
    sides = {m.side for m in members if m.role.person_id == person.pk}
    if GroupMember.Side.MENTOR in sides:
        return Tool.Direction.MENTOR_TO_MENTEE
    if GroupMember.Side.MENTEE in sides:
        other_mentees = [
            m
            for m in members
            if m.side == GroupMember.Side.MENTEE and m.role.person_id != person.pk
        ]
        return Tool.Direction.MENTEE_TO_GROUP if other_mentees else Tool.Direction.MENTEE_TO_MENTOR
    return Tool.Direction.COORDINATION
