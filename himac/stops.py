"""How a run stops: early but cleanly (time limit, SIGTERM, too many skipped steps), or on a fault,
as one message with the cause, the last checkpoint and the command that resumes (exit 1), the
traceback going to the run's log file (`<output_dir>/errors.log`), never to the terminal.

Exit codes of `himac train`: 0 done (or out of time), 1 a runtime fault, 2 a config error,
143 (128 + SIGTERM) stopped by SIGTERM after writing a checkpoint.
"""

from __future__ import annotations

import shlex
import signal
import threading
import time
import traceback
from pathlib import Path
from typing import Any

from himac.config import HiMACConfig


class RunStopped(RuntimeError):
    """A runtime fault the run could not recover from; `checkpoint` is the last complete one (or None)."""

    def __init__(self, cause: str, checkpoint: Path | None) -> None:
        super().__init__(cause)
        self.cause, self.checkpoint = cause, checkpoint


def resume_command(argv: list[str]) -> str:
    """The `himac train` command line of `argv` (config and overrides) with trainer.resume=auto."""
    kept = [a for a in argv if not a.startswith("trainer.resume=")]
    return "himac " + " ".join(shlex.quote(a) for a in [*kept, "trainer.resume=auto"])


def report_fault(e: BaseException, out_dir: Path, argv: list[str], checkpoint: Path | None) -> str:
    """Append the traceback to <out_dir>/errors.log; return the one message for the terminal."""
    log = Path(out_dir) / "errors.log"
    try:
        log.parent.mkdir(parents=True, exist_ok=True)
        with open(log, "a") as f:
            f.write(f"== {time.strftime('%Y-%m-%d %H:%M:%S')} {' '.join(argv)}\n")
            f.write("".join(traceback.format_exception(e)) + "\n")
        where = f"the traceback is in {log}"
    except OSError as write_error:  # a full disk: the terminal is all that is left
        where = f"the traceback could not be written to {log} ({write_error})"
    cause = e.cause if isinstance(e, RunStopped) else f"{type(e).__name__}: {e}"
    return (f"himac: stopped: {cause}\n"
            f"  last checkpoint: {checkpoint if checkpoint is not None else 'none'}\n"
            f"  resume with: {resume_command(argv)}\n  {where}")


class StopConditions:
    """When the loop ends early: `trainer.time_limit_min` passed or SIGTERM received (a preempted pod,
    `ray job stop`: the loop checkpoints and stops), or `trainer.max_skipped_steps` updates in a row
    skipped their optimizer steps (an error)."""

    def __init__(self, cfg: HiMACConfig) -> None:
        tc = cfg.trainer
        self.deadline = time.time() + tc.time_limit_min * 60 if tc.time_limit_min > 0 else None
        self.max_skipped = tc.max_skipped_steps
        self.skipped_in_a_row = 0
        self.sigterm = False
        self._previous: Any = None

    def __enter__(self) -> StopConditions:
        if threading.current_thread() is threading.main_thread():
            self._previous = signal.signal(signal.SIGTERM, self._handle)
        return self

    def _handle(self, signum: int, frame: Any) -> None:
        self.sigterm = True

    def __exit__(self, *exc: Any) -> None:
        if self._previous is not None:
            signal.signal(signal.SIGTERM, self._previous)

    def requested(self) -> bool:
        """Out of time, or SIGTERM: this iteration is the last."""
        return self.sigterm or (self.deadline is not None and time.time() > self.deadline)

    def check_skipped_steps(self, m: dict[str, Any]) -> None:
        self.skipped_in_a_row = self.skipped_in_a_row + 1 if m.get("actor/skipped_steps", 0) > 0 else 0
        if self.skipped_in_a_row >= self.max_skipped:
            raise RuntimeError(
                f"{self.skipped_in_a_row} updates in a row skipped optimizer steps for a non-finite loss or "
                f"gradient (trainer.max_skipped_steps={self.max_skipped}); lower learner.lr or "
                "check the rewards. The weights were not changed by those steps; the last checkpoint is intact.")
