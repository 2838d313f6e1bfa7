"""The planner/executor text layer: blueprint and action parsing, prompts, the executor's episode loop."""

from himac.agent.episode import ExecutorEpisode, Turn
from himac.agent.parsing import format_blueprint, parse_action, parse_blueprint
from himac.agent.prompts import (
    Prompt,
    executor_prompt,
    planner_prompt,
    render_prompt,
    response_prefix,
    stop_strings,
)

__all__ = [
    "ExecutorEpisode",
    "Prompt",
    "executor_prompt",
    "format_blueprint",
    "parse_action",
    "parse_blueprint",
    "planner_prompt",
    "render_prompt",
    "response_prefix",
    "stop_strings",
    "Turn",
]
