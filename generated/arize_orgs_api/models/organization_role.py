from enum import StrEnum


class OrganizationRole(StrEnum):
    ADMIN = "admin"
    ANNOTATOR = "annotator"
    MEMBER = "member"
    READ_ONLY = "read-only"

    def __str__(self) -> str:
        return str(self.value)
