"""Pages of the running mentoring. Each view: the group through `access.get_group` (404 for
anyone without a right to it), a form, one service call, a message, a redirect."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from maillage.core.audit import record_view
from maillage.core.locking import StaleEdit
from maillage.core.tables import table_download
from maillage.programs.access import get_program, post_only
from maillage.programs.models import Role

from . import calendar, hoursbank, selectors, services
from .access import GROUP_KINDS, Viewer, get_group, person_of, require, visible_groups
from .errors import MentoringError
from .forms import (
    AgreementForm,
    CancelForm,
    DesignationForm,
    GroupSettingsForm,
    HideMessageForm,
    MeetingForm,
    MessageEditForm,
    MessageForm,
    NeedForm,
    NoteForm,
    ObjectiveForm,
    RecordAcceptanceForm,
    RecordForm,
    ReplyForm,
    RescheduleForm,
    StepForm,
    TimeEntryForm,
    UpdateForm,
)
from .models import (
    ActionPlan,
    CalendarFeed,
    Group,
    GroupMember,
    GroupMessage,
    Meeting,
    Need,
    Objective,
    Step,
    UpdateMessage,
)

TABS = {
    "group.html": "group",
    "agreement.html": "agreement",
    "hours.html": "hours",
    "updates.html": "updates",
    "group_settings.html": "settings",
    "messages.html": "messages",
    "message.html": "messages",
}


def posted(view: Any) -> Any:
    """POST-only, but access first: an outsider gets 404 whatever the method."""

    def wrapper(request: HttpRequest, pk: int, group_pk: int, **kwargs: Any) -> HttpResponse:
        get_group(request, pk, group_pk)
        if request.method != "POST":
            return post_only()
        return view(request, pk, group_pk, **kwargs)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


# The write forms a group page may carry; a closed program's pages leave them out.
WRITE_FORMS = ("form", "record_form", "record", "note_form")


def _page(request: HttpRequest, v: Viewer, template: str, **context: Any) -> HttpResponse:
    if not v.writes:
        # A form sent anyway keeps what was entered, with the service's refusal on it.
        for name in WRITE_FORMS:
            if not getattr(context.get(name), "is_bound", False):
                context[name] = None
        context["can_edit"] = context.get("can_edit", False) and any(
            getattr(context.get(name), "is_bound", False) for name in WRITE_FORMS
        )
    return render(
        request,
        f"mentoring/{template}",
        {
            "program": v.program,
            "group": v.group,
            "viewer": v,
            "section": "groups",
            "tab": TABS.get(template, ""),
            "unread_messages": selectors.unread_counts(v.person, [v.group.pk]).get(v.group.pk, 0)
            if v.reads_messages
            else 0,
            **context,
        },
    )


def _back(v: Viewer, name: str = "group", *args: Any, anchor: str = "") -> HttpResponse:
    url = reverse(f"mentoring:{name}", args=[v.program.pk, v.group.pk, *args])
    return redirect(url + (f"#{anchor}" if anchor else ""))


def _try(request: HttpRequest, form: Any, call: Any, done: str) -> bool:
    """Run a service call; a domain error becomes a form error (values kept)."""
    try:
        call()
    except MentoringError as error:
        form.add_error(None, error.message)
        return False
    messages.success(request, done)
    return True


def _download(request: HttpRequest, fmt: str, table: Any, name: str, instance: Any) -> Any:
    headers, rows = table
    return table_download(
        fmt=fmt, headers=headers, rows=rows, name=name, instance=instance, by=request.user
    )


# --- Lists -----------------------------------------------------------------------------------


@login_required
def groups(request: HttpRequest, pk: int) -> HttpResponse:
    program = get_program(request, pk, GROUP_KINDS)
    rows = selectors.group_row_fragments(
        visible_groups(program, request.user, request.program_roles),
        viewer=",".join(sorted(request.program_roles)),
    )
    return render(
        request,
        "mentoring/groups.html",
        {"program": program, "section": "groups", "rows": rows},
    )


@login_required
def groups_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    program = get_program(request, pk, GROUP_KINDS)
    rows = selectors.group_rows(visible_groups(program, request.user, request.program_roles))
    return _download(request, fmt, selectors.group_table(rows), _("groupes"), program)


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    rows = selectors.group_rows(
        Group.objects.of_user(request.user).select_related("program"),
        reader=person_of(request.user),
    )
    return render(request, "mentoring/mine.html", {"rows": rows})


@login_required
def mine_export(request: HttpRequest, fmt: str) -> HttpResponse:
    person = person_of(request.user)
    if person is None:
        raise Http404
    rows = selectors.group_rows(Group.objects.of_user(request.user).select_related("program"))
    table = selectors.group_table(rows, show_program=True)
    return _download(request, fmt, table, _("mes groupes"), person)


# --- The group -------------------------------------------------------------------------------


@login_required
def group(request: HttpRequest, pk: int, group_pk: int) -> HttpResponse:
    v = get_group(request, pk, group_pk)
    return _page(request, v, "group.html", body=selectors.group_page_body(v))


@login_required
def meetings_export(request: HttpRequest, pk: int, group_pk: int, fmt: str) -> HttpResponse:
    v = get_group(request, pk, group_pk)
    return _download(request, fmt, selectors.meeting_table(v), _("rencontres"), v.group)


@login_required
def group_settings(request: HttpRequest, pk: int, group_pk: int) -> HttpResponse:
    v = get_group(request, pk, group_pk)
    require(v.is_coordinator)
    g = v.group
    form = GroupSettingsForm(
        request.POST or None,
        initial={
            "hours_bank": g.hours_bank,
            "observer_allowed": g.observer_allowed,
            "approved_on": timezone.localdate(g.approved_at),
        },
    )
    if form.is_valid() and _try(
        request,
        form,
        lambda: services.update_group_settings(group=g, **form.cleaned_data),
        _("Réglages du groupe enregistrés."),
    ):
        return _back(v)
    members = [
        (
            m,
            DesignationForm(
                prefix=f"m{m.pk}",
                initial={"is_designated": m.is_designated, "designation_note": m.designation_note},
            ),
        )
        for m in g.members.select_related("role__person")
        if m.side == GroupMember.Side.MENTEE
    ]
    return _page(request, v, "group_settings.html", form=form, members=members)


@login_required
@posted
def designation(request: HttpRequest, pk: int, group_pk: int, member_pk: int) -> HttpResponse:
    v = get_group(request, pk, group_pk)
    require(v.is_coordinator)
    member = get_object_or_404(GroupMember, pk=member_pk, group=v.group)
    form = DesignationForm(request.POST, prefix=f"m{member.pk}")
    if form.is_valid():
        services.set_designation(
            member=member,
            is_designated=form.cleaned_data["is_designated"],
            note=form.cleaned_data["designation_note"],
        )
        messages.success(request, _("Désignation enregistrée."))
    return _back(v, "group_settings")


# --- Agreement -------------------------------------------------------------------------------


def _record_form(v: Viewer, data: Any = None) -> RecordAcceptanceForm | None:
    """For the coordination, once there is an agreement and someone has yet to accept it."""
    current = v.group.current_agreement()
    if not v.is_coordinator or current is None:
        return None
    accepted = set(current.acceptances.values_list("person_id", flat=True))
    members = [
        m
        for m in v.group.members.select_related("role__person")
        if m.role.person_id not in accepted
    ]
    if not members:
        return None
    return RecordAcceptanceForm(data, members=members, initial={"version": current.version})


def _agreement_page(
    request: HttpRequest,
    v: Viewer,
    form: Any,
    record_form: RecordAcceptanceForm | None,
    conflict: list | None = None,
) -> HttpResponse:
    return _page(
        request,
        v,
        "agreement.html",
        form=form,
        record_form=record_form,
        conflict=conflict,
        **selectors.agreement_status(v),
    )


@login_required
def agreement(request: HttpRequest, pk: int, group_pk: int) -> HttpResponse:
    v = get_group(request, pk, group_pk)
    current = v.group.current_agreement()
    form = None
    record_form = _record_form(v)
    if v.is_coordinator:
        points = current.points if current else services.agreement_draft(v.group)
        initial = {"revision": current.revision if current else 0}
        form = AgreementForm(request.POST or None, points=points, initial=initial)
        try:
            if form.is_valid() and _try(
                request,
                form,
                lambda: services.edit_agreement(
                    group=v.group,
                    by=v.person,
                    texts=form.texts(),
                    revision=form.cleaned_data["revision"],
                ),
                _(
                    "Entente enregistrée. Si elle avait été acceptée, chaque côté doit l’accepter de nouveau."
                ),
            ):
                return _back(v, "agreement")
        except StaleEdit as stale:
            # Nothing overwritten: both texts side by side, what was typed kept.
            conflict = form.conflict(stale.current, form.saved(stale.current))
            return _agreement_page(request, v, form, record_form, conflict)
    return _agreement_page(request, v, form, record_form)


@login_required
@posted
def agreement_record(request: HttpRequest, pk: int, group_pk: int) -> HttpResponse:
    """The coordination records an acceptance given at the kickoff meeting, on paper…"""
    v = get_group(request, pk, group_pk)
    require(v.is_coordinator)
    record_form = _record_form(v, request.POST)
    if record_form is None:
        return _back(v, "agreement")
    if record_form.is_valid() and _try(
        request,
        record_form,
        lambda: services.record_acceptance(
            group=v.group, by=v.person, **record_form.service_kwargs()
        ),
        _("Acceptation consignée."),
    ):
        return _back(v, "agreement")
    return _agreement_page(
        request, v, AgreementForm(points=v.group.current_agreement().points), record_form
    )


@login_required
@posted
def agreement_accept(request: HttpRequest, pk: int, group_pk: int) -> HttpResponse:
    v = get_group(request, pk, group_pk)
    require(v.is_member)
    try:
        version = int(request.POST.get("version", "0"))
        services.accept_agreement(group=v.group, person=v.person, version=version)
        messages.success(request, _("Merci : votre acceptation de l’entente est enregistrée."))
    except (MentoringError, ValueError) as error:
        messages.error(request, getattr(error, "message", _("Version inconnue.")))
    return _back(v, "agreement")


# --- Meetings --------------------------------------------------------------------------------


def _mentees(g: Group) -> list[GroupMember]:
    return [
        m for m in g.members.select_related("role__person") if m.side == GroupMember.Side.MENTEE
    ]


def _meeting_defaults(g: Group) -> dict[str, Any]:
    return {
        "duration_minutes": int(g.program.meeting_duration_hours * 60),
        "mode": Meeting.Mode.IN_PERSON
        if g.program.meeting_format == "in_person"
        else Meeting.Mode.ONLINE,
    }


@login_required
def meeting_add(request: HttpRequest, pk: int, group_pk: int) -> HttpResponse:
    v = get_group(request, pk, group_pk)
    require(v.manages_meetings)
    form = MeetingForm(
        request.POST or None, mentees=_mentees(v.group), initial=_meeting_defaults(v.group)
    )
    if form.is_valid() and _try(
        request,
        form,
        lambda: services.schedule_meeting(group=v.group, by=v.person, **form.cleaned_data),
        _("Rencontre planifiée : les invitations partent par courriel."),
    ):
        return _back(v, anchor="rencontres")
    return _page(request, v, "meeting_form.html", form=form, title=_("Planifier une rencontre"))


@login_required
def kickoff(request: HttpRequest, pk: int, group_pk: int) -> HttpResponse:
    v = get_group(request, pk, group_pk)
    require(v.is_coordinator)
    form = MeetingForm(
        request.POST or None, mentees=[], kickoff=True, initial=_meeting_defaults(v.group)
    )
    if form.is_valid() and _try(
        request,
        form,
        lambda: services.schedule_kickoff(group=v.group, by=v.person, **form.cleaned_data),
        _("Rencontre de démarrage planifiée ; l’entente est prête à être relue et acceptée."),
    ):
        return _back(v)
    return _page(
        request,
        v,
        "meeting_form.html",
        form=form,
        title=_("Planifier la rencontre de démarrage"),
        intro=_(
            "L’entente du groupe est préparée à partir du modèle du programme : relisez-la "
            "avant la rencontre ; chaque côté l’accepte ensuite dans la plateforme."
        ),
    )


def _meeting(v: Viewer, meeting_pk: int) -> Meeting:
    meeting = get_object_or_404(Meeting, pk=meeting_pk, group=v.group)
    # An individual meeting is the mentor side's and that mentee's (and the coordinator's).
    if meeting.kind == Meeting.Kind.INDIVIDUAL and v.is_mentee:
        require(meeting.individual_with_id == v.member.pk)
    return meeting


@login_required
def meeting(request: HttpRequest, pk: int, group_pk: int, meeting_pk: int) -> HttpResponse:
    v = get_group(request, pk, group_pk)
    m = _meeting(v, meeting_pk)
    record = None
    if v.manages_meetings and m.status != Meeting.Status.CANCELLED:
        record = RecordForm(
            request.POST or None,
            invitees=m.invitees(),
            initial={
                "duration_minutes": m.duration_minutes,
                "log_time": True,
                "present": [str(a.person_id) for a in m.attendance.all() if a.present]
                or [str(x.role.person_id) for x in m.invitees()],
            },
        )
        if record.is_valid() and _try(
            request,
            record,
            lambda: services.record_meeting(
                meeting=m,
                by=v.person,
                present=record.present_people(),
                notes=record.cleaned_data["notes"],
                log_time=record.cleaned_data["log_time"],
                minutes=record.cleaned_data["duration_minutes"],
            ),
            _("Rencontre consignée : présences, notes et temps enregistrés."),
        ):
            return _back(v, "meeting", m.pk)
    if v.sees_confidential and request.method == "GET":
        record_view(
            instance=m, by=request.user, what="meeting_notes", program_id=m.group.program_id
        )
    return _page(
        request,
        v,
        "meeting.html",
        meeting=m,
        record=record,
        note_form=NoteForm() if v.manages_meetings else None,
        notes=m.notes.select_related("author") if v.sees_confidential else None,
        attendance=m.attendance.select_related("person"),
        now=timezone.now(),
    )


@login_required
@posted
def note_add(request: HttpRequest, pk: int, group_pk: int, meeting_pk: int) -> HttpResponse:
    v = get_group(request, pk, group_pk)
    require(v.manages_meetings)
    m = _meeting(v, meeting_pk)
    form = NoteForm(request.POST)
    if form.is_valid():
        services.add_note(meeting=m, author=v.person, text=form.cleaned_data["text"])
        messages.success(request, _("Note ajoutée."))
    else:
        messages.error(request, _("La note est vide."))
    return _back(v, "meeting", m.pk, anchor="notes")


@login_required
def meeting_reschedule(
    request: HttpRequest, pk: int, group_pk: int, meeting_pk: int
) -> HttpResponse:
    v = get_group(request, pk, group_pk)
    require(v.manages_meetings)
    m = _meeting(v, meeting_pk)
    form = RescheduleForm(
        request.POST or None,
        initial={
            "starts_at": timezone.localtime(m.starts_at),
            "duration_minutes": m.duration_minutes,
        },
    )
    if form.is_valid() and _try(
        request,
        form,
        lambda: services.reschedule_meeting(meeting=m, by=v.person, **form.cleaned_data),
        _("Rencontre déplacée : la mise à jour part par courriel."),
    ):
        return _back(v, "meeting", m.pk)
    return _page(
        request, v, "meeting_form.html", form=form, meeting=m, title=_("Déplacer la rencontre")
    )


@login_required
def meeting_cancel(request: HttpRequest, pk: int, group_pk: int, meeting_pk: int) -> HttpResponse:
    v = get_group(request, pk, group_pk)
    require(v.manages_meetings)
    m = _meeting(v, meeting_pk)
    form = CancelForm(request.POST or None)
    if form.is_valid() and _try(
        request,
        form,
        lambda: services.cancel_meeting(meeting=m, by=v.person, **form.cleaned_data),
        _("Rencontre annulée : l’annulation part par courriel."),
    ):
        return _back(v, "meeting", m.pk)
    return _page(
        request,
        v,
        "meeting_form.html",
        form=form,
        meeting=m,
        title=_("Annuler la rencontre"),
        danger=True,
    )


@login_required
def meeting_ics(request: HttpRequest, pk: int, group_pk: int, meeting_pk: int) -> HttpResponse:
    v = get_group(request, pk, group_pk)
    m = _meeting(v, meeting_pk)
    method = "CANCEL" if m.status == Meeting.Status.CANCELLED else "REQUEST"
    lang = v.person.language if v.person else "fr"
    response = HttpResponse(
        calendar.invitation(m, method, lang), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="rencontre-{m.pk}.ics"'
    return response


# --- Action plans ----------------------------------------------------------------------------


def _plan(v: Viewer, member_pk: int) -> tuple[GroupMember, ActionPlan]:
    require(v.sees_confidential)
    member = get_object_or_404(
        GroupMember, pk=member_pk, group=v.group, side=GroupMember.Side.MENTEE
    )
    plan = ActionPlan.objects.filter(mentee=member).first()
    if plan is None:
        plan = services.plan_for(member=member)
    return member, plan


def _plan_page(
    request: HttpRequest, v: Viewer, member: GroupMember, p: ActionPlan, need_form: NeedForm
) -> HttpResponse:
    return _page(
        request,
        v,
        "plan.html",
        member=member,
        **selectors.plan_page(p),
        can_edit=v.edits_plan(member),
        need_form=need_form,
        objective_form=ObjectiveForm(),
        step_form=StepForm(prefix="step"),
    )


@login_required
def plan(request: HttpRequest, pk: int, group_pk: int, member_pk: int) -> HttpResponse:
    v = get_group(request, pk, group_pk)
    member, p = _plan(v, member_pk)
    return _plan_page(request, v, member, p, NeedForm())


@login_required
def plan_export(
    request: HttpRequest, pk: int, group_pk: int, member_pk: int, fmt: str
) -> HttpResponse:
    """The needs of a plan (as on its page); an export never creates the plan."""
    v = get_group(request, pk, group_pk)
    require(v.sees_confidential)
    member = get_object_or_404(
        GroupMember, pk=member_pk, group=v.group, side=GroupMember.Side.MENTEE
    )
    plan = ActionPlan.objects.filter(mentee=member).first()
    table = selectors.need_table(plan, scores=v.is_coordinator)
    return _download(request, fmt, table, _("besoins"), v.group)


def _plan_post(
    request: HttpRequest,
    v: Viewer,
    member: GroupMember,
    form: Any,
    call: Any,
    done: str,
    anchor: str,
) -> HttpResponse:
    require(v.edits_plan(member))
    if form.is_valid():
        try:
            call()
            messages.success(request, done)
        except MentoringError as error:
            messages.error(request, error.message)
    else:
        messages.error(request, _("Vérifiez le champ : il ne peut pas être vide."))
    return _back(v, "plan", member.pk, anchor=anchor)


@login_required
@posted
def need_add(request: HttpRequest, pk: int, group_pk: int, member_pk: int) -> HttpResponse:
    v = get_group(request, pk, group_pk)
    member, p = _plan(v, member_pk)
    require(v.edits_plan(member))
    form = NeedForm(request.POST)
    if form.is_valid() and _try(
        request,
        form,
        lambda: services.add_need(plan=p, by=v.person, **form.cleaned_data),
        _("Besoin ajouté, avec une suggestion d’adéquation à l’expertise du côté mentor."),
    ):
        return _back(v, "plan", member.pk, anchor="besoins")
    # What was written stays on the page with the message next to it.
    return _plan_page(request, v, member, p, form)


@login_required
@posted
def need_update(
    request: HttpRequest, pk: int, group_pk: int, member_pk: int, need_pk: int
) -> HttpResponse:
    v = get_group(request, pk, group_pk)
    member, p = _plan(v, member_pk)
    require(v.edits_plan(member))
    need = get_object_or_404(Need, pk=need_pk, plan=p)
    action = request.POST.get("action", "")
    try:
        if action in ("inside", "outside", "undecided"):
            inside = {"inside": True, "outside": False, "undecided": None}[action]
            services.decide_need(need=need, by=v.person, inside=inside)
        elif action in ("up", "down"):
            services.move_need(need=need, by=v.person, up=action == "up")
        elif action in Need.Status.values:
            services.set_need_status(need=need, by=v.person, status=action)
        else:
            raise Http404
        messages.success(request, _("Besoin mis à jour."))
    except MentoringError as error:
        messages.error(request, error.message)
    return _back(v, "plan", member.pk, anchor=f"besoin-{need.pk}")


@login_required
@posted
def objective_add(request: HttpRequest, pk: int, group_pk: int, member_pk: int) -> HttpResponse:
    v = get_group(request, pk, group_pk)
    member, p = _plan(v, member_pk)
    form = ObjectiveForm(request.POST)
    return _plan_post(
        request,
        v,
        member,
        form,
        lambda: services.add_objective(plan=p, by=v.person, **form.cleaned_data),
        _("Objectif ajouté."),
        "objectifs",
    )


@login_required
@posted
def objective_update(
    request: HttpRequest, pk: int, group_pk: int, member_pk: int, objective_pk: int
) -> HttpResponse:
    v = get_group(request, pk, group_pk)
    member, p = _plan(v, member_pk)
    require(v.edits_plan(member))
    objective = get_object_or_404(Objective, pk=objective_pk, plan=p)
    if "text" in request.POST:
        form = StepForm(request.POST, prefix="step")
        return _plan_post(
            request,
            v,
            member,
            form,
            lambda: services.add_step(objective=objective, by=v.person, **form.cleaned_data),
            _("Étape ajoutée."),
            f"objectif-{objective.pk}",
        )
    try:
        services.set_objective_status(
            objective=objective, by=v.person, status=request.POST.get("status", "")
        )
        messages.success(request, _("Objectif mis à jour."))
    except MentoringError as error:
        messages.error(request, error.message)
    return _back(v, "plan", member.pk, anchor=f"objectif-{objective.pk}")


@login_required
@posted
def step_update(
    request: HttpRequest, pk: int, group_pk: int, member_pk: int, step_pk: int
) -> HttpResponse:
    v = get_group(request, pk, group_pk)
    member, p = _plan(v, member_pk)
    require(v.edits_plan(member))
    step = get_object_or_404(Step, pk=step_pk, objective__plan=p)
    try:
        services.set_step_status(step=step, by=v.person, status=request.POST.get("status", ""))
        messages.success(request, _("Étape mise à jour."))
    except MentoringError as error:
        messages.error(request, error.message)
    return _back(v, "plan", member.pk, anchor=f"objectif-{step.objective_id}")


# --- Hours bank ------------------------------------------------------------------------------


@login_required
def hours(request: HttpRequest, pk: int, group_pk: int) -> HttpResponse:
    v = get_group(request, pk, group_pk)
    form = None
    if v.manages_meetings:
        members = list(v.group.members.select_related("role__person")) if v.is_coordinator else None
        form = TimeEntryForm(
            request.POST or None, members=members, initial={"date": timezone.localdate()}
        )
        if form.is_valid():
            who = form.people[form.cleaned_data["person"]] if members else v.person
            if _try(
                request,
                form,
                lambda: services.log_time(
                    group=v.group,
                    person=who,
                    on=form.cleaned_data["date"],
                    minutes=form.minutes(),
                    kind=form.cleaned_data["kind"],
                    note=form.cleaned_data["note"],
                ),
                _("Temps ajouté à la banque d’heures."),
            ):
                return _back(v, "hours")
    return _page(
        request,
        v,
        "hours.html",
        form=form,
        bank=hoursbank.bank(v.group),
        entries=selectors.time_entries(v),
    )


@login_required
def hours_export(request: HttpRequest, pk: int, group_pk: int, fmt: str) -> HttpResponse:
    v = get_group(request, pk, group_pk)
    return _download(request, fmt, selectors.time_table(v), _("temps consigné"), v.group)


# --- Updates ---------------------------------------------------------------------------------


@login_required
def updates(request: HttpRequest, pk: int, group_pk: int) -> HttpResponse:
    v = get_group(request, pk, group_pk)
    require(v.sees_confidential)
    form = None
    if v.is_member:
        needs = list(Need.objects.filter(plan__mentee=v.member).exclude(status=Need.Status.DROPPED))
        upcoming = list(v.group.meetings.planned().filter(starts_at__gte=timezone.now()))
        form = UpdateForm(
            request.POST or None, needs=needs, meetings=upcoming, mentor=v.is_mentor_side
        )
        if form.is_valid() and _try(
            request,
            form,
            lambda: services.post_update(
                group=v.group,
                author=v.person,
                text=form.cleaned_data["text"],
                next_meeting=(form.picked("next_meeting") or [None])[0],
                addressed=form.picked("addressed"),
                changed=form.picked("changed"),
            ),
            _("Message publié ; le groupe est prévenu par courriel."),
        ):
            return _back(v, "updates")
    return _page(request, v, "updates.html", form=form, **selectors.updates_page(v))


@login_required
@posted
def update_reply(request: HttpRequest, pk: int, group_pk: int, update_pk: int) -> HttpResponse:
    v = get_group(request, pk, group_pk)
    require(v.is_mentee)
    message = get_object_or_404(UpdateMessage, pk=update_pk, group=v.group)
    form = ReplyForm(request.POST)
    if form.is_valid():
        try:
            services.reply_update(
                message=message, person=v.person, answer=form.cleaned_data["answer"]
            )
            messages.success(request, _("Réponse envoyée au côté mentor."))
        except MentoringError as error:
            messages.error(request, error.message)
    return _back(v, "updates", anchor=f"message-{message.pk}")


# --- Calendar --------------------------------------------------------------------------------


@login_required
def my_calendar(request: HttpRequest) -> HttpResponse:
    person = person_of(request.user)
    if person is None:
        raise Http404
    if request.method == "POST":
        services.regenerate_calendar_token(person=person)
        messages.success(request, _("Nouvelle adresse créée ; l’ancienne ne fonctionne plus."))
        return redirect("mentoring:my_calendar")
    feed = services.calendar_feed(person=person)
    url = request.build_absolute_uri(reverse("mentoring:feed", args=[feed.token]))
    return render(request, "mentoring/calendar.html", {"feed_url": url})


def feed(request: HttpRequest, token: str) -> HttpResponse:
    """No login: calendar programs fetch it. The token is the secret; a wrong one is a 404."""
    entry = get_object_or_404(CalendarFeed.objects.select_related("person"), token=token)
    response = HttpResponse(
        calendar.feed(entry.person), content_type="text/calendar; charset=utf-8"
    )
    response["Cache-Control"] = "private, no-store"
    return response


# The people a matching decided about.
PARTICIPANTS = (Role.Kind.MENTOR, Role.Kind.MENTEE)


@login_required
def my_group(request: HttpRequest, pk: int) -> HttpResponse:
    program = get_program(request, pk, PARTICIPANTS)
    return render(
        request,
        "mentoring/my_group.html",
        {
            "program": program,
            "section": "my_group",
            "groups": selectors.my_groups(program, request.user),
        },
    )


@login_required
def my_group_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    program = get_program(request, pk, PARTICIPANTS)
    headers, rows = selectors.my_group_table(program, request.user)
    return table_download(
        fmt=fmt,
        headers=headers,
        rows=rows,
        name=_("mon groupe"),
        instance=program,
        by=request.user,
    )


# --- Messages --------------------------------------------------------------------------------


def _thread_viewer(request: HttpRequest, pk: int, group_pk: int) -> Viewer:
    v = get_group(request, pk, group_pk)
    require(v.reads_messages)
    return v


def _messages_url(v: Viewer, anchor: str = "dernier") -> str:
    return reverse("mentoring:messages", args=[v.program.pk, v.group.pk]) + f"#{anchor}"


@login_required
def thread(request: HttpRequest, pk: int, group_pk: int) -> HttpResponse:
    """The group's thread, newest at the bottom, and the box to write (htmx posts it and swaps
    the conversation in place; without JavaScript the form posts and the page reloads)."""
    v = _thread_viewer(request, pk, group_pk)
    form, sent = MessageForm(request.POST or None), False
    if request.method == "POST" and form.is_valid():
        try:
            services.post_message(
                group=v.group, author=v.person, by=request.user, **form.cleaned_data
            )
        except MentoringError as error:
            form.add_error("text", error.message)
        else:
            if not request.headers.get("HX-Request"):
                return redirect(_messages_url(v))
            form, sent = MessageForm(), True
    before = request.GET.get("avant")
    page = selectors.thread(
        v.group, v.person, before=int(before) if before and before.isdigit() else None
    )
    if not before and page.last_id:
        services.mark_read(group=v.group, person=v.person, up_to=page.last_id)
    template = (
        "includes/conversation.html" if request.headers.get("HX-Request") else "messages.html"
    )
    return _page(
        request,
        v,
        template,
        thread=page,
        sent=sent,
        message_form=form if v.writes_messages or form.is_bound else None,
    )


def _group_message(v: Viewer, message_pk: int) -> GroupMessage:
    return get_object_or_404(
        GroupMessage.objects.select_related("author"), pk=message_pk, group=v.group
    )


@login_required
def message(request: HttpRequest, pk: int, group_pk: int, message_pk: int) -> HttpResponse:
    """One message: its author corrects it (within the edit window) or withdraws it; the
    coordination hides it with a reason."""
    v = _thread_viewer(request, pk, group_pk)
    msg = _group_message(v, message_pk)
    mine = v.person is not None and msg.author_id == v.person.pk
    require(mine or v.is_coordinator)
    form = MessageEditForm(request.POST or None, initial={"text": msg.text})
    if (
        request.method == "POST"
        and form.is_valid()
        and _try(
            request,
            form,
            lambda: services.edit_message(
                message=msg, person=v.person, text=form.cleaned_data["text"], by=request.user
            ),
            _("Message modifié."),
        )
    ):
        return redirect(_messages_url(v, f"message-{msg.pk}"))
    return _page(
        request,
        v,
        "message.html",
        msg=msg,
        mine=mine,
        edit_form=form
        if mine and v.writes_messages and (msg.can_edit(v.person) or form.is_bound)
        else None,
        hide_form=HideMessageForm() if v.is_coordinator and not msg.is_removed else None,
    )


@login_required
@posted
def message_delete(request: HttpRequest, pk: int, group_pk: int, message_pk: int) -> HttpResponse:
    v = _thread_viewer(request, pk, group_pk)
    msg = _group_message(v, message_pk)
    require(v.person is not None and msg.author_id == v.person.pk)
    try:
        services.delete_message(message=msg, person=v.person, by=request.user)
    except MentoringError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Message retiré."))
    return redirect(_messages_url(v, f"message-{msg.pk}"))


@login_required
@posted
def message_hide(request: HttpRequest, pk: int, group_pk: int, message_pk: int) -> HttpResponse:
    v = _thread_viewer(request, pk, group_pk)
    require(v.is_coordinator)
    msg = _group_message(v, message_pk)
    form = HideMessageForm(request.POST)
    if form.is_valid() and _try(
        request,
        form,
        lambda: services.hide_message(
            message=msg, by_person=v.person, reason=form.cleaned_data["reason"], by=request.user
        ),
        _("Message masqué. Le groupe voit la raison à sa place."),
    ):
        return redirect(_messages_url(v, f"message-{msg.pk}"))
    return _page(request, v, "message.html", msg=msg, mine=False, edit_form=None, hide_form=form)
