"""The composition root: Ray, placement groups, one Policy per distinct model, the env workers and
the episode runner — built once, for `himac train` (with learners) and `himac eval` (engines only).

This module and `himac.trainer` are the only ones in `himac/` that import from `actors/`.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import ray

from actors.cpu_runtime import engine_env
from actors.engines import RolloutWorker
from actors.env_worker import EnvWorker, max_concurrency
from actors.learner import LearnerWorker
from actors.placement import actor_options, create_placement_groups, free_port, nodes_of, role_specs
from actors.weight_sync import NcclSync, ObjectStoreSync
from envs import ENV_IDS
from himac.config import HiMACConfig, to_yaml
from himac.episodes import Answerers, EpisodeRunner, EpisodeSpec, RolloutResult
from himac.policy import Models, Policy, WeightSync, parity_threshold

LEARNER_PLACEMENT_TIMEOUT_S = 600  # how long rebuilt learners may wait for a node (a replaced one takes minutes)

# The parity probe: a fixed prompt and answer in the agent's own format, the same for every env.
PROBE_PROMPT, PROBE_RESPONSE = "task: reach the goal\n<action>", "look</action>"


@dataclass
class Cluster:
    """A run's actors and what drives them; `shutdown()` frees them (the Ray session stays)."""

    cfg: HiMACConfig
    tok: Any
    models: Models
    env_workers: list
    runner: EpisodeRunner
    placement_groups: dict[str, Any] = field(default_factory=dict)
    starter: _Starter | None = None  # rebuilds lost learner groups

    engine_restarts: int = 0  # engines found dead, restarted by Ray and re-synced
    worker_replacements: int = 0  # env workers and engines recreated after Ray gave up restarting them

    @property
    def pad_id(self) -> int:
        return self.tok.pad_token_id if self.tok.pad_token_id is not None else self.tok.eos_token_id

    def run_episodes(self, specs: list[EpisodeSpec], *, expert: Answerers | None = None) -> RolloutResult:
        """Run the episodes; if a rollout worker died meanwhile, recover the engines and run them again (once)."""
        self.replace_lost_workers()
        result = self.runner.run(specs, self._versions(), expert=expert)
        replaced = self.replace_lost_workers()
        if not (result.engine_failures or replaced):
            return result
        print(f"[himac] a worker died ({result.engine_failures} engine calls lost, {replaced} worker(s) replaced): "
              "running the rollout again", flush=True)
        if result.engine_failures:
            self.recover_engines()
        result = self.runner.run(specs, self._versions(), expert=expert)
        if result.engine_failures:
            raise RuntimeError("a rollout worker died again right after its restart; stopping (resume with "
                               "trainer.resume=auto from the last checkpoint)")
        return result

    def sync(self, policies: list[Policy]) -> float:
        """Weight sync + parity probe of `policies`; the worst probe difference. An engine that died
        meanwhile is recovered (which syncs every policy)."""
        try:
            return max((p.sync() for p in policies), default=0.0)
        except ray.exceptions.RayActorError:
            return self.recover_engines()

    def replace_lost_workers(self) -> int:
        """Recreate the env workers and engines Ray will not restart again (restart budget spent, or killed for
        good) as new actors with a fresh budget, in the same placement bundles, at most
        `trainer.max_worker_replacements` per job; new engines then get the current weights. Returns how many."""
        engines = [(p, i) for p in self.models.all() for i in range(len(p.engines))]
        lost = _lost([*self.env_workers, *(p.engines[i] for p, i in engines)])
        lost_envs = [i for i in range(len(self.env_workers)) if lost[i]]
        lost_engines = [e for e, gone in zip(engines, lost[len(self.env_workers):]) if gone]
        n, bound = len(lost_envs) + len(lost_engines), self.cfg.trainer.max_worker_replacements
        if n and self.worker_replacements + n > bound:
            raise RuntimeError(f"{n} worker(s) lost for good and trainer.max_worker_replacements={bound} spent "
                               f"({self.worker_replacements} replaced before)")
        for i in lost_envs:  # in place: the runner holds these lists
            self.env_workers[i] = self.starter.env_worker(i)
        for p, i in lost_engines:
            p.engines[i] = self.starter.engine(p.name, i)
        self.worker_replacements += n
        if n:
            print(f"[himac] {len(lost_envs)} env worker(s) and {len(lost_engines)} engine(s) were lost for good: "
                  f"recreated ({self.worker_replacements} of {bound} replacements used)", flush=True)
        for p in {p.name: p for p, _ in lost_engines}.values():
            p.weight_sync = self.starter.weight_sync(p.name, p.learners, p.engines) if p.learners else None
        if lost_engines:
            self.recover_engines()
        return n

    def recover_engines(self) -> float:
        """The one recovery path for a dead engine: wait until Ray has restarted it, then give every
        engine the current weights (sync + parity probe). Counted in `engine_restarts`."""
        self.engine_restarts += 1
        for p in self.models.all():
            p.wait_ready()
        return max((p.sync() for p in self.models.all() if p.weight_sync is not None), default=0.0)

    def rebuild_learners(self) -> None:
        """Replace every policy's learner group with fresh actors in the same placement bundles (Ray does not
        restart learners: their state lives in checkpoints) and a weight sync to the same engines. The
        caller then loads a checkpoint and syncs."""
        for p in self.models.all():
            for actor in p.learners:
                ray.kill(actor, no_restart=True)
            p.learners = self._placed_learners(p.name)
            p.weight_sync = self.starter.weight_sync(p.name, p.learners, p.engines)

    def _placed_learners(self, name: str) -> list:
        """A new learner group that answers. A lost node's bundles wait for a node with their resources (KubeRay
        replaces the pod); learners placed on a node whose loss Ray has not noticed yet die unstarted and are
        created again, until LEARNER_PLACEMENT_TIMEOUT_S."""
        deadline = time.monotonic() + LEARNER_PLACEMENT_TIMEOUT_S
        while True:
            learners = self.starter.learners(name)
            try:
                ray.get([lw.ready.remote() for lw in learners], timeout=max(1.0, deadline - time.monotonic()))
                return learners
            except ray.exceptions.ActorDiedError:
                for actor in learners:
                    ray.kill(actor, no_restart=True)
                if time.monotonic() > deadline:
                    raise
                time.sleep(2.0)
            except ray.exceptions.GetTimeoutError:
                raise RuntimeError(f"the rebuilt {name} learners found no place within {LEARNER_PLACEMENT_TIMEOUT_S} s "
                                   f"(role {self.starter.models[name][1]}: {self.starter.roles[self.starter.models[name][1]]});"
                                   f" the cluster has {ray.available_resources()}") from None

    def prefix_cache_counts(self) -> tuple[int, int]:
        """(prompt tokens looked up, tokens served from the prefix cache), summed over the engines since their start.
        Telemetry only: an engine that is dead or restarting is left out (the rollout then recovers it)."""
        stats = []
        for ref in [w.prefix_cache_stats.remote() for p in self.models.all() for w in p.engines]:
            try:
                stats.append(ray.get(ref, timeout=120))
            except (ray.exceptions.RayActorError, ray.exceptions.GetTimeoutError):
                continue
        return sum(s["queries"] for s in stats), sum(s["hits"] for s in stats)

    def _versions(self) -> dict[str, int]:
        return {name: p.weights_version for name, p in self.models.policies.items()}

    def shutdown(self) -> None:
        from ray.util.placement_group import remove_placement_group

        for actor in [a for p in self.models.all() for a in p.actors()] + self.env_workers:
            ray.kill(actor)
        for pg in self.placement_groups.values():
            remove_placement_group(pg)


def _lost(actors: list) -> list[bool]:
    """For each actor, whether Ray will never run it again (dead for good); a restarting or busy one is not
    lost. One `ready` call to every actor at once, then a bounded wait for each answer."""
    refs = [a.ready.remote() for a in actors]
    deadline = time.monotonic() + 60
    out = []
    for ref in refs:
        try:
            ray.get(ref, timeout=max(0.1, deadline - time.monotonic()))
            out.append(False)
        except ray.exceptions.ActorDiedError:
            out.append(True)
        except (ray.exceptions.ActorUnavailableError, ray.exceptions.GetTimeoutError):
            out.append(False)
    return out


def hit_rate(before: tuple[int, int], after: tuple[int, int]) -> float:
    """Prefix-cache hit rate between two `prefix_cache_counts` (counters restart with a restarted engine:
    then the counts since its start); NaN when nothing was looked up."""
    queries, hits = after[0] - before[0], after[1] - before[1]
    if queries < 0 or hits < 0:
        queries, hits = after
    return hits / queries if queries > 0 else float("nan")


def launch(cfg: HiMACConfig, *, learners: bool = True) -> Cluster:
    """Start Ray (or attach), then the actors: a Policy per distinct model, the env workers, the runner.
    Without `learners` (evaluation) the policies have engines only."""
    from transformers import AutoTokenizer

    out = Path(cfg.trainer.output_dir)
    out.mkdir(parents=True, exist_ok=True)
    (out / "config.yaml").write_text(to_yaml(cfg))
    tok = AutoTokenizer.from_pretrained(cfg.model.path)
    init_ray(cfg)
    pgs = create_placement_groups(cfg)
    print("[himac] placement (node of each bundle): " + "; ".join(
        f"{role} -> {', '.join(n[:12] for n in nodes)}" for role, nodes in nodes_of(pgs).items()), flush=True)
    starter = _Starter(cfg, pgs, tok, learners)
    policies = {"executor": starter.policy("executor", cfg.model.path, "learner", "rollout", cfg.trainer.seed)}
    serves = {"planner": "executor", "executor": "executor"}
    if "planner_learner" in starter.roles:  # separate-models mode
        policies["planner"] = starter.policy("planner", cfg.model.planner_path or cfg.model.path, "planner_learner",
                                             "planner_rollout", cfg.trainer.seed + 1000)
        serves["planner"] = "planner"
    env_workers = starter.env_workers()
    ray.get([w.ready.remote() for p in policies.values() for w in p.engines], timeout=900)
    runner = EpisodeRunner(cfg, tok, {name: p.engines for name, p in policies.items()}, serves, env_workers)
    return Cluster(cfg, tok, Models(policies, serves), env_workers, runner, pgs, starter)


class _Starter:
    """Creates the actors of one run from its config and placement groups."""

    def __init__(self, cfg: HiMACConfig, pgs: dict[str, Any], tok: Any, learners: bool) -> None:
        self.cfg, self.pgs, self.tok, self.with_learners = cfg, pgs, tok, learners
        self.models: dict[str, tuple[str, str, str, int]] = {}  # model name -> (path, learner role, engine role, seed)
        self.sync_groups = 0
        self.roles = role_specs(cfg)
        self.gpu = cfg.resources.gpus_per_node > 0
        self.threads = None if self.gpu else max(1, os.cpu_count() or 1)

    def options(self, role: str, i: int) -> dict[str, Any]:
        """Ray options of actor `i` of a role: its placement bundle, CPUs/GPUs and env vars."""
        colocated = "colocated" in self.pgs and role in ("rollout", "learner")
        spec = self.roles[role]
        env_vars = {"VLLM_ALLOW_INSECURE_SERIALIZATION": "1", "TOKENIZERS_PARALLELISM": "false",
                    "VLLM_LOGGING_LEVEL": os.environ.get("VLLM_LOGGING_LEVEL", "WARNING")}
        if not self.gpu and role in ("rollout", "planner_rollout"):
            env_vars.update(engine_env(self.cfg.rollout.cpu_runtime))
        return actor_options(self.pgs["colocated" if colocated else role], i, spec.cpus, 0.5 if colocated else spec.gpus,
                             runtime_env={"env_vars": env_vars})

    def policy(self, name: str, path: str, learner_role: str, engine_role: str, seed: int) -> Policy:
        cfg, r = self.cfg, self.cfg.rollout
        self.models[name] = (path, learner_role, engine_role, seed)
        learners = self.learners(name) if self.with_learners else []
        engines = [self.engine(name, i) for i in range(self.roles[engine_role].count)]
        sync = self.weight_sync(name, learners, engines) if learners else None
        probe = (self.tok.encode(PROBE_PROMPT, add_special_tokens=False),
                 self.tok.encode(PROBE_RESPONSE, add_special_tokens=False))
        threshold = parity_threshold(r.sync_parity_threshold, cfg.model.dtype, self.gpu)
        return Policy(name, learners, engines, sync, probe=probe, parity_threshold=threshold,
                      sleep_engines=r.sleep_when_idle)

    def learners(self, name: str) -> list:
        """A fresh learner group (DeepSpeed ranks) for model `name`."""
        path, role, _, _ = self.models[name]
        n, port = self.roles[role].count, free_port()
        return [
            ray.remote(LearnerWorker).options(**self.options(role, i)).remote(
                path, self.cfg, rank=i, world_size=n, master_addr=ray.util.get_node_ip_address(), master_port=port,
                num_threads=self.threads)
            for i in range(n)
        ]

    def engine(self, name: str, i: int) -> Any:
        """Rollout engine `i` of model `name`; Ray restarts it twice, then the cluster recreates it. The trainer
        re-syncs its weights either way."""
        r, (path, _, role, seed) = self.cfg.rollout, self.models[name]
        return ray.remote(RolloutWorker).options(**self.options(role, i), max_restarts=2, max_task_retries=0).remote(
            path, r.backend, dtype=self.cfg.model.dtype, seed=seed + i, max_model_len=r.max_model_len,
            gpu_memory_utilization=r.gpu_memory_utilization, tensor_parallel_size=r.tensor_parallel_size,
            enforce_eager=r.enforce_eager, sleep_mode=r.sleep_when_idle, num_threads=self.threads,
            kv_cache_gib=r.kv_cache_gib, kv_block_size=r.kv_block_size)

    def weight_sync(self, name: str, learners: list, engines: list) -> WeightSync:
        """NCCL between separate GPUs (a new group per learner group), else the object store."""
        if self.gpu and "colocated" not in self.pgs:
            self.sync_groups += 1
            return NcclSync(f"himac-sync-{name}-{self.sync_groups}", learners[0], engines,
                            self.cfg.rollout.tensor_parallel_size)
        return ObjectStoreSync(learners[0], engines)

    def env_workers(self) -> list:
        return [self.env_worker(i) for i in range(self.roles["env"].count)]

    def env_worker(self, i: int) -> Any:
        """Env worker `i`; Ray restarts it three times, then the cluster recreates it."""
        cfg = self.cfg
        kwargs = dict(cfg.env.kwargs)
        if kwargs.get("data_dir"):  # actors may not share the driver's working directory
            kwargs["data_dir"] = str(Path(kwargs["data_dir"]).resolve())
        return ray.remote(EnvWorker).options(**self.options("env", i), max_restarts=3, max_task_retries=0,
                                             max_concurrency=max_concurrency(cfg.env.envs_per_worker)).remote(
            ENV_IDS[cfg.env.name], cfg.env.envs_per_worker, {"max_steps": cfg.env.max_steps, **kwargs},
            step_timeout_s=cfg.env.step_timeout_s, reset_timeout_s=cfg.env.reset_timeout_s,
            linger_s=cfg.env.result_linger_s, threads=cfg.env.threads_per_worker)


def init_ray(cfg: HiMACConfig) -> None:
    """Attach to the cluster of `ray job submit` or `resources.ray_address`, else start a local one."""
    if ray.is_initialized():
        return
    address = cfg.resources.ray_address or os.environ.get("RAY_ADDRESS")
    env = {"env_vars": {"TOKENIZERS_PARALLELISM": "false", "VLLM_ALLOW_INSECURE_SERIALIZATION": "1"}}
    if "RAY_JOB_CONFIG_JSON_ENV_VAR" in os.environ:
        ray.init(address="auto", log_to_driver=True)  # inside `ray job submit`: the job's runtime env applies
    elif address:
        ray.init(address=address, runtime_env=env, log_to_driver=True)
    else:
        os.environ.setdefault("RAY_AUTH_MODE", "disabled")
        # "local": a new cluster of our own, never one a `ray start` left on this machine (ray.init() would attach)
        ray.init(address="local", runtime_env=env, include_dashboard=False, log_to_driver=True)
