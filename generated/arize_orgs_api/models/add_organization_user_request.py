from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.organization_custom_role_assignment import OrganizationCustomRoleAssignment
    from ..models.organization_predefined_role_assignment import (
        OrganizationPredefinedRoleAssignment,
    )


T = TypeVar("T", bound="AddOrganizationUserRequest")


@_attrs_define
class AddOrganizationUserRequest:
    """The user to add to the organization and the role to give them.

    Attributes:
        user_id (str): The global id of an existing account user. Example: VXNlcjoxMjM0NQ==.
        role (OrganizationCustomRoleAssignment | OrganizationPredefinedRoleAssignment): The role a user holds in an
            organization, told apart by `type`:
            `PREDEFINED` names one of the built-in roles, `CUSTOM` gives the id of
            a custom RBAC role. Arize's official SDK does not support custom
            organization roles yet and the API may answer 422 for them.
    """

    user_id: str
    role: OrganizationCustomRoleAssignment | OrganizationPredefinedRoleAssignment
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.organization_predefined_role_assignment import (
            OrganizationPredefinedRoleAssignment,
        )

        user_id = self.user_id

        role: dict[str, Any]
        if isinstance(self.role, OrganizationPredefinedRoleAssignment):
            role = self.role.to_dict()
        else:
            role = self.role.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "user_id": user_id,
                "role": role,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.organization_custom_role_assignment import OrganizationCustomRoleAssignment
        from ..models.organization_predefined_role_assignment import (
            OrganizationPredefinedRoleAssignment,
        )

        d = dict(src_dict)
        user_id = d.pop("user_id")

        def _parse_role(
            data: object,
        ) -> OrganizationCustomRoleAssignment | OrganizationPredefinedRoleAssignment:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_organization_role_assignment_type_0 = (
                    OrganizationPredefinedRoleAssignment.from_dict(data)
                )

                return componentsschemas_organization_role_assignment_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            componentsschemas_organization_role_assignment_type_1 = (
                OrganizationCustomRoleAssignment.from_dict(data)
            )

            return componentsschemas_organization_role_assignment_type_1

        role = _parse_role(d.pop("role"))

        add_organization_user_request = cls(
            user_id=user_id,
            role=role,
        )

        add_organization_user_request.additional_properties = d
        return add_organization_user_request

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
