"""The spec a sandbox serves: request validation and its spelling of values.

The sandbox validates requests against the spec it serves (jsonschema) and
builds and parses bodies with the generated models. When it serves a spec
that spells enum values differently from ours (the live upper-case variant),
`Spelling` translates between the two: both spellings name the same
generated enum members (`read-only` and `READ_ONLY` are both `READ_ONLY`).
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Any

import attrs
import yaml
from jsonschema import Draft7Validator

from ..roles import _identifier

# Enums whose values travel in role objects and user records.
_ENUMS = (
    "OrganizationRole",
    "AccountRole",
    "UserStatus",
    "OrganizationPredefinedRoleAssignment.type",
    "OrganizationCustomRoleAssignment.type",
    "AccountPredefinedRoleAssignment.type",
    "AccountCustomRoleAssignment.type",
)


def default_spec_path() -> Path:
    """openapi.yaml: packaged in a wheel, at the repository root in a checkout."""
    packaged = resources.files("arize_orgs").joinpath("openapi.yaml")
    if packaged.is_file():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[3] / "openapi.yaml"


def _enum_values(spec: Mapping[str, Any], where: str) -> list[str]:
    schemas = spec["components"]["schemas"]
    name, _, prop = where.partition(".")
    schema = schemas[name]["properties"][prop] if prop else schemas[name]
    return [str(v) for v in schema["enum"]]


def _inline(node: Any, spec: Mapping[str, Any]) -> Any:
    """The schema with every local $ref replaced by what it names."""
    if isinstance(node, dict):
        if "$ref" in node:
            target: Any = spec
            for part in node["$ref"].removeprefix("#/").split("/"):
                target = target[part]
            return _inline(target, spec)
        return {k: _inline(v, spec) for k, v in node.items()}
    if isinstance(node, list):
        return [_inline(v, spec) for v in node]
    return node


@attrs.frozen
class Spelling:
    """Served value <-> the generated models' value, for every enum value."""

    to_generated: Mapping[str, str]
    to_served: Mapping[str, str]

    @property
    def identity(self) -> bool:
        return all(k == v for k, v in self.to_generated.items())

    def role_in(self, role: Any) -> Any:
        """A role object (or anything else) from the served to our spelling."""
        return self._respell(role, self.to_generated)

    def role_out(self, role: Any) -> Any:
        return self._respell(role, self.to_served)

    @staticmethod
    def _respell(role: Any, table: Mapping[str, str]) -> Any:
        if not isinstance(role, dict):
            return role
        out = dict(role)
        for key in ("type", "name"):
            value = out.get(key)
            if isinstance(value, str) and value in table:
                out[key] = table[value]
        return out


class ServedSpec:
    """A loaded spec: its document, spelling, and request validators."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or default_spec_path()
        self.doc: dict[str, Any] = yaml.safe_load(self.path.read_text(encoding="utf-8"))
        ours = yaml.safe_load(default_spec_path().read_text(encoding="utf-8"))
        to_generated: dict[str, str] = {}
        for where in _ENUMS:
            generated = {_identifier(v): v for v in _enum_values(ours, where)}
            for served in _enum_values(self.doc, where):
                member = _identifier(served)
                if member not in generated:
                    raise ValueError(
                        f"{self.path}: {where} value {served!r} is unknown to arize-orgs"
                    )
                to_generated[served] = generated[member]
        self.spelling = Spelling(to_generated, {v: k for k, v in to_generated.items()})

    def value(self, generated_value: str) -> str:
        """The served spelling of one of the generated models' enum values."""
        return self.spelling.to_served.get(generated_value, generated_value)

    @cached_property
    def add_user_validator(self) -> Draft7Validator:
        return self._validator("AddOrganizationUserRequest")

    def _validator(self, schema_name: str) -> Draft7Validator:
        schema = _inline(copy.deepcopy(self.doc["components"]["schemas"][schema_name]), self.doc)
        return Draft7Validator(schema)


def first_error(validator: Draft7Validator, body: Any) -> str | None:
    """The most relevant schema violation in `body`, naming its field; or None."""
    from jsonschema.exceptions import best_match

    error = best_match(validator.iter_errors(body))
    if error is None:
        return None
    field = ".".join(str(p) for p in error.absolute_path) or "body"
    message = error.message
    if len(message) > 200:
        message = message[:199] + "…"
    return f"{field}: {message}"
