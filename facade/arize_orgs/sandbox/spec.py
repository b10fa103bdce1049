"""The spec a sandbox serves: request validation and its spelling of values.

The sandbox validates requests against the spec it serves (jsonschema) and
builds and parses bodies with the generated models. By default it serves our
`openapi.yaml`, the API as served today (upper case: `READ_ONLY`). It can
serve the seed documentation page's lower-case spelling instead
(`seed_variant`, derived from ours), or any spec file whose enum values name
the same members. `Spelling` translates between the served spelling and the
generated models': both name the same generated enum members (`read-only`
and `READ_ONLY` are both `READ_ONLY`).
"""

from __future__ import annotations

import copy
import enum
from collections.abc import Mapping
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Any, Final, Literal

import attrs
import yaml
from jsonschema import Draft7Validator

from arize_orgs_api.models import (
    AccountCustomRoleAssignmentType,
    AccountPredefinedRoleAssignmentType,
    AccountRole,
    OrganizationCustomRoleAssignmentType,
    OrganizationPredefinedRoleAssignmentType,
    OrganizationRole,
    UserStatus,
)

from ..roles import _identifier

# Enums whose values travel in role objects and user records: where the spec
# defines them -> the generated enum (whose member names every spelling shares).
_ENUMS: Final[Mapping[str, type[enum.Enum]]] = {
    "OrganizationRole": OrganizationRole,
    "AccountRole": AccountRole,
    "UserStatus": UserStatus,
    "OrganizationPredefinedRoleAssignment.type": OrganizationPredefinedRoleAssignmentType,
    "OrganizationCustomRoleAssignment.type": OrganizationCustomRoleAssignmentType,
    "AccountPredefinedRoleAssignment.type": AccountPredefinedRoleAssignmentType,
    "AccountCustomRoleAssignment.type": AccountCustomRoleAssignmentType,
}


def default_spec_path() -> Path:
    """openapi.yaml: packaged in a wheel, at the repository root in a checkout."""
    packaged = resources.files("arize_orgs").joinpath("openapi.yaml")
    if packaged.is_file():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[3] / "openapi.yaml"


SpellingName = Literal["live", "seed"]
SPELLINGS: Final[tuple[SpellingName, ...]] = ("live", "seed")
# Keys whose string values may be enum values outside `enum` lists: in
# examples (`type: PREDEFINED`, `name: MEMBER`, `status: ACTIVE`) and defaults.
_VALUE_KEYS: Final = frozenset({"type", "name", "status", "default"})


def _all_enum_values(node: Any) -> set[str]:
    if isinstance(node, dict):
        found = {v for v in node.get("enum", ()) if isinstance(v, str)}
        for value in node.values():
            found |= _all_enum_values(value)
        return found
    if isinstance(node, list):
        return set().union(*(_all_enum_values(v) for v in node)) if node else set()
    return set()


def seed_variant(doc: Mapping[str, Any]) -> dict[str, Any]:
    """Our spec in the seed documentation page's spelling: every enum value
    lower case with hyphens (`READ_ONLY` -> `read-only`, `PREDEFINED` ->
    `predefined`), in enum lists and in examples. Paths, schema names and
    fields are unchanged, so it regenerates into the same modules and classes."""
    values = _all_enum_values(doc)

    def respell(node: Any) -> Any:
        if isinstance(node, dict):
            out: dict[str, Any] = {}
            for key, value in node.items():
                if key == "enum" and isinstance(value, list):
                    out[key] = [_seed(v) if v in values else v for v in value]
                elif key in _VALUE_KEYS and isinstance(value, str) and value in values:
                    out[key] = _seed(value)
                else:
                    out[key] = respell(value)
            return out
        if isinstance(node, list):
            return [respell(item) for item in node]
        return node

    variant: dict[str, Any] = respell(doc)
    variant["info"] = {
        **variant["info"],
        "title": f"{doc['info']['title']} (the seed's lower-case spelling)",
    }
    return variant


def _seed(value: str) -> str:
    return value.lower().replace("_", "-")


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


def load_spec(path: Path | None = None) -> dict[str, Any]:
    doc: dict[str, Any] = yaml.safe_load((path or default_spec_path()).read_text(encoding="utf-8"))
    return doc


class ServedSpec:
    """A loaded spec: its document, spelling, and request validators.

    `path` serves a spec file; otherwise `spelling` picks ours as it is
    ("live", the API as served) or its seed variant ("seed")."""

    def __init__(self, path: Path | None = None, *, spelling: SpellingName = "live") -> None:
        if spelling not in SPELLINGS:
            raise ValueError(f"unknown spelling {spelling!r}; use 'live' or 'seed'")
        ours = load_spec()
        self.path = path or default_spec_path()
        self.name = str(path) if path else spelling
        if path is not None:
            self.doc = load_spec(path)
        else:
            self.doc = seed_variant(ours) if spelling == "seed" else ours
        to_generated: dict[str, str] = {}
        for where, generated_enum in _ENUMS.items():
            generated = {m.name: str(m.value) for m in generated_enum}
            for served in _enum_values(self.doc, where):
                member = _identifier(served)
                if member not in generated:
                    raise ValueError(
                        f"{self.name}: {where} value {served!r} is unknown to arize-orgs"
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
