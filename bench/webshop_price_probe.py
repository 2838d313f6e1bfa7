"""Can a model learn to read prices off a WebShop results page? A supervised probe.

The WebShop oracle opens the first result that would win; on the 1000-product catalogue that
is the first result under the instruction's price limit for 95.5% of the first 200 test goals,
and the first result for 84.5%. This script fine-tunes a model (e.g. a warm-start export) on
the product-click decision alone: the executor prompt of a results page, up to
"click[item ", labelled with the oracle's rank. Half of each batch are pages whose first
result is over the limit. Held-out accuracy is reported for both kinds of page; on pages
whose first result is over the limit, "click item 1" scores 0 and reading prices is the only
way up.

    python bench/webshop_price_probe.py runs/debug-webshop/warm_start/hf_executor --steps 600
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import torch  # noqa: E402
from transformers import AutoModelForCausalLM, AutoTokenizer  # noqa: E402

from envs.webshop.env import WebShopEnv  # noqa: E402
from himac.agent.prompts import COMPACT_EXECUTOR  # noqa: E402

CLICK = "click[item "


def results_pages(data_dir: str, split: str, n: int) -> list[tuple[str, int, bool]]:
    """(executor prompt up to "click[item ", oracle rank 1-9, first result over the price limit)
    for the first `n` goals of `split` whose oracle opens one of a page's first nine results."""
    env = WebShopEnv(data_dir=data_dir, split=split, product_refs="rank")
    pages = []
    for goal_index in list(env.split)[:n]:
        env.reset(options={"goal_index": goal_index})
        env.step(env.expert_action())  # the oracle's search
        action = env.expert_action()
        rank = int(action[len(CLICK):-1]) if env.state.view == "results" and action.startswith(CLICK) else 0
        if not 1 <= rank <= 9:
            continue
        over = env.shop.catalogue.prices[env.state.shown[0]] > env.goal.price_upper
        prompt = COMPACT_EXECUTOR.format(subgoal="open the best match", history="", admissible="",
                                         observation=env.page.text)
        pages.append((prompt + CLICK, rank, over))
    return pages


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("model")
    ap.add_argument("--data-dir", default="data/webshop-1k")
    ap.add_argument("--train-goals", type=int, default=3000)
    ap.add_argument("--test-goals", type=int, default=500)
    ap.add_argument("--steps", type=int, default=600)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--lr", type=float, default=3e-4)
    ap.add_argument("--eval-every", type=int, default=100)
    args = ap.parse_args()
    torch.manual_seed(0)
    rng = random.Random(0)
    tok = AutoTokenizer.from_pretrained(args.model)
    model = AutoModelForCausalLM.from_pretrained(args.model, dtype=torch.float32)
    digits = torch.tensor([tok.convert_tokens_to_ids(str(k)) for k in range(1, 10)])

    def encode(pages):
        return [(tok(p).input_ids, rank, over) for p, rank, over in pages]

    train = encode(results_pages(args.data_dir, "train", args.train_goals))
    test = encode(results_pages(args.data_dir, "test", args.test_goals))
    over_pages, first_pages = [r for r in train if r[2]], [r for r in train if not r[2]]
    print(f"train pages {len(train)} ({len(over_pages)} with the first result over the limit), test {len(test)}")

    def rank_logits(rows):
        width = max(len(r[0]) for r in rows)
        ids = torch.zeros(len(rows), width, dtype=torch.long)
        mask = torch.zeros(len(rows), width, dtype=torch.long)
        for i, (row, *_) in enumerate(rows):
            ids[i, :len(row)], mask[i, :len(row)] = torch.tensor(row), 1
        logits = model(ids, attention_mask=mask).logits[torch.arange(len(rows)), mask.sum(1) - 1]
        return logits[:, digits]

    @torch.no_grad()
    def accuracy() -> str:
        model.eval()
        hits = {True: [], False: []}
        for i in range(0, len(test), 16):
            rows = test[i:i + 16]
            for (_, rank, over), guess in zip(rows, rank_logits(rows).argmax(-1).tolist()):
                hits[over].append(guess + 1 == rank)
        model.train()
        return (f"first result over the limit {statistics.fmean(hits[True]):.3f} (n={len(hits[True])}), "
                f"under it {statistics.fmean(hits[False]):.3f} (n={len(hits[False])})")

    print(f"step 0: held-out accuracy: {accuracy()}", flush=True)
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr)
    start = time.time()
    for step in range(1, args.steps + 1):
        rows = rng.sample(over_pages, args.batch // 2) + rng.sample(first_pages, args.batch - args.batch // 2)
        loss = torch.nn.functional.cross_entropy(rank_logits(rows), torch.tensor([r[1] - 1 for r in rows]))
        opt.zero_grad()
        loss.backward()
        opt.step()
        if step % args.eval_every == 0:
            print(f"step {step}: loss {loss.item():.3f}, held-out accuracy: {accuracy()} "
                  f"({time.time() - start:.0f} s)", flush=True)


if __name__ == "__main__":
    main()
