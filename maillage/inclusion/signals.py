"""What inclusion asks of the floors above it (matching, mentoring, evaluation).

Inclusion sits on the floor of intake and selection: it counts applicants and selected people
itself, and asks the apps above for the rest through these signals, answered from their
`receivers` module.
"""

from __future__ import annotations

from django.dispatch import Signal

# The people of one stage of a program: `program`. Each receiver returns a dict
# {stage: set of person ids}; stages: "matched" (mentees in a group), "mentors" (mentor side of a
# group), "satisfied" (said they were satisfied or very satisfied).
stage_people = Signal()

# A person withdrew their declarations for one purpose (inside the withdrawal's transaction):
# `program`, `person`, `purpose`, `by`. Matching removes them from the inputs it stored.
declarations_withdrawn = Signal()
