"""Config schema: YAML files, dotted overrides, error messages, validation, serialisation."""

import glob
import json
import pickle
import shutil
import typing
from pathlib import Path

import pytest

from himac.cli import main
from himac.config import ConfigError, HiMACConfig, load_config, preflight, to_dict, to_yaml

REPO = Path(__file__).resolve().parents[1]
CONFIGS = sorted(glob.glob(str(REPO / "configs" / "**" / "*.yaml"), recursive=True))


def write(tmp_path: Path, text: str) -> str:
    path = tmp_path / "run.yaml"
    path.write_text(text)
    return str(path)


def error(path: str | None, overrides: list[str] = ()) -> str:
    with pytest.raises(ConfigError) as info:
        load_config(path, overrides)
    return str(info.value)


def test_repository_has_the_expected_configs() -> None:
    names = {str(Path(p).relative_to(REPO / "configs")) for p in CONFIGS}
    assert {"alfworld.yaml", "webshop.yaml", "sokoban.yaml", "debug/sokoban.yaml"} <= names


@pytest.mark.parametrize("path", CONFIGS, ids=lambda p: str(Path(p).relative_to(REPO)))
def test_every_yaml_loads_and_validates(path: str) -> None:
    cfg = load_config(path)
    assert isinstance(cfg, HiMACConfig)
    assert cfg.env.name in Path(path).stem


def test_real_configs_use_the_papers_settings() -> None:
    steps = {"alfworld": 50, "webshop": 15, "sokoban": 15}
    for name, max_steps in steps.items():
        cfg = load_config(str(REPO / "configs" / f"{name}.yaml"))
        assert cfg.env.max_steps == max_steps
        assert (cfg.algorithm.group_size, cfg.trainer.batch_tasks) == (8, 16)
        assert (cfg.learner.lr, cfg.algorithm.kl_coef, cfg.algorithm.kl_kind) == (1e-6, 0.01, "k3")
        assert (cfg.rollout.temperature, cfg.rollout.eval_temperature, cfg.algorithm.gamma) == (
            1.0,
            0.4,
            0.95,
        )
        assert (cfg.resources.gpus_per_node, cfg.learner.zero_stage, cfg.model.dtype) == (8, 2, "bfloat16")
        assert cfg.env.num_workers * cfg.env.envs_per_worker == 16 * 8


def test_debug_config_is_cpu_only_with_curriculum_kwargs() -> None:
    cfg = load_config(str(REPO / "configs" / "debug" / "sokoban.yaml"))
    assert cfg.resources.gpus_per_node == 0
    assert cfg.model.dtype == "float32"
    assert cfg.env.kwargs == {"dim_room": [6, 6], "num_boxes": 1, "max_pulls": 3}
    assert cfg.trainer.resume == "off"


def test_defaults_without_a_file() -> None:
    cfg = load_config(None)
    assert cfg.algorithm.group_size == 8
    assert cfg.learner.betas == [0.9, 0.999]
    assert cfg.algorithm.dual_clip_c is None
    assert cfg.env.kwargs == {}


def test_overrides_apply_with_their_types() -> None:
    cfg = load_config(
        None,
        [
            "trainer.iterations=10",
            "learner.lr=3e-4",
            "rollout.enforce_eager=false",
            "learner.betas=[0.8, 0.95]",
            "env.kwargs={dim_room: [7, 7], num_boxes: 2}",
            "env.kwargs.max_pulls=4",
            "algorithm.dual_clip_c=3",
            "trainer.wandb_project=himac",
        ],
    )
    assert cfg.trainer.iterations == 10 and isinstance(cfg.trainer.iterations, int)
    assert cfg.learner.lr == 3e-4 and isinstance(cfg.learner.lr, float)
    assert cfg.rollout.enforce_eager is False
    assert cfg.learner.betas == [0.8, 0.95]
    assert cfg.env.kwargs == {"dim_room": [7, 7], "num_boxes": 2, "max_pulls": 4}
    assert cfg.algorithm.dual_clip_c == 3.0 and isinstance(cfg.algorithm.dual_clip_c, float)
    assert cfg.trainer.wandb_project == "himac"


def test_overrides_win_over_the_file_and_later_overrides_win(tmp_path: Path) -> None:
    path = write(tmp_path, "trainer:\n  iterations: 5\n  batch_tasks: 4\n")
    cfg = load_config(path, ["trainer.iterations=7", "trainer.iterations=9"])
    assert (cfg.trainer.iterations, cfg.trainer.batch_tasks) == (9, 4)
    assert cfg.trainer.eval_tasks == 200  # untouched keys keep the schema default


def test_yaml_booleans_are_only_true_and_false(tmp_path: Path) -> None:
    # YAML 1.1 reads `off` as False, which would turn resume into the string 'False'.
    assert load_config(None, ["trainer.resume=off"]).trainer.resume == "off"
    assert load_config(write(tmp_path, "trainer:\n  resume: off\n"), []).trainer.resume == "off"
    assert load_config(None, ["trainer.tensorboard=off"]).trainer.tensorboard is False


def test_unknown_key_in_override_names_path_and_suggests() -> None:
    message = error(None, ["algorithm.group_sizee=4"])
    assert "unknown key 'algorithm.group_sizee'; did you mean 'algorithm.group_size'?" in message


def test_unknown_key_in_yaml_names_file_path_and_suggests(tmp_path: Path) -> None:
    path = write(tmp_path, "algorithm:\n  group_size: 4\n  clip_hihg: 0.3\n")
    message = error(path)
    assert path in message
    assert "unknown key 'algorithm.clip_hihg'; did you mean 'algorithm.clip_high'?" in message


def test_unknown_key_suggests_the_right_section_and_section_names() -> None:
    assert "did you mean 'learner.lr'?" in error(None, ["trainer.lr=0.1"])
    assert "did you mean 'algorithm.group_size'?" in error(None, ["group_size=4"])
    assert "unknown key 'algoritm'; did you mean 'algorithm'?" in error(None, ["algoritm.group_size=4"])


def test_unknown_key_without_a_close_match_lists_valid_keys() -> None:
    message = error(None, ["coevolution.zzz=1"])
    assert "unknown key 'coevolution.zzz'" in message and "phase_a_iters" in message


def test_env_kwargs_accept_any_keys() -> None:
    cfg = load_config(None, ["env.kwargs.anything_goes=1", "env.kwargs.nested={a: [1, 2]}"])
    assert cfg.env.kwargs == {"anything_goes": 1, "nested": {"a": [1, 2]}}


@pytest.mark.parametrize(
    ("override", "expected"),
    [
        ("trainer.iterations=ten", "trainer.iterations: expected int, got 'ten'"),
        ("trainer.iterations=1.5", "trainer.iterations: expected int, got 1.5"),
        ("learner.lr=fast", "learner.lr: expected float, got 'fast'"),
        ("rollout.enforce_eager=maybe", "rollout.enforce_eager: expected bool, got 'maybe'"),
        ("trainer.iterations=null", "trainer.iterations: expected int, got None"),
        ("learner.betas=[0.9, x]", "learner.betas[1]: expected float, got 'x'"),
        ("algorithm.dual_clip_c=big", "algorithm.dual_clip_c: expected float or null, got 'big'"),
        ("trainer.iterations={a: 1}", "trainer.iterations: expected int, got a mapping"),
        ("env.kwargs=3", "env.kwargs: expected mapping, got 3"),
        ("algorithm=5", "algorithm: expected a mapping of keys, got 5"),
    ],
)
def test_wrong_type_in_override_names_key_and_expected_type(override: str, expected: str) -> None:
    assert expected in error(None, [override])


def test_wrong_type_in_yaml_names_key_and_expected_type(tmp_path: Path) -> None:
    message = error(write(tmp_path, "trainer:\n  iterations: ten\n"))
    assert "trainer.iterations: expected int, got 'ten'" in message


def test_section_set_to_a_scalar_in_yaml(tmp_path: Path) -> None:
    assert "learner: expected a mapping of keys, got 3" in error(write(tmp_path, "learner: 3\n"))
    assert "env: expected a mapping of keys, got None" in error(write(tmp_path, "env:\n"))


def test_yaml_top_level_must_be_a_mapping(tmp_path: Path) -> None:
    assert "expected a mapping of keys" in error(write(tmp_path, "- a\n- b\n"))


def test_yaml_duplicate_keys_and_syntax_errors(tmp_path: Path) -> None:
    assert "duplicate key 'iterations'" in error(
        write(tmp_path, "trainer:\n  iterations: 1\n  iterations: 2\n")
    )
    assert "cannot read YAML" in error(write(tmp_path, "trainer: [1\n"))
    assert "config file not found" in error(str(tmp_path / "missing.yaml"))


def test_empty_yaml_gives_defaults(tmp_path: Path) -> None:
    assert load_config(write(tmp_path, "")) == HiMACConfig()


@pytest.mark.parametrize("override", ["trainer.iterations", "=5", " =5"])
def test_override_without_key_value_is_named(override: str) -> None:
    message = error(None, [override])
    assert f"override '{override}'" in message and "KEY=VALUE" in message


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        (
            ["algorithm.group_size=1"],
            "algorithm.group_size must be >= 2 for group-relative advantages (got 1)",
        ),
        (["algorithm.clip_low=0"], "algorithm.clip_low must be in (0, 1]"),
        (["algorithm.clip_high=-0.1"], "algorithm.clip_high must be > 0"),
        (["algorithm.dual_clip_c=1.0"], "algorithm.dual_clip_c must be > 1 or null"),
        (["learner.lr=0"], "learner.lr must be in (0, 1]"),
        (["rollout.top_p=0"], "rollout.top_p must be in (0, 1]"),
        (["rollout.top_p=1.5"], "rollout.top_p must be in (0, 1]"),
        (["rollout.gpu_memory_utilization=1.2"], "rollout.gpu_memory_utilization must be in (0, 1]"),
        (["rollout.temperature=-1"], "rollout.temperature must be >= 0.001"),
        (["rollout.eval_temperature=-0.1"], "rollout.eval_temperature must be 0 (greedy) or >= 0.001"),
        (["trainer.iterations=0"], "trainer.iterations must be >= 1 (got 0)"),
        (["trainer.batch_tasks=0"], "trainer.batch_tasks must be >= 1"),
        (["env.max_steps=0"], "env.max_steps must be >= 1"),
        (["env.envs_per_worker=0"], "env.envs_per_worker must be >= 1"),
        (["env.num_workers=0"], "env.num_workers must be >= 1"),
        (["learner.micro_batch_size=0"], "learner.micro_batch_size must be >= 1"),
        (["agent.max_subgoals=0"], "agent.max_subgoals must be >= 1"),
        (["agent.subgoal_budget=0"], "agent.subgoal_budget must be >= 1"),
        (["agent.invalid_action_penalty=-0.1"], "agent.invalid_action_penalty must be >= 0"),
        (["learner.zero_stage=4"], "learner.zero_stage must be one of 0, 1, 2, 3"),
        (["algorithm.dgpo_tau=0"], "algorithm.dgpo_tau must be >= 0.001"),
        (["algorithm.dgpo_kappa=-1"], "algorithm.dgpo_kappa must be >= 0"),
        (["coevolution.phase_b_iters=0"], "coevolution.phase_b_iters must be >= 1 when coevolution.coevolve"),
        (["trainer.resume=''"], "trainer.resume must be auto, off or a checkpoint path"),
        (["learner.betas=[0.9]"], "learner.betas must be two values in [0, 1)"),
        (
            ["coevolution.hierarchical=false", "coevolution.random_blueprint=true"],
            "coevolution.random_blueprint needs coevolution.hierarchical=true",
        ),
        (["rollout.sleep_when_idle=true"], "rollout.sleep_when_idle needs GPUs (resources.gpus_per_node > 0)"),
        (["env.train_split=train"], "env.train_split: sokoban has no task splits"),
        (["env.eval_split=test"], "env.eval_split: sokoban has no task splits"),
        (["algorithm.planner_adv_estimator=gigpo"], "algorithm.planner_adv_estimator must be one of grpo|grpo_no_std|rloo"),
    ],
)
def test_invalid_values_say_why(overrides: list[str], expected: str) -> None:
    assert expected in error(None, overrides)


def test_invalid_choices_name_the_allowed_values_and_suggest() -> None:
    message = error(None, ["algorithm.adv_estimator=gigp"])
    assert "algorithm.adv_estimator must be one of grpo|grpo_no_std|rloo|gigpo|gigpo_no_std|reinforce_pp" in message
    assert "did you mean 'gigpo'?" in message
    for key in (
        "rollout.backend",
        "env.name",
        "model.dtype",
        "algorithm.loss_agg",
        "algorithm.kl_kind",
        "algorithm.planner_loss",
        "algorithm.executor_loss",
        "agent.prompt_style",
        "coevolution.planner_scoring",
        "learner.optimizer",
        "algorithm.planner_adv_estimator",
    ):
        assert f"{key} must be one of" in error(None, [f"{key}=nonsense"])


def test_env_names_are_the_registered_envs() -> None:
    from envs import ENV_IDS

    assert f"env.name must be one of {'|'.join(ENV_IDS)}" in error(None, ["env.name=nonsense"])
    for name in ENV_IDS:
        assert load_config(None, [f"env.name={name}"]).env.name == name


def test_planner_estimators_are_the_episode_level_ones() -> None:
    from himac.algorithms.advantages import ESTIMATORS

    assert load_config(None).algorithm.planner_adv_estimator == "grpo"
    for name in ESTIMATORS:
        assert load_config(None, [f"algorithm.planner_adv_estimator={name}"]).algorithm.planner_adv_estimator == name
    message = error(None, ["algorithm.planner_adv_estimator=reinforce_pp"])
    assert f"algorithm.planner_adv_estimator must be one of {'|'.join(ESTIMATORS)}" in message


def test_sleep_when_idle_is_for_gpu_runs_only() -> None:
    message = error(None, ["rollout.sleep_when_idle=true", "resources.gpus_per_node=0"])
    assert "rollout.sleep_when_idle needs GPUs" in message and "vLLM has no sleep mode on CPU" in message
    cfg = load_config(None, ["rollout.sleep_when_idle=true", "resources.gpus_per_node=8"])
    assert cfg.rollout.sleep_when_idle
    message = error(None, ["rollout.sleep_when_idle=true", "resources.gpus_per_node=8", "resources.colocate=false"])
    assert "rollout.sleep_when_idle needs resources.colocate=true" in message


def test_task_splits_default_to_the_envs_own_and_an_env_without_splits_refuses_them() -> None:
    for name in ("alfworld", "webshop", "sokoban"):
        env = load_config(None, [f"env.name={name}"]).env
        assert (env.train_split, env.eval_split) == (None, None)  # the env's declared defaults
    assert load_config(None, ["env.name=webshop", "env.eval_split=all"]).env.eval_split == "all"
    message = error(None, ["env.name=sokoban", "env.train_split=train", "env.eval_split=test"])
    assert "2 problems" in message
    assert "env.train_split: sokoban has no task splits (its held-out tasks come from seeds); remove the key" in message
    assert "env.eval_split: sokoban has no task splits" in message


@pytest.mark.parametrize("key", ["model.trust_remote_code", "algorithm.kl_in_reward", "learner.warmup_steps"])
def test_keys_nothing_reads_are_gone(key: str) -> None:
    assert f"unknown key '{key}'" in error(None, [f"{key}=1"])


def test_phase_lengths_may_be_zero_without_coevolution() -> None:
    cfg = load_config(None, ["coevolution.coevolve=false", "coevolution.phase_a_iters=0"])
    assert cfg.coevolution.phase_a_iters == 0


def test_new_reliability_keys_have_their_defaults() -> None:
    trainer = load_config(None).trainer
    assert (trainer.max_aborted_fraction, trainer.max_skipped_steps, trainer.checkpoint_every_min) == (0.5, 3, 10.0)


def _float_keys() -> list[str]:
    """Every schema leaf that holds floats (alone, optional or in a list)."""
    keys = []
    for section, cls in typing.get_type_hints(HiMACConfig).items():
        for name, hint in typing.get_type_hints(cls).items():
            if float in (hint, *typing.get_args(hint)):
                keys.append(f"{section}.{name}")
    return keys


@pytest.mark.parametrize("key", _float_keys())
@pytest.mark.parametrize("value", [".nan", ".inf", "-.inf"])
def test_every_float_key_refuses_non_finite_values(key: str, value: str) -> None:
    override = f"{key}=[0.9, {value}]" if key == "learner.betas" else f"{key}={value}"
    assert f"{key} must be a finite number" in error(None, [override])


def test_float_keys_cover_the_schema() -> None:
    keys = _float_keys()
    assert {"learner.lr", "rollout.temperature", "learner.betas", "algorithm.dual_clip_c"} <= set(keys)
    assert len(keys) >= 30


def test_eval_temperature_zero_is_greedy_and_allowed() -> None:
    assert load_config(None, ["rollout.eval_temperature=0"]).rollout.eval_temperature == 0.0


def test_max_model_len_floor_counts_the_blueprint_only_when_hierarchical() -> None:
    tokens = ["rollout.planner_max_tokens=100", "rollout.executor_max_tokens=50", "rollout.max_model_len=200"]
    assert "rollout.max_model_len must be >= rollout.planner_max_tokens + rollout.executor_max_tokens + 64" in (
        error(None, tokens)
    )
    assert load_config(None, [*tokens, "coevolution.hierarchical=false"]).rollout.max_model_len == 200


# --- values that cannot work: refused before any Ray work, each naming its key ------------------

DEBUG = str(REPO / "configs" / "debug" / "sokoban.yaml")


def refusal(tiny_model: str, overrides: list[str]) -> str:
    """The ConfigError of load_config + preflight on the defaults with the tiny model."""
    with pytest.raises(ConfigError) as info:
        preflight(load_config(None, [f"model.path={tiny_model}", *overrides]))
    return str(info.value)


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        (["learner.lr=1e30"], "learner.lr must be in (0, 1]"),
        (["learner.lr=nan"], "learner.lr must be a finite number (got nan)"),
        (["learner.lr=-inf"], "learner.lr must be a finite number"),
        (["rollout.temperature=1e-40"], "rollout.temperature must be >= 0.001"),
        (["rollout.temperature=0"], "greedy decoding is rollout.eval_temperature=0"),
        (["rollout.temperature=inf"], "rollout.temperature must be a finite number"),
        (["rollout.eval_temperature=1e-9"], "rollout.eval_temperature must be 0 (greedy) or >= 0.001"),
        (["algorithm.clip_low=nan"], "algorithm.clip_low must be a finite number"),
        (["algorithm.clip_low=1.5"], "algorithm.clip_low must be in (0, 1]"),
        (["algorithm.kl_coef=.inf"], "algorithm.kl_coef must be a finite number"),
        (["algorithm.dual_clip_c=.inf"], "algorithm.dual_clip_c must be a finite number"),
        (["algorithm.dgpo_tau=1e-30"], "algorithm.dgpo_tau must be >= 0.001"),
        (["learner.betas=[0.9, .nan]"], "learner.betas must be a finite number"),
        (["env.step_timeout_s=.inf"], "env.step_timeout_s must be a finite number"),
        (["trainer.warm_start_lr=10"], "trainer.warm_start_lr must be in [0, 1]"),
        (["model.path=''"], "model.path must be a non-empty path"),
        (["model.planner_path=' '"], "model.planner_path must be null or a non-empty path"),
        (["trainer.output_dir=''"], "trainer.output_dir must be a non-empty path"),
        (["trainer.max_aborted_fraction=1.5"], "trainer.max_aborted_fraction must be in [0, 1]"),
        (["trainer.max_skipped_steps=0"], "trainer.max_skipped_steps must be >= 1"),
        (["trainer.checkpoint_every_min=-1"], "trainer.checkpoint_every_min must be >= 0"),
        (["rollout.max_model_len=64"], "rollout.max_model_len must be >= rollout.planner_max_tokens"),
        # preflight: files
        (["rollout.max_model_len=4096"], "rollout.max_model_len (4096) exceeds the model's positions: "
                                         "max_position_embeddings = 2048"),
        (["model.path=/nonexistent/model"], "model.path: '/nonexistent/model' is not a local directory"),
        (["model.path=Qwen/Qwen2.5-0.5B-Instruct"], "is a Hugging Face hub name, download it first"),
        (["model.planner_path=/nonexistent/planner"], "model.planner_path: '/nonexistent/planner' is not a local"),
        # preflight: the env refuses its arguments
        (["env.kwargs.no_such_arg=1"], "env.kwargs.no_such_arg: env 'sokoban' rejects its arguments: TypeError"),
        (["env.kwargs.dim_room=[2, 2]"], "env.kwargs.dim_room: env 'sokoban' rejects its arguments: ValueError"),
        (["env.kwargs.obs_format=pixels"], "env.kwargs.obs_format: env 'sokoban' rejects"),
        (["env.kwargs.min_pulls=5", "env.kwargs.max_pulls=3"], "env.kwargs.min_pulls, env.kwargs.max_pulls: "),
        (
            ["env.name=webshop", "env.kwargs={data_dir: /nonexistent/webshop}"],
            "env.kwargs.data_dir: env 'webshop' rejects its arguments: FileNotFoundError",
        ),
        (["env.name=webshop", "env.eval_split=valid_unseen"], "env.eval_split: env 'webshop' rejects"),
        (["env.name=webshop", "env.train_split=valid_seen"], "env.train_split: env 'webshop' rejects"),
        (["env.name=webshop", "env.kwargs={goals: robots}"], "env.kwargs.goals: env 'webshop' rejects"),
        (
            ["env.name=alfworld", "env.eval_split=valid_unseen", "env.kwargs={task_types: [juggle]}"],
            "env.kwargs.task_types: env 'alfworld' rejects its arguments: ValueError",
        ),
        (
            ["env.name=alfworld", "env.eval_split=valid_unseen", "env.kwargs={data_dir: /nonexistent/alfworld}"],
            "env.kwargs.data_dir: env 'alfworld' rejects its arguments",
        ),
    ],
)
def test_values_that_cannot_work_are_refused_naming_the_key(
    tiny_model: str, overrides: list[str], expected: str
) -> None:
    assert expected in refusal(tiny_model, overrides)


@pytest.mark.parametrize("name", ["webshop", "alfworld"])
def test_preflight_builds_the_envs_default_splits(tiny_model: str, name: str) -> None:
    preflight(load_config(None, [f"model.path={tiny_model}", f"env.name={name}"]))  # shipped data, both splits


def test_preflight_reports_all_problems_together(tiny_model: str) -> None:
    message = refusal(tiny_model, ["rollout.max_model_len=4096", "env.kwargs.no_such_arg=1"])
    assert "config preflight: 2 problems" in message
    assert "rollout.max_model_len" in message and "env.kwargs.no_such_arg" in message


def test_preflight_refuses_a_directory_without_config_json(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"model.path: .* has no config.json"):
        preflight(load_config(DEBUG, [f"model.path={tmp_path}"]))


def test_preflight_reads_positions_of_nested_text_configs(tmp_path: Path) -> None:
    (tmp_path / "config.json").write_text(json.dumps({"text_config": {"max_position_embeddings": 1024}}))
    with pytest.raises(ConfigError, match=r"max_position_embeddings = 1024"):
        preflight(load_config(DEBUG, [f"model.path={tmp_path}"]))
    preflight(load_config(DEBUG, [f"model.path={tmp_path}", "rollout.max_model_len=1024"]))


@pytest.mark.parametrize("path", sorted(glob.glob(str(REPO / "configs" / "debug" / "*.yaml"))),
                         ids=lambda p: Path(p).name)
def test_debug_configs_pass_preflight_with_the_tiny_model(tiny_model: str, path: str) -> None:
    cfg = load_config(path, [f"model.path={tiny_model}"])
    data_dir = cfg.env.kwargs.get("data_dir")
    if data_dir and not (REPO / data_dir).exists():  # generated data (make *-data): refused by name
        with pytest.raises(ConfigError, match="env.kwargs.data_dir"):
            preflight(cfg)
        cfg = load_config(path, [f"model.path={tiny_model}", "env.kwargs.data_dir=null"])  # the shipped data
    preflight(cfg)


@pytest.mark.parametrize("name", ["sokoban", "webshop", "alfworld"])
def test_shipped_configs_pass_preflight_with_a_local_model(tiny_model: str, name: str) -> None:
    # ALFWorld and WebShop fall back to their shipped games / catalogue without data_dir.
    preflight(load_config(str(REPO / "configs" / f"{name}.yaml"),
                          [f"model.path={tiny_model}", "rollout.max_model_len=2048"]))


def test_cli_train_refuses_before_any_ray_work(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["train", DEBUG, "model.path=/nonexistent/model", "env.kwargs.no_such_arg=1"]) == 2
    err = capsys.readouterr().err
    assert "himac: config error: config preflight: 2 problems" in err
    assert "model.path" in err and "env.kwargs.no_such_arg" in err


def test_cli_eval_preflights_the_checkpoint_config(
    tmp_path: Path, tiny_model: str, capsys: pytest.CaptureFixture[str]
) -> None:
    ckpt = tmp_path / "ckpt"
    ckpt.mkdir()
    (ckpt / "COMPLETE").write_text("")
    (ckpt / "driver_state.pt").write_bytes(b"")  # the parts a (pre-manifest) checkpoint must have
    (ckpt / "learner_executor").mkdir()
    (ckpt / "config.yaml").write_text(to_yaml(load_config(None, [f"model.path={tiny_model}"])))
    # No hf_executor export in this checkpoint, and a split WebShop does not have.
    code = main(["eval", "--checkpoint", str(ckpt), "--split", "valid_unseen", "env.name=webshop"])
    err = capsys.readouterr().err
    assert code == 2
    assert f"model.path: '{ckpt / 'hf_executor'}' is not a local directory" in err
    assert "env.eval_split: env 'webshop' rejects" in err


def test_all_value_problems_are_reported_together() -> None:
    message = error(None, ["learner.lr=0", "algorithm.group_size=1"])
    assert "2 problems" in message and "learner.lr" in message and "algorithm.group_size" in message


def test_interpolation_resolves_and_bad_interpolation_names_key() -> None:
    cfg = load_config(None, ["trainer.output_dir=runs/x", "model.path=${trainer.output_dir}/model"])
    assert cfg.model.path == "runs/x/model"
    assert "trainer.iterations" in error(None, ["trainer.iterations=${trainer.output_dir}"])


@pytest.mark.parametrize("path", CONFIGS, ids=lambda p: str(Path(p).relative_to(REPO)))
def test_to_yaml_round_trips(tmp_path: Path, path: str) -> None:
    cfg = load_config(path, ["env.kwargs.extra=[1, 2]", "algorithm.dual_clip_c=3.0"])
    again = load_config(write(tmp_path, to_yaml(cfg)))
    assert again == cfg
    assert to_dict(again) == to_dict(cfg)


def test_to_dict_is_plain_nested_data() -> None:
    cfg = load_config(None, ["trainer.resume=off"])
    data = to_dict(cfg)
    assert data["algorithm"]["group_size"] == 8
    assert data["trainer"]["resume"] == "off"
    assert type(data["learner"]["betas"]) is list
    data["learner"]["betas"].append(0.5)
    assert cfg.learner.betas == [0.9, 0.999]  # a copy, not a view


def test_config_pickles_for_ray_actors() -> None:
    cfg = load_config(str(REPO / "configs" / "debug" / "sokoban.yaml"))
    assert pickle.loads(pickle.dumps(cfg)) == cfg


def test_a_truncated_data_file_is_refused_before_any_ray_work_naming_key_and_file(tiny_model: str,
                                                                                   tmp_path: Path) -> None:
    shutil.copytree("envs/webshop/data", tmp_path / "shop")
    catalogue = tmp_path / "shop/items_shuffle.json"
    catalogue.write_bytes(catalogue.read_bytes()[:5000])
    message = refusal(tiny_model, ["env.name=webshop", f"env.kwargs={{data_dir: {tmp_path / 'shop'}}}"])
    assert f"env.kwargs.data_dir: env 'webshop' rejects its arguments: DataFileError: {catalogue}: invalid JSON" in message


def test_role_resources_name_known_roles_and_positive_amounts() -> None:
    assert load_config(None, ["resources.role_resources={learner: {gpu_a100: 1}}"]).resources.role_resources == {
        "learner": {"gpu_a100": 1}}
    with pytest.raises(ConfigError, match="resources.role_resources: unknown role 'lerner'"):
        load_config(None, ["resources.role_resources={lerner: {gpu_a100: 1}}"])
    with pytest.raises(ConfigError, match=r"resources.role_resources.learner must map resource names to amounts > 0"):
        load_config(None, ["resources.role_resources={learner: {gpu_a100: 0}}"])
