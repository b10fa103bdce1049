from enum import StrEnum


class UserStatus(StrEnum):
    ACTIVE = "ACTIVE"
    EXPIRED = "EXPIRED"
    INVITED = "INVITED"

    def __str__(self) -> str:
        return str(self.value)
