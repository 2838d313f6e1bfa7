"""Subgoal decompositions of an expert's trajectory: the blueprints of HiMAC's warm start.

Each env's `expert_plan()` returns an `ExpertPlan`: (subgoal text, the expert actions that
fulfil it, in order) per subgoal; the actions, concatenated, are the expert's whole
remaining trajectory. Envs mark the actions that complete a subgoal and `split_after` cuts
there, so the navigation that leads up to such an action belongs to its subgoal.
"""

from __future__ import annotations

from collections.abc import Sequence

ExpertPlan = list[tuple[str, list[str]]]


def split_after(actions: Sequence[str], ends: Sequence[str | None], rest: str) -> ExpertPlan:
    """Cut `actions` after each action whose `ends` entry is a subgoal text, naming the
    piece with it. Actions after the last cut join the last subgoal, or form one subgoal
    named `rest` when nothing was cut."""
    assert len(actions) == len(ends), f"{len(actions)} actions but {len(ends)} subgoal marks"
    plan: ExpertPlan = []
    pending: list[str] = []
    for action, text in zip(actions, ends):
        pending.append(action)
        if text is not None:
            plan.append((text, pending))
            pending = []
    if pending:
        if plan:
            plan[-1][1].extend(pending)
        else:
            plan.append((rest, pending))
    return plan
