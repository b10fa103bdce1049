from enum import StrEnum


class SpaceCustomRoleAssignmentType(StrEnum):
    CUSTOM = "CUSTOM"

    def __str__(self) -> str:
        return str(self.value)
