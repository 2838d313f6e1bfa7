"""`himac make-tiny-model`: a tiny random-init Qwen2 causal LM for local debug runs.

Writes a Hugging Face folder (config, generation config, safetensors weights, tokenizer)
that transformers and vLLM (CPU) both load. The tokenizer is a byte-level BPE trained
offline on environment text (Sokoban, ALFWorld, WebShop, HiMAC tags), so any string
encodes without unknown tokens (and decodes back, up to Unicode NFC) and the agent's tags and Sokoban moves are single tokens.
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from tokenizers import AddedToken, Tokenizer, models, pre_tokenizers, trainers

if TYPE_CHECKING:
    from transformers import PreTrainedTokenizerFast

EOS_TOKEN = "<|endoftext|>"
SPECIAL_TOKENS = (EOS_TOKEN, "<|im_start|>", "<|im_end|>")
# HiMAC text-interface tags: single tokens that survive decoding (not skipped as special).
TAG_TOKENS = (
    "<plan>", "</plan>", "<subgoal>", "</subgoal>", "<action>", "</action>",
    "<think>", "</think>", "<sub_done>",
)  # fmt: skip
SOKOBAN_ACTIONS = ("up", "down", "left", "right")
# Every word here must end up one token, bare and after a space.
SINGLE_TOKEN_WORDS = SOKOBAN_ACTIONS + ("go", "take", "open", "search", "click")

# ChatML, as the Qwen2 instruct models use it.
CHAT_TEMPLATE = (
    "{% for message in messages %}"
    "{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>\\n' }}"
    "{% endfor %}"
    "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}"
)

# Head sizes the vLLM CPU attention backend accepts (vllm/v1/attention/backends/cpu_attn.py).
VLLM_CPU_HEAD_SIZES = (32, 64, 80, 96, 112, 128, 160, 192, 224, 256, 512)

_OBJECTS = (
    "apple", "bread", "butterknife", "cellphone", "creditcard", "cup", "dishsponge", "egg",
    "fork", "kettle", "knife", "ladle", "lettuce", "mug", "pan", "pen", "pencil", "plate",
    "pot", "potato", "saltshaker", "peppershaker", "soapbar", "spatula", "spoon", "tomato",
    "towel", "book", "bowl", "candle", "cloth", "keychain", "laptop", "newspaper", "pillow",
    "remotecontrol", "spraybottle", "statue", "tissuebox", "toiletpaper", "vase", "watch",
    "winebottle", "alarmclock", "cd", "glassbottle", "soapbottle", "handtowel",
)  # fmt: skip
_RECEPTACLES = (
    "cabinet", "countertop", "diningtable", "drawer", "fridge", "garbagecan", "microwave",
    "shelf", "sinkbasin", "stoveburner", "toaster", "coffeemachine", "sidetable", "sofa",
    "armchair", "bed", "desk", "dresser", "safe", "bathtubbasin", "toilet", "towelholder",
    "toiletpaperhanger", "cart", "ottoman", "laundryhamper", "coffeetable", "desklamp",
)  # fmt: skip
_PRODUCTS = (
    "shoes", "sneakers", "boots", "t-shirt", "dress", "jeans", "hoodie", "hair extension",
    "shampoo", "conditioner", "moisturizer", "lipstick", "face cream", "phone case",
    "headphones", "coffee", "green tea", "snacks", "protein bars", "office chair", "lamp",
    "pillow", "blanket", "backpack", "wall art", "curtains", "toothbrush", "deodorant",
)  # fmt: skip
_ADJECTIVES = (
    "men's", "women's", "natural", "organic", "gluten free", "long lasting", "waterproof",
    "wireless", "easy to clean", "machine wash", "high quality", "slim fit", "non slip",
    "sugar free", "vegan", "lightweight", "soft", "heavy duty", "fragrance free",
)  # fmt: skip
_OPTIONS = (
    "black", "white", "red", "blue", "navy", "grey", "pink", "green", "brown", "beige",
    "small", "medium", "large", "x-large", "size 7", "size 9", "12 ounce", "pack of 2",
)  # fmt: skip
_SUBGOALS = (
    "push the box {d}", "move the player {d} of the box", "push the box onto the target",
    "go around the box", "go to the {r}", "open the {r}", "take the {o}",
    "put the {o} in the {r}", "heat the {o} with the microwave", "cool the {o} with the fridge",
    "clean the {o} in the sinkbasin", "use the desklamp", "search for {p}",
    "click the first matching item", "choose the {c} option", "buy the item",
)  # fmt: skip


def _sokoban_text(rng: random.Random) -> str:
    """A Sokoban observation: a walled grid in the env's symbols, a think and an action."""
    size = rng.randint(5, 7)
    cells = [[rng.choice("____#") for _ in range(size)] for _ in range(size)]
    for i in range(size):
        cells[0][i] = cells[-1][i] = cells[i][0] = cells[i][-1] = "#"
    for symbol in rng.sample("OXPS√", 3):
        cells[rng.randint(1, size - 2)][rng.randint(1, size - 2)] = symbol
    grid = "\n".join("".join(row) for row in cells)
    move = rng.choice(SOKOBAN_ACTIONS)
    return (
        "You are the player P. Push every box X onto a target O. Symbols: # wall, _ floor, "
        "O target, X box, √ box on target, P player, S player on target.\n"
        f"Current observation:\n{grid}\nAdmissible actions: up, down, left, right.\n"
        f"<think>The box is {move} of me, so I push the box {move}.</think>"
        f"<action>{move}</action>"
    )


def _alfworld_text(rng: random.Random) -> str:
    """An ALFWorld-style room description, task and a few admissible commands."""
    o, r, r2 = rng.choice(_OBJECTS), rng.choice(_RECEPTACLES), rng.choice(_RECEPTACLES)
    n, m = rng.randint(1, 4), rng.randint(1, 4)
    seen = ", ".join(f"a {rng.choice(_RECEPTACLES)} {rng.randint(1, 6)}" for _ in range(5))
    task = rng.choice(
        (f"put some {o} on {r}.", f"put a clean {o} in {r}.", f"heat some {o} and put it in {r}.",
         f"cool some {o} and put it in {r}.", f"look at {o} under the desklamp.",
         f"find two {o} and put them in {r}.")
    )  # fmt: skip
    return (
        f"You are in the middle of a room. Looking quickly around you, you see {seen}.\n"
        f"Your task is to: {task}\n"
        f"You arrive at {r} {n}. On the {r} {n}, you see a {o} {m}. The {r2} {n} is closed.\n"
        f"You open the {r2} {n}. The {r2} {n} is open. In it, you see nothing. Nothing happens.\n"
        f"Admissible actions: go to {r} {n}, open {r2} {n}, close {r2} {n}, "
        f"take {o} {m} from {r} {n}, move {o} {m} to {r2} {n}, heat {o} {m} with microwave 1, "
        f"cool {o} {m} with fridge 1, clean {o} {m} with sinkbasin 1, use desklamp 1, "
        f"examine {r} {n}, inventory, look\n"
        f"<action>take {o} {m} from {r} {n}</action>"
    )


def _webshop_text(rng: random.Random) -> str:
    """A WebShop-style instruction, results page and search/click actions."""
    adj, product, option = rng.choice(_ADJECTIVES), rng.choice(_PRODUCTS), rng.choice(_OPTIONS)
    price = rng.randint(1, 99) * 10
    asin = "B0" + "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRSTVWXYZ") for _ in range(8))
    return (
        f"WebShop [SEP] Instruction: [SEP] i need {adj} {product} with color: {option}, and "
        f"price lower than {price}.00 dollars [SEP] Search\n"
        f"<action>search[{adj} {product}]</action>\n"
        f"Back to Search [SEP] Page 1 (Total results: 50) [SEP] Next > [SEP] {asin} [SEP] "
        f"{adj.title()} {product.title()} [SEP] ${price - 1}.99\n"
        f"<action>click[{asin.lower()}]</action>\n"
        f"< Prev [SEP] {option} [SEP] Price: ${price - 1}.99 [SEP] Rating: N.A. [SEP] "
        f"Description [SEP] Features [SEP] Reviews [SEP] Buy Now\n"
        f"<action>click[{option}]</action><action>click[buy now]</action>"
    )


def _plan_text(rng: random.Random) -> str:
    """A planner blueprint of subgoals, then an executor turn that ends a subgoal."""
    fill = {
        "d": rng.choice(SOKOBAN_ACTIONS), "r": rng.choice(_RECEPTACLES),
        "o": rng.choice(_OBJECTS), "p": rng.choice(_PRODUCTS), "c": rng.choice(_OPTIONS),
    }  # fmt: skip
    subgoals = [s.format(**fill) for s in rng.sample(_SUBGOALS, rng.randint(2, 5))]
    plan = "".join(f"<subgoal>{s}</subgoal>" for s in subgoals)
    return (
        f"Write a plan of subgoals for the task.\n<plan>{plan}</plan>\n"
        f"Active subgoal: {subgoals[0]}\n"
        f"<think>I must {subgoals[0]} first.</think><action>go to {fill['r']} 1</action><sub_done>"
    )


def environment_corpus(n_per_env: int = 400) -> list[str]:
    """Fixed text in the three environments' and the agent's vocabulary (same every call)."""
    rng = random.Random(0)
    texts = [make(rng) for make in (_sokoban_text, _alfworld_text, _webshop_text, _plan_text)
             for _ in range(n_per_env)]  # fmt: skip
    # Enough repeats that BPE merges each word into one token, bare and after a space.
    texts += [f"{w} {w}\n" for w in SINGLE_TOKEN_WORDS] * 200
    return texts


def expert_corpus(env_name: str, episodes: int, seed: int = 0) -> list[str]:
    """Text of `episodes` expert episodes of a shipped env (its train split): each page, the
    expert's blueprint and each action, one text per line. Trained into a tokenizer with a
    larger vocabulary, the env's own words (WebShop option values, ALFWorld objects) become
    single tokens, which a tiny random-init model copies far more easily than byte pieces."""
    import gymnasium

    from envs import ENV_IDS, task_splits

    splits = task_splits(env_name)
    kwargs = {} if splits is None else {"split": splits["train"]}
    env = gymnasium.make(ENV_IDS[env_name], **kwargs).unwrapped
    texts = []
    for i in range(episodes):
        obs, _ = env.reset(seed=seed + i)
        plan = env.expert_plan()
        texts += [obs, "".join(f"<subgoal>{text}</subgoal>" for text, _ in plan)]
        for _, actions in plan:
            for action in actions:
                obs, *_ = env.step(action)
                texts += [f"<action>{action}</action>", obs]
    env.close()
    return [line for t in texts for line in t.splitlines() if line.strip()]


def train_tokenizer(corpus: Iterable[str], vocab_size: int) -> PreTrainedTokenizerFast:
    """Byte-level BPE with ChatML special tokens and the HiMAC tags as plain added tokens.

    For `model_type: qwen2`, AutoTokenizer loads the vocabulary and merges into
    Qwen2Tokenizer, which rebuilds its own pipeline (NFC, Qwen's split regex, byte level).
    Training under that same pipeline makes the saved and the loaded tokenizer agree.
    """
    from transformers import PreTrainedTokenizerFast, Qwen2Tokenizer

    qwen_pipeline = Qwen2Tokenizer().backend_tokenizer
    tokenizer = Tokenizer(models.BPE())
    tokenizer.normalizer = qwen_pipeline.normalizer
    tokenizer.pre_tokenizer = qwen_pipeline.pre_tokenizer
    tokenizer.decoder = qwen_pipeline.decoder
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size - len(TAG_TOKENS),
        special_tokens=list(SPECIAL_TOKENS),
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    tokenizer.train_from_iterator((_strip_added_tokens(t) for t in corpus), trainer=trainer)
    tokenizer.add_tokens([AddedToken(t, special=False, normalized=False) for t in TAG_TOKENS])
    fast = PreTrainedTokenizerFast(
        tokenizer_object=tokenizer,
        eos_token=EOS_TOKEN,
        pad_token=EOS_TOKEN,
        additional_special_tokens=list(SPECIAL_TOKENS[1:]),
        clean_up_tokenization_spaces=False,
    )
    fast.chat_template = CHAT_TEMPLATE
    for word in SINGLE_TOKEN_WORDS:
        for text in (word, " " + word):
            if len(fast.encode(text)) != 1:
                raise ValueError(f"tokenizer splits {text!r}; the corpus needs more of it")
    return fast


def _strip_added_tokens(text: str) -> str:
    """Hide special tokens and tags from BPE training: they are whole tokens already."""
    for token in SPECIAL_TOKENS + TAG_TOKENS:
        text = text.replace(token, "\n")
    return text


def _check_heads(hidden_size: int, num_heads: int, num_kv_heads: int) -> None:
    """The head size is one vLLM's CPU attention supports, and the query heads share the KV heads evenly."""
    head_size, rest = divmod(hidden_size, num_heads)
    if rest or head_size not in VLLM_CPU_HEAD_SIZES:
        raise ValueError(
            f"hidden_size/num_heads = {hidden_size}/{num_heads} must be one of {VLLM_CPU_HEAD_SIZES}"
        )
    if num_heads % num_kv_heads:
        raise ValueError(f"num_heads {num_heads} is not a multiple of num_kv_heads {num_kv_heads}")


def make_tiny_model(
    out_dir: str,
    *,
    vocab_size: int = 1024,
    hidden_size: int = 128,
    num_layers: int = 2,
    num_heads: int = 4,
    num_kv_heads: int = 2,
    intermediate_size: int = 256,
    max_position_embeddings: int = 2048,
    tie_word_embeddings: bool = False,
    seed: int = 0,
    corpus: Iterable[str] | None = None,
) -> Path:
    """Write a random-init float32 Qwen2ForCausalLM and its tokenizer to `out_dir`.

    The tokenizer depends only on the corpus and `vocab_size` (an upper bound, reached with
    the default corpus); the weights only on the sizes and `seed`. The head size
    (`hidden_size / num_heads`) must be one vLLM's CPU attention supports (32 by default).
    """
    import torch
    from transformers import GenerationConfig, Qwen2Config, Qwen2ForCausalLM

    _check_heads(hidden_size, num_heads, num_kv_heads)
    texts = environment_corpus() + list(corpus or [])
    tokenizer = train_tokenizer(texts, vocab_size)
    tokenizer.model_max_length = max_position_embeddings
    eos_id = tokenizer.convert_tokens_to_ids(EOS_TOKEN)
    im_end_id = tokenizer.convert_tokens_to_ids("<|im_end|>")
    config = Qwen2Config(
        vocab_size=len(tokenizer),  # exact: a sampled id always decodes
        hidden_size=hidden_size,
        intermediate_size=intermediate_size,
        num_hidden_layers=num_layers,
        num_attention_heads=num_heads,
        num_key_value_heads=num_kv_heads,
        max_position_embeddings=max_position_embeddings,
        rope_parameters={"rope_type": "default", "rope_theta": 10000.0},
        use_sliding_window=False,
        tie_word_embeddings=tie_word_embeddings,
        bos_token_id=eos_id,
        eos_token_id=eos_id,
        pad_token_id=eos_id,
        dtype="float32",
    )
    torch.manual_seed(seed)
    model = Qwen2ForCausalLM(config).to(torch.float32).eval()
    # Generation stops at the end of a chat turn as well as at end of text.
    model.generation_config = GenerationConfig(
        bos_token_id=eos_id, eos_token_id=[im_end_id, eos_id], pad_token_id=eos_id
    )

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(out)
    tokenizer.save_pretrained(out)
    return out


def _env_episodes(text: str) -> tuple[str, int]:
    """'webshop:400' -> ('webshop', 400), for --expert-corpus."""
    from envs import ENV_IDS

    name, _, episodes = text.partition(":")
    if name not in ENV_IDS or not episodes.isdigit() or int(episodes) < 1:
        raise argparse.ArgumentTypeError(
            f"{text!r}: expected ENV:EPISODES with ENV {'|'.join(ENV_IDS)}, e.g. webshop:400")
    return name, int(episodes)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Flags of `himac make-tiny-model`."""
    parser.add_argument("--out", required=True, help="output folder")
    parser.add_argument("--vocab-size", type=int, default=1024)
    parser.add_argument("--hidden-size", type=int, default=128)
    parser.add_argument("--num-layers", type=int, default=2)
    parser.add_argument("--num-heads", type=int, default=4)
    parser.add_argument("--num-kv-heads", type=int, default=2)
    parser.add_argument("--intermediate-size", type=int, default=256)
    parser.add_argument("--max-position-embeddings", type=int, default=2048)
    parser.add_argument("--tie-word-embeddings", action="store_true")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--corpus", nargs="*", default=[], help="extra text files for the tokenizer (one text per line)"
    )
    parser.add_argument(
        "--expert-corpus", metavar="ENV:EPISODES", type=_env_episodes, default=None,
        help="also train the tokenizer on this many expert episodes of a shipped env, e.g. webshop:400",
    )


def run(args: argparse.Namespace) -> int:
    """Make the model from parsed flags; print where it went. Returns an exit code."""
    corpus = [line for path in args.corpus for line in Path(path).read_text(encoding="utf-8").splitlines()]
    if args.expert_corpus:
        corpus += expert_corpus(*args.expert_corpus, seed=args.seed)
    start = time.perf_counter()
    out = make_tiny_model(
        args.out,
        vocab_size=args.vocab_size,
        hidden_size=args.hidden_size,
        num_layers=args.num_layers,
        num_heads=args.num_heads,
        num_kv_heads=args.num_kv_heads,
        intermediate_size=args.intermediate_size,
        max_position_embeddings=args.max_position_embeddings,
        tie_word_embeddings=args.tie_word_embeddings,
        seed=args.seed,
        corpus=corpus,
    )
    print(f"tiny model written to {out} in {time.perf_counter() - start:.1f} s")
    return 0
