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


T = TypeVar("T", bound="OrganizationMembership")


@_attrs_define
class OrganizationMembership:
    """A user's membership of an organization.

    Attributes:
        id (str): The global id of the membership record. Example: QWNjb3VudE9yZ2FuaXphdGlvbk1lbWJlcjox.
        user_id (str): The global id of the user. Example: VXNlcjoxMjM0NQ==.
        organization_id (str): The global id of the organization. Example: QWNjb3VudE9yZ2FuaXphdGlvbjox.
        role (OrganizationCustomRoleAssignment | OrganizationPredefinedRoleAssignment): The role a user holds in an
            organization, told apart by `type`:
            `PREDEFINED` names one of the built-in roles, `CUSTOM` gives the id of
            a custom RBAC role. Arize's official SDK does not support custom
            organization roles yet and the API may answer 422 for them.
    """

    id: str
    user_id: str
    organization_id: str
    role: OrganizationCustomRoleAssignment | OrganizationPredefinedRoleAssignment
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.organization_predefined_role_assignment import (
            OrganizationPredefinedRoleAssignment,
        )

        id = self.id

        user_id = self.user_id

        organization_id = self.organization_id

        role: dict[str, Any]
        if isinstance(self.role, OrganizationPredefinedRoleAssignment):
            role = self.role.to_dict()
        else:
            role = self.role.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "user_id": user_id,
                "organization_id": organization_id,
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
        id = d.pop("id")

        user_id = d.pop("user_id")

        organization_id = d.pop("organization_id")

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

        organization_membership = cls(
            id=id,
            user_id=user_id,
            organization_id=organization_id,
            role=role,
        )

        organization_membership.additional_properties = d
        return organization_membership

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
