"""Checks on Arize global ids, made before any request is sent.

Ids are opaque base64 strings. Today they decode to `Type:number` (or
`Type:number:suffix`). Like Arize's own SDK, we take "strict base64 of UTF-8
text with a colon" as what an id looks like, so that a name, an email or a
typo is refused before it is sent. Beyond that the docs ask clients not to
depend on the decoded form: the type is used only to catch an obvious mistake
(an organization id where a user id belongs, i.e. swapped arguments), and an
id whose type is not one we know is accepted as it is.
"""

from __future__ import annotations

import binascii
import re
import unicodedata
from base64 import b64decode
from typing import Final, Literal

from .errors import InvalidInputError

__all__ = [
    "check_display_name",
    "check_email",
    "check_id",
    "check_name",
    "decoded_type",
    "email_key",
    "is_email",
    "is_id",
]

IdKind = Literal["user", "organization", "space", "role"]

# Decoded type prefix -> what such an id names, for the types we have seen.
_KNOWN: Final = {
    "User": "user",
    "AccountOrganization": "organization",
    "AccountOrganizationMember": "membership",
    "Space": "space",
    "Account": "account",
}
_ARGUMENT_OF: Final = {"user": "user_id", "organization": "org_id", "space": "space_id"}
_A: Final = {"organization": "an organization", "account": "an account"}
_EMAIL: Final = re.compile(r"[^@\s]+@[^@\s]+")
MAX_EMAIL: Final = 255  # what GET /v2/users accepts
MAX_NAME: Final = 255  # characters of an invited person's display name
_NOT_IN_AN_ADDRESS: Final = frozenset("<>,;")  # pasted with a display name, or a list
# Lower-casing for comparing emails: ASCII letters only. Unicode case mapping
# would make look-alikes equal ('\u212aate@' -> 'kate@', the Kelvin sign).
_ASCII_LOWER: Final = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def decoded_type(value: str) -> str | None:
    """The type prefix an id decodes to ('User' for 'VXNlcjoxMjM0NQ=='); None
    if `value` does not look like an id at all."""
    try:
        raw = b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        try:
            raw = b64decode(value, altchars=b"-_", validate=True)
        except (binascii.Error, ValueError):
            return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
    head, sep, _ = text.partition(":")
    if not sep:
        return None
    return head if head.isidentifier() else ""


def is_id(value: object) -> bool:
    """Whether `value` reads as an Arize id rather than a name: strict
    base64 of UTF-8 text with a colon, as Arize's own SDK tells them apart."""
    return isinstance(value, str) and decoded_type(value.strip()) is not None


def check_id(value: object, kind: IdKind, *, argument: str | None = None) -> str:
    """Return `value` stripped of surrounding blanks, or raise InvalidInputError
    if it is not a plausible global id of a `kind`."""
    argument = argument or _ARGUMENT_OF.get(kind, f"{kind} id")
    if not isinstance(value, str):
        raise InvalidInputError(
            f"{argument} must be a string (a base64 global id), not {type(value).__name__}"
        )
    text = value.strip()
    if not text:
        raise InvalidInputError(f"{argument} is empty; pass the {kind}'s global id")
    shown = text if len(text) <= 40 else text[:39] + "…"
    found = decoded_type(text)
    if found is None:
        raise InvalidInputError(
            f"{argument} {shown!r} is not a global id: Arize ids are base64 text "
            "such as 'VXNlcjoxMjM0NQ=='"
        )
    names = _KNOWN.get(found)
    if names is not None and names != kind:
        swapped = " (the arguments look swapped)" if names in _ARGUMENT_OF else ""
        raise InvalidInputError(
            f"{argument} {shown!r} is the id of {_A.get(names, 'a ' + names)}, "
            f"not of {_A.get(kind, 'a ' + kind)}{swapped}"
        )
    return text


def check_email(email: object) -> str:
    """`email` stripped of surrounding blanks, or InvalidInputError if it is
    not one address (users can be named by email instead of by id)."""
    text = email.strip() if isinstance(email, str) else None
    if text is None or not _EMAIL.fullmatch(text) or len(text) > MAX_EMAIL:
        shown = email if not isinstance(email, str) or len(email) <= 40 else email[:39] + "…"
        raise InvalidInputError(f"{shown!r} is not an email address")
    if odd := _unseen(text) or next((c for c in text if c in _NOT_IN_AN_ADDRESS), None):
        # An invitation makes an account that only a permanent delete
        # removes: an address with an invisible character, or one pasted
        # with its brackets, is refused before it is sent.
        shown = text if len(text) <= 40 else text[:39] + "…"
        raise InvalidInputError(
            f"{shown!r} is not an email address: it holds {_named(odd)}; type the address alone"
        )
    return text


def _unseen(text: str) -> str | None:
    """The first character of `text` that a terminal does not show as
    itself: a control, format (zero-width, bidi), separator or unassigned one."""
    return next((c for c in text if unicodedata.category(c)[0] in ("C", "Z")), None)


def _named(char: str) -> str:
    name = unicodedata.name(char, "")
    return f"U+{ord(char):04X}" + (f" ({name})" if name else "")


def check_display_name(name: object) -> str:
    """A user's display name, stripped, or InvalidInputError: printable
    text of at most MAX_NAME characters (it is shown in Arize and its emails)."""
    if not isinstance(name, str) or not name.strip() or len(name.strip()) > MAX_NAME:
        raise InvalidInputError(
            f"name must be a non-empty text of at most {MAX_NAME} characters, or None "
            "(the server then picks one)"
        )
    text = name.strip()
    # Spaces are fine in a name; every other unseen character is not.
    if odd := _unseen(text.replace(" ", "")):
        raise InvalidInputError(f"a name may not hold {_named(odd)}; type it as it should show")
    return text


def check_name(value: object, what: str) -> str:
    """A name to look up (an organization's, a space's, a custom role's),
    stripped, or InvalidInputError: printable text of at most MAX_NAME
    characters, as `what` (e.g. "a space's name") says in the message."""
    if not isinstance(value, str) or not value.strip():
        raise InvalidInputError(f"{what} is empty; give the name as Arize shows it, or the id")
    text = value.strip()
    if len(text) > MAX_NAME:
        raise InvalidInputError(
            f"{what} is {len(text)} characters long; no name is over {MAX_NAME}"
        )
    if odd := _unseen(text.replace(" ", "")):
        raise InvalidInputError(
            f"{what} {text[:40]!r} holds {_named(odd)}; type the name as Arize shows it"
        )
    return text


def is_email(text: str) -> bool:
    """Whether `text` names a user by email rather than by id: ids are
    base64, which has no '@'."""
    return "@" in text


def email_key(email: str) -> str:
    """`email` as emails are compared: blanks stripped, ASCII letters lower
    case, nothing else changed (the server matches without case)."""
    return email.strip().translate(_ASCII_LOWER)
