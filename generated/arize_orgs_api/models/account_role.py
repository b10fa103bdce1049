from enum import StrEnum


class AccountRole(StrEnum):
    ADMIN = "admin"
    ANNOTATOR = "annotator"
    MEMBER = "member"

    def __str__(self) -> str:
        return str(self.value)
