from enum import StrEnum


class SpaceRole(StrEnum):
    ADMIN = "ADMIN"
    ANNOTATOR = "ANNOTATOR"
    MEMBER = "MEMBER"
    READ_ONLY = "READ_ONLY"

    def __str__(self) -> str:
        return str(self.value)
