from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.user_status import UserStatus
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.account_custom_role_assignment import AccountCustomRoleAssignment
    from ..models.account_predefined_role_assignment import AccountPredefinedRoleAssignment


T = TypeVar("T", bound="InvitedUser")


@_attrs_define
class InvitedUser:
    """An account user, as an invitation answers it; with a temporary
    password only in a 201 answer to `TEMPORARY_PASSWORD`.

        Attributes:
            id (str): The global id of the user. Example: VXNlcjoxMjM0NQ==.
            email (str): The user's email address. Example: jane@example.com.
            role (AccountCustomRoleAssignment | AccountPredefinedRoleAssignment): The role a user holds in the account,
                above its organizations, told
                apart by `type` like an organization role.
            name (str | Unset): The user's display name.
            created_at (datetime.datetime | Unset): When the user was created.
            status (UserStatus | Unset): Whether the user has accepted their invitation.
            is_developer (bool | Unset): Whether the user has developer access.
            temporary_password (str | Unset): The new user's temporary password, answered once. A secret:
                never log, report or store it.
    """

    id: str
    email: str
    role: AccountCustomRoleAssignment | AccountPredefinedRoleAssignment
    name: str | Unset = UNSET
    created_at: datetime.datetime | Unset = UNSET
    status: UserStatus | Unset = UNSET
    is_developer: bool | Unset = UNSET
    temporary_password: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.account_predefined_role_assignment import AccountPredefinedRoleAssignment

        id = self.id

        email = self.email

        role: dict[str, Any]
        if isinstance(self.role, AccountPredefinedRoleAssignment):
            role = self.role.to_dict()
        else:
            role = self.role.to_dict()

        name = self.name

        created_at: str | Unset = UNSET
        if not isinstance(self.created_at, Unset):
            created_at = self.created_at.isoformat()

        status: str | Unset = UNSET
        if not isinstance(self.status, Unset):
            status = self.status.value

        is_developer = self.is_developer

        temporary_password = self.temporary_password

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "email": email,
                "role": role,
            }
        )
        if name is not UNSET:
            field_dict["name"] = name
        if created_at is not UNSET:
            field_dict["created_at"] = created_at
        if status is not UNSET:
            field_dict["status"] = status
        if is_developer is not UNSET:
            field_dict["is_developer"] = is_developer
        if temporary_password is not UNSET:
            field_dict["temporary_password"] = temporary_password

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.account_custom_role_assignment import AccountCustomRoleAssignment
        from ..models.account_predefined_role_assignment import AccountPredefinedRoleAssignment

        d = dict(src_dict)
        id = d.pop("id")

        email = d.pop("email")

        def _parse_role(
            data: object,
        ) -> AccountCustomRoleAssignment | AccountPredefinedRoleAssignment:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_account_role_assignment_type_0 = (
                    AccountPredefinedRoleAssignment.from_dict(data)
                )

                return componentsschemas_account_role_assignment_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            componentsschemas_account_role_assignment_type_1 = (
                AccountCustomRoleAssignment.from_dict(data)
            )

            return componentsschemas_account_role_assignment_type_1

        role = _parse_role(d.pop("role"))

        name = d.pop("name", UNSET)

        _created_at = d.pop("created_at", UNSET)
        created_at: datetime.datetime | Unset
        if isinstance(_created_at, Unset):
            created_at = UNSET
        else:
            created_at = datetime.datetime.fromisoformat(_created_at)

        _status = d.pop("status", UNSET)
        status: UserStatus | Unset
        if isinstance(_status, Unset):
            status = UNSET
        else:
            status = UserStatus(_status)

        is_developer = d.pop("is_developer", UNSET)

        temporary_password = d.pop("temporary_password", UNSET)

        invited_user = cls(
            id=id,
            email=email,
            role=role,
            name=name,
            created_at=created_at,
            status=status,
            is_developer=is_developer,
            temporary_password=temporary_password,
        )

        invited_user.additional_properties = d
        return invited_user

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
