from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.invite_mode import InviteMode
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.account_custom_role_assignment import AccountCustomRoleAssignment
    from ..models.account_predefined_role_assignment import AccountPredefinedRoleAssignment


T = TypeVar("T", bound="CreateUserRequest")


@_attrs_define
class CreateUserRequest:
    """An invitation to the account.

    Attributes:
        email (str): The person's email address; the key of the invitation. Example: jane@example.com.
        role (AccountCustomRoleAssignment | AccountPredefinedRoleAssignment): The role a user holds in the account,
            above its organizations, told
            apart by `type` like an organization role.
        invite_mode (InviteMode): How an invited person gets in: `EMAIL_LINK` emails a link, `NONE`
            sends nothing, `TEMPORARY_PASSWORD` answers a temporary password.
        name (str | Unset): The person's display name; the server picks one when absent.
    """

    email: str
    role: AccountCustomRoleAssignment | AccountPredefinedRoleAssignment
    invite_mode: InviteMode
    name: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.account_predefined_role_assignment import AccountPredefinedRoleAssignment

        email = self.email

        role: dict[str, Any]
        if isinstance(self.role, AccountPredefinedRoleAssignment):
            role = self.role.to_dict()
        else:
            role = self.role.to_dict()

        invite_mode = self.invite_mode.value

        name = self.name

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "email": email,
                "role": role,
                "invite_mode": invite_mode,
            }
        )
        if name is not UNSET:
            field_dict["name"] = name

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.account_custom_role_assignment import AccountCustomRoleAssignment
        from ..models.account_predefined_role_assignment import AccountPredefinedRoleAssignment

        d = dict(src_dict)
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

        invite_mode = InviteMode(d.pop("invite_mode"))

        name = d.pop("name", UNSET)

        create_user_request = cls(
            email=email,
            role=role,
            invite_mode=invite_mode,
            name=name,
        )

        create_user_request.additional_properties = d
        return create_user_request

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
