from enum import StrEnum


class OrganizationPredefinedRoleAssignmentType(StrEnum):
    PREDEFINED = "predefined"

    def __str__(self) -> str:
        return str(self.value)
