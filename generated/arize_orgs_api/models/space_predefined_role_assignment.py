from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.space_predefined_role_assignment_type import SpacePredefinedRoleAssignmentType
from ..models.space_role import SpaceRole

T = TypeVar("T", bound="SpacePredefinedRoleAssignment")


@_attrs_define
class SpacePredefinedRoleAssignment:
    """One of the built-in space roles.

    Attributes:
        type_ (SpacePredefinedRoleAssignmentType):
        name (SpaceRole): A built-in space role.
    """

    type_: SpacePredefinedRoleAssignmentType
    name: SpaceRole
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
        type_ = SpacePredefinedRoleAssignmentType(d.pop("type"))

        name = SpaceRole(d.pop("name"))

        space_predefined_role_assignment = cls(
            type_=type_,
            name=name,
        )

        space_predefined_role_assignment.additional_properties = d
        return space_predefined_role_assignment

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
