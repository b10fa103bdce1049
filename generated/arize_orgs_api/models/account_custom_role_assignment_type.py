from enum import StrEnum


class AccountCustomRoleAssignmentType(StrEnum):
    CUSTOM = "custom"

    def __str__(self) -> str:
        return str(self.value)
