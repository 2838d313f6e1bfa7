"""Environment throughput: steps/s per env (random and expert actions), ALFWorld steps/s of
one EnvWorker hosting 1, 2, 16 envs (a child process each) and WebShop search latency at
catalogue scale. Prints numbers; asserts nothing.

    python bench/envs.py [--steps 2000] [--seconds 10] [--alfworld-envs 1 2 16] [--sizes 1000 100000]
                         [--queries 200]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

# Run as a script, this file's folder leads sys.path and its name would shadow `envs`.
sys.path = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import gymnasium  # noqa: E402

import envs  # noqa: E402, F401  (registers the himac/* envs)

ENV_IDS = ("himac/Sokoban-v0", "himac/ALFWorld-v0", "himac/WebShop-v0")


def _random_action(rng: random.Random, info: dict) -> str:
    action = rng.choice(info["admissible_actions"])
    if action.startswith("search["):  # WebShop's placeholder: query with words of the task
        words = info["task"].split()
        action = f"search[{' '.join(rng.sample(words, min(5, len(words))))}]"
    return action


def steps_per_second(env: gymnasium.Env, policy: str, n_steps: int, max_seconds: float,
                     seed: int = 0) -> float:
    """Steps/s of `policy` ("random" | "expert") over `n_steps` steps or `max_seconds`,
    whichever comes first (resets included)."""
    base = env.unwrapped
    rng = random.Random(seed)
    _, info = env.reset(seed=seed)
    start = time.perf_counter()
    step = 0
    while step < n_steps and time.perf_counter() - start < max_seconds:
        step += 1
        action = base.expert_action() if policy == "expert" else _random_action(rng, info)
        _, _, terminated, truncated, info = env.step(action)
        if terminated or truncated:
            _, info = env.reset(seed=seed + step)
    return step / (time.perf_counter() - start)


def bench_env(env_id: str, n_steps: int, max_seconds: float) -> None:
    try:
        env = gymnasium.make(env_id)
    except Exception as exc:  # noqa: BLE001  (an env another module may not provide yet)
        print(f"{env_id:<20} skipped: cannot be created ({type(exc).__name__}: {exc})")
        return
    for policy in ("random", "expert"):
        if policy == "expert" and not hasattr(env.unwrapped, "expert_action"):
            print(f"{env_id:<20} {policy:<6} skipped (no expert_action)")
            continue
        rate = steps_per_second(env, policy, n_steps, max_seconds)
        print(f"{env_id:<20} {policy:<6} {rate:10.0f} steps/s")
    env.close()


def _cpu_s(pid: int) -> float:
    """User + system CPU seconds a process has used so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def alfworld_worker(num_envs: int, max_seconds: float, seed: int = 0) -> None:
    """Steps/s of one EnvWorker hosting `num_envs` ALFWorld envs, all stepped at once with random
    admissible actions for `max_seconds` (resets of finished episodes included, start-up not),
    and the CPU time a step costs in the env processes and in the worker: on a shared machine the
    rate depends on the other tenants, the CPU cost does not."""
    from actors.env_worker import EnvWorker
    from himac.tasks import Task

    rng = random.Random(seed)
    worker = EnvWorker("himac/ALFWorld-v0", num_envs)
    try:
        infos = {r.slot: r.info for r in worker.reset([(s, Task(f"t{s}", seed + s)) for s in range(num_envs)])}
        pids = [child.proc.pid for child in worker.envs.children]
        envs_cpu, worker_cpu = sum(map(_cpu_s, pids)), time.process_time()
        steps, aborted = 0, 0
        start = time.perf_counter()
        while time.perf_counter() - start < max_seconds:
            results = worker.step([(s, rng.choice(info["admissible_actions"])) for s, info in infos.items()])
            steps += len(results)
            aborted += sum(r.aborted for r in results)
            infos.update({r.slot: r.info for r in results})
            ended = [(r.slot, {"seed": rng.randrange(1 << 30)}) for r in results if r.terminated or r.truncated]
            infos.update({r.slot: r.info for r in worker.reset(ended)})
        rate = steps / (time.perf_counter() - start)
        envs_ms = (sum(map(_cpu_s, pids)) - envs_cpu) / steps * 1e3
        worker_ms = (time.process_time() - worker_cpu) / steps * 1e3
    finally:
        worker.close()
    print(f"alfworld EnvWorker {num_envs:>3} envs (a process each): {rate:6.1f} steps/s; CPU per step "
          f"{envs_ms:5.1f} ms in the envs + {worker_ms:4.1f} ms in the worker; {aborted} aborted")


def webshop_search_latency(n_products: int, n_queries: int, seed: int = 0) -> None:
    """Index build time and p50/p90 query latency of WebShop's BM25 over a synthetic catalogue."""
    from envs.webshop.catalogue import generate_catalogue
    from envs.webshop.loader import parse_products
    from envs.webshop.search import BM25Search

    items, ins, human = generate_catalogue(n_products, seed)
    products = parse_products(items, ins, human)
    start = time.perf_counter()
    engine = BM25Search.from_products(products)
    build = time.perf_counter() - start
    rng = random.Random(seed)
    queries = [ins[p.asin]["instruction"] for p in rng.sample(products, min(n_queries, len(products)))]
    latencies = []
    for q in queries:
        start = time.perf_counter()
        engine.search(q)
        latencies.append(time.perf_counter() - start)
    p50 = statistics.median(latencies) * 1e3
    p90 = statistics.quantiles(latencies, n=10)[-1] * 1e3
    print(f"webshop search {n_products:>7} products: index {build:6.1f} s, "
          f"p50 {p50:6.2f} ms, p90 {p90:6.2f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=2000)
    parser.add_argument("--seconds", type=float, default=10.0, help="time cap per env and policy")
    parser.add_argument("--alfworld-envs", type=int, nargs="*", default=[1, 2, 16])
    parser.add_argument("--sizes", type=int, nargs="*", default=[1000, 100_000])
    parser.add_argument("--queries", type=int, default=200)
    args = parser.parse_args()
    for env_id in ENV_IDS:
        bench_env(env_id, args.steps, args.seconds)
    for n in args.alfworld_envs:
        alfworld_worker(n, args.seconds)
    for n in args.sizes:
        webshop_search_latency(n, args.queries)


if __name__ == "__main__":
    main()
