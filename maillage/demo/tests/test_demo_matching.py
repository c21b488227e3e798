from __future__ import annotations

from maillage.demo.editions import build_demo
from maillage.matching.services import run_matching
from maillage.programs.models import Role


def _groups(run) -> set[frozenset[str]]:
    labels = run.labels()
    return {
        frozenset([labels[p.mentor_key], *(labels[k] for k in p.mentee_keys)])
        for p in run.proposals.all()
    }


def test_the_demo_comes_out_as_the_pilots_two_groups(db):
    program = build_demo()
    coordinator = program.roles.get(kind=Role.Kind.COORDINATOR).person.user
    run = run_matching(program=program, by=coordinator)
    team = program.roles.filter(kind=Role.Kind.MENTOR, team__isnull=False).first().team
    assert run.is_done
    assert run.certificate["status"] == "optimal"
    assert _groups(run) == {
        frozenset([team.name, "Sophie Lavoie", "François Gauthier"]),
        frozenset(["Hélène Bergeron", "Annie Bélanger", "Karim Haddad"]),
    }
    side = next(p for p in run.instance["mentors"] if p["label"] == team.name)
    assert side["capacity"] == 2 and len(side["members"]) == 2
    assert run.result["unmatched"] == []
