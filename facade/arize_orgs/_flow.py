"""An operation's logic, written once, with no I/O: a generator that yields
the requests it needs (`_wire.Call`) and receives their answers (or has the
send's exception thrown in where it yielded), then returns its value.

Two short drivers run any flow: `run_sync` with a blocking send, `run_async`
with an awaitable one, the way httpx drives one `Auth.auth_flow` from both
of its clients, and the way stamina drives one retry engine. The clients
and the bulk engine differ only in the send they give a driver (the bulk
engine's paces every request by its endpoint).

    def get_user(ctx, user_id) -> Flow[User]:
        answer = yield _wire.get_user_request(check_id(user_id, "user"))
        return read(answer, _wire.user)
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Generator
from typing import TypeVar

from ._body import Answer
from ._wire import Call

__all__ = ["Flow", "run_async", "run_sync"]

T = TypeVar("T")
Flow = Generator[Call, Answer, T]


def run_sync(flow: Flow[T], send: Callable[[Call], Answer]) -> T:
    """Run `flow` to its end, sending each request with `send`."""
    try:
        call = next(flow)
        while True:
            try:
                answer = send(call)
            except BaseException as exc:  # Ctrl-C too: a flow may keep what it holds
                call = flow.throw(exc)
            else:
                call = flow.send(answer)
    except StopIteration as done:
        return done.value  # type: ignore[no-any-return]
    finally:
        flow.close()


async def run_async(flow: Flow[T], send: Callable[[Call], Awaitable[Answer]]) -> T:
    """Run `flow` to its end, awaiting each request's `send`."""
    try:
        call = next(flow)
        while True:
            try:
                answer = await send(call)
            except BaseException as exc:  # cancellation too, as for run_sync
                call = flow.throw(exc)
            else:
                call = flow.send(answer)
    except StopIteration as done:
        return done.value  # type: ignore[no-any-return]
    finally:
        flow.close()
