"""vLLM-CPU's runtime for the engine actors (tcmalloc, Intel OpenMP) and the parity probe's per-dtype threshold."""

import pytest

from actors.cpu_runtime import engine_env, iomp_path, preloaded, tcmalloc_path
from himac.policy import PARITY_THRESHOLDS, parity_threshold


def test_engine_env_preloads_what_is_installed_and_nothing_when_disabled():
    env = engine_env()
    libs = [p for p in (tcmalloc_path(), iomp_path()) if p]
    assert env.get("LD_PRELOAD", "").split(":")[: len(libs)] == libs
    assert engine_env(enabled=False) == {}


@pytest.mark.timeout(120)
def test_an_actor_started_with_the_engine_env_has_the_libraries_mapped(ray_cluster):
    import ray

    if not (tcmalloc_path() and iomp_path()):
        pytest.fail("make venv installs libtcmalloc-minimal4 (apt) and intel-openmp (pip); one is missing")

    @ray.remote(num_cpus=0)
    def mapped() -> list[str]:
        from actors.cpu_runtime import preloaded as inside

        return inside()

    env = {"env_vars": engine_env()}
    assert ray.get(mapped.options(runtime_env=env).remote(), timeout=60) == ["libiomp5", "libtcmalloc"]
    assert "libtcmalloc" not in preloaded()  # this test process was not started with it


def test_parity_threshold_follows_the_model_dtype_unless_configured():
    assert parity_threshold(None, "float32", gpu=False) == PARITY_THRESHOLDS["float32"] == 1e-3
    assert parity_threshold(None, "auto", gpu=False) == 1e-3  # auto = fp32 on CPU
    assert parity_threshold(None, "auto", gpu=True) == PARITY_THRESHOLDS["bfloat16"]
    assert parity_threshold(0.02, "bfloat16", gpu=False) == 0.02
    assert all(0 < t < 1 for t in PARITY_THRESHOLDS.values())


def test_prefix_cache_hit_rate_between_two_counts():
    from himac.launch import hit_rate

    assert hit_rate((100, 40), (300, 190)) == pytest.approx(150 / 200)
    assert hit_rate((500, 400), (80, 20)) == pytest.approx(20 / 80)  # an engine restarted: counts since then
    assert hit_rate((10, 5), (10, 5)) != hit_rate((10, 5), (10, 5))  # nothing looked up: NaN
