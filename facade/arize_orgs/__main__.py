"""`python -m arize_orgs` is the `arize-orgs` command."""

from .cli import main

main()
