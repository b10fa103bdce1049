from enum import StrEnum


class OrganizationPredefinedRoleAssignmentType(StrEnum):
    PREDEFINED = "PREDEFINED"

    def __str__(self) -> str:
        return str(self.value)
