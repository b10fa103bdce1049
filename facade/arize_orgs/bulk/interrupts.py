"""Ctrl-C during a bulk run, for the command line and the sync library
alike: the first stops it cleanly (the requests in flight finish, every
other row is `not_attempted`), the second stops it at once, a third changes
nothing. Python delivers signals to the main thread only; elsewhere, and on
event loops without signal handlers (Windows'), nothing is installed."""

from __future__ import annotations

import asyncio
import contextlib
import signal
import threading
from collections.abc import Callable, Iterator

from .engine import BulkRun

__all__ = ["interrupts_stop"]


@contextlib.contextmanager
def interrupts_stop(
    run: BulkRun,
    signals: tuple[signal.Signals, ...] = (signal.SIGINT,),
    *,
    tell: Callable[[str], None] | None = None,
) -> Iterator[None]:
    """While in the block, `signals` stop `run`; `tell` hears what each did."""
    installed: list[signal.Signals] = []
    if threading.current_thread() is threading.main_thread():
        loop = asyncio.get_running_loop()

        def interrupt() -> None:
            if not run.stopping:
                run.stop()
                if tell is not None:
                    tell("stopping: finishing requests in flight (Ctrl-C again to stop at once)")
            elif not run.aborted:
                run.abort()
                if tell is not None:
                    tell("stopping at once")

        with contextlib.suppress(NotImplementedError):
            for sig in signals:
                loop.add_signal_handler(sig, interrupt)
                installed.append(sig)
    try:
        yield
    finally:
        for sig in installed:
            asyncio.get_running_loop().remove_signal_handler(sig)
