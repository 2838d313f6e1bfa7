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

A chat model warm-started on chat prompts (configs/real/webshop.yaml) is probed in its own prompt,
the chat executor turn up to "<sub_done><action>click[item ", in bf16 autocast with its bottom blocks frozen:

    python bench/webshop_price_probe.py runs/real-webshop/warm_start/hf_executor --prompt-style chat \
        --bf16 --freeze-layers 20 --steps 150 --batch 16 --lr 1e-4 --eval-every 50
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

from actors.learner_model import decoder_blocks  # noqa: E402
from envs.webshop.env import WebShopEnv  # noqa: E402
from himac.agent.prompts import COMPACT_EXECUTOR, executor_prompt, render_prompt  # noqa: E402

CLICK = "click[item "
SUBGOAL = "open the best match"  # the oracle's blueprint's subgoal for the results page


def page_prompt(env: WebShopEnv, style: str, tokenizer) -> str:
    """The executor's prompt on the current results page, up to the rank it clicks."""
    if style == "compact":
        return COMPACT_EXECUTOR.format(subgoal=SUBGOAL, history="", admissible="", observation=env.page.text) + CLICK
    prompt = executor_prompt(env.goal.instruction, ["search for the product", SUBGOAL], 1, [], env.page.text,
                             env.admissible_actions(), style="chat")
    return render_prompt(prompt, tokenizer) + "<sub_done><action>" + CLICK


def results_pages(data_dir: str, split: str, n: int, style: str = "compact",
                  tokenizer=None) -> list[tuple[str, int, bool]]:
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
        pages.append((page_prompt(env, style, tokenizer), rank, over))
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
    ap.add_argument("--prompt-style", choices=["compact", "chat"], default="compact")
    ap.add_argument("--bf16", action="store_true", help="bf16 autocast (fp32 weights and AdamW state)")
    ap.add_argument("--freeze-layers", type=int, default=0, help="bottom blocks (and embeddings) not trained")
    args = ap.parse_args()
    torch.manual_seed(0)
    rng = random.Random(0)
    tok = AutoTokenizer.from_pretrained(args.model)
    model = AutoModelForCausalLM.from_pretrained(args.model, dtype=torch.float32)
    if args.freeze_layers:
        model.get_input_embeddings().requires_grad_(False)
        for block in decoder_blocks(model)[:args.freeze_layers]:
            block.requires_grad_(False)
    digits = torch.tensor([tok.convert_tokens_to_ids(str(k)) for k in range(1, 10)])

    def encode(pages):
        return [(tok(p, add_special_tokens=False).input_ids, rank, over) for p, rank, over in pages]

    train = encode(results_pages(args.data_dir, "train", args.train_goals, args.prompt_style, tok))
    test = encode(results_pages(args.data_dir, "test", args.test_goals, args.prompt_style, tok))
    over_pages, first_pages = [r for r in train if r[2]], [r for r in train if not r[2]]
    print(f"train pages {len(train)} ({len(over_pages)} with the first result over the limit), test {len(test)}")

    def rank_logits(rows):
        width = max(len(r[0]) for r in rows)
        ids = torch.zeros(len(rows), width, dtype=torch.long)
        mask = torch.zeros(len(rows), width, dtype=torch.long)
        for i, (row, *_) in enumerate(rows):
            ids[i, :len(row)], mask[i, :len(row)] = torch.tensor(row), 1
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=args.bf16):
            hidden = model.model(ids, attention_mask=mask).last_hidden_state[torch.arange(len(rows)), mask.sum(1) - 1]
        logits = model.lm_head(hidden.float())
        return logits[:, digits].float()

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
    opt = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=args.lr)
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
