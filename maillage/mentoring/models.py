"""Mentoring groups: one mentor side and its mentees, formed when a person approves a proposal.

Later work (meetings, agreements, action plans, hours bank) hangs on `Group`.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from maillage.core.models import Team
from maillage.programs.models import Program, Role, Track


class GroupQuerySet(models.QuerySet):
    def active(self) -> GroupQuerySet:
        return self.filter(status=Group.Status.ACTIVE)

    def of_user(self, user: Any) -> GroupQuerySet:
        """Groups the user belongs to, through one of their roles."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(members__role__person__user=user).distinct()


class Group(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("Actif")
        CLOSED = "closed", _("Terminé")

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="groups")
    track = models.ForeignKey(
        Track, verbose_name=_("volet"), null=True, blank=True, on_delete=models.SET_NULL
    )
    name = models.CharField(_("nom"), max_length=300, blank=True)
    mentor_team = models.ForeignKey(
        Team,
        verbose_name=_("équipe mentore"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="mentoring_groups",
        help_text=_("Quand le côté mentor est une équipe."),
    )
    status = models.CharField(
        _("statut"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approuvé par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approuvé le"))
    created_from = models.ForeignKey(
        "matching.Proposal",
        verbose_name=_("proposition d’origine"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="groups",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = GroupQuerySet.as_manager()

    class Meta:
        verbose_name = _("groupe de mentorat")
        verbose_name_plural = _("groupes de mentorat")
        ordering = ["program", "track__order", "name", "id"]

    def __str__(self) -> str:
        return self.name or f"#{self.pk}"

    def mentor_roles(self) -> list[Role]:
        return [m.role for m in self.members.all() if m.side == GroupMember.Side.MENTOR]

    def mentee_roles(self) -> list[Role]:
        return [m.role for m in self.members.all() if m.side == GroupMember.Side.MENTEE]


class GroupMember(models.Model):
    class Side(models.TextChoices):
        MENTOR = "mentor", _("Côté mentor")
        MENTEE = "mentee", _("Personne mentorée")

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="members")
    role = models.ForeignKey(Role, on_delete=models.CASCADE, related_name="group_memberships")
    side = models.CharField(_("côté"), max_length=10, choices=Side.choices)

    class Meta:
        verbose_name = _("membre d’un groupe")
        verbose_name_plural = _("membres d’un groupe")
        ordering = ["group", "side", "role__person__last_name"]
        constraints = [
            models.UniqueConstraint(fields=["group", "role"], name="unique_group_member")
        ]

    def __str__(self) -> str:
        return f"{self.role.person} — {self.group}"

    @property
    def program_id(self) -> int:
        return self.group.program_id
