"""The key kept out of what a user sees (`_redact`): every form a server may
echo it in, the keys remembered, nested JSON, and log records. Each test
starts with no key registered (`fresh_keys`), as a new process does."""

from __future__ import annotations

import base64
import gc
import logging
import sys
from urllib.parse import quote

import pytest

from arize_orgs import _redact
from arize_orgs._redact import register, scrub, scrub_json, shown

pytestmark = pytest.mark.usefixtures("fresh_keys")

KEY = "sk-Redact/Test+Key_0123"


def forms(key: str) -> list[str]:
    """The key as a server or proxy might echo it."""
    half = len(key) // 2
    return [
        key,
        "".join(f"\\u{ord(c):04x}" for c in key),  # JSON, every character
        "".join(f"\\u{ord(c):04X}" for c in key),  # JSON, upper-case hex
        key[:half] + "".join(f"\\u{ord(c):04x}" for c in key[half:]),  # JSON, some
        key.replace("/", "\\/"),  # JSON's escaped solidus
        quote(key, safe=""),  # percent-encoded where needed
        "".join(f"%{ord(c):02x}" for c in key),  # every character, lower-case hex
        "".join(f"%{ord(c):02X}" for c in key),
        "".join(f"&#{ord(c)};" for c in key),  # HTML, decimal
        "".join(f"&#00{ord(c)};" for c in key),
        "".join(f"&#x{ord(c):x};" for c in key),  # HTML, hexadecimal
        "".join(f"&#X0{ord(c):X};" for c in key),
        key.encode().hex(),  # the key's bytes in hex, as a debugging proxy may show them
        key.encode().hex().upper(),
    ]


def encoded(key: str) -> list[str]:
    """The key inside a longer base64 text, at each of the three alignments,
    in both alphabets."""
    found = []
    for before in ("Bearer ", "Bearer  ", "Bearer   "):
        text = base64.b64encode(f"{before}{key} tail".encode()).decode()
        found += [text, text.translate(str.maketrans("+/", "-_"))]
    return found


@pytest.mark.parametrize("form", range(len(forms(KEY))))
def test_every_escaped_form_of_the_key_is_scrubbed(form: int) -> None:
    register(KEY)
    echoed = forms(KEY)[form]
    assert scrub(f"got [{echoed}] back") == "got [***] back"


@pytest.mark.parametrize(
    "key", ["sk-Twelve-012", "sk-Twelve-01", "sk-a-much-longer-key-0123456789"]
)
def test_the_key_base64_encoded_at_any_alignment_is_scrubbed(key: str) -> None:
    register(key)
    for text in encoded(key):
        clean = scrub(text)
        assert clean != text and "***" in clean, text
        # what is left decodes to no part of the key
        assert key[1:-1] not in clean


@pytest.mark.parametrize(
    ("before", "text", "scrubbed"),
    [
        ("Bearer ", "QmVhcmVyIHNrLVR3ZWx2ZS0wMTIgdGFpbA==", "QmVhcmVyIH***IgdGFpbA=="),
        ("Bearer  ", "QmVhcmVyICBzay1Ud2VsdmUtMDEyIHRhaWw=", "QmVhcmVyICB***IHRhaWw="),
        ("Bearer   ", "QmVhcmVyICAgc2stVHdlbHZlLTAxMiB0YWls", "QmVhcmVyICAg***iB0YWls"),
    ],
)
def test_exactly_the_base64_characters_made_of_the_key_alone_are_scrubbed(
    before: str, text: str, scrubbed: str
) -> None:
    # What is left on either side encodes the text around the key, and at
    # most one character shared with it.
    register("sk-Twelve-012")
    assert base64.b64encode(f"{before}sk-Twelve-012 tail".encode()).decode() == text
    assert scrub(text) == scrubbed


def test_a_key_shorter_than_12_characters_is_not_looked_for_in_base64() -> None:
    # its encoded cores would be short enough to turn up in ordinary text
    key = "sk-Eleven-1"
    register(key)
    for text in encoded(key):
        assert scrub(text) == text
    assert scrub(key) == "***"


def test_html_named_references_are_forms_of_the_characters_they_name() -> None:
    key = "a&b<c>d\"e'f-long"
    register(key)
    named = "a&amp;b&lt;c&gt;d&quot;e&apos;f-long"
    assert scrub(f"[{named}]") == "[***]"
    assert scrub(f"[{key}]") == "[***]"


def test_a_key_of_8_characters_or_more_is_scrubbed_inside_a_word() -> None:
    register("sk-eight")
    assert scrub("Bearer=sk-eight.x") == "Bearer=***.x"


@pytest.mark.parametrize("joined", list(".~+/=-_a1"))
def test_a_key_shorter_than_8_is_scrubbed_only_as_a_whole_token(joined: str) -> None:
    register("sk-7chr")
    assert scrub("Bearer sk-7chr, (sk-7chr)") == "Bearer ***, (***)"
    for text in (f"{joined}sk-7chr", f"sk-7chr{joined}"):
        assert scrub(text) == text


def test_a_key_that_holds_another_inside_is_scrubbed_whole() -> None:
    """Longest first: not only a key that starts another, any key inside one."""
    register("abcdefghijklmnop")
    register("AAAAAAAAAAAAAAAAAAAAabcdefghijklmnop")
    assert scrub("Bearer AAAAAAAAAAAAAAAAAAAAabcdefghijklmnop") == "Bearer ***"
    assert scrub("Bearer abcdefghijklmnop") == "Bearer ***"


def test_a_key_that_holds_another_is_scrubbed_whole() -> None:
    register("sk-inner-key")
    register("sk-inner-key-outer")
    assert scrub("a sk-inner-key-outer b sk-inner-key c") == "a *** b *** c"
    register("sk-other-key-outer-longest")
    register("sk-other-key")
    assert scrub("a sk-other-key-outer-longest b") == "a *** b"


def test_a_key_is_remembered_while_it_may_be_used() -> None:
    keys = [f"k{n:02}" for n in range(65)]
    for key in keys:  # no owner: kept for the life of the process
        register(key)
    assert [scrub(k) for k in keys] == ["***"] * 65

    class Config:  # a client's configuration holds its key
        pass

    owner = Config()
    register("sk-owned-key", owner)
    assert scrub("sk-owned-key") == "***"
    del owner
    gc.collect()
    register("sk-next-key")  # a new key forgets the keys no one holds any more
    assert scrub("sk-owned-key") == "sk-owned-key"
    assert len(_redact._keys) == 66


def test_a_key_is_kept_while_any_of_its_owners_lives() -> None:
    class Config:
        pass

    first, second = Config(), Config()
    register("sk-shared-key-0123", first)  # a client, and a copy of it
    register("sk-shared-key-0123", second)
    del second
    gc.collect()
    register("sk-next-key-0123")  # forgets only keys no one holds
    assert scrub("sk-shared-key-0123") == "***"
    del first
    gc.collect()
    register("sk-third-key-0123")
    assert scrub("sk-shared-key-0123") == "sk-shared-key-0123"


def test_the_patterns_are_compiled_once_until_another_key_comes() -> None:
    register(KEY)
    compiled = _redact._compiled()
    assert _redact._compiled() is compiled  # not compiled again for each text
    register(KEY)  # a key known already changes nothing
    assert _redact._compiled() is compiled
    register("sk-another-key-0123")
    again = _redact._compiled()
    assert again is not compiled and len(again) == 2
    assert compiled[0] in again  # each key's own pattern is compiled once


def test_scrub_also_registers_the_key_it_is_given() -> None:
    assert scrub("x sk-also-given-0", also="sk-also-given-0") == "x ***"
    assert scrub("y sk-also-given-0") == "y ***"
    assert scrub("z", also="") == "z"
    assert "" not in _redact._keys


def test_with_no_key_registered_text_is_untouched() -> None:
    assert scrub("sk-anything 12345678") == "sk-anything 12345678"
    register(KEY)
    assert scrub("") == ""


def test_shown_scrubs_before_it_cuts_so_no_part_of_the_key_is_left() -> None:
    register(KEY)
    assert shown(f"{KEY}xxxxxxxxxx\n", 5) == "***x…"
    assert shown(f"a\n{KEY}", 300) == "a\\n***"


def nested(levels: int, kind: type) -> object:
    value: object = KEY
    for _ in range(levels):
        value = [value] if kind is list else {"k": value}
    return value


@pytest.mark.parametrize("kind", [list, dict])
def test_json_is_scrubbed_32_levels_deep_and_cut_below(kind: type) -> None:
    register(KEY)
    shallow = scrub_json(nested(32, kind))
    deep = scrub_json(nested(33, kind))
    for _ in range(32):
        shallow = shallow[0] if kind is list else shallow["k"]  # type: ignore[index]
        deep = deep[0] if kind is list else deep["k"]  # type: ignore[index]
    assert shallow == "***"
    assert deep == "…"


def test_json_keeps_its_shape_and_scrubs_keys_and_values() -> None:
    register(KEY)
    value = {KEY: [KEY, 1, 2.5, None, True], "t": (KEY, "ok"), 3: {"x": KEY}}
    assert scrub_json(value) == {
        "***": ["***", 1, 2.5, None, True],
        "t": ("***", "ok"),
        "3": {"x": "***"},
    }
    assert type(scrub_json(value)["t"]) is tuple


class Shows:
    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return f"Shows({self.text})"


def record(msg: str, *args: object, **extra: object) -> logging.LogRecord:
    made = logging.makeLogRecord({"name": "arize_orgs", "msg": msg, "args": args, **extra})
    return made


def test_a_log_record_is_scrubbed_in_its_message_and_extras() -> None:
    register(KEY)
    plain = Shows("nothing secret")
    made = record(
        "sent %s to %s",
        KEY,
        "x",
        note=f"k={KEY}",
        n=5,
        f=1.5,
        ok=True,
        none=None,
        obj=Shows(KEY),
        plain=plain,
        items=[KEY],
        pair=(KEY,),
        mapping={"k": KEY},
    )
    assert _redact._FILTER.filter(made) is True
    assert (made.msg, made.args, made.getMessage()) == ("sent *** to x", None, "sent *** to x")
    assert (made.note, made.n, made.f, made.ok, made.none) == ("k=***", 5, 1.5, True, None)
    assert made.obj == "Shows(***)" and made.plain is plain
    assert (made.items, made.pair, made.mapping) == (["***"], ("***",), {"k": "***"})


def test_a_number_in_a_log_record_stays_a_number() -> None:
    register("12345678")  # even when a key looks like it
    made = record("x", n=12345678, f=12345678.0)
    _redact._FILTER.filter(made)
    assert (made.n, made.f) == (12345678, 12345678.0)


def test_a_log_record_without_the_key_is_left_as_it_was() -> None:
    register(KEY)
    made = record("sent %s", "nothing")
    _redact._FILTER.filter(made)
    assert (made.msg, made.args) == ("sent %s", ("nothing",))


def test_a_log_records_traceback_and_stack_are_scrubbed() -> None:
    register(KEY)
    try:
        raise RuntimeError(f"failed with {KEY}")
    except RuntimeError:
        info = sys.exc_info()
    made = record("failed", exc_info=info, stack_info=f"Stack: {KEY}")
    _redact._FILTER.filter(made)
    assert made.exc_text and "RuntimeError: failed with ***" in made.exc_text
    assert KEY not in made.exc_text
    assert made.stack_info == "Stack: ***"
    kept = record("failed", exc_info=info, exc_text="already formatted")
    _redact._FILTER.filter(kept)
    assert kept.exc_text == "already formatted"


def test_a_broken_log_record_or_no_key_passes_untouched() -> None:
    broken = record("%d items", "not a number")
    assert _redact._FILTER.filter(broken) is True  # no key yet: nothing looked at
    register(KEY)
    assert _redact._FILTER.filter(broken) is True
    assert (broken.msg, broken.args) == ("%d items", ("not a number",))


def test_registering_puts_one_filter_on_every_logger_that_can_carry_server_text() -> None:
    assert logging.getLogger("httpx").filters.count(_redact._FILTER) == 0
    register(KEY)
    register("sk-second-key-0")
    for name in (
        "arize_orgs",
        "httpx",
        "httpcore",
        "httpcore.connection",
        "httpcore.http11",
        "httpcore.http2",
        "httpcore.proxy",
        "httpcore.socks",
        "stamina",
    ):
        assert logging.getLogger(name).filters.count(_redact._FILTER) == 1, name
    assert _redact._FILTER not in logging.getLogger().filters  # the root's stay its own


def test_a_key_logged_by_httpcore_never_reaches_a_handler(
    caplog: pytest.LogCaptureFixture,
) -> None:
    register(KEY)
    caplog.set_level(logging.DEBUG)
    logging.getLogger("httpcore.http11").debug("send_request_headers %s", [(b"auth", KEY)])
    assert caplog.records and KEY not in caplog.text and "***" in caplog.text
