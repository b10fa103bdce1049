from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.add_space_user_request import AddSpaceUserRequest
from ...models.problem import Problem
from ...models.space_membership import SpaceMembership
from ...types import Response


def _get_kwargs(
    space_id: str,
    *,
    body: AddSpaceUserRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v2/spaces/{space_id}/users".format(
            space_id=quote(str(space_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | SpaceMembership | None:
    if response.status_code == 200:
        response_200 = SpaceMembership.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = Problem.from_dict(response.json())

        return response_404

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
) -> Response[Problem | SpaceMembership]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    space_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: AddSpaceUserRequest,
) -> Response[Problem | SpaceMembership]:
    """Add a user to a space

     Adds one account user to a space with the given role: an upsert, like
    adding a user to an organization (a member's role is replaced by the
    one sent), so repeating the call is safe.

    The user must already be a member of the space's organization: a user
    who is not is answered 400 (nobody is enrolled in the organization on
    the way). The annotator rule holds as for organizations: a user whose
    account role is `ANNOTATOR` may only be given the `ANNOTATOR` role,
    and any other user never the `ANNOTATOR` role.

    Needs a space administrator for a predefined role, or the
    `ROLE_BINDING_CREATE` permission for a custom one.

    Args:
        space_id (str):
        body (AddSpaceUserRequest): The user to add to the space and the role to give them.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | SpaceMembership]
    """

    kwargs = _get_kwargs(
        space_id=space_id,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    space_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: AddSpaceUserRequest,
) -> Problem | SpaceMembership | None:
    """Add a user to a space

     Adds one account user to a space with the given role: an upsert, like
    adding a user to an organization (a member's role is replaced by the
    one sent), so repeating the call is safe.

    The user must already be a member of the space's organization: a user
    who is not is answered 400 (nobody is enrolled in the organization on
    the way). The annotator rule holds as for organizations: a user whose
    account role is `ANNOTATOR` may only be given the `ANNOTATOR` role,
    and any other user never the `ANNOTATOR` role.

    Needs a space administrator for a predefined role, or the
    `ROLE_BINDING_CREATE` permission for a custom one.

    Args:
        space_id (str):
        body (AddSpaceUserRequest): The user to add to the space and the role to give them.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | SpaceMembership
    """

    return sync_detailed(
        space_id=space_id,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    space_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: AddSpaceUserRequest,
) -> Response[Problem | SpaceMembership]:
    """Add a user to a space

     Adds one account user to a space with the given role: an upsert, like
    adding a user to an organization (a member's role is replaced by the
    one sent), so repeating the call is safe.

    The user must already be a member of the space's organization: a user
    who is not is answered 400 (nobody is enrolled in the organization on
    the way). The annotator rule holds as for organizations: a user whose
    account role is `ANNOTATOR` may only be given the `ANNOTATOR` role,
    and any other user never the `ANNOTATOR` role.

    Needs a space administrator for a predefined role, or the
    `ROLE_BINDING_CREATE` permission for a custom one.

    Args:
        space_id (str):
        body (AddSpaceUserRequest): The user to add to the space and the role to give them.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | SpaceMembership]
    """

    kwargs = _get_kwargs(
        space_id=space_id,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    space_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: AddSpaceUserRequest,
) -> Problem | SpaceMembership | None:
    """Add a user to a space

     Adds one account user to a space with the given role: an upsert, like
    adding a user to an organization (a member's role is replaced by the
    one sent), so repeating the call is safe.

    The user must already be a member of the space's organization: a user
    who is not is answered 400 (nobody is enrolled in the organization on
    the way). The annotator rule holds as for organizations: a user whose
    account role is `ANNOTATOR` may only be given the `ANNOTATOR` role,
    and any other user never the `ANNOTATOR` role.

    Needs a space administrator for a predefined role, or the
    `ROLE_BINDING_CREATE` permission for a custom one.

    Args:
        space_id (str):
        body (AddSpaceUserRequest): The user to add to the space and the role to give them.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | SpaceMembership
    """

    return (
        await asyncio_detailed(
            space_id=space_id,
            client=client,
            body=body,
        )
    ).parsed
