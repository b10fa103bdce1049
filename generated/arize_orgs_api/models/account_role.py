from enum import StrEnum


class AccountRole(StrEnum):
    ADMIN = "ADMIN"
    ANNOTATOR = "ANNOTATOR"
    MEMBER = "MEMBER"
    MEMBER_UI_ONLY = "MEMBER_UI_ONLY"

    def __str__(self) -> str:
        return str(self.value)
