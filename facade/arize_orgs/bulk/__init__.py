"""Bulk onboarding and offboarding: rows in, exactly one outcome per row out.
Rows add users (inviting unknown emails first, with `invite=True`) or, with
`action` `remove` and `allow_remove=True`, remove them.

    from arize_orgs import OrgClient
    with OrgClient() as client:
        result = client.add_users(org_id, "team.csv", report="team.report.jsonl")
    result.summary.counts          # Counter({'ok': 97, 'invalid': 3})

The clients' `add_users` is the usual way in; `run_bulk(client, org_id,
rows, BulkOptions(...))` is the engine itself, for any `BulkClient`.
Inside: `rows` reads input files, `plan` holds what is known of each user,
`lookup` resolves emails, `pacing` paces each endpoint, `rate` is a request
rate, `report` writes and reads reports, `engine` runs.
"""

from .engine import BulkClient, BulkRun, run_bulk
from .options import BulkOptions
from .rate import Rate
from .results import OUTCOMES, BulkResult, Outcome, RowResult, Summary

__all__ = [
    "OUTCOMES",
    "BulkClient",
    "BulkOptions",
    "BulkResult",
    "BulkRun",
    "Outcome",
    "Rate",
    "RowResult",
    "Summary",
    "run_bulk",
]
