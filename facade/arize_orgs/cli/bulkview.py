"""What `arize-orgs add-users` shows while the bulk engine runs: a progress
bar on a terminal, per-row lines for dry runs, a summary at the end. The
engine itself is `arize_orgs.bulk`; nothing here decides an outcome."""

from __future__ import annotations

import asyncio
import json
import signal
import sys
from typing import Any

import click

from ..bulk import OUTCOMES, BulkOptions, BulkRun, RowResult, Summary
from ..bulk.engine import source_of
from ..client import AsyncOrgClient


class _Progress:
    """A rich progress bar with rate and ETA, on stderr, only on a terminal."""

    def __init__(self, enabled: bool) -> None:
        self.bar: Any = None
        self.task: Any = None
        if enabled:
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TaskProgressColumn,
                TextColumn,
                TimeRemainingColumn,
            )

            self.bar = Progress(
                TextColumn("[bold]adding users"),
                BarColumn(),
                MofNCompleteColumn(),
                TaskProgressColumn(),
                TextColumn("{task.fields[rate]}"),
                TimeRemainingColumn(),
                console=Console(stderr=True),
                transient=True,
            )

    def planned(self, rows: int) -> None:
        if self.bar is not None:
            self.bar.start()
            self.task = self.bar.add_task("rows", total=rows, rate="")

    def advance(self, _: RowResult) -> None:
        if self.bar is not None and self.task is not None:
            self.bar.advance(self.task)
            speed = self.bar.tasks[0].speed
            self.bar.update(self.task, rate=f"{speed:.0f} rows/s" if speed else "")

    def stop(self) -> None:
        if self.bar is not None:
            self.bar.stop()


def _dry_run_line(result: RowResult) -> None:
    if result.outcome == "would_send":
        click.echo(
            f"line {result.line}: would add {result.user} ({result.user_id}) as {result.role}"
        )
    else:
        why = result.detail or ""
        click.echo(
            f"line {result.line}: {result.outcome}: {result.user} {result.role} {why}".rstrip()
        )


def _print_summary(
    summary: Summary, *, rate: float | None, concurrency: int, as_json: bool
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
    console = Console()
    console.print(table)
    notes = [f"{summary.seconds:.1f} s"]
    if summary.seconds and not summary.dry_run:
        notes.append(f"{summary.rows / summary.seconds:.1f} rows/s")
    if summary.rate_limited:
        notes.append(f"{summary.rate_limited} answers were 429 (rate limited)")
    if summary.interrupted:
        notes.append(
            f"interrupted: {summary.counts['not_attempted']} rows not attempted; "
            "re-run with --resume REPORT to finish"
        )
    console.print(", ".join(notes))
    if summary.dry_run:
        sends = summary.counts["would_send"]
        if rate:
            console.print(
                f"{sends} writes at --rate {rate:g}/s would take about {sends / rate:.0f} s"
            )
        else:
            console.print(
                f"{sends} writes; at concurrency {concurrency} and 50 ms per request, about "
                f"{sends * 0.05 / concurrency:.0f} s (no --rate: the server's limits decide)"
            )


def run_add_users(
    org_id: str,
    file: str,
    *,
    concurrency: int,
    rate: float | None,
    dry_run: bool,
    report: str | None,
    resume: str | None,
    quiet: bool,
    as_json: bool,
    base_url: str | None,
) -> Summary:
    show_progress = not quiet and sys.stderr.isatty() and not dry_run
    progress = _Progress(show_progress)

    def on_result(result: RowResult) -> None:
        progress.advance(result)
        if dry_run and not quiet and not as_json:
            _dry_run_line(result)

    options = BulkOptions(
        concurrency=concurrency,
        rate=rate,
        dry_run=dry_run,
        report=report,
        resume=resume,
        keep_results=False,
        on_result=on_result,
        on_planned=progress.planned,
    )

    async def main() -> Summary:
        loop = asyncio.get_running_loop()
        async with AsyncOrgClient(base_url=base_url) as client:
            source = source_of(file)
            run = BulkRun(client.with_options(retry_rate_limits=False), org_id, source, options)

            def interrupt() -> None:
                if run.stopping:  # a second Ctrl-C: stop at once
                    raise KeyboardInterrupt
                run.stop()
                sys.stderr.write("\nstopping: finishing requests in flight...\n")

            loop.add_signal_handler(signal.SIGINT, interrupt)
            loop.add_signal_handler(signal.SIGTERM, interrupt)
            try:
                return (await run.run()).summary
            finally:
                loop.remove_signal_handler(signal.SIGINT)
                loop.remove_signal_handler(signal.SIGTERM)
                source.close()

    try:
        summary = asyncio.run(main())
    finally:
        progress.stop()
    _print_summary(summary, rate=rate, concurrency=concurrency, as_json=as_json)
    return summary
