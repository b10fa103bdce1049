"""The benchmarks behind docs/benchmarks.md (run them with `scripts/bench`).

    measure.py   runs each section and writes every number to docs/benchmarks.json
    render.py    docs/benchmarks.json -> docs/benchmarks.md; pure, runnable alone
    snippets/    the code measure.py runs in other interpreters, as real files

A new section is one `@measures("7", ...)` function in measure.py returning
its results (a dict with a "targets" list) and one `@renders("7")` function
in render.py turning them into Markdown.
"""
