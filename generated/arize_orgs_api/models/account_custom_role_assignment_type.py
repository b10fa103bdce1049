from enum import StrEnum


class AccountCustomRoleAssignmentType(StrEnum):
    CUSTOM = "CUSTOM"

    def __str__(self) -> str:
        return str(self.value)
