"""The `arize-orgs` command line, and the demo. Everything that imports click
or rich lives in this package; the library never imports it.

Exit codes: 0 done; 1 the API, the network or some rows failed; 2 bad input.
Every error is one line on stderr; never a traceback, never a prompt.
"""

from . import sandbox  # noqa: F401 - registers `arize-orgs sandbox` on the group
from .commands import cli, main

__all__ = ["cli", "main"]
