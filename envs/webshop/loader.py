"""Load a WebShop catalogue from the original data files, unchanged (Yao et al., 2022).

A data directory holds
    items_shuffle*.json      [product record]: asin, name, full_description,
                             small_description (str or list), pricing, customization_options,
                             images, category, query, product_category ("a › b › c")
    items_ins_v2*.json       {asin: {"attributes", "instruction", "instruction_attributes"}}
    items_human_ins.json     optional, {asin: [{"instruction", "instruction_attributes",
                             "instruction_options"}]}
The released data comes as items_shuffle_1000.json / items_ins_v2_1000.json (small) and
items_shuffle.json / items_ins_v2.json (full); the full files win when both are present.
Records are parsed as the original server does: asins that are 'nan' or longer than 10
characters are dropped, repeats keep the first; pricing "$12.99" or "$10.99$15.99" (a
range, whose sale price is drawn uniformly, seeded), empty -> $100.0; option names
lowercased, values stripped, '/' -> ' | ', lowercased. Files are checked on load: an empty
or invalid JSON file, a missing asin, a field of the wrong type or an unparsable pricing
raises DataFileError naming the file, the record and the field.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from envs.base import DataFileError, check_field, check_type, read_json

DEFAULT_DATA_DIR = Path(__file__).parent / "data"
DEFAULT_PRICE = 100.0


@dataclass
class Product:
    asin: str
    title: str  # `name`
    description: str  # `full_description`
    bullets: list[str]  # `small_description`
    pricing: list[float]  # one price or a [low, high] range
    price_tag: str  # as shown on pages: "$12.99" or "$10.99 to $15.99"
    options: dict[str, list[str]]  # option group -> values, in page order
    attributes: list[str]
    category: str
    query: str
    product_category: str
    rating: str = "N.A."
    reviews: list[dict[str, Any]] = field(default_factory=list)
    instruction: str | None = None  # the synthetic instruction of items_ins_v2
    instruction_attributes: list[str] = field(default_factory=list)
    human_instructions: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Catalogue:
    products: list[Product]
    by_asin: dict[str, Product]
    prices: dict[str, float]  # asin -> sale price (the reward compares it with price_upper)


def parse_pricing(pricing: str | None) -> tuple[list[float], str]:
    """("$10.99$15.99" ->) ([10.99, 15.99], "$10.99 to $15.99"); empty -> [100.0]; ValueError
    when a non-empty pricing holds no price or a malformed one."""
    if not pricing:
        return [DEFAULT_PRICE], f"${DEFAULT_PRICE}"
    parts = [re.sub(r"[^\d.]", "", p) for p in pricing.split("$")[1:]]
    try:
        values = [float(Decimal(p)) for p in parts if p.strip(".")]
    except InvalidOperation:
        values = []
    if not values:
        raise ValueError(f"expected a price such as '$12.99' or a range '$10.99$15.99', got {pricing!r}")
    if len(values) == 1:
        return values, f"${values[0]}"
    return values[:2], f"${values[0]} to ${values[1]}"


def parse_options(customization: dict[str, Any] | None) -> dict[str, list[str]]:
    options: dict[str, list[str]] = {}
    for name, contents in (customization or {}).items():
        if contents is None:
            continue
        options[name.lower()] = [c["value"].strip().replace("/", " | ").lower() for c in contents]
    return options


def parse_products(items: list[dict[str, Any]], ins: dict[str, Any],
                   human: dict[str, list[dict[str, Any]]] | None = None,
                   num_products: int | None = None) -> list[Product]:
    """Product records (+ instruction files' contents) -> Products, as the original loader."""
    human = human or {}
    products: list[Product] = []
    seen: set[str] = set()
    for rec in items[:num_products]:
        asin = rec["asin"]
        if asin == "nan" or len(asin) > 10 or asin in seen:
            continue
        seen.add(asin)
        bullets = rec.get("small_description")
        bullets = bullets if isinstance(bullets, list) else ([bullets] if bullets else [])
        pricing, price_tag = parse_pricing(rec.get("pricing"))
        info = ins.get(asin) or {}
        products.append(Product(
            asin=asin,
            title=rec.get("name") or "",
            description=rec.get("full_description") or "",
            bullets=[b for b in bullets if isinstance(b, str)],
            pricing=pricing,
            price_tag=price_tag,
            options=parse_options(rec.get("customization_options")),
            attributes=list(info.get("attributes") or ["DUMMY_ATTR"]),
            category=rec.get("category") or "",
            query=(rec.get("query") or "").lower().strip(),
            product_category=rec.get("product_category") or "",
            instruction=info.get("instruction"),
            instruction_attributes=list(info.get("instruction_attributes") or []),
            human_instructions=list(human.get(asin, [])),
        ))
    return products


def sale_prices(products: list[Product], seed: int) -> dict[str, float]:
    """asin -> price: the single price, or uniform in [low, high] for a range (seeded)."""
    rng = random.Random(seed)
    return {p.asin: p.pricing[0] if len(p.pricing) == 1 else rng.uniform(*p.pricing) for p in products}


def _pick(data_dir: Path, stem: str) -> Path | None:
    full = data_dir / f"{stem}.json"
    if full.is_file():
        return full
    found = sorted(data_dir.glob(f"{stem}*.json"))
    return found[0] if found else None


def find_data_files(data_dir: str | Path) -> tuple[Path, Path, Path | None]:
    """(items_shuffle, items_ins_v2, items_human_ins or None) in `data_dir`; the instruction
    file with the products file's suffix (e.g. _1000) is preferred."""
    data_dir = Path(data_dir)
    items = _pick(data_dir, "items_shuffle")
    ins = None
    if items is not None:
        suffix = items.stem[len("items_shuffle"):]
        ins = data_dir / f"items_ins_v2{suffix}.json"
        ins = ins if ins.is_file() else _pick(data_dir, "items_ins_v2")
    if items is None or ins is None:
        raise FileNotFoundError(
            f"WebShop data directory {str(data_dir)!r} must hold items_shuffle*.json and "
            "items_ins_v2*.json (optionally items_human_ins.json), the original WebShop files "
            "(e.g. items_shuffle_1000.json, items_ins_v2_1000.json), or a synthetic catalogue: "
            "`make webshop-data` writes data/webshop-1k, `python -m envs.webshop.catalogue --out DIR "
            "--products N` any size")
    human = data_dir / "items_human_ins.json"
    return items, ins, human if human.is_file() else None


def load_catalogue(data_dir: str | Path | None = None, num_products: int | None = None,
                   seed: int = 233) -> Catalogue:
    """Read, check and parse the catalogue in `data_dir` (default: the shipped synthetic one)."""
    items_path, ins_path, human_path = find_data_files(data_dir or DEFAULT_DATA_DIR)
    items = check_items(read_json(items_path), items_path, num_products)
    ins = check_instructions(read_json(ins_path), ins_path)
    human = check_human_instructions(read_json(human_path), human_path) if human_path else {}
    products = parse_products(items, ins, human, num_products)
    return Catalogue(products, {p.asin: p for p in products}, sale_prices(products, seed))


# -- checks: each returns its file's value or raises DataFileError (file, record, field) -----
_TEXT_FIELDS = ("name", "full_description", "category", "query", "product_category")


def check_items(items: Any, path: Path, num_products: int | None = None) -> list[dict[str, Any]]:
    """An items_shuffle list: product records (the first `num_products` checked) with a
    string asin, string or null texts, and a parsable pricing and customization_options."""
    check_type(items, list, path)
    if not items:
        raise DataFileError.at(path, "no product records, expected a non-empty list")
    for i, rec in enumerate(items[:num_products]):
        asin = check_field(check_type(rec, dict, path, i), "asin", str, path, i, required=True)
        where = f"{i} (asin {asin!r})"
        for name in _TEXT_FIELDS:
            check_field(rec, name, str, path, where)
        check_field(rec, "small_description", (str, list), path, where)
        try:
            parse_pricing(check_field(rec, "pricing", str, path, where))
        except ValueError as e:
            raise DataFileError.at(path, str(e), where, "pricing") from None
        options = check_field(rec, "customization_options", dict, path, where) or {}
        for group, values in options.items():
            label = f"customization_options.{group}"
            for j, value in enumerate(check_type(values, (list, type(None)), path, where, label) or ()):
                entry = check_type(value, dict, path, where, f"{label}[{j}]")
                check_type(entry.get("value"), str, path, where, f"{label}[{j}].value")
    return items


def check_instructions(ins: Any, path: Path) -> dict[str, Any]:
    """An items_ins_v2 object: asin -> null or {attributes, instruction, instruction_attributes}."""
    for asin, info in check_type(ins, dict, path).items():
        info = check_type(info, (dict, type(None)), path, repr(asin)) or {}
        check_field(info, "attributes", list, path, repr(asin), item=str)
        check_field(info, "instruction", str, path, repr(asin))
        check_field(info, "instruction_attributes", list, path, repr(asin), item=str)
    return ins


def check_human_instructions(human: Any, path: Path) -> dict[str, list[dict[str, Any]]]:
    """An items_human_ins object: asin -> [{instruction, instruction_attributes, instruction_options}]."""
    for asin, entries in check_type(human, dict, path).items():
        for j, entry in enumerate(check_type(entries, list, path, repr(asin))):
            where = f"{asin!r} (instruction {j})"
            check_type(entry, dict, path, where)
            check_field(entry, "instruction", str, path, where, required=True)
            check_field(entry, "instruction_attributes", list, path, where, item=str, required=True)
            check_field(entry, "instruction_options", list, path, where, item=str)
    return human
