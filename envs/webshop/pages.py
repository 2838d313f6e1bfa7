"""WebShop pages as the text observation shows them (the original's "text" mode).

A page is its visible strings joined by " [SEP] ". The search page shows the WebShop logo
and then the instruction; every other page starts with it:

    search   WebShop [SEP] Instruction: [SEP] <instr> [SEP] Search
    results  Instruction: [SEP] <instr> [SEP] Back to Search [SEP] Page N (Total results: M)
             [SEP] < Prev (page > 1) [SEP] Next > (more results) [SEP] <ASIN> [SEP] <title>
             [SEP] <price> ... (10 per page)
    item     Instruction: [SEP] <instr> [SEP] Back to Search [SEP] < Prev [SEP] <group>
             [SEP] <value> ... [SEP] <title> [SEP] Price: <price> [SEP] Rating: <rating>
             [SEP] Description [SEP] Features [SEP] Reviews [SEP] Buy Now
    sub-page Instruction: [SEP] <instr> [SEP] Back to Search [SEP] < Prev [SEP] <content>

Clickables are the lowercased button texts, product asins and option values; the search
page's "Search" button is not clickable (the agent uses `search[...]` instead). With rank
references (`results_page(ranks=True)`) a results page shows "item k [SEP] <ASIN> ..." and its
products are clicked as "item k".
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from envs.webshop.loader import Product

SEP = " [SEP] "
PRODUCTS_PER_PAGE = 10
BACK_TO_SEARCH, PREV, NEXT, BUY_NOW = "Back to Search", "< Prev", "Next >", "Buy Now"
SUB_PAGES = ("Description", "Features", "Reviews")


@dataclass
class Page:
    kind: str  # search | results | item | description | features | reviews | done
    texts: list[str]
    clickables: list[str] = field(default_factory=list)
    has_search_bar: bool = False

    @property
    def text(self) -> str:
        return SEP.join(s for s in (t.strip() for t in self.texts) if s)


def _head(instruction: str) -> list[str]:
    return ["Instruction:", instruction]


def search_page(instruction: str) -> Page:
    return Page("search", ["WebShop", *_head(instruction), "Search"], has_search_bar=True)


def results_page(instruction: str, products: list[Product], page: int, total: int, *, ranks: bool = False) -> Page:
    """Page `page` (1-based) of a result list of `total` products; `products` are its ten.

    With `ranks`, each product is clicked by its place on the page, "item 1" .. "item 10",
    printed before its ASIN, instead of by the ASIN itself."""
    buttons = [BACK_TO_SEARCH]
    texts = [*_head(instruction), BACK_TO_SEARCH, f"Page {page} (Total results: {total})"]
    if page > 1:
        texts.append(PREV)
        buttons.append(PREV)
    if page * PRODUCTS_PER_PAGE < total:
        texts.append(NEXT)
        buttons.append(NEXT)
    refs = [rank_ref(k) for k in range(len(products))] if ranks else [p.asin.lower() for p in products]
    for ref, p in zip(refs, products):
        texts += [ref, p.asin, p.title, p.price_tag] if ranks else [p.asin, p.title, p.price_tag]
    clickables = [b.lower() for b in buttons] + refs
    return Page("results", texts, clickables)


def rank_ref(index: int) -> str:
    """The click target of the product at 0-based `index` on a results page, with rank references."""
    return f"item {index + 1}"


def item_page(instruction: str, product: Product) -> Page:
    texts = [*_head(instruction), BACK_TO_SEARCH, PREV]
    for name, values in product.options.items():
        texts += [name, *values]
    texts += [product.title, f"Price: {product.price_tag}", f"Rating: {product.rating}",
              *SUB_PAGES, BUY_NOW]
    buttons = [BACK_TO_SEARCH, PREV, *SUB_PAGES, BUY_NOW]
    values = [v for vs in product.options.values() for v in vs]
    clickables = list(dict.fromkeys([b.lower() for b in buttons] + values))
    return Page("item", texts, clickables)


def sub_page(instruction: str, product: Product, which: str) -> Page:
    """The Description, Features or Reviews page of `product`."""
    if which == "description":
        content = [product.description or "No Description"]
    elif which == "features":
        content = list(product.bullets) or ["No Features"]
    elif which == "reviews":
        content = [s for r in product.reviews
                   for s in (f'"{r.get("title", "")}"', str(r.get("score", "")), r.get("body", ""))]
        content = content or ["No reviews found"]
    else:
        raise ValueError(f"unknown sub-page {which!r}")
    return Page(which, [*_head(instruction), BACK_TO_SEARCH, PREV, *content],
                [BACK_TO_SEARCH.lower(), PREV.lower()])


def done_page(instruction: str, asin: str, options: dict[str, str], score: float) -> Page:
    texts = [*_head(instruction), "Thank you for shopping with us!", "Purchased", "asin", asin,
             "options", json.dumps(options), "Your score (min 0.0, max 1.0)", f"{score}"]
    return Page("done", texts)
