from enum import StrEnum


class AccountPredefinedRoleAssignmentType(StrEnum):
    PREDEFINED = "predefined"

    def __str__(self) -> str:
        return str(self.value)
