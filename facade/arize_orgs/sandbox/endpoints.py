"""What each endpoint does: admit the caller (key, rate budget), read the
request, ask the `World`, answer in the served spelling.

Every endpoint is counted by the rate limit under its own name (`_wire`'s
constants: method and path template, as Arize counts them), so each has a
budget of its own. Every write is entered in the history as it is
answered, refusals included.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from starlette.datastructures import QueryParams
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from .. import _wire
from .._wire import (
    ADD_SPACE_USER,
    ADD_USER,
    GET_ORGANIZATION,
    GET_SPACE,
    GET_USER,
    INVITE_USER,
    LIST_ORGANIZATIONS,
    LIST_ROLES,
    LIST_SPACES,
    LIST_USERS,
    REMOVE_SPACE_USER,
    REMOVE_USER,
)
from . import paging
from .answers import json_answer, problem_answer
from .bodies import Bodies, user_id_in
from .history import History, Write
from .knobs import Knobs
from .state import Caller, Problem, World

__all__ = ["Endpoints"]

T = TypeVar("T", bound=Any)


class Endpoints:
    def __init__(self, world: World, bodies: Bodies, knobs: Knobs, history: History) -> None:
        self.world, self.bodies, self.knobs, self.history = world, bodies, knobs, history

    def routes(self) -> list[Route]:
        """The routes, a path's longer forms first. `:path`: an id is base64,
        which may hold '/', sent as %2F; the router sees the decoded path, so
        an id segment may span slashes."""
        return [
            Route("/v2/organizations", self.list_organizations, methods=["GET"]),
            Route("/v2/organizations/{org_id:path}/users", self.add_user, methods=["POST"]),
            Route(
                "/v2/organizations/{org_id:path}/users/{user_id:path}",
                self.remove_user,
                methods=["DELETE"],
            ),
            Route("/v2/organizations/{org_id:path}", self.get_organization, methods=["GET"]),
            Route("/v2/spaces", self.list_spaces, methods=["GET"]),
            Route("/v2/spaces/{space_id:path}/users", self.add_space_user, methods=["POST"]),
            Route(
                "/v2/spaces/{space_id:path}/users/{user_id:path}",
                self.remove_space_user,
                methods=["DELETE"],
            ),
            Route("/v2/spaces/{space_id:path}", self.get_space, methods=["GET"]),
            Route("/v2/roles", self.list_roles, methods=["GET"]),
            Route("/v2/users/{user_id:path}", self.get_user, methods=["GET"]),
            Route("/v2/users", self.list_users, methods=["GET"]),
            Route("/v2/users", self.invite_user, methods=["POST"]),
        ]

    # ---- what every endpoint does ----

    def _admit(self, request: Request, endpoint: str) -> Caller:
        """The caller, once authenticated and within the rate limit of this
        endpoint (counted per user and per endpoint)."""
        caller = self.world.caller(request.headers.get("authorization"))
        over = self.knobs.over_rate(caller.user_id, endpoint)
        if over is not None:
            limit, wait = over
            headers = {"Retry-After": str(max(1, math.ceil(wait)))} if limit.retry_after else {}
            raise Problem(
                429,
                "Too Many Requests",
                f"more than {limit.requests} requests in {limit.per:g} s to {endpoint}",
                headers,
            )
        return caller

    def _answer(
        self, request: Request, endpoint: str, act: Callable[[Caller], Response]
    ) -> Response:
        """`act`'s answer for the admitted caller, or the problem that stopped it."""
        try:
            return act(self._admit(request, endpoint))
        except Problem as p:
            return problem_answer(p, request)

    def _wrote(
        self,
        endpoint: str,
        answer: Response,
        *,
        org: str | None = None,
        space: str | None = None,
        user: str | None = None,
    ) -> Response:
        """`answer`, once entered in the history."""
        self.history.add(Write(endpoint, org, space, user, answer.status_code, self.knobs.clock()))
        return answer

    async def _listing(
        self,
        request: Request,
        endpoint: str,
        key: str,
        find: Callable[[Caller, QueryParams], Sequence[T]],
        shown: Callable[[T], dict[str, Any]],
    ) -> Response:
        """One page of a listing: `find` filters, paging pages."""
        try:
            caller = self._admit(request, endpoint)
            params = request.query_params
            limit = paging.limit_of(params.get("limit"))
            items, cursor = paging.page(find(caller, params), limit, params.get("cursor"))
        except Problem as p:
            return problem_answer(p, request)
        return json_answer(_wire.page_json(key, [shown(item) for item in items], cursor))

    # ---- organizations ----

    async def list_organizations(self, request: Request) -> Response:
        return await self._listing(
            request,
            LIST_ORGANIZATIONS,
            "organizations",
            lambda caller, params: self.world.organizations(caller, params.get("name")),
            _wire.organization_json,
        )

    async def get_organization(self, request: Request) -> Response:
        org_id = request.path_params["org_id"]
        return self._answer(
            request,
            GET_ORGANIZATION,
            lambda caller: json_answer(
                _wire.organization_json(self.world.organization(caller, org_id))
            ),
        )

    async def add_user(self, request: Request) -> Response:
        org_id, raw = request.path_params["org_id"], await request.body()

        def add(caller: Caller) -> Response:
            user_id, role = self.bodies.add_request(raw, custom_roles=self.knobs.custom_roles)
            record = self.world.add_member(caller, org_id, user_id, role)
            return json_answer(self.bodies.membership(record))

        answer = self._answer(request, ADD_USER, add)
        return self._wrote(ADD_USER, answer, org=org_id, user=user_id_in(raw))

    async def remove_user(self, request: Request) -> Response:
        org_id, user_id = request.path_params["org_id"], request.path_params["user_id"]

        def remove(caller: Caller) -> Response:
            self.world.remove_member(caller, org_id, user_id)
            return Response(status_code=204)

        answer = self._answer(request, REMOVE_USER, remove)
        return self._wrote(REMOVE_USER, answer, org=org_id, user=user_id)

    # ---- spaces ----

    def _spaces(self, caller: Caller, params: QueryParams) -> Sequence[Any]:
        org_id = params.get("org_id")
        if org_id == "":
            raise Problem(422, "Unprocessable Entity", "org_id: must not be empty")
        return self.world.spaces_of(caller, org_id, params.get("name"))

    async def list_spaces(self, request: Request) -> Response:
        return await self._listing(request, LIST_SPACES, "spaces", self._spaces, _wire.space_json)

    async def get_space(self, request: Request) -> Response:
        space_id = request.path_params["space_id"]
        return self._answer(
            request,
            GET_SPACE,
            lambda caller: json_answer(_wire.space_json(self.world.space(caller, space_id))),
        )

    async def add_space_user(self, request: Request) -> Response:
        space_id, raw = request.path_params["space_id"], await request.body()

        def add(caller: Caller) -> Response:
            user_id, role = self.bodies.space_add_request(raw)
            record = self.world.add_space_member(caller, space_id, user_id, role)
            return json_answer(self.bodies.space_membership(record))

        answer = self._answer(request, ADD_SPACE_USER, add)
        return self._wrote(ADD_SPACE_USER, answer, space=space_id, user=user_id_in(raw))

    async def remove_space_user(self, request: Request) -> Response:
        space_id, user_id = request.path_params["space_id"], request.path_params["user_id"]

        def remove(caller: Caller) -> Response:
            self.world.remove_space_member(caller, space_id, user_id)
            return Response(status_code=204)

        answer = self._answer(request, REMOVE_SPACE_USER, remove)
        return self._wrote(REMOVE_SPACE_USER, answer, space=space_id, user=user_id)

    # ---- roles ----

    async def list_roles(self, request: Request) -> Response:
        return await self._listing(
            request,
            LIST_ROLES,
            "roles",
            lambda caller, params: self.world.roles(
                caller, paging.flag(params.get("is_predefined"), "is_predefined")
            ),
            _wire.role_definition_json,
        )

    # ---- users ----

    def _users(self, caller: Caller, params: QueryParams) -> Sequence[Any]:
        email = params.get("email")
        if email is not None and len(email) > 255:
            raise Problem(422, "Unprocessable Entity", "email: longer than 255 characters")
        return self.world.find_users(email)

    async def list_users(self, request: Request) -> Response:
        return await self._listing(request, LIST_USERS, "users", self._users, self.bodies.user)

    async def get_user(self, request: Request) -> Response:
        user_id = request.path_params["user_id"]
        return self._answer(
            request, GET_USER, lambda _: json_answer(self.bodies.user(self.world.user(user_id)))
        )

    async def invite_user(self, request: Request) -> Response:
        answer: Response
        user_id = None
        try:
            caller = self._admit(request, INVITE_USER)
            email, name, account_role, mode = self.bodies.invite_request(await request.body())
            user, created, password = self.world.invite(caller, email, name, account_role, mode)
        except Problem as p:
            answer = problem_answer(p, request)
        else:
            user_id = user.id
            answer = json_answer(self.bodies.user(user, password), 201 if created else 200)
        return self._wrote(INVITE_USER, answer, user=user_id)
