from enum import StrEnum


class OrganizationCustomRoleAssignmentType(StrEnum):
    CUSTOM = "custom"

    def __str__(self) -> str:
        return str(self.value)
