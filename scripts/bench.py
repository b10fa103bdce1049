"""The benchmarks behind docs/benchmarks.md: `scripts/bench` runs this, after
preparing .venv, .venv-bare and .venv-official. The work is in benchmarks/:
measure.py (runs the sections, writes docs/benchmarks.json and the Markdown),
render.py (JSON -> Markdown, runnable alone) and snippets/ (the code run in
other interpreters).

    python scripts/bench.py [--quick] [--only 1,2,...] [--out PATH] [--json PATH]
"""

from __future__ import annotations

from benchmarks.measure import main

if __name__ == "__main__":
    main()
