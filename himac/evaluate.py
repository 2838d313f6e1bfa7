"""Evaluation on held-out tasks: `evaluate` (the trainer's, every `eval_every` iterations) and
`himac eval` (a checkpoint, or a model as it is, as a console table and a JSON file)."""

from __future__ import annotations

import json
import time
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from himac.checkpoint import resolve_resume
from himac.config import load_config, preflight, validate
from himac.episodes import EpisodeSpec, Sampling
from himac.records import check_aborted, episode_metrics, write_episodes
from himac.tasks import EVAL_SEED_OFFSET, TaskSampler

if TYPE_CHECKING:
    from himac.launch import Cluster


def evaluate(cluster: Cluster, sampler: TaskSampler, tag: str = "eval", tasks: int | None = None) -> dict[str, float]:
    """The first `tasks` held-out tasks (default `trainer.eval_tasks`), one episode each, at the
    evaluation temperature (0: greedy); the first `trainer.log_episodes` episodes are written to
    `<output_dir>/episodes/<tag>.jsonl`."""
    cfg = cluster.cfg
    t0 = time.perf_counter()
    s = Sampling(cfg.rollout.eval_temperature)
    blueprint = None if cfg.coevolution.hierarchical else []
    specs = [EpisodeSpec(t, blueprint, s, s, seed=EVAL_SEED_OFFSET + i)
             for i, t in enumerate(sampler.held_out(tasks or cfg.trainer.eval_tasks))]
    records = cluster.run_episodes(specs).records
    check_aborted(records, cfg.trainer.max_aborted_fraction, "evaluation")
    m = episode_metrics(records, "eval")
    write_episodes(records[: cfg.trainer.log_episodes], Path(cfg.trainer.output_dir) / "episodes" / f"{tag}.jsonl")
    m["timing/eval"] = time.perf_counter() - t0
    tokens = sum(len(t.response_ids) for r in records for t in ([r.planner_turn] if r.planner_turn else []) + r.turns)
    m["eval/tokens_per_s"] = tokens / max(m["timing/eval"], 1e-9)
    return m


def run_eval(checkpoint: str | None, split: str | None = None, tasks: int | None = None, out: str | None = None,
             overrides: list[str] = (), config: str | None = None) -> dict[str, float]:
    """Evaluate a training checkpoint, or (with `config`) the model at `model.path` as it is (zero-shot)."""
    from himac.launch import launch

    if config is not None:
        cfg = load_config(config, list(overrides))
        source = Path(cfg.model.path)
        results_dir = Path(cfg.trainer.output_dir)
    else:
        ckpt = resolve_resume(checkpoint, Path(checkpoint))
        if ckpt is None or not (ckpt / "COMPLETE").exists():
            raise FileNotFoundError(f"no complete checkpoint at {checkpoint}")
        cfg = load_config(str(ckpt / "config.yaml"), list(overrides))
        planner = ckpt / "hf_planner"
        cfg = replace(cfg, model=replace(cfg.model, path=str(ckpt / "hf_executor"),
                                         planner_path=str(planner) if planner.exists() else None))
        source = results_dir = ckpt
    if split:
        cfg = replace(cfg, env=replace(cfg.env, eval_split=split))
    if tasks:
        cfg = replace(cfg, trainer=replace(cfg.trainer, eval_tasks=tasks))
    cfg = replace(cfg, trainer=replace(cfg.trainer, output_dir=str(results_dir / "eval")))
    validate(cfg)
    preflight(cfg)  # before any Ray work
    sampler = TaskSampler.of(cfg)
    cluster = launch(cfg, learners=False)
    try:
        metrics = evaluate(cluster, sampler)
    finally:
        cluster.shutdown()
    result = {"checkpoint": str(source), "split": sampler.eval_split or "held-out seeds", **metrics}
    path = Path(out) if out else results_dir / f"eval_{sampler.eval_split or 'held_out'}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result, indent=2))
    print(format_table(result))
    print(f"wrote {path}")
    return result


def format_table(result: dict) -> str:
    rows = [("success (all)", result.get("eval/success_rate", float("nan")))]
    rows += [(f"success {k.split('/')[-1]}", v) for k, v in sorted(result.items()) if k.startswith("eval/success/")]
    rows += [("mean return", result.get("eval/return", float("nan"))), ("mean steps", result.get("eval/steps", float("nan"))),
             ("valid-action ratio", result.get("eval/valid_action_ratio", float("nan"))),
             ("blueprint length", result.get("eval/blueprint_len", float("nan"))),
             ("generated tokens/s", result.get("eval/tokens_per_s", float("nan"))),
             ("episodes", result.get("eval/episodes", 0)), ("aborted", result.get("eval/aborted", 0))]
    width = max(len(k) for k, _ in rows)
    lines = [f"eval on {result['split']}: {result['checkpoint']}", "-" * (width + 12)]
    lines += [f"{k:<{width}}  {v:>9.3f}" if isinstance(v, float) else f"{k:<{width}}  {v:>9}" for k, v in rows]
    return "\n".join(lines)
