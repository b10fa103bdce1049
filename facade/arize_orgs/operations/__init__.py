"""Every operation of the API, each written once, with no I/O: a flow (see
`_flow`) that a sync or an async driver runs. The clients expose them by
resource (`resources.py`); the bulk engine drives the same flows through
its paced send."""

from . import names, organizations, roles, spaces, users
from .context import Context

__all__ = ["Context", "names", "organizations", "roles", "spaces", "users"]
