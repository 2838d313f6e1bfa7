"""Planner and executor prompts in two styles (HiMAC, arXiv 2603.00977).

* ``verbose``: chat messages for instruction-tuned LLMs, rendered with the tokenizer's
  chat template. The model writes whole tagged answers (`<think>…</think><action>…</action>`,
  `<plan><subgoal>…</subgoal>…</plan>`).
* ``chat``: short chat messages for small pretrained chat models (the compact prompts' content
  in the tokenizer's chat template, no reasoning asked for); the answers are verbose's tagged
  answers without `<think>` (`<action>…</action>`, `<sub_done><action>…</action>`, the plan).
* ``compact``: plain text for tiny models, no chat template and (by default) no history
  or admissible list; the prompt ends with the opening tag, so the model only writes the
  content and the closing tag. The runtime prepends `response_prefix(role, style)` to the
  generated text before parsing, so both styles go through the same parser.

Generate with `stop_strings(role, style)` and keep the stop string in the output (vLLM:
``include_stop_str_in_output=True``; transformers' `generate(stop_strings=…)` keeps it),
so the closing tag is part of the parsed text and of the trained tokens.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from himac.agent.parsing import ACTION_CLOSE, ACTION_OPEN, PLAN_CLOSE, PLAN_OPEN, SUB_DONE, SUBGOAL_OPEN

Message = dict[str, str]
Prompt = str | list[Message]

STYLES = ("verbose", "chat", "compact")
ROLES = ("planner", "executor")

# (history_length, show_admissible) when the caller leaves them unset.
STYLE_DEFAULTS = {"verbose": (2, True), "chat": (0, True), "compact": (0, False)}

# ---- templates ------------------------------------------------------------------------

PLANNER_ROLE = (
    "You are the planner of a two-level agent. You split a task into a short ordered list of "
    "subgoals; an executor then carries them out one at a time in a text environment."
)
PLANNER_USER = (
    "Task: {task}\n"
    "Observation:\n{observation}\n\n"
    "Write a plan of at most {max_subgoals} subgoals, in order, each a short instruction the "
    "executor can finish in a few actions. Answer only with the plan in this format:\n"
    "<plan><subgoal>first subgoal</subgoal><subgoal>second subgoal</subgoal></plan>"
)
EXECUTOR_ROLE = (
    "You are the executor of a two-level agent. You act in a text environment to complete "
    "the active subgoal of a plan, one action per turn."
)
EXECUTOR_USER = (
    "Task: {task}\n"
    "Plan:\n{plan}\n"
    "Active subgoal: {subgoal}\n"
    "{history}"
    "Current observation:\n{observation}\n"
    "{admissible}"
    "\nThink step by step inside <think></think>, then give exactly one action inside "
    "<action></action>."
    "{sub_done}"
)
EXECUTOR_SUB_DONE = f" If this action completes the active subgoal, write {SUB_DONE} before <action>."
ACTIVE_MARK = "  <- active"
HISTORY_HEADER = "Recent steps (this subgoal):\n"
HISTORY_STEP = "Observation:\n{observation}\nAction: {action}\n"
ADMISSIBLE_HEADER = "Admissible actions:\n"

COMPACT_PLANNER = "task: {task}\n{observation}\n" + PLAN_OPEN + SUBGOAL_OPEN
COMPACT_EXECUTOR = "goal: {subgoal}\n{history}{admissible}{observation}\n" + ACTION_OPEN
COMPACT_HISTORY_STEP = "{observation}\n" + ACTION_OPEN + "{action}" + ACTION_CLOSE + "\n"
COMPACT_ADMISSIBLE = "actions: {actions}\n"

CHAT_PLANNER_ROLE = "You plan subgoals for a text agent."
CHAT_PLANNER = ("Task: {task}\n{observation}\n"
                "Answer with at most {max_subgoals} subgoals as <plan><subgoal>...</subgoal></plan>.")
CHAT_EXECUTOR_ROLE = "You act in a text environment."
CHAT_EXECUTOR = "Task: {task}\n{subgoal}{history}{admissible}{observation}\nAnswer with one action as <action>...</action>.{sub_done}"
CHAT_SUBGOAL = "Subgoal: {subgoal}\n"
CHAT_SUB_DONE = f" Write {SUB_DONE} before <action> if it completes the subgoal."

RESPONSE_PREFIX = {"compact": {"planner": PLAN_OPEN + SUBGOAL_OPEN, "executor": ACTION_OPEN}}


# ---- public API -----------------------------------------------------------------------


def _check(role: str | None, style: str) -> None:
    if style not in STYLES:
        raise ValueError(f"unknown prompt style {style!r}; expected one of {STYLES}")
    if role is not None and role not in ROLES:
        raise ValueError(f"unknown role {role!r}; expected one of {ROLES}")


def _messages(system: str, user: str) -> Prompt:
    """A chat prompt: the role's system line, then the turn's text as the user message."""
    return [{"role": "system", "content": system}, {"role": "user", "content": user}]


def planner_prompt(task: str, observation: str, *, style: str = "verbose", max_subgoals: int = 6) -> Prompt:
    """The planner's prompt: task and first observation; it answers a blueprint of ≤ K subgoals."""
    _check("planner", style)
    if style == "compact":
        return COMPACT_PLANNER.format(task=task, observation=observation)
    if style == "chat":
        user = CHAT_PLANNER.format(task=task, observation=observation, max_subgoals=max_subgoals)
        return _messages(CHAT_PLANNER_ROLE, user)
    user = PLANNER_USER.format(task=task, observation=observation, max_subgoals=max_subgoals)
    return _messages(PLANNER_ROLE, user)


def executor_prompt(
    task: str,
    subgoals: Sequence[str],
    active: int,
    history: Sequence[tuple[str, str]],
    observation: str,
    admissible: Sequence[str],
    *,
    style: str = "verbose",
    history_length: int | None = None,
    use_sub_done: bool = True,
    show_admissible: bool | None = None,
) -> Prompt:
    """The executor's prompt for one turn.

    `subgoals` is the fixed blueprint (empty: the task is the only subgoal) and `active`
    the index of the subgoal being worked on. `history` holds (observation, action) pairs
    of the current segment; the last `history_length` are shown. Unset `history_length` /
    `show_admissible` take the style's defaults (`STYLE_DEFAULTS`).
    """
    _check("executor", style)
    plan = list(subgoals) or [task]
    if not 0 <= active < len(plan):
        raise ValueError(f"active subgoal {active} outside a blueprint of {len(plan)}")
    default_length, default_admissible = STYLE_DEFAULTS[style]
    length = default_length if history_length is None else history_length
    shown = list(history)[-length:] if length > 0 else []
    list_actions = (default_admissible if show_admissible is None else show_admissible) and bool(admissible)

    if style in ("compact", "chat"):
        history = "".join(COMPACT_HISTORY_STEP.format(observation=o, action=a) for o, a in shown)
        actions = COMPACT_ADMISSIBLE.format(actions=", ".join(admissible)) if list_actions else ""
        if style == "compact":
            return COMPACT_EXECUTOR.format(subgoal=plan[active], history=history, admissible=actions,
                                           observation=observation)
        user = CHAT_EXECUTOR.format(task=task, subgoal=CHAT_SUBGOAL.format(subgoal=plan[active]) if subgoals else "",
                                    history=history, admissible=actions, observation=observation,
                                    sub_done=CHAT_SUB_DONE if use_sub_done else "")
        return _messages(CHAT_EXECUTOR_ROLE, user)
    lines = [f"{i + 1}. {g}{ACTIVE_MARK if i == active else ''}" for i, g in enumerate(plan)]
    steps = "".join(HISTORY_STEP.format(observation=o, action=a) for o, a in shown)
    user = EXECUTOR_USER.format(
        task=task,
        plan="\n".join(lines),
        subgoal=plan[active],
        history=HISTORY_HEADER + steps if shown else "",
        observation=observation,
        admissible=ADMISSIBLE_HEADER + "".join(f"- {a}\n" for a in admissible) if list_actions else "",
        sub_done=EXECUTOR_SUB_DONE if use_sub_done else "",
    )
    return _messages(EXECUTOR_ROLE, user)


def render_prompt(prompt: Prompt, tokenizer: Any) -> str:
    """Prompt text for the engine: chat messages go through the tokenizer's chat template.

    Model- and env-written text is untrusted: a special token's string in it (`<|im_start|>`,
    `<|endoftext|>`, ...) is broken with a zero-width space, so it can never encode as a control
    token and forge a chat turn; only the template itself writes special tokens.
    """
    specials = [t for t in getattr(tokenizer, "all_special_tokens", []) if len(t) > 1]
    if isinstance(prompt, str):
        return neutralize(prompt, specials)
    messages = [{**m, "content": neutralize(m["content"], specials)} for m in prompt]
    return tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=True)


def neutralize(text: str, specials: Sequence[str]) -> str:
    """`text` with every occurrence of a special token's string split by a zero-width space."""
    for tok in specials:
        if tok in text:
            text = text.replace(tok, tok[0] + "\u200b" + tok[1:])
    return text


def response_prefix(role: str, style: str) -> str:
    """Text the prompt already opened (compact style) that the parser needs before the generated text."""
    _check(role, style)
    return RESPONSE_PREFIX.get(style, {}).get(role, "")


def stop_strings(role: str, style: str, *, use_sub_done: bool = True) -> list[str]:
    """Stop strings for generation, kept in the output.

    The planner stops at `</plan>`; the executor at `</action>`, except a compact executor
    with `<sub_done>` enabled: its prompt has already opened `<action>`, so the marker can
    only follow `</action>`, and it stops at the end of the line instead.
    """
    _check(role, style)
    if role == "planner":
        return [PLAN_CLOSE]
    if style == "compact" and use_sub_done:
        return ["\n"]
    return [ACTION_CLOSE]
