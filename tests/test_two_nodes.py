"""Two raylets on this machine, as a cluster has them: a head (`ray start --head`) holding the rollout
engine and the env worker, a second node (`ray start --address`) holding the learner, pinned there by
custom resources (`resources.role_resources`). A `himac train` job runs on that cluster; the second
node is killed mid-run (SIGKILL to its processes, no draining) and a replacement node started (as KubeRay replaces a lost pod): the learner
is rebuilt on it from the last checkpoint and the job finishes."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from actors.placement import free_port

pytestmark = [pytest.mark.slow, pytest.mark.integration]

RAY = str(Path(sys.executable).parent / "ray")
JOB = [
    "rollout.backend=hf", "trainer.batch_tasks=2", "algorithm.group_size=2", "trainer.eval_tasks=4",
    "trainer.eval_every=0", "trainer.eval_at_start=false", "rollout.restrict_to_admissible=true",
    "learner.micro_batch_size=16", "trainer.progress_bar=false", "trainer.warm_start_steps=0",
    "coevolution.hierarchical=false", "trainer.checkpoint_every=1", "trainer.iterations=30",
    "resources.role_resources={learner: {node_b: 0.5}, rollout: {node_a: 0.5}, env: {node_a: 0.25}}",
]


def env() -> dict[str, str]:
    out = {**os.environ, "RAY_AUTH_MODE": "disabled"}
    out.pop("RAY_ADDRESS", None)
    return out


def start_node(args: list[str], log: Path) -> subprocess.Popen:
    """`ray start ... --block` as a child: SIGTERM to it stops that node's processes."""
    return subprocess.Popen([RAY, "start", "--num-cpus=1", "--object-store-memory=300000000", "--disable-usage-stats",
                             "--block", *args], stdout=open(log, "w"), stderr=subprocess.STDOUT, env=env(),
                            start_new_session=True)


def alive_nodes(address: str) -> list[dict]:
    code = (f"import json, ray; ray.init(address={address!r}, logging_level='ERROR'); "
            "print(json.dumps([n['Resources'] for n in ray.nodes() if n['Alive']]))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env(), timeout=120)
    return json.loads(out.stdout.strip().splitlines()[-1]) if out.returncode == 0 else []


def wait_for(condition, timeout_s: float, what: str) -> None:
    deadline = time.time() + timeout_s
    while not condition():
        assert time.time() < deadline, f"timed out waiting for {what}"
        time.sleep(1)


def iteration_rows(out: Path) -> list[dict]:
    path = out / "metrics.jsonl"
    rows = [json.loads(x) for x in path.read_text().splitlines()] if path.exists() else []
    return [r for r in rows if "timing/iteration" in r]


def stop(proc: subprocess.Popen, port: int) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
    subprocess.run(["pkill", "-9", "-f", f"gcs_server_port={port}|127.0.0.1:{port}"], check=False)
    current = Path("/tmp/ray/ray_current_cluster")  # `ray start --head` left its address for ray.init() to attach to
    if current.exists() and f":{port}" in current.read_text():
        current.unlink()


@pytest.mark.timeout(1500)
def test_learner_and_rollout_on_two_nodes_and_a_lost_node_is_recovered(tiny_model, tmp_path):
    port = free_port()
    address = f"127.0.0.1:{port}"
    head = start_node(["--head", f"--port={port}", "--include-dashboard=false", '--resources={"node_a": 1}'],
                      tmp_path / "head.log")
    nodes = [head]
    job = None
    try:
        wait_for(lambda: len(alive_nodes(address)) == 1, 120, "the head node")
        nodes.append(start_node([f"--address={address}", '--resources={"node_b": 1}'], tmp_path / "node_b.log"))
        wait_for(lambda: len(alive_nodes(address)) == 2, 120, "the second node")
        out = tmp_path / "run"
        job = subprocess.Popen(
            [sys.executable, "-m", "himac.cli", "train", "configs/debug/sokoban.yaml", f"model.path={tiny_model}",
             f"trainer.output_dir={out}", f"resources.ray_address={address}", *JOB],
            stdout=open(tmp_path / "job.log", "w"), stderr=subprocess.STDOUT, env=env())
        wait_for(lambda: len(iteration_rows(out)) >= 2 or job.poll() is not None, 600, "two iterations")
        os.killpg(nodes[1].pid, signal.SIGKILL)  # the learner's node is lost mid-run (no draining)
        nodes[1].wait(timeout=120)
        nodes.append(start_node([f"--address={address}", '--resources={"node_b": 1}'], tmp_path / "node_b2.log"))
        rc = job.wait(timeout=900)
        log = (tmp_path / "job.log").read_text()
        assert rc == 0, log[-4000:]
        placement = re.search(r"placement \(node of each bundle\): rollout -> (\w+); learner -> (\w+); env -> (\w+)",
                              log)
        assert placement, log[:4000]
        rollout_node, learner_node, env_node = placement.groups()
        assert learner_node != rollout_node == env_node  # two nodes, as the custom resources asked
        rows = iteration_rows(out)
        assert [r["iteration"] for r in rows] == list(range(30))
        assert rows[-1]["train/recoveries"] == 1 and "rebuilding the learners" in log
        assert all(r["sync/logprob_max_abs_diff"] <= 1e-3 and r["train/aborted"] == 0 for r in rows)
    finally:
        if job is not None and job.poll() is None:
            job.kill()
        for node in reversed(nodes):
            stop(node, port)
