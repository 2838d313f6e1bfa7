"""vLLM-CPU's runtime, as its installation docs describe it, for the engine processes on a CPU node:
tcmalloc (Debian's libtcmalloc-minimal4, installed by `make venv`) and Intel OpenMP (libiomp5 from
the `intel-openmp` wheel) preloaded.

Preloading only works at process start, so these are environment variables for the Ray actor
that hosts the engine (`runtime_env`), never set inside a running process. A library that is
not installed is left out (the engine then runs as before, with vLLM's warning).

Threads: on CPU the learner and the engines take turns (rollout, then update, then sync), so each
uses every core (`torch.set_num_threads(os.cpu_count())` in both). KMP_BLOCKTIME=0 (threads that
sleep as soon as a parallel region ends, so they cannot spin through the other side's turn) was
measured and dropped: SmolLM2 bf16 generated 47-59 tokens/s at batch 8 with it against 58 without
it and 61-64 without the preload (docs/real-model-speed.md).
"""

from __future__ import annotations

import glob
import os
import sys
from pathlib import Path

TCMALLOC_GLOBS = ("/usr/lib/*/libtcmalloc_minimal.so.4", "/usr/lib64/libtcmalloc_minimal.so.4")


def tcmalloc_path() -> str | None:
    """The system's tcmalloc (Debian/Ubuntu libtcmalloc-minimal4), or None."""
    for pattern in TCMALLOC_GLOBS:
        found = sorted(glob.glob(pattern))
        if found:
            return found[0]
    return None


def iomp_path() -> str | None:
    """libiomp5.so of the `intel-openmp` wheel in this interpreter's prefix (pip puts it in <prefix>/lib), or None."""
    candidate = Path(sys.prefix) / "lib" / "libiomp5.so"
    return str(candidate) if candidate.exists() else None


def engine_env(enabled: bool = True) -> dict[str, str]:
    """Environment variables for a CPU engine actor: LD_PRELOAD of what is installed. Empty when
    disabled (`rollout.cpu_runtime=false`) or when neither library is installed."""
    libs = [p for p in (tcmalloc_path(), iomp_path()) if p] if enabled else []
    if not libs:
        return {}
    return {"LD_PRELOAD": ":".join([*libs, *filter(None, os.environ.get("LD_PRELOAD", "").split(":"))])}


def preloaded() -> list[str]:
    """The runtime libraries mapped into this process (to check that a preload took effect)."""
    try:
        maps = Path("/proc/self/maps").read_text()
    except OSError:
        return []
    return sorted({name for name in ("libtcmalloc", "libiomp5") if name in maps})
