#!/usr/bin/env python3
"""Write the live API's upper-case spelling of openapi.yaml.

The seed documents `{"type": "predefined", "name": "read-only"}`; the live API
spells the same values `{"type": "PREDEFINED", "name": "READ_ONLY"}` (see
shared/API-FACTS.md, "The live spelling"). Schema names, paths and fields are
the same in both. This script derives the live variant from our spec so that
tests, the sandbox (`--spec`) and the benchmarks can regenerate and serve it:

    python scripts/live_spec.py [--spec openapi.yaml] --out live.yaml
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent

# Every enum value the spec defines, in the seed's spelling -> the live one.
LIVE = {
    "predefined": "PREDEFINED",
    "custom": "CUSTOM",
    "admin": "ADMIN",
    "member": "MEMBER",
    "read-only": "READ_ONLY",
    "annotator": "ANNOTATOR",
    "active": "ACTIVE",
    "invited": "INVITED",
    "expired": "EXPIRED",
}
# Keys whose string values are enum values: in `enum` lists, defaults and in
# the examples' bodies (`type: predefined`, `name: member`, `status: active`).
# `type: string` and `name: email` are untouched because they are not in LIVE.
VALUE_KEYS = {"type", "name", "status", "default"}


def respell(node: Any) -> Any:
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key == "enum":
                out[key] = [LIVE.get(v, v) for v in value]
            elif key in VALUE_KEYS and isinstance(value, str):
                out[key] = LIVE.get(value, value)
            else:
                out[key] = respell(value)
        return out
    if isinstance(node, list):
        return [respell(item) for item in node]
    return node


def live_spec(spec: Path = ROOT / "openapi.yaml") -> dict[str, Any]:
    doc = respell(yaml.safe_load(spec.read_text(encoding="utf-8")))
    doc["info"]["title"] += " (live upper-case spelling)"
    return doc


def write_live_spec(out: Path, spec: Path = ROOT / "openapi.yaml") -> Path:
    out.write_text(yaml.safe_dump(live_spec(spec), sort_keys=False), encoding="utf-8")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--spec", type=Path, default=ROOT / "openapi.yaml")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    print(write_live_spec(args.out, args.spec))


if __name__ == "__main__":
    main()
