from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.create_user_request import CreateUserRequest
from ...models.invited_user import InvitedUser
from ...models.problem import Problem
from ...types import Response


def _get_kwargs(
    *,
    body: CreateUserRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v2/users",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> InvitedUser | Problem | None:
    if response.status_code == 200:
        response_200 = InvitedUser.from_dict(response.json())

        return response_200

    if response.status_code == 201:
        response_201 = InvitedUser.from_dict(response.json())

        return response_201

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())

        return response_403

    if response.status_code == 409:
        response_409 = Problem.from_dict(response.json())

        return response_409

    if response.status_code == 422:
        response_422 = Problem.from_dict(response.json())

        return response_422

    if response.status_code == 429:
        response_429 = Problem.from_dict(response.json())

        return response_429

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[InvitedUser | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: CreateUserRequest,
) -> Response[InvitedUser | Problem]:
    """Invite a user to the account

     Creates an account user as an invitation. The email address is the
    key: a new address makes a new user, answered 201; an address that
    already belongs to an `INVITED` user is answered 200 with that user
    as it is (nothing changes and no second invitation is sent), which
    makes repeating the call safe; an address that belongs to an
    `ACTIVE` (or deleted) user is answered 409: add that user instead.

    `invite_mode` says how the person gets in: `EMAIL_LINK` emails them
    a link, `NONE` sends nothing (single sign-on, say), and
    `TEMPORARY_PASSWORD` answers a temporary password, once, in the 201
    answer (a secret: never log or store it).

    Needs an account administrator.

    Args:
        body (CreateUserRequest): An invitation to the account.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[InvitedUser | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    body: CreateUserRequest,
) -> InvitedUser | Problem | None:
    """Invite a user to the account

     Creates an account user as an invitation. The email address is the
    key: a new address makes a new user, answered 201; an address that
    already belongs to an `INVITED` user is answered 200 with that user
    as it is (nothing changes and no second invitation is sent), which
    makes repeating the call safe; an address that belongs to an
    `ACTIVE` (or deleted) user is answered 409: add that user instead.

    `invite_mode` says how the person gets in: `EMAIL_LINK` emails them
    a link, `NONE` sends nothing (single sign-on, say), and
    `TEMPORARY_PASSWORD` answers a temporary password, once, in the 201
    answer (a secret: never log or store it).

    Needs an account administrator.

    Args:
        body (CreateUserRequest): An invitation to the account.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        InvitedUser | Problem
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: CreateUserRequest,
) -> Response[InvitedUser | Problem]:
    """Invite a user to the account

     Creates an account user as an invitation. The email address is the
    key: a new address makes a new user, answered 201; an address that
    already belongs to an `INVITED` user is answered 200 with that user
    as it is (nothing changes and no second invitation is sent), which
    makes repeating the call safe; an address that belongs to an
    `ACTIVE` (or deleted) user is answered 409: add that user instead.

    `invite_mode` says how the person gets in: `EMAIL_LINK` emails them
    a link, `NONE` sends nothing (single sign-on, say), and
    `TEMPORARY_PASSWORD` answers a temporary password, once, in the 201
    answer (a secret: never log or store it).

    Needs an account administrator.

    Args:
        body (CreateUserRequest): An invitation to the account.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[InvitedUser | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: CreateUserRequest,
) -> InvitedUser | Problem | None:
    """Invite a user to the account

     Creates an account user as an invitation. The email address is the
    key: a new address makes a new user, answered 201; an address that
    already belongs to an `INVITED` user is answered 200 with that user
    as it is (nothing changes and no second invitation is sent), which
    makes repeating the call safe; an address that belongs to an
    `ACTIVE` (or deleted) user is answered 409: add that user instead.

    `invite_mode` says how the person gets in: `EMAIL_LINK` emails them
    a link, `NONE` sends nothing (single sign-on, say), and
    `TEMPORARY_PASSWORD` answers a temporary password, once, in the 201
    answer (a secret: never log or store it).

    Needs an account administrator.

    Args:
        body (CreateUserRequest): An invitation to the account.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        InvitedUser | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
