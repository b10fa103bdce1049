from enum import StrEnum


class InviteMode(StrEnum):
    EMAIL_LINK = "EMAIL_LINK"
    NONE = "NONE"
    TEMPORARY_PASSWORD = "TEMPORARY_PASSWORD"

    def __str__(self) -> str:
        return str(self.value)
