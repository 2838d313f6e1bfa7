"""The episode coroutine and its two batching clients, in-process with scripted workers.

The workers here stand in for Ray actors (`.remote` returns an awaitable, as an ObjectRef
is); the real actors are exercised end to end in test_runtime.py.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

from actors.env_worker import EnvResult as Result
from himac.config import load_config
from himac.episodes import EpisodeRunner, EpisodeSpec, Sampling
from himac.protocol import GenRequest, GenResult
from himac.tasks import Task


class CharTokenizer:
    """One token per character (compact prompts are plain strings: no chat template)."""

    def encode(self, text: str, add_special_tokens: bool = False) -> list[int]:
        return [ord(c) % 1000 for c in text]


class Remote:
    """`obj.method.remote(...)` -> an awaitable, like a Ray actor handle."""

    def __init__(self, fn) -> None:
        self.fn = fn

    def remote(self, *args: Any) -> Any:
        return self.fn(*args)


@dataclass
class ScriptedLLM:
    """Answers planner prompts with a two-subgoal plan and executor prompts with `action`."""

    action: str = "up"
    delay_s: float = 0.01
    calls: list[list[GenRequest]] = field(default_factory=list)
    in_flight: int = 0
    max_in_flight: int = 0

    def __post_init__(self) -> None:
        self.generate = Remote(self._generate)

    async def _generate(self, requests: list[GenRequest]) -> list[GenResult]:
        self.calls.append(requests)
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        await asyncio.sleep(self.delay_s)
        self.in_flight -= 1
        out = []
        for r in requests:
            text = "<subgoal>a</subgoal><subgoal>b</subgoal></plan>" if r.stop == ["</plan>"] else f"{self.action}</action>\n"
            out.append(GenResult([1, 2], [-0.5, -0.25], text, "stop"))
        return out


class ScriptedEnvs:
    """Envs that end after `length` steps (won when every action was "up"); the env whose task
    seed is `fail_seed` aborts on its second step; the one with `slow_seed` steps slowly."""

    def __init__(self, length: int = 3, fail_seed: int = -1, slow_seed: int = -1, slow_s: float = 0.3,
                 pad: int = 0) -> None:
        self.length, self.fail_seed, self.slow_seed, self.slow_s = length, fail_seed, slow_seed, slow_s
        self.pad = "#" * pad  # makes every observation `pad` characters longer
        self.state: dict[int, dict[str, Any]] = {}
        self.busy: set[int] = set()
        self.max_busy = 0
        self.stream_reset = Remote(self._reset)
        self.stream_step = Remote(self._step)

    async def _reset(self, items):
        for slot, task in items:
            self.state[slot] = {"seed": task.seed, "steps": 0, "good": True}
            self.busy.add(slot)
            self.max_busy = max(self.max_busy, len(self.busy))
            yield _now([Result(slot, "obs 0" + self.pad, info={"task": "push", "admissible_actions": ["up", "down"]})])

    async def _step(self, items):
        pending = {slot: asyncio.ensure_future(self._step_one(slot, action)) for slot, action in items}
        for fut in asyncio.as_completed(pending.values()):
            yield _now([await fut])

    async def _step_one(self, slot: int, action: str) -> Result:
        st = self.state[slot]
        if st["seed"] == self.slow_seed:
            await asyncio.sleep(self.slow_s)
        st["steps"] += 1
        st["good"] &= action == "up"
        if st["seed"] == self.fail_seed and st["steps"] == 2:
            self.busy.discard(slot)
            return Result(slot, aborted=True, error="injected")
        done = st["steps"] >= self.length
        if done:
            self.busy.discard(slot)
        return Result(slot, f"obs {st['steps']}" + self.pad, float(done and st["good"]), done, False,
                      {"won": done and st["good"], "admissible_actions": ["up", "down"]})


async def _now(value: Any) -> Any:
    return value


def _rollout(llm_workers: list, envs: ScriptedEnvs, envs_per_worker: int, *overrides: str) -> EpisodeRunner:
    cfg = load_config("configs/debug/sokoban.yaml", ["agent.prompt_style=compact", "env.result_linger_s=0.05",
                                                     f"env.envs_per_worker={envs_per_worker}", *overrides])
    return EpisodeRunner(cfg, CharTokenizer(), {"executor": llm_workers}, {"planner": "executor", "executor": "executor"},
                         [envs])


def _specs(n: int, blueprint: list[str] | None = None) -> list[EpisodeSpec]:
    return [EpisodeSpec(Task(f"t{i}", i), blueprint, Sampling(1.0), Sampling(1.0), seed=i)
            for i in range(n)]


def test_flat_episodes_record_every_turn_with_its_tokens_and_seed() -> None:
    llm, envs = ScriptedLLM(), ScriptedEnvs(length=3)
    records = _rollout([llm], envs, 4).run(_specs(4, blueprint=[])).records
    assert [r.task_id for r in records] == ["t0", "t1", "t2", "t3"]
    for r in records:
        assert not r.aborted and r.won and r.steps == 3 and r.episode_return == 1.0 and r.planner_turn is None
        assert [t.observation for t in r.turns] == ["obs 0", "obs 1", "obs 2"] and r.truncated_prompts == 0
        assert all(t.response_ids == [1, 2] and t.prompt_ids for t in r.turns)
    seeds = sorted(req.seed for call in llm.calls for req in call)
    assert seeds == sorted(i * 1000 + k for i in range(4) for k in range(3))  # one seed per (episode, turn)
    assert len(llm.calls) == 3 and all(len(c) == 4 for c in llm.calls)  # the ready episodes share a call


def test_planner_writes_the_blueprint_then_the_executor_acts_under_it() -> None:
    llm, envs = ScriptedLLM(), ScriptedEnvs(length=2)
    (record,) = _rollout([llm], envs, 1).run(_specs(1, blueprint=None)).records
    assert record.blueprint == ["a", "b"] and record.planner_turn.response_ids == [1, 2]
    assert llm.calls[0][0].stop == ["</plan>"] and llm.calls[0][0].seed == 0  # the planner's turn comes first
    assert [c[0].seed for c in llm.calls[1:]] == [1, 2]
    assert record.steps == 2 and record.won


def test_an_env_failure_aborts_that_episode_only() -> None:
    envs = ScriptedEnvs(length=3, fail_seed=1)
    records = _rollout([ScriptedLLM()], envs, 4).run(_specs(4, blueprint=[])).records
    assert [r.aborted for r in records] == [False, True, False, False]
    assert records[1].abort_reason == "injected" and records[1].steps == 1  # the turn before the failure is kept
    assert all(r.won for r in records if not r.aborted)


def test_more_episodes_than_envs_reuse_slots_and_every_episode_returns() -> None:
    envs = ScriptedEnvs(length=2)
    records = _rollout([ScriptedLLM()], envs, 3).run(_specs(8, blueprint=[])).records
    assert len(records) == 8 and all(r.won for r in records)
    assert envs.max_busy <= 3


def test_one_call_in_flight_per_worker_and_requests_split_over_free_workers() -> None:
    a, b = ScriptedLLM(delay_s=0.05), ScriptedLLM(delay_s=0.05)
    _rollout([a, b], ScriptedEnvs(length=2), 8).run(_specs(8, blueprint=[]))
    assert a.max_in_flight == 1 and b.max_in_flight == 1
    assert len(a.calls[0]) == 4 and len(b.calls[0]) == 4  # the first turn of 8 episodes, split evenly


def test_a_slow_env_does_not_hold_back_the_other_episodes() -> None:
    llm = ScriptedLLM(delay_s=0.0)
    rollout = _rollout([llm], ScriptedEnvs(length=3, slow_seed=0, slow_s=0.3), 4)
    result = rollout.run(_specs(4, blueprint=[]))
    records = result.records
    assert all(r.won for r in records)
    first_slow_turn = next(i for i, c in enumerate(llm.calls) if any(r.seed == 1 for r in c))  # episode 0, turn 1
    fast_before = {r.seed for c in llm.calls[:first_slow_turn] for r in c}
    assert {1001, 2002, 3002} <= fast_before  # the fast episodes finished every turn meanwhile
    assert result.timing["env"] >= 0.5  # waited on the slow env alone (two slow steps after the others ended)


def test_prompts_longer_than_the_model_are_cut_and_counted_never_sent_whole() -> None:
    llm = ScriptedLLM()
    rollout = _rollout([llm], ScriptedEnvs(length=2, pad=400), 2, "rollout.max_model_len=200",
                       "rollout.executor_max_tokens=8", "rollout.planner_max_tokens=24")
    records = rollout.run(_specs(2, blueprint=None)).records
    assert all(r.won and r.truncated_prompts == 3 for r in records)  # the blueprint and both executor turns
    sent = [(len(req.prompt_ids), req.max_tokens) for call in llm.calls for req in call]
    assert all(n + m <= 200 for n, m in sent) and max(n for n, _ in sent) > 150


def test_a_rollout_with_too_many_aborted_episodes_stops_the_run_naming_the_causes() -> None:
    import pytest

    from himac.records import EpisodeRecord, check_aborted

    def rec(aborted: bool, why: str = "") -> EpisodeRecord:
        return EpisodeRecord("t", "all", [], aborted=aborted, abort_reason=why)

    check_aborted([rec(True, "x"), rec(False)], 0.5, "iteration 3")  # half is allowed at 0.5
    records = [rec(True, "env worker died: ActorDiedError"), rec(True, "FileNotFoundError: items.json\ntrace"),
               rec(True, "env worker died: ActorDiedError"), rec(False)]
    with pytest.raises(RuntimeError, match=r"iteration 3: 3 of 4 episodes aborted .*2x env worker died.*FileNotFound"):
        check_aborted(records, 0.5, "iteration 3")


class ExpertEnvs(ScriptedEnvs):
    """ScriptedEnvs whose expert plans two subgoals ("a": up, "b": up, up); no plan for seed `no_plan`."""

    def __init__(self, no_plan: int = -1, plan: list | None = None) -> None:
        super().__init__(length=3)
        self.no_plan, self.plan = no_plan, plan or [("a", ["up"]), ("b", ["up", "up"])]
        self.expert_plans = Remote(self._plans)

    async def _plans(self, slots: list[int]):
        return [None if self.state[s]["seed"] == self.no_plan else self.plan for s in slots]


def test_the_warm_start_plays_the_expert_through_the_same_episode_loop() -> None:
    from himac.samples import sft_samples
    from himac.warm_start import ExpertAnswerers, expert_specs

    envs = ExpertEnvs(no_plan=2)
    runner = _rollout([ScriptedLLM()], envs, 4, "coevolution.hierarchical=true", "coevolution.use_sub_done=true")
    records = runner.run(expert_specs([Task(f"w{i}", i) for i in range(3)], hierarchical=True),
                         expert=ExpertAnswerers(runner.cfg, runner.tok)).records
    first = records[0]
    assert not first.aborted and first.won and first.blueprint == ["a", "b"]
    assert first.planner_turn.response.endswith("a</subgoal><subgoal>b</subgoal></plan>")
    assert first.subgoal_completion == 1.0
    assert [(t.action, t.sub_done, t.subgoal_index) for t in first.turns] == [("up", True, 0), ("up", False, 1),
                                                                              ("up", True, 1)]
    assert records[2].aborted and "no plan" in records[2].abort_reason  # counted, not dropped silently
    samples, inexpressible = sft_samples(records)
    assert inexpressible == 0 and len(samples) == 2 * (1 + 3)  # two episodes: one blueprint + three actions each


def test_expert_turns_the_action_constraint_cannot_express_are_counted() -> None:
    from himac.samples import sft_samples
    from himac.warm_start import ExpertAnswerers, expert_specs

    envs = ExpertEnvs(plan=[("a", ["up", "jump", "up"])])  # "jump" is not admissible ("up", "down")
    runner = _rollout([ScriptedLLM()], envs, 1, "rollout.restrict_to_admissible=true")
    records = runner.run(expert_specs([Task("w0", 0)], hierarchical=False),
                         expert=ExpertAnswerers(runner.cfg, runner.tok)).records
    assert [t.action for t in records[0].turns] == ["up", "jump", "up"] and records[0].planner_turn is None
    samples, inexpressible = sft_samples(records)
    assert inexpressible == 1 and [s.response_ids[:2] for s in samples] == [[117, 112]] * 2  # "up"
    assert all(s.allowed is not None for s in samples)


def test_history_scope_episode_carries_the_history_past_the_subgoal_the_mask_drops_it() -> None:
    def third_prompt(scope: str) -> str:
        llm = ScriptedLLM()
        _rollout([llm], ScriptedEnvs(length=3), 1, "agent.subgoal_budget=1", "agent.history_length=2",
                 f"agent.history_scope={scope}").run(_specs(1, blueprint=["a", "b"]))
        return "".join(map(chr, llm.calls[2][0].prompt_ids))  # the subgoal advanced after each turn

    episode, subgoal = third_prompt("episode"), third_prompt("subgoal")
    assert "obs 1" in episode and "obs 0" in episode
    assert "obs 0" not in subgoal and "obs 1" in subgoal
