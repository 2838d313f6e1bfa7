"""Placement groups and actor groups built from the `resources` config.

The one place that knows about nodes, GPUs and bundles: each role (rollout, learner,
env) gets a placement group; actors are created into it by rank. On a CPU-only machine
the same code runs with fractional CPUs and no GPUs. Colocated GPU mode puts a rollout
engine and a learner rank on the same bundle (vLLM sleeps while DeepSpeed trains).
"""

from __future__ import annotations

import socket
from dataclasses import dataclass
from typing import Any

import ray
from ray.util.placement_group import PlacementGroup, placement_group, remove_placement_group
from ray.util.scheduling_strategies import PlacementGroupSchedulingStrategy


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("", 0))
        return s.getsockname()[1]


@dataclass
class RoleSpec:
    """How many actors a role has and what each one needs."""

    name: str
    count: int
    cpus: float
    gpus: float


def role_specs(cfg) -> dict[str, RoleSpec]:
    """Actor counts and per-actor resources for every role, from the config."""
    r = cfg.resources
    gpu = r.gpus_per_node > 0
    learners = cfg.learner.num_workers
    specs = {
        "rollout": RoleSpec("rollout", cfg.rollout.num_workers, r.rollout_cpus,
                            r.rollout_gpus * cfg.rollout.tensor_parallel_size if gpu else 0.0),
        "learner": RoleSpec("learner", learners, r.learner_cpus, r.learner_gpus if gpu else 0.0),
        "env": RoleSpec("env", cfg.env.num_workers, r.env_cpus, 0.0),
    }
    if not cfg.model.shared and cfg.coevolution.hierarchical:  # separate planner model: its own engines and learners
        specs["planner_learner"] = RoleSpec("planner_learner", learners, r.learner_cpus, r.learner_gpus if gpu else 0.0)
        specs["planner_rollout"] = RoleSpec("planner_rollout", cfg.rollout.num_workers, r.rollout_cpus,
                                            specs["rollout"].gpus)
    return specs


def bundles_for(specs: dict[str, RoleSpec], colocate: bool,
                extra: dict[str, dict[str, float]] | None = None) -> dict[str, list[dict[str, float]]]:
    """Bundles per placement group. Colocated: rollout and learner share GPU bundles. `extra`: custom
    resources per role (`resources.role_resources`), which pin a role to the nodes that have them."""
    extra = extra or {}

    def bundle(s: RoleSpec) -> dict[str, float]:
        b = {"CPU": s.cpus, **extra.get(s.name, {})}
        if s.gpus:
            b["GPU"] = s.gpus
        return b

    out = {name: [bundle(s)] * s.count for name, s in specs.items()}
    if colocate and specs["rollout"].gpus:
        # One bundle per GPU, holding a learner rank and a rollout engine (fractional GPUs).
        n = max(specs["rollout"].count, specs["learner"].count)
        out["colocated"] = [{"CPU": specs["rollout"].cpus + specs["learner"].cpus, "GPU": 1.0,
                             **extra.get("rollout", {}), **extra.get("learner", {})}] * n
        del out["rollout"], out["learner"]
    return out


def create_placement_groups(cfg, timeout_s: float = 600.0) -> dict[str, PlacementGroup]:
    specs = role_specs(cfg)
    groups = {}
    for name, bundles in bundles_for(specs, cfg.resources.colocate, cfg.resources.role_resources).items():
        strategy = "PACK" if name != "learner" else "SPREAD" if cfg.resources.num_nodes > 1 else "PACK"
        groups[name] = placement_group(bundles, strategy=strategy, name=f"himac-{name}")
    ready = [pg.ready() for pg in groups.values()]
    try:
        ray.get(ready, timeout=timeout_s)
    except ray.exceptions.GetTimeoutError:
        for pg in groups.values():
            remove_placement_group(pg)
        raise RuntimeError(
            f"placement groups not satisfiable within {timeout_s:.0f}s: asked "
            f"{bundles_for(specs, cfg.resources.colocate, cfg.resources.role_resources)}"
            f", cluster has {ray.cluster_resources()}"
        ) from None
    return groups


def nodes_of(groups: dict[str, PlacementGroup]) -> dict[str, list[str]]:
    """The node id of every bundle, by placement group (what `himac train` logs at start)."""
    return {name: [node for _, node in sorted(ray.util.placement_group_table(pg)["bundles_to_node_id"].items())]
            for name, pg in groups.items()}


def actor_options(pg: PlacementGroup, index: int, cpus: float, gpus: float, **extra: Any) -> dict[str, Any]:
    """Ray options that place an actor into bundle `index` of `pg`."""
    return {
        "num_cpus": cpus,
        "num_gpus": gpus,
        "scheduling_strategy": PlacementGroupSchedulingStrategy(placement_group=pg, placement_group_bundle_index=index),
        **extra,
    }
