"""The guard that ends a paging a server would never end (`_paging`)."""

from __future__ import annotations

import pytest

from arize_orgs import errors
from arize_orgs._paging import PageGuard

AFTER = "so the listing would not end (the server or a proxy misbehaves)"


def refusal(what: str) -> str:
    return (
        f"200 answer to GET could not be read: while paging users the server answered {what}, "
        f"{AFTER}; nothing was changed; the server's API may differ from this version's"
    )


def test_each_page_is_counted_and_a_fresh_cursor_is_asked_with() -> None:
    guard = PageGuard()
    assert guard.pages == 0
    assert guard.next("c1") == "c1"
    assert guard.next("c2") == "c2"
    assert guard.next(None) is None
    assert guard.pages == 3


def test_a_cursor_given_a_second_time_ends_the_paging() -> None:
    guard = PageGuard()
    guard.next("same")
    guard.next("other")
    with pytest.raises(errors.APIResponseValidationError) as info:
        guard.next("same")
    exc = info.value
    assert (exc.status, exc.method) == (200, "GET")
    assert str(exc) == refusal("the cursor 'same' a second time")


def test_a_repeated_cursor_is_shown_cut_and_escaped() -> None:
    cursor = "\x1b]0;" + "c" * 100
    guard = PageGuard()
    guard.next(cursor)
    with pytest.raises(errors.APIResponseValidationError) as info:
        guard.next(cursor)
    assert f"the cursor '\\\\x1b]0;{'c' * 35}…' a second time" in str(info.value)
    assert "\x1b" not in str(info.value)


def test_a_cursor_of_more_than_2048_characters_is_not_sent_back() -> None:
    guard = PageGuard()
    assert guard.next("c" * 2048) == "c" * 2048
    with pytest.raises(errors.APIResponseValidationError) as info:
        guard.next("d" * 2049)
    assert str(info.value) == refusal("a cursor of 2049 characters (at most 2048 are sent)")


def test_a_paging_ends_at_10000_pages_a_million_users() -> None:
    guard = PageGuard()
    for n in range(9_999):
        guard.next(f"c{n}")
    assert guard.next(None) is None  # the last page may end it
    guard = PageGuard()
    for n in range(9_999):
        guard.next(f"c{n}")
    with pytest.raises(errors.APIResponseValidationError) as info:
        guard.next("c-last")
    assert str(info.value) == refusal("more than 10000 pages (a million users)")
