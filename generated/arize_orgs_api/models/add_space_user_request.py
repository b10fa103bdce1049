from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.space_custom_role_assignment import SpaceCustomRoleAssignment
    from ..models.space_predefined_role_assignment import SpacePredefinedRoleAssignment


T = TypeVar("T", bound="AddSpaceUserRequest")


@_attrs_define
class AddSpaceUserRequest:
    """The user to add to the space and the role to give them.

    Attributes:
        user_id (str): The global id of an account user who is a member of the space's organization. Example:
            VXNlcjoxMjM0NQ==.
        role (SpaceCustomRoleAssignment | SpacePredefinedRoleAssignment): The role a user holds in a space, told apart
            by `type`, in the same
            shape as an organization role: `PREDEFINED` names a built-in role,
            `CUSTOM` gives the id of a custom RBAC role.
    """

    user_id: str
    role: SpaceCustomRoleAssignment | SpacePredefinedRoleAssignment
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.space_predefined_role_assignment import SpacePredefinedRoleAssignment

        user_id = self.user_id

        role: dict[str, Any]
        if isinstance(self.role, SpacePredefinedRoleAssignment):
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
        from ..models.space_custom_role_assignment import SpaceCustomRoleAssignment
        from ..models.space_predefined_role_assignment import SpacePredefinedRoleAssignment

        d = dict(src_dict)
        user_id = d.pop("user_id")

        def _parse_role(data: object) -> SpaceCustomRoleAssignment | SpacePredefinedRoleAssignment:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_space_role_assignment_type_0 = (
                    SpacePredefinedRoleAssignment.from_dict(data)
                )

                return componentsschemas_space_role_assignment_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            componentsschemas_space_role_assignment_type_1 = SpaceCustomRoleAssignment.from_dict(
                data
            )

            return componentsschemas_space_role_assignment_type_1

        role = _parse_role(d.pop("role"))

        add_space_user_request = cls(
            user_id=user_id,
            role=role,
        )

        add_space_user_request.additional_properties = d
        return add_space_user_request

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
