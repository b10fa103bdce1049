from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.account_predefined_role_assignment_type import AccountPredefinedRoleAssignmentType
from ..models.account_role import AccountRole

T = TypeVar("T", bound="AccountPredefinedRoleAssignment")


@_attrs_define
class AccountPredefinedRoleAssignment:
    """One of the built-in account roles.

    Attributes:
        type_ (AccountPredefinedRoleAssignmentType):
        name (AccountRole): A built-in account role. `MEMBER_UI_ONLY` is a member who may use the
            web app but not the API; clients must read account role values they
            do not know without failing.
    """

    type_: AccountPredefinedRoleAssignmentType
    name: AccountRole
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_.value

        name = self.name.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "type": type_,
                "name": name,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        type_ = AccountPredefinedRoleAssignmentType(d.pop("type"))

        name = AccountRole(d.pop("name"))

        account_predefined_role_assignment = cls(
            type_=type_,
            name=name,
        )

        account_predefined_role_assignment.additional_properties = d
        return account_predefined_role_assignment

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
