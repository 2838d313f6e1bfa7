"""Config schema: YAML files, dotted overrides, error messages, validation, serialisation."""

import glob
import pickle
from pathlib import Path

import pytest

from himac.config import ConfigError, HiMACConfig, load_config, to_dict, to_yaml

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
        (["algorithm.clip_low=0"], "algorithm.clip_low must be > 0"),
        (["algorithm.clip_high=-0.1"], "algorithm.clip_high must be > 0"),
        (["algorithm.dual_clip_c=1.0"], "algorithm.dual_clip_c must be > 1 or null"),
        (["learner.lr=0"], "learner.lr must be > 0"),
        (["rollout.top_p=0"], "rollout.top_p must be in (0, 1]"),
        (["rollout.top_p=1.5"], "rollout.top_p must be in (0, 1]"),
        (["rollout.gpu_memory_utilization=1.2"], "rollout.gpu_memory_utilization must be in (0, 1]"),
        (["rollout.temperature=-1"], "rollout.temperature must be >= 0"),
        (["rollout.eval_temperature=-0.1"], "rollout.eval_temperature must be >= 0"),
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
        (["algorithm.dgpo_tau=0"], "algorithm.dgpo_tau must be > 0"),
        (["algorithm.dgpo_kappa=-1"], "algorithm.dgpo_kappa must be >= 0"),
        (["coevolution.phase_b_iters=0"], "coevolution.phase_b_iters must be >= 1 when coevolution.coevolve"),
        (["trainer.resume=''"], "trainer.resume must be auto, off or a checkpoint path"),
        (["learner.betas=[0.9]"], "learner.betas must be two values in [0, 1)"),
        (
            ["coevolution.hierarchical=false", "coevolution.random_blueprint=true"],
            "coevolution.random_blueprint needs coevolution.hierarchical=true",
        ),
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
    ):
        assert f"{key} must be one of" in error(None, [f"{key}=nonsense"])


def test_phase_lengths_may_be_zero_without_coevolution() -> None:
    cfg = load_config(None, ["coevolution.coevolve=false", "coevolution.phase_a_iters=0"])
    assert cfg.coevolution.phase_a_iters == 0


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
