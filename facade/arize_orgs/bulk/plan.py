"""What a bulk run knows about each distinct user before it sends anything.

The first pass over the input notes every valid row here; email addresses are
then resolved; the second pass asks for each row's verdict. State lives in a
temporary SQLite file (standard library), one record per distinct user, so a
file of a million rows needs disk, not memory, in proportion to its size.

A removal row is noted with the role `REMOVE`, which no role can be: so a
user who is both added and removed in one file is "given two roles", and
both rows are invalid, by the same rule that refuses two roles for one user.

Every record is of a user and a target: the organization ('') or a space (as
the row names it). A user's space rows depend on their organization add row,
if the file has one (`Decision.after`): they are sent once it is answered.
A user removed from the organization cannot also have space rows (removal
from the organization removes from its spaces): those rows are invalid.
"""

from __future__ import annotations

import sqlite3
import tempfile
from collections.abc import Mapping
from typing import Final, Literal

import attrs

from ..ids import email_key, is_email

Verdict = Literal["send", "skip", "invalid", "failed"]
REMOVE: Final = "(remove)"  # the role a removal row is noted with: no str(Role) is this

_SCHEMA: Final = """
CREATE TABLE users(
    key TEXT NOT NULL,           -- an id, or an email as ids.email_key compares it
    target TEXT NOT NULL,        -- '' for the organization, else the space as given
    role TEXT NOT NULL,          -- the first role given (str(Role))
    first_line INTEGER NOT NULL,
    other_role TEXT,             -- the first different role given, if any
    other_line INTEGER,
    user_id TEXT,                -- the id (resolved, for an email)
    account_role TEXT,           -- from the server, for an email
    error TEXT,                  -- why the email could not be resolved
    error_class TEXT,            -- the exception's class, when the API failed
    error_outcome TEXT,          -- 'invalid' (no such user) or 'failed' (the API failed)
    rows INTEGER NOT NULL DEFAULT 1, -- rows naming this key
    invite INTEGER NOT NULL DEFAULT 0, -- an email with no account, to invite (--invite)
    PRIMARY KEY(key, target)
) WITHOUT ROWID;
CREATE TABLE done(key TEXT, role TEXT, target TEXT, PRIMARY KEY(key, role, target))
    WITHOUT ROWID;
-- A space as the file names it (a name, or an id) -> its id, once resolved:
-- rows naming one space by name and by id are about one membership.
CREATE TABLE targets(raw TEXT PRIMARY KEY, resolved TEXT NOT NULL) WITHOUT ROWID;
"""
_NOTE: Final = """
INSERT INTO users(key, target, role, first_line, user_id) VALUES(?, ?, ?, ?, ?)
ON CONFLICT(key, target) DO UPDATE SET
    other_role = COALESCE(other_role, CASE WHEN excluded.role != role THEN excluded.role END),
    other_line = COALESCE(other_line, CASE WHEN excluded.role != role THEN excluded.first_line END),
    rows = rows + 1
"""


@attrs.frozen
class Decision:
    """What to do with one row. `first_line` is the line of the user's first
    row; `repeated` says whether the user has more than one row (so the first
    row's outcome must be remembered for the others)."""

    verdict: Verdict
    user_id: str | None = None
    account_role: str | None = None
    reason: str | None = None
    error_class: str | None = None
    first_line: int | None = None
    repeated: bool = False
    invite: bool = False  # send an invitation first: the email has no account
    repeat_of: int | None = None  # the line this row repeats: it takes that row's outcome
    after: int | None = None  # a space row: the line of the user's organization add


class Plan:
    def __init__(self) -> None:
        self._file = tempfile.NamedTemporaryFile(prefix="arize-orgs-plan-", suffix=".db")  # noqa: SIM115
        self._db = sqlite3.connect(self._file.name)
        self._db.executescript(
            "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA cache_size=-8000;" + _SCHEMA
        )
        self._pending: list[tuple[str, str, str, int, str | None]] = []
        # Whether any row is about a space: a file without one pays nothing
        # for the ladder (no `keyed` table, no query per row).
        self.has_spaces = False

    def close(self) -> None:
        self._db.close()
        self._file.close()

    @staticmethod
    def key(user: str) -> str:
        return email_key(user) if is_email(user) else user.strip()

    # ---- pass one ----

    def note(self, user: str, role: str, line: int, target: str = "") -> None:
        key = self.key(user)
        self._pending.append((key, target, role, line, None if "@" in key else key))
        self.has_spaces = self.has_spaces or bool(target)
        if len(self._pending) >= 5000:
            self._flush()

    def _flush(self) -> None:
        if self._pending:
            with self._db:
                self._db.executemany(_NOTE, self._pending)
            self._pending.clear()

    def mark_done(self, user: str, role: str, target: str = "") -> None:
        """A row an earlier run reported `ok` (--resume); `role` is REMOVE
        for a removal."""
        self._db.execute(
            "INSERT OR IGNORE INTO done VALUES(?, ?, ?)", (self.key(user), role, target)
        )

    def removals(self) -> int:
        """Distinct users the file removes (an email and an id of the same
        user count twice: the count errs on the side of refusing)."""
        self._flush()
        (count,) = self._db.execute(
            # Per key: one user removed from the organization and a space is one user.
            "SELECT COUNT(DISTINCT key) FROM users WHERE role = ? OR other_role = ?",
            (REMOVE, REMOVE),
        ).fetchone()
        return int(count)

    # ---- between the passes ----

    def emails(self) -> list[str]:
        """Every distinct email still to resolve, in the order of first use;
        not those a resumed report has already done (nothing to send)."""
        self._flush()
        return [
            key
            for (key,) in self._db.execute(
                """SELECT key FROM users u WHERE user_id IS NULL AND error IS NULL
                   AND NOT EXISTS(SELECT 1 FROM done d WHERE d.key = u.key AND d.role = u.role
                                  AND d.target = u.target)
                   GROUP BY key ORDER BY MIN(first_line)"""
            )
        ]

    def resolved(
        self,
        email: str,
        *,
        user_id: str | None = None,
        account_role: str | None = None,
        error: str | None = None,
        error_class: str | None = None,
        outcome: Literal["invalid", "failed"] = "invalid",
        invite: bool = False,
    ) -> None:
        """What `email` resolved to: a user, or an error. `invite`: no account
        has it and the run invites such emails; its add rows then invite
        (its removal rows keep the error: there is no one to remove)."""
        with self._db:
            self._db.execute(
                "UPDATE users SET user_id=?, account_role=?, error=?, error_class=?, "
                "error_outcome=?, invite=? WHERE key=?",
                (
                    user_id,
                    account_role,
                    error,
                    error_class,
                    outcome if error else None,
                    int(invite),
                    email,
                ),
            )

    def set_targets(self, resolved: Mapping[str, str]) -> None:
        """The id each space the file names resolved to (before `finish`)."""
        with self._db:
            self._db.executemany("INSERT OR REPLACE INTO targets VALUES(?, ?)", resolved.items())

    def finish(self) -> None:
        """After every email is resolved: group rows by the user they name, so
        that an email and an id of the same user count as one user."""
        self._flush()
        with self._db:
            self._db.executescript(
                """
                CREATE TABLE groups AS
                    SELECT user_id, COALESCE(t.resolved, u.target) AS target,
                           MIN(first_line) AS first_line,
                           COUNT(DISTINCT role) AS roles,
                           SUM(rows) AS rows,
                           MAX(account_role) AS account_role,
                           MAX(role = '(remove)') AS removes  -- '(remove)' is REMOVE
                    FROM users u LEFT JOIN targets t ON t.raw = u.target
                    WHERE user_id IS NOT NULL GROUP BY user_id, COALESCE(t.resolved, u.target);
                CREATE UNIQUE INDEX groups_user ON groups(user_id, target);
                """
            )
            if not self.has_spaces:
                return
            self._db.executescript(
                """
                -- Per key too: an email to invite has no user id yet.
                CREATE TABLE keyed AS
                    SELECT key, MAX(target = '' AND role = '(remove)') AS org_removes,
                           MIN(CASE WHEN target = '' AND role != '(remove)'
                               THEN first_line END) AS org_add,
                           MAX(target != '') AS spaces
                    FROM users GROUP BY key;
                CREATE UNIQUE INDEX keyed_key ON keyed(key);
                """
            )

    def awaited(self) -> set[int]:
        """The lines of the organization adds that space rows wait for (as
        `Decision.after` names them): the engine keeps those rows' outcomes,
        and only those."""
        if not self.has_spaces:
            return set()
        return {
            line
            for (line,) in self._db.execute(
                """SELECT org_add FROM keyed WHERE spaces AND org_add IS NOT NULL
                   UNION
                   SELECT MIN(first_line) FROM groups WHERE target = '' AND NOT removes
                   AND user_id IN (SELECT user_id FROM groups WHERE target != '')
                   GROUP BY user_id"""
            )
        }

    # ---- pass two ----

    def _ladder(self, key: str, user_id: str | None) -> tuple[bool, int | None, bool]:
        """(removed from the organization, the line of the organization add,
        has space rows) for a user, by key and by id alike."""
        removes, org_add, spaces = self._db.execute(
            "SELECT org_removes, org_add, spaces FROM keyed WHERE key = ?", (key,)
        ).fetchone()
        if user_id is not None:
            by_id = self._db.execute(
                """SELECT MAX(target = '' AND removes), MIN(CASE WHEN target = '' AND NOT removes
                   THEN first_line END), MAX(target != '') FROM groups WHERE user_id = ?""",
                (user_id,),
            ).fetchone()
            if by_id[0] is not None:
                removes, spaces = removes or by_id[0], spaces or by_id[2]
                org_add = by_id[1] if by_id[1] is not None else org_add
        return bool(removes), org_add, bool(spaces)

    def decide(self, user: str, role: str, line: int, target: str = "") -> Decision:
        decision = self._decide(user, role, line, target)
        if decision.verdict not in ("send", "skip") or not self.has_spaces:
            return decision
        key = self.key(user)
        removed, org_add, spaces = self._ladder(key, decision.user_id)
        if target and removed:
            return Decision(
                "invalid",
                reason="this user is removed from the organization in this file, which removes "
                "them from its spaces: a file may remove them or give them spaces",
            )
        if not target and role == REMOVE and spaces:
            return Decision(
                "invalid",
                reason="this user has space rows in this file, and removing them from the "
                "organization removes them from its spaces: a file may do one or the other",
            )
        if target and role != REMOVE and org_add is not None:
            return attrs.evolve(decision, after=org_add)
        return decision

    def _decide(self, user: str, role: str, line: int, target: str) -> Decision:
        key = self.key(user)
        found = self._db.execute(
            """SELECT u.role, u.first_line, u.other_role, u.other_line, u.user_id,
                      COALESCE(u.account_role, g.account_role), u.error, u.error_class,
                      u.error_outcome, u.rows, g.first_line, g.roles, g.rows,
                      EXISTS(SELECT 1 FROM done d WHERE d.key = u.key AND d.role = ?
                             AND d.target = u.target),
                      u.invite, g.removes
               FROM users u LEFT JOIN groups g ON g.user_id = u.user_id
                    AND g.target = COALESCE((SELECT resolved FROM targets WHERE raw = u.target),
                                            u.target)
               WHERE u.key = ? AND u.target = ?""",
            (role, key, target),
        ).fetchone()
        if found is None:  # pragma: no cover - every valid row was noted
            return Decision("invalid", reason="row was not planned")
        (
            first_role,
            first_line,
            other_role,
            other_line,
            user_id,
            account_role,
            error,
            error_class,
            error_outcome,
            key_rows,
            group_first,
            group_roles,
            group_rows,
            done,
            invite,
            group_removes,
        ) = found
        if other_line is not None:
            if REMOVE in (first_role, other_role):
                added, removed = sorted(
                    [(first_role, first_line), (other_role, other_line)],
                    key=lambda r: r[0] == REMOVE,
                )
                return Decision(
                    "invalid",
                    reason=f"this user is added (as {added[0]!r}) on line {added[1]} and removed "
                    f"on line {removed[1]}; a file may do one or the other",
                )
            return Decision(
                "invalid",
                reason=f"this user is given two roles: {first_role!r} on line {first_line} and "
                f"{other_role!r} on line {other_line}; give each user one role",
            )
        if invite and role != REMOVE:
            repeated = key_rows > 1
            if line != first_line:
                return Decision(
                    "skip",
                    reason=f"repeats line {first_line}",
                    first_line=first_line,
                    invite=True,
                    repeated=repeated,
                    repeat_of=first_line,
                )
            return Decision("send", first_line=first_line, repeated=repeated, invite=True)
        if error:
            verdict: Verdict = "failed" if error_outcome == "failed" else "invalid"
            return Decision(verdict, reason=error, error_class=error_class)
        if group_roles and group_roles > 1:
            if group_removes:
                return Decision(
                    "invalid",
                    reason=f"user {user_id} is added on one line and removed on another (once "
                    "by email, once by id); a file may do one or the other",
                )
            return Decision(
                "invalid",
                reason=f"user {user_id} is given different roles on different lines "
                "(named differently: by email and by id, or a space by name and by id); give "
                "each user one role in each place",
            )
        first = group_first if group_first is not None else first_line
        repeated = (group_rows or key_rows) > 1
        if done:
            return Decision(
                "skip", user_id, account_role, "already ok in the resumed report", None, first
            )
        if line == first:
            return Decision("send", user_id, account_role, None, None, first, repeated)
        return Decision(
            "skip",
            user_id,
            account_role,
            f"repeats line {first}",
            None,
            first,
            repeated,
            repeat_of=first,
        )
