"""What WebShop episode dumps say about the agent: the numbers behind the WebShop
diagnosis in docs/results-webshop.md, from `episodes/*.jsonl` (`trainer.log_episodes`, `trainer.log_train_episodes`).

    python bench/webshop_dumps.py runs/debug-webshop/episodes/iter_000000_start.jsonl \\
        "runs/debug-webshop/episodes/train/*_B.jsonl"

Per file (or glob): success, mean score, first-result clicks (the share of product clicks on the
first search result), under-limit clicks (the share whose price shown is below the instruction's
price limit) and first-under-limit clicks (on the first such product of the page), planner copy
(the share of "choose name: value" subgoals whose pair occurs in the instruction), executor
follow (the share of option turns that click the planned value), and, over the groups of one
task in the file, the episode advantage R - mean(R) of the first-result clicks and the share of
plan-following option clicks whose episode advantage is negative (the product was wrong, the
click was not).
"""

from __future__ import annotations

import glob
import json
import re
import statistics
import sys
from collections import defaultdict
from pathlib import Path

# Run as a script, this file's folder leads sys.path and bench/envs.py would shadow `envs`.
sys.path = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from envs.webshop.env import parse_action  # noqa: E402
from envs.webshop.pages import SEP  # noqa: E402

ASIN = re.compile(r"^b0[a-z0-9]{8}$", re.I)
CHOOSE = re.compile(r"choose (.+?): (.+)$")
RANK_REF = re.compile(r"^item (\d+)$")
LIMIT = re.compile(r"price lower than ([\d.]+) dollars")
PRICE = re.compile(r"^\$([\d.]+)")


def clicked_rank(turn: dict) -> int | None:
    """The rank on its results page of the product a turn opened (None: not a product click);
    the product is named by its ASIN, or by its rank with `product_refs=rank` ("item 3")."""
    shown = [p.lower() for p in turn["observation"].split(SEP) if ASIN.match(p)]
    name, target = parse_action(turn.get("action") or "") or ("", "")  # target lower-cased, as the env reads it
    by_rank = RANK_REF.match(target)
    if name == "click" and by_rank and shown:
        return int(by_rank.group(1)) - 1
    return shown.index(target) if name == "click" and target in shown else None


def under_limit(turn: dict) -> list[bool] | None:
    """Per product of a results page, whether its (lowest) price is below the instruction's
    price limit; None when the instruction has no limit."""
    limit = LIMIT.search(turn["observation"])
    if limit is None:
        return None
    parts = turn["observation"].split(SEP)
    prices = [PRICE.match(parts[i + 2]) for i, p in enumerate(parts[:-2]) if ASIN.match(p)]
    return [m is not None and float(m.group(1)) < float(limit.group(1)) for m in prices]


def summarise(episodes: list[dict]) -> dict[str, float]:
    n = max(len(episodes), 1)
    first = clicks = copied = planned = followed = options = priced = cheap = first_cheap = 0
    first_adv, option_adv = [], []
    groups = defaultdict(list)
    for e in episodes:
        groups[e["task"]].append(e)
    for group in groups.values():
        mean = statistics.fmean(e["return"] for e in group)
        for e in group:
            blueprint = e.get("blueprint") or []
            instruction = e["turns"][0]["observation"].lower() if e["turns"] else ""
            for subgoal in blueprint:
                m = CHOOSE.match(subgoal)
                if m:
                    planned += 1
                    copied += f"{m.group(1)}: {m.group(2)}" in instruction
            for turn in e["turns"]:
                rank = clicked_rank(turn)
                if rank is not None:
                    clicks += 1
                    if rank == 0:
                        first += 1
                        first_adv.append(e["return"] - mean)
                    cheap_ones = under_limit(turn)
                    if cheap_ones and rank < len(cheap_ones):
                        priced += 1
                        cheap += cheap_ones[rank]
                        first_cheap += cheap_ones.index(True) == rank if any(cheap_ones) else rank == 0
                subgoal = blueprint[turn["subgoal"]] if turn["subgoal"] < len(blueprint) else ""
                m = CHOOSE.match(subgoal)
                if m and "buy now" in turn["observation"].lower():
                    options += 1
                    if turn.get("action") == f"click[{m.group(2)}]":
                        followed += 1
                        option_adv.append(e["return"] - mean)
    ratio = lambda a, b: a / b if b else float("nan")  # noqa: E731
    return {"episodes": len(episodes), "won": sum(e["won"] for e in episodes) / n,
            "score": sum(e["score"] for e in episodes) / n, "first_click": ratio(first, clicks),
            "under_limit_click": ratio(cheap, priced), "first_under_limit_click": ratio(first_cheap, priced),
            "planner_copy": ratio(copied, planned), "exec_follow": ratio(followed, options),
            "first_click_adv": statistics.fmean(first_adv) if first_adv else float("nan"),
            "follow_adv_negative": ratio(sum(a < -1e-9 for a in option_adv), len(option_adv))}


def main(patterns: list[str]) -> None:
    for pattern in patterns:
        files = sorted(glob.glob(pattern))
        episodes = [json.loads(line) for f in files for line in open(f) if line.strip()]
        s = summarise(episodes)
        print(f"{pattern}: " + " ".join(f"{k}={v:.3f}" if isinstance(v, float) else f"{k}={v}" for k, v in s.items()))


if __name__ == "__main__":
    main(sys.argv[1:])
