"""The account's RBAC roles as `GET /v2/roles` lists them: the four
predefined roles, which every account has, then the custom roles a test
adds (`Sandbox.add_custom_role`).

The predefined roles' names are display names ("Read Only"): a client
reads the role to give from the name (`RoleDefinition.role`), whatever the
spelling. Their permissions are a plausible few of Arize's, enough to tell
the roles apart; no rule of the sandbox reads them.
"""

from __future__ import annotations

import base64
from datetime import datetime
from typing import Final

from ..records import RoleDefinition

__all__ = ["predefined_roles"]

_READ: Final = ("SPACE_READ", "PROJECT_READ", "DATASET_READ")
_ANNOTATE: Final = ("SPACE_READ", "ANNOTATION_CREATE", "ANNOTATION_READ")
_WRITE: Final = (*_READ, "PROJECT_CREATE", "DATASET_CREATE", "ANNOTATION_CREATE")
_ADMIN: Final = (
    *_WRITE,
    "USER_READ",
    "ROLE_READ",
    "ROLE_BINDING_CREATE",
    "ROLE_BINDING_DELETE",
    "SPACE_UPDATE",
)
# (name, description, permissions), in the order the listing answers them.
_PREDEFINED: Final = (
    ("Admin", "Full control, including who belongs and with which role.", _ADMIN),
    ("Member", "Creates and changes projects, datasets and annotations.", _WRITE),
    ("Read Only", "Sees everything, changes nothing.", _READ),
    ("Annotator", "Annotates; the only role an annotator account may hold.", _ANNOTATE),
)


def predefined_roles(created_at: datetime) -> list[RoleDefinition]:
    """The predefined roles, with ids of their own kind (`PredefinedRole:n`)
    so that they never collide with the ids the world hands out."""
    return [
        RoleDefinition(
            id=base64.b64encode(f"PredefinedRole:{n}".encode()).decode(),
            name=name,
            is_predefined=True,
            description=description,
            permissions=permissions,
            created_at=created_at,
            updated_at=created_at,
        )
        for n, (name, description, permissions) in enumerate(_PREDEFINED, 1)
    ]
