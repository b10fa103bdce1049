"""Code the benchmarks run in another interpreter (.venv, .venv-official).

Each file is a script: `python snippets/<name>.py --option value ...`, run by
`benchmarks.measure` under the interpreter it measures. Each prints one JSON
object as its last line. They import nothing from this package (they run as
plain files), so each one stands alone.
"""
