from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.space_custom_role_assignment_type import SpaceCustomRoleAssignmentType
from ..types import UNSET, Unset

T = TypeVar("T", bound="SpaceCustomRoleAssignment")


@_attrs_define
class SpaceCustomRoleAssignment:
    """A custom RBAC role, named by its id.

    Attributes:
        type_ (SpaceCustomRoleAssignmentType):
        id (str): The global id of the custom role. Example: Um9sZTo3.
        name (str | Unset): The display name of the custom role; answered, never read.
    """

    type_: SpaceCustomRoleAssignmentType
    id: str
    name: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_.value

        id = self.id

        name = self.name

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "type": type_,
                "id": id,
            }
        )
        if name is not UNSET:
            field_dict["name"] = name

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        type_ = SpaceCustomRoleAssignmentType(d.pop("type"))

        id = d.pop("id")

        name = d.pop("name", UNSET)

        space_custom_role_assignment = cls(
            type_=type_,
            id=id,
            name=name,
        )

        space_custom_role_assignment.additional_properties = d
        return space_custom_role_assignment

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
