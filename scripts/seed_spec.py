#!/usr/bin/env python3
"""Write the seed documentation page's lower-case spelling of openapi.yaml.

`openapi.yaml` follows the API as served today, which spells enum values in
upper case (`{"type": "PREDEFINED", "name": "READ_ONLY"}`). The documentation
page the project was made from spelled the same values in lower case
(`{"type": "predefined", "name": "read-only"}`). A server that still speaks
that spelling (a self-hosted deployment, say) needs a client generated from
this variant; tests regenerate it to prove that the facade drives it
unchanged:

    python scripts/seed_spec.py [--spec openapi.yaml] --out seed.yaml
    scripts/regenerate --spec seed.yaml --out /path/to/arize_orgs_api
"""

from __future__ import annotations

import argparse
from pathlib import Path

import yaml

from arize_orgs.sandbox.spec import load_spec, seed_variant

ROOT = Path(__file__).resolve().parent.parent


def write_seed_spec(out: Path, spec: Path = ROOT / "openapi.yaml") -> Path:
    doc = seed_variant(load_spec(spec))
    out.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--spec", type=Path, default=ROOT / "openapi.yaml")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    print(write_seed_spec(args.out, args.spec))


if __name__ == "__main__":
    main()
