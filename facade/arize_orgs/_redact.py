"""The API key, kept out of everything a user can see.

A server or a proxy may echo the request's Authorization header back: as it
is, JSON-escaped (`\\u0073\\u006b-...`, or only some characters escaped),
percent-encoded, as HTML character references, base64-encoded; in a problem
document, a reason phrase or a header. `scrub` removes every such form of
every key this process has used from a piece of text, and the clients'
exceptions pass everything they carry through it. Text is always scrubbed
before it is cut to length (`shown`): a cut through the middle of a key
would leave a part of it that no longer matches.

Log records are the other way out: httpx logs each answer's reason phrase at
INFO, httpcore its headers at DEBUG, stamina each retry with the exception's
repr in an extra. `register` installs a filter on those loggers (and ours)
that scrubs a record's message, its extras and its traceback before any
handler sees it.
"""

from __future__ import annotations

import base64
import logging
import re
import threading
from typing import Any, Final

from ._text import printable

__all__ = ["LOGGERS", "register", "scrub", "scrub_json", "shown"]

REDACTED: Final = "***"
# Every logger that can carry text from a server or the transport. A filter
# applies only to records made by its own logger, not to those its children
# pass up, so httpcore's children are named one by one.
LOGGERS: Final = (
    "arize_orgs",
    "httpx",
    "httpcore",
    "httpcore.connection",
    "httpcore.http11",
    "httpcore.http2",
    "httpcore.proxy",
    "httpcore.socks",
    "stamina",
)
MAX_KEYS: Final = 64  # distinct keys remembered; a process normally uses one
MIN_BARE: Final = 8  # keys shorter than this are scrubbed as whole tokens only
MAX_DEPTH: Final = 32  # levels of nested JSON scrubbed; deeper values are cut
_HTML_NAMED: Final = {"&": "amp", "<": "lt", ">": "gt", '"': "quot", "'": "apos"}

_keys: dict[str, None] = {}  # insertion-ordered set
_pattern: re.Pattern[str] | None = None
_lock = threading.Lock()


def _char(char: str) -> str:
    """A pattern for one character of the key in any of its escaped forms."""
    code = ord(char)
    forms = [
        re.escape(char),
        rf"\\u(?i:{code:04x})",  # JSON
        rf"%(?i:{code:02x})",  # percent-encoding
        rf"&#0*{code};",  # HTML, decimal
        rf"&#[xX]0*(?i:{code:x});",  # HTML, hexadecimal
    ]
    if char == "/":
        forms.append(r"\\/")  # JSON may escape a solidus
    if char in _HTML_NAMED:
        forms.append(f"&{_HTML_NAMED[char]};")
    return "(?:" + "|".join(forms) + ")"


def _base64_cores(key: str) -> list[str]:
    """The parts of the key's base64 encoding that do not depend on what
    comes before or after it, for each of the three alignments it can have
    inside a longer encoded text (such as `Bearer <key>`)."""
    raw = key.encode()
    cores = []
    for offset in range(3):
        encoded = base64.b64encode(b"\0" * offset + raw).decode()
        first = -(-8 * offset // 6)  # the first character made of key bits only
        last = (8 * (offset + len(raw))) // 6  # one past the last such character
        core = encoded[first:last]
        cores += [core, core.translate(str.maketrans("+/", "-_"))]
    return cores


def _key_pattern(key: str) -> str:
    whole = "".join(_char(c) for c in key)
    if len(key) < MIN_BARE:
        # A key this short (a test's "k") would otherwise be cut out of every
        # word that holds it: only a whole token is scrubbed.
        return rf"(?<![\w.~+/=-]){whole}(?![\w.~+/=-])"
    forms = [whole]
    if len(key) >= 12:  # shorter cores would match ordinary text
        forms += ["".join(_char(c) for c in core) for core in dict.fromkeys(_base64_cores(key))]
    return "|".join(forms)


def register(key: str) -> None:
    """Remember `key` as a secret: from now on `scrub` removes it and the
    log filter is in place."""
    global _pattern
    with _lock:
        if key in _keys:
            return
        _keys[key] = None
        while len(_keys) > MAX_KEYS:
            del _keys[next(iter(_keys))]
        # Longer keys first, so that a key containing another is removed whole.
        ordered = sorted(_keys, key=len, reverse=True)
        forms = "|".join(f"(?:{_key_pattern(k)})" for k in ordered)
        # A lookahead for the characters a form can start with lets the
        # regex engine skip every other position quickly (3x faster).
        first = {"\\", "%", "&", *(k[0] for k in ordered)}
        first |= {core[0] for k in ordered if len(k) >= 12 for core in _base64_cores(k)}
        starts = "".join(re.escape(c) for c in sorted(first))
        _pattern = re.compile(f"(?=[{starts}])(?:{forms})")
        _install_filter()


def scrub(text: str, *, also: str | None = None) -> str:
    """`text` with every form of every registered key (and of `also`)
    replaced by `***`."""
    if also and also not in _keys:
        register(also)
    pattern = _pattern
    if pattern is None or not text:
        return text
    return pattern.sub(REDACTED, text)


def shown(text: str, limit: int) -> str:
    """Outside text as a message shows it: scrubbed, then printable and cut
    to `limit` (in that order: a cut first could leave half a key)."""
    return printable(scrub(text), limit)


def scrub_json(value: Any, depth: int = 0) -> Any:
    """A parsed JSON value with every string (keys of objects included)
    scrubbed; values nested deeper than MAX_DEPTH are replaced by '…'."""
    if isinstance(value, str):
        return scrub(value)
    if isinstance(value, list | tuple):
        if depth >= MAX_DEPTH:
            return "…"
        return type(value)(scrub_json(v, depth + 1) for v in value)
    if isinstance(value, dict):
        if depth >= MAX_DEPTH:
            return "…"
        return {scrub(str(k)): scrub_json(v, depth + 1) for k, v in value.items()}
    return value


# ---- log records ------------------------------------------------------------------------

_STANDARD: Final = frozenset(vars(logging.makeLogRecord({}))) | {"message", "asctime"}


def _scrub_extra(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, str | list | tuple | dict):
        return scrub_json(value)
    shown = repr(value)
    clean = scrub(shown)
    return value if clean == shown else clean


class _ScrubFilter(logging.Filter):
    """Scrubs a record in place: message, extras, traceback. Never drops one."""

    def filter(self, record: logging.LogRecord) -> bool:
        if _pattern is None:
            return True
        try:
            message = record.getMessage()
        except Exception:  # a broken record: logging reports it itself
            return True
        clean = scrub(message)
        if clean != message:
            record.msg, record.args = clean, None
        for name, value in list(vars(record).items()):
            if name not in _STANDARD:
                setattr(record, name, _scrub_extra(value))
        if record.exc_info and not record.exc_text:
            record.exc_text = scrub(logging.Formatter().formatException(record.exc_info))
        if record.stack_info:
            record.stack_info = scrub(record.stack_info)
        return True


_FILTER: Final = _ScrubFilter()


def _install_filter() -> None:
    for name in LOGGERS:
        logger = logging.getLogger(name)
        if _FILTER not in logger.filters:
            logger.addFilter(_FILTER)
