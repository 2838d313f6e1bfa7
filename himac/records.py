"""Finished episodes: the record `run_episode` returns, its metrics, its dump, the abort check.

Pure logic (numpy only). An env reports its own per-episode measures in `info["metrics"]`
(WebShop: its raw score); they are kept from the last step and averaged like the rest.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from himac.agent.episode import Turn


@dataclass
class EpisodeRecord:
    """One finished (or aborted) episode: its blueprint, the planner's turn, the executor's turns."""

    task_id: str
    task_type: str
    blueprint: list[str]
    planner_turn: Turn | None = None
    turns: list[Turn] = field(default_factory=list)
    episode_return: float = 0.0
    won: bool = False
    steps: int = 0
    invalid: int = 0
    subgoal_completion: float = 0.0
    aborted: bool = False
    abort_reason: str = ""
    env_metrics: dict[str, float] = field(default_factory=dict)  # the env's info["metrics"] at the last step
    truncated_prompts: int = 0  # prompts shortened to fit rollout.max_model_len


def check_aborted(records: list[EpisodeRecord], max_fraction: float, where: str) -> None:
    """A rollout with more than `max_fraction` aborted episodes is a fault: stop, naming the causes."""
    aborted = [r for r in records if r.aborted]
    if records and len(aborted) / len(records) > max_fraction:
        causes = Counter(r.abort_reason.strip().splitlines()[0] if r.abort_reason.strip() else "?" for r in aborted)
        listed = "; ".join(f"{n}x {why}" for why, n in causes.most_common(3))
        raise RuntimeError(f"{where}: {len(aborted)} of {len(records)} episodes aborted (more than "
                           f"trainer.max_aborted_fraction={max_fraction}); causes: {listed}")


def write_episodes(records: list[EpisodeRecord], path: Path) -> None:
    """Episodes as people read them: task, blueprint, each turn's subgoal, response, action and reward."""
    if not records:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w") as f:
        for r in records:
            f.write(json.dumps({
                "task": r.task_id, "task_type": r.task_type, "won": r.won, **r.env_metrics,
                "return": r.episode_return, "steps": r.steps, "aborted": r.aborted, "abort_reason": r.abort_reason,
                "planner_response": r.planner_turn.response if r.planner_turn else None, "blueprint": r.blueprint,
                "turns": [{"subgoal": t.subgoal_index, "observation": t.observation[:2000], "response": t.response,
                           "action": t.action, "valid": t.valid, "sub_done": t.sub_done, "reward": t.reward}
                          for t in r.turns],
            }) + "\n")


def episode_metrics(records: list[EpisodeRecord], prefix: str) -> dict[str, float]:
    """Success overall and per task type, return, steps, valid-action ratio, blueprint stats, the
    env's own metrics."""
    done = [r for r in records if not r.aborted]
    m: dict[str, float] = {f"{prefix}/episodes": len(records), f"{prefix}/aborted": len(records) - len(done),
                           f"{prefix}/truncated_prompts": sum(r.truncated_prompts for r in records)}
    if not done:
        return m
    steps = sum(r.steps for r in done)
    m.update({
        f"{prefix}/success_rate": float(np.mean([r.won for r in done])),
        f"{prefix}/return": float(np.mean([r.episode_return for r in done])),
        f"{prefix}/steps": float(np.mean([r.steps for r in done])),
        f"{prefix}/valid_action_ratio": 1.0 - sum(r.invalid for r in done) / max(steps, 1),
        f"{prefix}/blueprint_len": float(np.mean([len(r.blueprint) for r in done])),
        f"{prefix}/subgoal_completion": float(np.mean([r.subgoal_completion for r in done])),
    })
    for key in sorted({k for r in done for k in r.env_metrics}):
        m[f"{prefix}/{key}"] = float(np.mean([r.env_metrics[key] for r in done if key in r.env_metrics]))
    per_type: dict[str, list[bool]] = defaultdict(list)
    for r in done:
        per_type[r.task_type].append(r.won)
    if len(per_type) > 1 or "all" not in per_type:
        for k, v in per_type.items():
            m[f"{prefix}/success/{k}"] = float(np.mean(v))
    return m
