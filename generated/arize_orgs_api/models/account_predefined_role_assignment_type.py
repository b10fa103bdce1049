from enum import StrEnum


class AccountPredefinedRoleAssignmentType(StrEnum):
    PREDEFINED = "PREDEFINED"

    def __str__(self) -> str:
        return str(self.value)
