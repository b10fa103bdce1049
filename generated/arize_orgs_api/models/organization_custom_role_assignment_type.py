from enum import StrEnum


class OrganizationCustomRoleAssignmentType(StrEnum):
    CUSTOM = "CUSTOM"

    def __str__(self) -> str:
        return str(self.value)
