"""The credit that no-op moves get in Sokoban RL: GiGPO turn advantages as the trainer computes them
(`algorithm.adv_estimator: gigpo_no_std`, gamma 0.95, omega 1, then scaled by mean turns / turns), on
logged training episodes (`trainer.log_train_episodes`).

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

import torch

from himac.algorithms import advantages as adv


def turn_advantages(eps: list[dict]) -> tuple[list[list[float]], list[float]]:
    """(GiGPO advantage per turn, scaled as the trainer scales it; the episode term per episode)."""
    groups = [(e["task"], tuple(e["blueprint"])) for e in eps]
    returns = torch.tensor([e["return"] for e in eps])
    per_step = adv.gigpo(returns, groups, [[t["reward"] for t in e["turns"]] for e in eps],
                         [[(t["subgoal"], t["observation"]) for t in e["turns"]] for e in eps],
                         gamma=0.95, omega=1.0, norm_by_std=False)
    episode = adv.grpo(returns, groups, norm_by_std=False).tolist()
    mean_turns = sum(len(e["turns"]) for e in eps) / len(eps)
    scaled = [(a * mean_turns / len(e["turns"])).tolist() for e, a in zip(eps, per_step)]
    return scaled, [a * mean_turns / len(e["turns"]) for e, a in zip(eps, episode)]


def noop_turns(episode: dict) -> list[int]:
    turns = episode["turns"]
    return [t for t in range(len(turns) - 1) if turns[t + 1]["observation"] == turns[t]["observation"]]


def report(path: str) -> None:
    eps = [json.loads(line) for line in open(path)]
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
