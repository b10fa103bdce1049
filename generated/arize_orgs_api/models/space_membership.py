from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.space_custom_role_assignment import SpaceCustomRoleAssignment
    from ..models.space_predefined_role_assignment import SpacePredefinedRoleAssignment


T = TypeVar("T", bound="SpaceMembership")


@_attrs_define
class SpaceMembership:
    """A user's membership of a space.

    Attributes:
        id (str | Unset): The global id of the membership record.
        user_id (str | Unset): The global id of the user.
        space_id (str | Unset): The global id of the space.
        role (SpaceCustomRoleAssignment | SpacePredefinedRoleAssignment | Unset): The role a user holds in a space, told
            apart by `type`, in the same
            shape as an organization role: `PREDEFINED` names a built-in role,
            `CUSTOM` gives the id of a custom RBAC role.
    """

    id: str | Unset = UNSET
    user_id: str | Unset = UNSET
    space_id: str | Unset = UNSET
    role: SpaceCustomRoleAssignment | SpacePredefinedRoleAssignment | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.space_predefined_role_assignment import SpacePredefinedRoleAssignment

        id = self.id

        user_id = self.user_id

        space_id = self.space_id

        role: dict[str, Any] | Unset
        if isinstance(self.role, Unset):
            role = UNSET
        elif isinstance(self.role, SpacePredefinedRoleAssignment):
            role = self.role.to_dict()
        else:
            role = self.role.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if id is not UNSET:
            field_dict["id"] = id
        if user_id is not UNSET:
            field_dict["user_id"] = user_id
        if space_id is not UNSET:
            field_dict["space_id"] = space_id
        if role is not UNSET:
            field_dict["role"] = role

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.space_custom_role_assignment import SpaceCustomRoleAssignment
        from ..models.space_predefined_role_assignment import SpacePredefinedRoleAssignment

        d = dict(src_dict)
        id = d.pop("id", UNSET)

        user_id = d.pop("user_id", UNSET)

        space_id = d.pop("space_id", UNSET)

        def _parse_role(
            data: object,
        ) -> SpaceCustomRoleAssignment | SpacePredefinedRoleAssignment | Unset:
            if isinstance(data, Unset):
                return data
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

        role = _parse_role(d.pop("role", UNSET))

        space_membership = cls(
            id=id,
            user_id=user_id,
            space_id=space_id,
            role=role,
        )

        space_membership.additional_properties = d
        return space_membership

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
