"""The credit that no-op moves get in Sokoban RL: GiGPO turn advantages as the trainer computes them
(`himac.samples.executor_samples` with `algorithm.adv_estimator: gigpo_no_std`, gamma 0.95, omega 1,
scaled by mean turns / turns), on logged training episodes (`trainer.log_train_episodes`).

    python bench/sokoban_noop_credit.py "runs/diag-sokoban/adv-check/episodes/train/*_B.jsonl"

A no-op turn is one whose next board is identical (a move into a wall or into a box that cannot move).
Per file: the turns of won episodes with a negative advantage, the no-op turns with a positive one, and
the no-op turns split by episode outcome into GiGPO's episode term and step term (means).
"""

from __future__ import annotations

import glob
import json
import statistics
import sys
from pathlib import Path

# Run as a script, this file's folder leads sys.path and bench/envs.py would shadow the `envs` package.
sys.path = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from himac.agent.episode import Turn  # noqa: E402
from himac.records import EpisodeRecord  # noqa: E402
from himac.samples import executor_samples  # noqa: E402


def episode_records(eps: list[dict]) -> list[EpisodeRecord]:
    """The logged episodes as the records the trainer turns into samples (no token ids: not needed here)."""
    return [EpisodeRecord(e["task"], e["task_type"], e["blueprint"], episode_return=e["return"], won=e["won"],
                          turns=[Turn([], [], observation=t["observation"], subgoal_index=t["subgoal"],
                                      reward=t["reward"]) for t in e["turns"]]) for e in eps]


def turn_advantages(eps: list[dict]) -> tuple[list[list[float]], list[float]]:
    """(GiGPO advantage per turn; GiGPO's episode term per episode), both as the trainer scales them.
    `eps` must hold no aborted or turnless episode (the trainer leaves those out)."""
    records = episode_records(eps)

    def per_turn(estimator: str) -> list[list[float]]:
        values = iter(s.advantage for s in executor_samples(records, estimator, gamma=0.95, omega=1.0,
                                                             normalize_by_turns=True))
        return [[next(values) for _ in e["turns"]] for e in eps]

    return per_turn("gigpo_no_std"), [advs[0] for advs in per_turn("grpo_no_std")]


def noop_turns(episode: dict) -> list[int]:
    turns = episode["turns"]
    return [t for t in range(len(turns) - 1) if turns[t + 1]["observation"] == turns[t]["observation"]]


def report(path: str) -> None:
    eps = [e for e in map(json.loads, open(path)) if e["turns"] and not e["aborted"]]
    per_turn, episode_term = turn_advantages(eps)
    won_turns = [a for e, advs in zip(eps, per_turn) if e["won"] for a in advs]
    print(f"{path}: {len(eps)} episodes, {sum(e['won'] for e in eps)} won; turns of won episodes with A < 0: "
          f"{sum(a < 0 for a in won_turns)}/{len(won_turns)}")
    for outcome in (True, False):
        rows = [(advs[t], term) for e, advs, term in zip(eps, per_turn, episode_term) if e["won"] == outcome
                for t in noop_turns(e)]
        if rows:
            print(f"  no-op turns in {'won' if outcome else 'lost'} episodes: {len(rows)}, A > 0: "
                  f"{sum(a > 0 for a, _ in rows)}, mean episode term {statistics.mean(t for _, t in rows):.2f}, "
                  f"mean step term {statistics.mean(a - t for a, t in rows):.2f}")


if __name__ == "__main__":
    for pattern in sys.argv[1:]:
        for file in sorted(glob.glob(pattern)):
            report(file)
