from enum import StrEnum


class SpacePredefinedRoleAssignmentType(StrEnum):
    PREDEFINED = "PREDEFINED"

    def __str__(self) -> str:
        return str(self.value)
