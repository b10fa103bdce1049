from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.add_organization_user_request import AddOrganizationUserRequest
from ...models.organization_membership import OrganizationMembership
from ...models.problem import Problem
from ...types import Response


def _get_kwargs(
    org_id: str,
    *,
    body: AddOrganizationUserRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v2/organizations/{org_id}/users".format(
            org_id=quote(str(org_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> OrganizationMembership | Problem | None:
    if response.status_code == 200:
        response_200 = OrganizationMembership.from_dict(response.json())

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
) -> Response[OrganizationMembership | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    org_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: AddOrganizationUserRequest,
) -> Response[OrganizationMembership | Problem]:
    """Add a user to an organization

     Adds one existing account user to an organization with the given role.

    The call is an upsert: when the user already belongs to the
    organization, their role is replaced by the one sent and the same
    membership record is returned. Sending the same request twice is
    therefore harmless, which is what makes retries safe.

    The caller must be an administrator of the organization.

    A user's account role limits the organization roles they may hold:
    a user whose account role is `ANNOTATOR` may only be given the
    `ANNOTATOR` organization role (no other predefined role and no custom
    role), and a user whose account role is `ADMIN` or `MEMBER` may be
    given any role except `ANNOTATOR`. A request that breaks this rule is
    answered with 400.

    Args:
        org_id (str):
        body (AddOrganizationUserRequest): The user to add to the organization and the role to
            give them.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[OrganizationMembership | Problem]
    """

    kwargs = _get_kwargs(
        org_id=org_id,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    org_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: AddOrganizationUserRequest,
) -> OrganizationMembership | Problem | None:
    """Add a user to an organization

     Adds one existing account user to an organization with the given role.

    The call is an upsert: when the user already belongs to the
    organization, their role is replaced by the one sent and the same
    membership record is returned. Sending the same request twice is
    therefore harmless, which is what makes retries safe.

    The caller must be an administrator of the organization.

    A user's account role limits the organization roles they may hold:
    a user whose account role is `ANNOTATOR` may only be given the
    `ANNOTATOR` organization role (no other predefined role and no custom
    role), and a user whose account role is `ADMIN` or `MEMBER` may be
    given any role except `ANNOTATOR`. A request that breaks this rule is
    answered with 400.

    Args:
        org_id (str):
        body (AddOrganizationUserRequest): The user to add to the organization and the role to
            give them.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        OrganizationMembership | Problem
    """

    return sync_detailed(
        org_id=org_id,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    org_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: AddOrganizationUserRequest,
) -> Response[OrganizationMembership | Problem]:
    """Add a user to an organization

     Adds one existing account user to an organization with the given role.

    The call is an upsert: when the user already belongs to the
    organization, their role is replaced by the one sent and the same
    membership record is returned. Sending the same request twice is
    therefore harmless, which is what makes retries safe.

    The caller must be an administrator of the organization.

    A user's account role limits the organization roles they may hold:
    a user whose account role is `ANNOTATOR` may only be given the
    `ANNOTATOR` organization role (no other predefined role and no custom
    role), and a user whose account role is `ADMIN` or `MEMBER` may be
    given any role except `ANNOTATOR`. A request that breaks this rule is
    answered with 400.

    Args:
        org_id (str):
        body (AddOrganizationUserRequest): The user to add to the organization and the role to
            give them.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[OrganizationMembership | Problem]
    """

    kwargs = _get_kwargs(
        org_id=org_id,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    org_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: AddOrganizationUserRequest,
) -> OrganizationMembership | Problem | None:
    """Add a user to an organization

     Adds one existing account user to an organization with the given role.

    The call is an upsert: when the user already belongs to the
    organization, their role is replaced by the one sent and the same
    membership record is returned. Sending the same request twice is
    therefore harmless, which is what makes retries safe.

    The caller must be an administrator of the organization.

    A user's account role limits the organization roles they may hold:
    a user whose account role is `ANNOTATOR` may only be given the
    `ANNOTATOR` organization role (no other predefined role and no custom
    role), and a user whose account role is `ADMIN` or `MEMBER` may be
    given any role except `ANNOTATOR`. A request that breaks this rule is
    answered with 400.

    Args:
        org_id (str):
        body (AddOrganizationUserRequest): The user to add to the organization and the role to
            give them.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        OrganizationMembership | Problem
    """

    return (
        await asyncio_detailed(
            org_id=org_id,
            client=client,
            body=body,
        )
    ).parsed
