"""The API key, kept out of everything a user can see.

A server or a proxy may echo the request's Authorization header back: as it
is, JSON-escaped (`\\u0073\\u006b-...`, or only some characters escaped; a
backslash or a quote of the key escaped by JSON or by Python's repr(), once
or more), percent-encoded, as HTML character references, in hex, or
base64-encoded; in a problem document, a reason phrase or a header. `scrub`
removes every such form of every key in use from a piece of text, and the
clients' exceptions pass everything they carry through it. Text is always
scrubbed before it is cut to length (`shown`): a cut through the middle of a
key would leave a part of it that no longer matches.

Keys are never forgotten while a client may still use them: a key stays as
long as a configuration holding it is alive (`register`'s owner), however
many other keys come and go. Each key has a pattern of its own, compiled
once, the first time text is scrubbed after it came: making a client costs
the same whatever number of keys the process has seen.

Log records are the other way out: httpx logs each answer's reason phrase at
INFO, httpcore its headers at DEBUG, stamina each retry with the exception's
repr in an extra. `register` installs a filter on those loggers (and ours)
that scrubs a record's message, its extras and its traceback before any
handler sees it.
"""

from __future__ import annotations

import base64
import functools
import logging
import re
import threading
import weakref
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
MIN_BARE: Final = 8  # keys shorter than this are scrubbed as whole tokens only
MAX_DEPTH: Final = 32  # levels of nested JSON scrubbed; deeper values are cut
_HTML_NAMED: Final = {"&": "amp", "<": "lt", ">": "gt", '"': "quot", "'": "apos"}
# Characters that JSON or Python's repr() may write with a backslash before
# them (once, or more when escaped text is escaped again).
_BACKSLASHED: Final = frozenset("\"'/")


class _Key:
    """A registered key: its pattern (compiled once, when first needed) and
    who holds it. `owners` None: kept for the life of the process."""

    __slots__ = ("key", "owners", "pattern")

    def __init__(self, key: str) -> None:
        self.key = key
        self.owners: weakref.WeakValueDictionary[int, object] | None = weakref.WeakValueDictionary()
        self.pattern: re.Pattern[str] | None = None

    @property
    def orphaned(self) -> bool:
        """Registered by owners only, and none of them is alive."""
        return self.owners is not None and not self.owners

    def compiled(self) -> re.Pattern[str]:
        if self.pattern is None:
            self.pattern = re.compile(_key_pattern(self.key))
        return self.pattern


_keys: dict[str, _Key] = {}
# Every key's pattern, longest key first; None when a key came or went.
_patterns: tuple[re.Pattern[str], ...] | None = ()
# Reentrant: a signal handler that logs while a pattern compiles must not
# deadlock in the log filter.
_lock = threading.RLock()


@functools.cache
def _char(char: str) -> str:
    """A pattern for one character of the key in any of its escaped forms."""
    code = ord(char)
    if char == "\\":
        plain = r"\\+"  # itself, or escaped (JSON, repr) once or more
    elif char in _BACKSLASHED:
        plain = rf"\\*{re.escape(char)}"  # \" in JSON, \' in a repr, \/ in JSON
    else:
        plain = re.escape(char)
    forms = [
        plain,
        rf"\\+u(?i:{code:04x})",  # JSON, also when the JSON text is escaped again
        rf"%(?i:{code:02x})",  # percent-encoding
        rf"&#0*{code};",  # HTML, decimal
        rf"&#[xX]0*(?i:{code:x});",  # HTML, hexadecimal
    ]
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
    """One pattern for every form of `key`. It starts with a lookahead for
    the characters a form can start with, which lets the regex engine skip
    every other position quickly (3x faster)."""
    whole = "".join(_char(c) for c in key)
    starts = {"\\", "%", "&", key[0]}
    if len(key) < MIN_BARE:
        # A key this short (a test's "k") would otherwise be cut out of every
        # word that holds it: only a whole token is scrubbed.
        forms = [rf"(?<![\w.~+/=-]){whole}(?![\w.~+/=-])"]
    else:
        hexed = key.encode().hex()  # the key's bytes in hex, either case
        forms = [whole, f"(?i:{hexed})"]
        starts.add(hexed[0])  # a digit (visible ASCII is 0x21 to 0x7e): no case
    if len(key) >= 12:  # shorter cores would match ordinary text
        cores = list(dict.fromkeys(_base64_cores(key)))
        forms += ["".join(_char(c) for c in core) for core in cores]
        starts |= {core[0] for core in cores}
    first = "".join(re.escape(c) for c in sorted(starts))
    return f"(?=[{first}])(?:{'|'.join(forms)})"


def register(key: str, owner: object | None = None) -> None:
    """Remember `key` as a secret: from now on `scrub` removes it and the
    log filter is in place.

    A key is never forgotten while it may still be used. Given an `owner`
    (a client's configuration), the key is kept while an owner of it is
    alive, and forgotten (when another key comes) once none is; without
    one, for the life of the process. Registering costs the same however
    many keys there are: each key's pattern is compiled once, when first
    needed."""
    global _patterns
    with _lock:
        entry = _keys.get(key)
        if entry is None:
            for orphan in [k for k, e in _keys.items() if e.orphaned]:
                del _keys[orphan]
            entry = _keys[key] = _Key(key)
            _patterns = None
            _install_filter()
        if owner is None:
            entry.owners = None
        elif entry.owners is not None:
            entry.owners[id(owner)] = owner


def _compiled() -> tuple[re.Pattern[str], ...]:
    """Every key's pattern, longest key first (a key that contains another
    is removed whole); compiled for the keys that came since the last call."""
    global _patterns
    patterns = _patterns
    if patterns is None:
        with _lock:
            if _patterns is None:
                entries = sorted(_keys.values(), key=lambda e: len(e.key), reverse=True)
                _patterns = tuple(e.compiled() for e in entries)
            patterns = _patterns
    return patterns


def scrub(text: str, *, also: str | None = None) -> str:
    """`text` with every form of every registered key (and of `also`)
    replaced by `***`."""
    if also and also not in _keys:
        register(also)
    if not text or not _keys:
        return text
    for pattern in _compiled():
        text = pattern.sub(REDACTED, text)
    return text


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
        if not _keys:
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
