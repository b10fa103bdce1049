"""A local stand-in for the Arize endpoint: a real HTTP server on loopback.

    from arize_orgs.sandbox import Sandbox
    with Sandbox() as sb:                  # a free 127.0.0.1 port, a background thread
        org_id = sb.add_organization("Acme")
        space_id = sb.add_space(org_id, "prod")
        user_id = sb.add_user("jane@acme.test", account_role="annotator")
        client = OrgClient(sb.admin_key, base_url=sb.base_url)
        client.add_user(org_id, user_id, "annotator")
        sb.role_of(org_id, user_id)        # Role.ANNOTATOR
        sb.space_role_of(space_id, user_id)  # None until added to the space
        sb.fail_next(503, times=2)         # the next two requests fail
        sb.latency = 0.05                  # every answer 50 ms late
        sb.set_rate_limit(100, per=60)     # Arize's limit: per endpoint, per user, fixed windows
        sb.request_log                     # [(method, path, status), ...]
        sb.history                         # [Write(endpoint, org, space, user, status, at)]

It serves what `openapi.yaml` declares, with the API's rules:

- organizations: `GET /v2/organizations` (name: case-insensitive substring)
  and `GET /v2/organizations/{org_id}`; `POST .../{org_id}/users` adds a
  member (an upsert; org admin required, 403; unknown org or user, 404; the
  annotator rule both ways, 400) and `DELETE .../{org_id}/users/{user_id}`
  removes one (204; 404 for one who is not a member), from every space of
  the organization too;
- spaces: `GET /v2/spaces?org_id=&name=` (an unknown org_id, 404) and
  `GET /v2/spaces/{space_id}`; `POST .../{space_id}/users` (an upsert; 400
  for a user who is not a member of the space's organization, and for the
  annotator rule) and `DELETE .../{space_id}/users/{user_id}` (204; 404 for
  one who is not a member);
- `GET /v2/roles` (the predefined roles and the custom ones added; 403
  without ROLE_READ, which only the account admin has here);
- users: `GET /v2/users/{user_id}`, `GET /v2/users?email=` and `POST
  /v2/users` invites (201 a new user, 200 an invited or expired one as it
  is, 409 an active one; account admin required; `temporary-password`
  answers a password once).

Every listing pages with an opaque cursor (`limit` 1 to 100, 50 by
default). Bearer keys (401), schema violations (422, naming the field),
and, when set, Arize's rate limit (429): each endpoint (method and path
template) its own budget per user. `sb.history` records every write
answered, in order. It speaks the API as served today (upper case);
`Sandbox(spelling="seed")` speaks the seed page's lower case.
Needs the `sandbox` extra: `pip install 'arize-orgs[sandbox]'`.
"""

from __future__ import annotations

import logging
import socket
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from types import TracebackType
from typing import Self

try:
    import uvicorn
except ImportError as exc:  # pragma: no cover - depends on the install
    raise ImportError("the sandbox needs its extra: pip install 'arize-orgs[sandbox]'") from exc

from ..ids import email_key
from ..roles import AccountRole, Role
from .app import FAULT_KINDS, Fault, Knobs, RateLimit, SandboxApp
from .history import History, Write
from .spec import ServedSpec, SpellingName
from .state import World

__all__ = ["RateLimit", "Sandbox", "Write"]


class _InjectedFaults(logging.Filter):
    """uvicorn reports an answer left unstarted or unfinished; when the
    sandbox dropped the connection on purpose (fail_next), that is expected."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("ASGI callable returned without")


_FILTER = _InjectedFaults()


class Sandbox:
    """The stand-in server; see the module docstring.

    `admin_key` belongs to an account admin who administers every
    organization made here. `member_key` belongs to an account member who
    administers none: its writes and its roles listing are answered 403, and
    it sees only the organizations (and public spaces) its user belongs to.
    It speaks the API as
    served today (upper case, `READ_ONLY`); `spelling="seed"` speaks the seed
    documentation page's lower case (`read-only`) and `spec` serves any other
    variant of our spec. `custom_roles=False` answers custom organization
    roles with 422, as Arize's docs say the API does today.
    """

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        spelling: SpellingName = "live",
        spec: Path | str | None = None,
        custom_roles: bool = True,
    ):
        self.world = World()
        self.knobs = Knobs(custom_roles=custom_roles)
        self.spec = ServedSpec(Path(spec) if spec else None, spelling=spelling)
        self._history = History()
        self._app = SandboxApp(self.world, self.spec, self.knobs, self._history)
        self._host, self._port = host, port
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        admin = self.world.add_user("admin@sandbox.test", AccountRole.ADMIN, "Sandbox Admin")
        member = self.world.add_user("member@sandbox.test", AccountRole.MEMBER, "Sandbox Member")
        self.admin_user_id = admin
        self.admin_key = self.world.add_key(admin, account_admin=True, admin_of=set())
        self.member_key = self.world.add_key(member, account_admin=False, admin_of=set())

    # ---- lifecycle ----

    def start(self) -> Self:
        if self._thread is not None:
            return self
        sock = socket.socket(socket.AF_INET6 if ":" in self._host else socket.AF_INET)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((self._host, self._port))
        self._port = sock.getsockname()[1]
        config = uvicorn.Config(
            self._app,
            log_level="warning",
            access_log=False,
            lifespan="off",
            timeout_keep_alive=30,
            # A slow answer (latency, a stall) must not hold stop() up.
            timeout_graceful_shutdown=1,
        )
        error_log = logging.getLogger("uvicorn.error")
        if _FILTER not in error_log.filters:
            error_log.addFilter(_FILTER)
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run,
            kwargs={"sockets": [sock]},
            name="arize-orgs-sandbox",
            daemon=True,
        )
        self._thread.start()
        while not self._server.started:
            if not self._thread.is_alive():
                raise RuntimeError("the sandbox server failed to start")
            threading.Event().wait(0.01)
        return self

    def serve_forever(self) -> None:
        """Run in the foreground until interrupted (the CLI's `sandbox` command)."""
        self.start()
        assert self._thread is not None
        try:
            while self._thread.is_alive():
                self._thread.join(0.5)
        finally:
            self.stop()

    def stop(self) -> None:
        if self._server is not None and self._thread is not None:
            self._server.should_exit = True
            self._thread.join(10)
        self._server = self._thread = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def __repr__(self) -> str:
        return f"Sandbox(base_url={self.base_url!r})"

    # ---- what tests read ----

    @property
    def base_url(self) -> str:
        host = f"[{self._host}]" if ":" in self._host else self._host
        return f"http://{host}:{self._port}"

    @property
    def request_log(self) -> list[tuple[str, str, int]]:
        return self.knobs.request_log

    def role_of(self, org_id: str, user_id: str) -> Role | None:
        """The user's role in the organization, or None when not a member."""
        return self.world.role_of(org_id, user_id)

    @property
    def writes(self) -> list[tuple[str, str, Role]]:
        """(org id, user id, role) of every successful write, in order."""
        return [(r.organization_id, r.user_id, r.role) for r in self.world.writes]

    @property
    def removals(self) -> list[tuple[str, str]]:
        """(org id, user id) of every removal, in order."""
        return list(self.world.removals)

    @property
    def invitations(self) -> list[tuple[str, str]]:
        """(email, invite mode) of every invitation that created a user, in order."""
        return list(self.world.invitations)

    def user(self, user_id: str) -> tuple[str, AccountRole, str]:
        """(email, account role, status) of an account user."""
        user = self.world.users[user_id]
        return user.email, user.account_role, user.status

    def user_id_of(self, email: str) -> str | None:
        """The id of the user with exactly this email (ignoring ASCII case), or None."""
        key = email_key(email)
        found = [u.id for u in self.world.find_users(email) if email_key(u.email) == key]
        return found[0] if found else None

    def memberships(self, org_id: str) -> dict[str, Role]:
        """user id -> role, for every member of the organization."""
        return {
            user: record.role
            for (org, user), record in list(self.world.memberships.items())
            if org == org_id
        }

    def space_role_of(self, space_id: str, user_id: str) -> Role | None:
        """The user's role in the space, or None when not a member."""
        return self.world.space_role_of(space_id, user_id)

    def space_members(self, space_id: str) -> dict[str, Role]:
        """user id -> role, for every member of the space."""
        return {
            user: record.role
            for (space, user), record in list(self.world.space_memberships.items())
            if space == space_id
        }

    @property
    def history(self) -> list[Write]:
        """Every write request answered (organization and space adds and
        removals, invitations), in the order answered, refusals included:
        frozen `Write(endpoint, organization_id, space_id, user_id, status,
        at)` records, `at` on the sandbox's `clock`. Injected faults never
        reach the API and are in `request_log` only."""
        return self._history.writes()

    def write_history(self, path: Path | str) -> int:
        """The history as JSON lines, one write a line, to `path`; the
        number of lines (the CLI's `sandbox --history FILE`)."""
        return self._history.dump(Path(path))

    # ---- what tests set ----

    def add_organization(self, name: str, *, description: str | None = None) -> str:
        return self.world.add_organization(name, description)

    def add_space(
        self,
        org_id: str,
        name: str,
        *,
        description: str | None = None,
        is_private: bool = False,
    ) -> str:
        """A space of the organization (ValueError for one this sandbox does
        not have); its id. A private space is seen by its members and the
        organization's admins only."""
        return self.world.add_space(org_id, name, description, is_private)

    def add_user(
        self,
        email: str,
        account_role: AccountRole | str = "member",
        *,
        name: str | None = None,
        status: str = "active",
    ) -> str:
        """An account user; its id. `status` is "active", "invited" (an
        invitation not yet accepted: inviting the email again answers 200) or
        "expired"."""
        return self.world.add_user(email, AccountRole.parse(account_role), name, status)

    def add_custom_role(
        self, name: str, *, description: str | None = None, permissions: Sequence[str] = ()
    ) -> str:
        """A custom RBAC role that organization and space members can be
        given (and `GET /v2/roles` lists); its id."""
        return self.world.add_custom_role(name, description, permissions)

    def fail_next(
        self,
        status: int = 503,
        *,
        times: int = 1,
        retry_after: float | None = None,
        kind: str = "status",
        seconds: float = 5.0,
    ) -> None:
        """Make the next `times` requests fail (queued after any faults already
        waiting). By default they are answered with `status` (and Retry-After,
        if given); `kind` picks another failure: "html" (an HTML page with
        `status`), "reset" (the connection dropped before an answer), "stall"
        (no answer for `seconds`, then dropped), "truncated" (carried out, the
        answer cut short), "not_membership" (200, a body that is no
        membership, nothing written), "close" (carried out and answered, then
        the keep-alive connection closed)."""
        if kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {kind!r}; one of {', '.join(FAULT_KINDS)}")
        for _ in range(times):
            self.knobs.faults.append(Fault(status, retry_after, kind, seconds))

    def fail_every(
        self, every: int | None, status: int = 503, *, retry_after: float | None = None
    ) -> None:
        """Answer every `every`-th request (counted from now) with `status`
        (and Retry-After, if given), after any fail_next faults: failures that
        a test can count on, unlike `fail_rate`. Rules add up; `None` removes
        them all."""
        if every is not None and (
            isinstance(every, bool) or not isinstance(every, int) or every < 1
        ):
            raise ValueError(f"every must be a whole number >= 1, not {every!r}")
        self.knobs.fail_every(every, Fault(status, retry_after))

    @property
    def latency(self) -> float:
        return self.knobs.latency

    @latency.setter
    def latency(self, seconds: float) -> None:
        self.knobs.latency = seconds

    @property
    def fail_rate(self) -> float:
        """The chance (0 to 1) that any request is answered 503."""
        return self.knobs.fail_rate

    @fail_rate.setter
    def fail_rate(self, chance: float) -> None:
        self.knobs.fail_rate = chance

    def add_api_key(self, key: str | None = None, *, admin: bool = True) -> str:
        """Register an API key (a given one, or a new one): of an account admin
        who administers every organization, or with `admin=False` of a member
        who administers none. Returns the key."""
        user = (
            self.admin_user_id
            if admin
            else self.world.add_user(f"key{len(self.world.keys)}@sandbox.test", AccountRole.MEMBER)
        )
        return self.world.add_key(user, account_admin=admin, admin_of=set(), key=key)

    def set_rate_limit(
        self, requests: int | None, per: float = 60.0, *, retry_after: bool = True
    ) -> None:
        """Limit every key's user to `requests` per `per` seconds on each
        endpoint, as Arize does (100 a minute): windows are fixed, each
        endpoint (method and path template) has its own budget, all of a
        user's keys share it. Beyond it, 429 with `Retry-After` (whole seconds
        to the window's end) unless `retry_after=False`. `None` removes the
        limit. Counting starts afresh."""
        self.knobs.set_rate_limit(
            None if requests is None else RateLimit(requests, per, retry_after)
        )

    @property
    def rate_limit(self) -> RateLimit | None:
        """The limit set by `set_rate_limit`, or None."""
        return self.knobs.rate_limit

    @property
    def clock(self) -> Callable[[], float]:
        """Seconds, as the rate limit's windows are counted (default
        `time.monotonic`); tests set a fake one to cross windows at will."""
        return self.knobs.clock

    @clock.setter
    def clock(self, clock: Callable[[], float]) -> None:
        self.knobs.clock = clock

    @property
    def custom_roles(self) -> bool:
        """False: custom organization roles are answered 422, as Arize's
        docs say the API does today."""
        return self.knobs.custom_roles

    @custom_roles.setter
    def custom_roles(self, accepted: bool) -> None:
        self.knobs.custom_roles = accepted
