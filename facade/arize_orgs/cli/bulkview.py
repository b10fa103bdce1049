"""What `arize-orgs add-users` shows while the bulk engine runs: a line on
stderr for each row that fails or is invalid, a progress bar with an honest
ETA on a terminal (look-ups, then rows), per-row lines for dry runs, and a
summary at the end. The engine itself is `arize_orgs.bulk`; nothing here
decides an outcome.

Ctrl-C once: the run stops cleanly (requests in flight finish, the rest is
`not_attempted`, the report says so). Twice: it stops at once (within two
seconds), the report flushed. More: ignored while it does.
"""

from __future__ import annotations

import asyncio
import json
import shlex
import signal
import sys
import time
from pathlib import Path
from typing import Any

import click

from .._redact import shown
from ..bulk import OUTCOMES, BulkOptions, BulkRun, Rate, RowResult, Summary
from ..bulk.engine import source_of
from ..bulk.interrupts import interrupts_stop
from ..client import AsyncOrgClient


def _eta(seconds: float | None) -> str:
    if seconds is None:
        return ""
    if seconds < 90:
        return f"~{seconds:.0f} s left"
    if seconds < 5400:
        return f"~{seconds / 60:.0f} min left"
    return f"~{seconds / 3600:.1f} h left"


class _Progress:
    """Rich progress bars on stderr, only on a terminal: the look-ups, then
    the rows. The ETA counts the rows still to send at the pace the server
    allows when the run knows it (`--rate`, or learned from 429s), at the
    measured pace otherwise."""

    def __init__(self, enabled: bool) -> None:
        self.bar: Any = None
        self.rows_task: Any = None
        self.lookup_task: Any = None
        self.run: BulkRun | None = None
        self._started = 0.0
        self._done = 0
        self._total = 0
        if enabled:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

            self.bar = Progress(
                TextColumn("[bold]{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("{task.fields[note]}"),
                console=Console(stderr=True),
                transient=True,
            )

    def planned(self, rows: int) -> None:
        self._total = rows
        if self.bar is not None:
            self.bar.start()
            self.rows_task = self.bar.add_task("adding users", total=rows, note="", start=False)

    def looked_up(self, requests: int, resolved: int, emails: int) -> None:
        if self.bar is None:
            return
        if self.lookup_task is None:
            self.lookup_task = self.bar.add_task("looking up emails", total=emails, note="")
        self.bar.update(
            self.lookup_task, completed=resolved, note=f"{requests} requests to GET /v2/users"
        )

    def advance(self, _: RowResult) -> None:
        if self._done == 0:
            self._started = time.monotonic()
            if self.bar is not None:
                self.bar.start_task(self.rows_task)
        self._done += 1
        if self.bar is not None:
            self.bar.update(self.rows_task, advance=1, note=self._note())

    def _note(self) -> str:
        left = self._total - self._done
        elapsed = time.monotonic() - self._started
        measured = self._done / elapsed if elapsed > 1 else None
        known = self.run.write_rate if self.run is not None else None
        pace = known if known is not None else measured
        if not pace or not left:
            return ""
        limit = f" (the server allows {known * 60:.0f}/min)" if known is not None else ""
        return f"{_eta(left / pace)}{limit}"

    def stop(self) -> None:
        if self.bar is not None:
            self.bar.stop()


def _in_space(result: RowResult) -> str:
    """' in space prod (U3BhY2U6MQ==)' for a space row; '' for the organization's."""
    if not result.space:
        return ""
    space = shown(result.space, 120)
    if result.space_id and result.space_id != result.space:
        return f" in space {space} ({shown(result.space_id, 120)})"
    return f" in space {space}"


def _dry_run_line(result: RowResult) -> None:
    # Every field may come from the file or the server: shown scrubbed of the
    # key and with control characters escaped.
    user = shown(result.user, 120)
    if result.outcome == "would_send":
        user_id, role = shown(result.user_id or "", 120), shown(result.role, 120)
        click.echo(f"line {result.line}: would add {user} ({user_id}) as {role}{_in_space(result)}")
    else:
        why, role = shown(result.detail or "", 300), shown(result.role, 120)
        said = " ".join(part for part in (f"{user}{_in_space(result)}", role, why) if part)
        click.echo(f"line {result.line}: {result.outcome}: {said}")


def _lifecycle_line(result: RowResult) -> bool:
    """A dry run's line for a planned invitation or removal; False for any
    other row (told by _dry_run_line)."""
    if result.outcome != "would_send" or not (result.invited or result.action == "remove"):
        return False
    # From the file or the server: scrubbed of the key, control characters escaped.
    user = shown(result.user, 120)
    if result.action == "remove":
        user_id = shown(result.user_id or "", 120)
        where = _in_space(result).replace(" in space", " from space", 1)
        click.echo(f"line {result.line}: would remove {user} ({user_id}){where}")
    else:
        why, role = shown(result.detail or "", 300), shown(result.role, 120)
        click.echo(f"line {result.line}: would invite {user} and add them as {role}: {why}")
    return True


def _problem_line(result: RowResult) -> None:
    """One line on stderr for a row that failed or is invalid."""
    why = result.detail or ""
    if result.error:
        why = f"{result.error}: {why}"
    click.echo(
        f"line {result.line}: {result.outcome}: {shown(result.user, 120)}{_in_space(result)}: "
        f"{shown(why, 300)}",
        err=True,
    )


def _print_summary(
    summary: Summary, *, rate: Rate | None, as_json: bool, report: str | None
) -> None:
    if as_json:
        click.echo(json.dumps(summary.to_json()))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title="arize-orgs add-users" + (" (dry run)" if summary.dry_run else ""))
    table.add_column("outcome")
    table.add_column("rows", justify="right")
    for outcome in OUTCOMES:
        if outcome == "would_send" and not summary.dry_run:
            continue
        table.add_row(outcome, str(summary.counts[outcome]))
    table.add_row("[bold]total", f"[bold]{summary.rows}")
    console = Console(highlight=False)
    console.print(table)
    notes = [f"{summary.seconds:.1f} s"]
    if summary.seconds and not summary.dry_run:
        notes.append(f"{summary.rows / summary.seconds:.1f} rows/s")
    if summary.lookups:
        notes.append(
            f"{summary.lookups} emails resolved with {summary.lookup_requests} requests "
            f"({summary.lookup_method})"
        )
    if summary.name_lookups:
        notes.append(f"names resolved with {summary.name_lookups} listing requests")
    if summary.invited:
        notes.append(f"{summary.invited} invited" + (" (planned)" if summary.dry_run else ""))
    if summary.removed:
        notes.append(f"{summary.removed} removed" + (" (planned)" if summary.dry_run else ""))
    if summary.rate_limited:
        notes.append(f"{summary.rate_limited} answers were 429 (rate limited)")
    if summary.interrupted:
        again = (
            f"re-run with --resume {shlex.quote(report)} to finish"
            if report and Path(report).is_file()  # none if stopped before it was opened
            else "re-running the file is safe (adding a user is an upsert); with --report FILE, "
            "--resume FILE would skip what was done"
        )
        notes.append(f"interrupted: {summary.counts['not_attempted']} rows not attempted; {again}")
    console.print(", ".join(notes), markup=False)
    if summary.dry_run:
        sends = summary.counts["would_send"]
        if rate is not None:
            console.print(
                f"{sends} writes at --rate {rate} would take about {sends / rate.per_second:.0f} s",
                markup=False,
            )
        else:
            console.print(
                f"{sends} writes; at Arize's published limit (100 a minute) about "
                f"{sends / 100:.0f} min",
                markup=False,
            )


def run_add_users(
    org_id: str,
    file: str,
    *,
    concurrency: int,
    rate: Rate | None,
    dry_run: bool,
    report: str | None,
    resume: str | None,
    quiet: bool,
    as_json: bool,
    base_url: str | None,
    invite: bool = False,
    invite_mode: str = "email-link",
    allow_remove: bool = False,
    max_removals: int = 25,
) -> Summary:
    show_progress = not quiet and sys.stderr.isatty() and not dry_run
    progress = _Progress(show_progress)

    lines = not quiet

    def on_result(result: RowResult) -> None:
        nonlocal lines
        progress.advance(result)
        if not lines or (as_json and dry_run):
            return
        try:
            if dry_run:
                if not _lifecycle_line(result):
                    _dry_run_line(result)
            elif result.outcome in ("failed", "invalid"):
                _problem_line(result)
        except OSError:
            # Nobody can read these lines (a full disk, a closed pipe): the
            # run goes on, its outcomes in the report and the summary.
            lines = False

    options = BulkOptions(
        concurrency=concurrency,
        rate=rate,
        dry_run=dry_run,
        report=report,
        resume=resume,
        keep_results=False,
        on_result=on_result,
        on_planned=progress.planned,
        on_lookup=progress.looked_up,
        invite=invite,
        invite_mode=invite_mode,
        allow_remove=allow_remove,
        max_removals=max_removals,
    )

    async def main() -> Summary:
        async with AsyncOrgClient(base_url=base_url) as client:
            source = source_of(file)
            # Retries go through the run's pacing (options.retries), not the client's own.
            run = BulkRun(client._bulk_client(), org_id, source, options)
            progress.run = run

            try:
                with interrupts_stop(
                    run,
                    (signal.SIGINT, signal.SIGTERM),
                    tell=lambda said: print(f"\n{said}", file=sys.stderr),
                ):
                    return (await run.run()).summary
            finally:
                source.close()

    try:
        summary = asyncio.run(main())
    finally:
        progress.stop()
    _print_summary(summary, rate=rate, as_json=as_json, report=report)
    if summary.stopped:
        click.echo(f"arize-orgs add-users: stopped: {shown(summary.stopped, 500)}", err=True)
    return summary
