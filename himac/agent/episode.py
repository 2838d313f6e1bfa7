"""The executor's turn loop for one episode under a fixed blueprint (HiMAC, arXiv 2603.00977).

Pure bookkeeping, no model and no env: the caller asks for a prompt, generates, hands
the response to `record` (which returns the env action), steps the env and hands the
result to `observe`. The executor works on one subgoal at a time; its prompt shows only
the current segment's history (the temporal mask), and the subgoal advances when the
executor emits `<sub_done>` or, as a fallback, after `subgoal_budget` turns without it.
With `history_scope="episode"` the history runs on across subgoals instead (an ablation of
the mask, for envs where one segment is too short to show a loop).

    episode = ExecutorEpisode(task, observation, admissible, subgoals=blueprint, subgoal_budget=5)
    while not episode.done:
        prompt = episode.next_prompt("verbose")
        action = episode.record(generate(render_prompt(prompt, tokenizer)))
        episode.observe(*env.step(action))
"""

from __future__ import annotations

from dataclasses import KW_ONLY, dataclass, field
from typing import Any

from himac.agent.parsing import parse_action
from himac.agent.prompts import Prompt, executor_prompt, response_prefix

HISTORY_SCOPES = ("subgoal", "episode")  # what the executor's history spans (`agent.history_scope`)


@dataclass
class Turn:
    """One generated response — the planner's blueprint or an executor turn — and what came of it.

    The one record per turn: prompt and response token ids (what the learner trains on), the
    text, and for executor turns the observation acted on (GiGPO's anchor), the parsed
    action, whether it was valid (False when the response broke the format or the env
    rejected the action, `info["action_valid"] is False`), `<sub_done>`, the active subgoal,
    the reward (env reward minus the invalid-action penalty on invalid turns), for a
    constrained turn the token ids of its admissible responses (the learner's mask), and the
    engine's log-prob of each response token under the distribution it was sampled from (NaN
    where no engine sampled it: the warm start's expert), read by the learner's drift metric and TIS.
    """

    prompt_ids: list[int]
    response_ids: list[int]
    _: KW_ONLY
    response: str = ""
    observation: str = ""
    action: str = ""
    valid: bool = True
    sub_done: bool = False
    subgoal_index: int = 0
    reward: float = 0.0
    constraint: list[list[int]] | None = None  # the admissible responses' token ids, when constrained
    rollout_logprobs: list[float] | None = None  # the engine's log-prob per response token


@dataclass
class ExecutorEpisode:
    """State of one executor episode under a blueprint.

    `subgoals` may be empty: the task is then the single implicit subgoal. With
    `use_sub_done=False` (the "no `<sub_done>`" ablation) subgoals advance only by the
    budget. `subgoal_budget` (keyword, required: the run's `agent.subgoal_budget`) is the
    turns after which the fallback advances the subgoal; None turns the fallback off.
    `history_scope`: "subgoal" (HiMAC's temporal mask: each subgoal starts with no history) or
    "episode" (the history is kept when the subgoal advances).
    """

    task: str
    observation: str
    admissible: list[str] = field(default_factory=list)
    subgoals: list[str] = field(default_factory=list)
    use_sub_done: bool = True
    subgoal_budget: int | None = field(kw_only=True)
    history_scope: str = field(default="subgoal", kw_only=True)
    active: int = 0
    segment_steps: int = 0
    history: list[tuple[str, str]] = field(default_factory=list)
    records: list[Turn] = field(default_factory=list)
    completed: list[bool] = field(default_factory=list)
    episode_return: float = 0.0
    invalid_count: int = 0
    done: bool = False
    won: bool = False
    aborted: bool = False
    abort_reason: str = ""
    _pending_style: str | None = field(default=None, init=False, repr=False)  # style of the prompt asked for
    _pending_step: Turn | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        if self.subgoal_budget is not None and self.subgoal_budget < 1:
            raise ValueError(f"subgoal_budget must be >= 1 or None, got {self.subgoal_budget}")
        if self.history_scope not in HISTORY_SCOPES:
            raise ValueError(f"history_scope must be one of {HISTORY_SCOPES}, got {self.history_scope!r}")
        if not self.completed:
            self.completed = [False] * len(self.plan)

    @property
    def plan(self) -> list[str]:
        """The subgoals the executor works through (the task alone when the blueprint is empty)."""
        return self.subgoals or [self.task]

    def next_prompt(
        self,
        style: str = "verbose",
        *,
        history_length: int | None = None,
        show_admissible: bool | None = None,
    ) -> Prompt:
        """The executor prompt for the next turn, with the history `history_scope` keeps."""
        assert not self.done, "next_prompt() on a finished episode"
        prompt = executor_prompt(
            self.task,
            self.subgoals,
            self.active,
            self.history,
            self.observation,
            self.admissible,
            style=style,
            history_length=history_length,
            use_sub_done=self.use_sub_done,
            show_admissible=show_admissible,
        )
        self._pending_style = style
        return prompt

    def record(self, response_text: str, *, require_think: bool = False, prompt_ids: list[int] | None = None,
               response_ids: list[int] | None = None, constraint: list[list[int]] | None = None,
               rollout_logprobs: list[float] | None = None) -> str:
        """Parse the generated text (after the style's response prefix) and return the env action;
        the token ids and the constraint, when given, are kept on the turn for training."""
        assert self._pending_style is not None, "record() needs next_prompt() first"
        assert self._pending_step is None, "record() twice without observe()"
        style = self._pending_style
        action, valid, sub_done = parse_action(
            response_prefix("executor", style) + response_text, require_think=require_think
        )
        self._pending_style = None
        self._pending_step = Turn(
            list(prompt_ids or []), list(response_ids or []), response=response_text, observation=self.observation,
            action=action, valid=valid, sub_done=sub_done, subgoal_index=self.active, constraint=constraint,
            rollout_logprobs=rollout_logprobs,
        )
        return action

    def observe(
        self,
        observation: str,
        reward: float,
        terminated: bool,
        truncated: bool,
        info: dict[str, Any],
        invalid_penalty: float = 0.1,
    ) -> None:
        """Apply the env's answer to the recorded action, then move the subgoal on if due."""
        step = self._pending_step
        assert step is not None, "observe() needs record() first"
        self._pending_step = None
        step.valid = step.valid and info.get("action_valid", True) is not False
        step.reward = float(reward) - (0.0 if step.valid else invalid_penalty)
        self.records.append(step)
        self.episode_return += step.reward
        self.invalid_count += not step.valid
        self.history.append((step.observation, step.action))
        self.observation = observation
        self.admissible = list(info.get("admissible_actions", self.admissible))
        self.won = bool(info.get("won", False))
        self.done = bool(terminated or truncated)
        self.segment_steps += 1

        if self.use_sub_done and step.sub_done:
            self.completed[self.active] = True
            self._advance()
        elif self.subgoal_budget is not None and self.segment_steps >= self.subgoal_budget:
            self._advance()

    def _advance(self) -> None:
        """Start the next subgoal's segment (a fresh history under the temporal mask); the last
        subgoal is kept to the end."""
        if self.active + 1 < len(self.plan):
            self.active += 1
            self.segment_steps = 0
            if self.history_scope == "subgoal":
                self.history = []

    def abort(self, reason: str) -> None:
        """End the episode without an env result (crash, timeout); a pending turn is dropped."""
        self.aborted = True
        self.abort_reason = reason
        self.done = True
        self._pending_style = None
        self._pending_step = None

    @property
    def num_steps(self) -> int:
        return len(self.records)

    @property
    def subgoals_completed(self) -> int:
        return sum(self.completed)

    @property
    def subgoal_completion_rate(self) -> float:
        """Fraction of the plan's subgoals the executor declared done with `<sub_done>`."""
        return self.subgoals_completed / len(self.plan)

    @property
    def valid_action_ratio(self) -> float:
        """Fraction of turns that were valid (1.0 before any turn: nothing invalid happened)."""
        return 1.0 - self.invalid_count / self.num_steps if self.records else 1.0
