"""Outside text made safe to show: escaped, on one line, cut to length, and
an error page's words found in it (`_text`)."""

from __future__ import annotations

import pytest

from arize_orgs._text import printable, readable, shorten

SCAN = 64 * 1024  # characters of a body `readable` looks at


def test_shorten_keeps_text_up_to_the_limit_and_marks_a_cut_with_an_ellipsis() -> None:
    assert shorten("abc", 3) == "abc"
    assert shorten("abcd", 3) == "ab…"
    assert shorten("x" * 300) == "x" * 300
    assert shorten("x" * 301) == "x" * 299 + "…"


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("a\nb\rc\td", "a\\nb\\rc\\td"),
        ("\x1b[2J\x00\x7f", "\\x1b[2J\\x00\\x7f"),
        ("\x85\x9f", "\\x85\\x9f"),  # C1 controls
        ("\u202eevil\u2066\u2069", "\\u202eevil\\u2066\\u2069"),  # direction overrides
        ("café ünïcode ✓ \xa0 \u202f", "café ünïcode ✓ \xa0 \u202f"),  # printable stays
    ],
)
def test_printable_escapes_every_control_and_nothing_else(text: str, shown: str) -> None:
    assert printable(text) == shown


def test_printable_cuts_before_it_escapes() -> None:
    assert printable("x" * 301) == "x" * 299 + "…"
    assert printable("\n" * 5, 3) == "\\n\\n…"


@pytest.mark.parametrize(
    ("body", "summary"),
    [
        (
            "<html><head><title>502 Bad Gateway</title></head><body>x</body></html>",
            "502 Bad Gateway",
        ),
        ("<HTML><TITLE>Upper\n  Case</TITLE><BODY>b</BODY>", "Upper Case"),
        ("<title>T</title><p>body words</p>", "T"),  # a title at the very start
        ('<title lang="en">T</title>', "T"),  # attributes
        ("x > y <title>T</title>", "T"),  # a '>' before the title
        ("</title><title>T</title>", "T"),  # a closing tag before the title
        ("<title><b>Bold</b> title</title>", "Bold title"),  # tags inside the title
        ("<title>First</title><svg><title>Second</title></svg>", "First"),  # the first title
        ("<h1>Service</h1>\n<p>down</p>", "Service down"),  # no title: the words
        ("a<b>c<d>e", "a c e"),
        ("words <title>unclosed", "words unclosed"),  # a title never closed: the words
        ("before <br", "before"),  # an unclosed tag is markup, not words
        ("words <title", "words"),  # a title tag never closed
        ("plain   text,\n\tno tags", "plain text, no tags"),
        ("", ""),
    ],
)
def test_readable_finds_the_words_of_an_error_page(body: str, summary: str) -> None:
    assert readable(body) == summary


def test_readable_is_cut_to_its_limit_and_printable() -> None:
    assert readable("w" * 300) == "w" * 199 + "…"
    assert readable("w" * 300, 10) == "w" * 9 + "…"
    assert readable("bell\x07") == "bell\\x07"


def test_readable_looks_at_the_first_64_kib_only() -> None:
    # the title opens inside the first 64 KiB and closes after: what is
    # inside the 64 KiB is read as words
    assert readable(" " * (SCAN - 8) + "<title>Zebra</title>") == "Z"
    assert readable(" " * SCAN + "<title>Zebra</title>") == ""
