"""The whole demo, as `load_demo` builds it: both editions, then everything that sits on them.

One function so that a test loads exactly what a person who runs `./run` sees (the accreditation
dossier's figures depend on what the inclusion and training demos put on each edition)."""

from __future__ import annotations

from dataclasses import dataclass

from maillage.measurement.models import Network
from maillage.programs.models import Program

from .accreditation import build_demo_accreditation
from .directory import build_demo_directory
from .editions import DEMO_TITLE, PAST_DEMO_TITLE, build_demo, demo_exists
from .governance import build_demo_governance
from .inclusion import build_demo_inclusion
from .network import build_demo_network
from .pilot import build_past_edition
from .practice import build_demo_practice
from .resources import build_demo_resources
from .training import build_demo_training


@dataclass
class Demo:
    program: Program  # the current edition
    network: Network
    built_now: bool  # False when the editions were already there


def build_full_demo() -> Demo:
    """Once: running it again adds nothing."""
    built_now = not demo_exists()
    if built_now:
        # The current edition (at matching) and the completed 2025 one, each once: a
        # database loaded before the 2025 edition existed gets it, with the same people.
        if not Program.objects.filter(title=DEMO_TITLE).exists():
            build_demo()
        if not Program.objects.filter(title=PAST_DEMO_TITLE).exists():
            build_past_edition()
    program = Program.objects.get(title=DEMO_TITLE)
    network = build_demo_network(program)
    build_demo_training(program)
    build_demo_inclusion()
    build_demo_resources(network)
    build_demo_accreditation(network)
    build_demo_directory(network)
    build_demo_practice(network)
    build_demo_governance(network)
    return Demo(program=program, network=network, built_now=built_now)
