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
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any, Final, Literal

import attrs
import yaml
from jsonschema import Draft7Validator

from .._wire import ENUMS
from ..roles import member_name


def default_spec_path() -> Path:
    """openapi.yaml: packaged in a wheel, at the repository root in a checkout."""
    packaged = resources.files("arize_orgs").joinpath("openapi.yaml")
    if packaged.is_file():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[3] / "openapi.yaml"


SpellingName = Literal["live", "seed"]
SPELLINGS: Final[tuple[SpellingName, ...]] = ("live", "seed")
# Keys whose string values are prose: never respelled, even when a word in
# them is an enum value.
_PROSE: Final = frozenset({"description", "summary", "title"})


class SpecError(ValueError):
    """A spec file the sandbox cannot serve: unreadable, not our API, or with
    an enum value that names nothing arize-orgs knows."""


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
    `predefined`) wherever it stands as a value (enum lists, examples,
    defaults, consts, discriminator mappings), prose untouched. Paths, schema
    names and fields are unchanged, so it regenerates into the same modules
    and classes."""
    values = _all_enum_values(doc)

    def respell(node: Any, key: str | None = None) -> Any:
        if isinstance(node, str):
            return _seed(node) if node in values and key not in _PROSE else node
        if isinstance(node, list):
            return [respell(item) for item in node]
        if isinstance(node, dict):
            if key == "mapping":  # a discriminator's value -> schema table
                return {respell(k): respell(v) for k, v in node.items()}
            return {k: respell(v, k) for k, v in node.items()}
        return node

    variant: dict[str, Any] = respell(doc)
    info = variant["info"]
    variant["info"] = {
        **info,
        "title": f"{info['title']} (the seed's lower-case spelling)",
        "description": (
            "The seed documentation page's spelling of arize-orgs' openapi.yaml, derived by "
            "`scripts/seed_spec.py`: every enum value in lower case with hyphens "
            "(`read-only` for `READ_ONLY`). The prose below is the original's and still "
            "names values in upper case.\n\n" + str(info.get("description", ""))
        ),
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

    def value_out(self, value: Any) -> Any:
        """One value (e.g. a user's status) from our spelling to the served one."""
        return self.to_served.get(value, value) if isinstance(value, str) else value

    def value_in(self, value: Any) -> Any:
        """One value (e.g. an invite mode) from the served spelling to ours."""
        return self.to_generated.get(value, value) if isinstance(value, str) else value

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
    ("live", the API as served) or its seed variant ("seed"). Raises
    SpecError for a file it cannot serve."""

    def __init__(self, path: Path | None = None, *, spelling: SpellingName = "live") -> None:
        if spelling not in SPELLINGS:
            raise SpecError(f"unknown spelling {spelling!r}; use 'live' or 'seed'")
        self.path = path or default_spec_path()
        self.name = str(path) if path else spelling
        try:
            if path is not None:
                self.doc = load_spec(path)
            else:
                self.doc = seed_variant(load_spec()) if spelling == "seed" else load_spec()
            self.spelling = self._spelling()
            self.add_user_validator = self._validator("AddOrganizationUserRequest")
            self.space_add_validator = self._validator("AddSpaceUserRequest")
            self.invite_validator = self._validator("CreateUserRequest")
        except SpecError:
            raise
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
            raise SpecError(f"{self.name}: cannot be read as YAML: {exc}") from None
        except (KeyError, TypeError, AttributeError, ValueError, RecursionError) as exc:
            raise SpecError(
                f"{self.name}: not a variant of arize-orgs' openapi.yaml "
                f"({type(exc).__name__}: {str(exc)[:200]})"
            ) from None

    def _spelling(self) -> Spelling:
        to_generated: dict[str, str] = {}
        for where, generated_enum in ENUMS.items():
            generated = {m.name: str(m.value) for m in generated_enum}
            for served in _enum_values(self.doc, where):
                member = member_name(served)
                if member not in generated:
                    raise SpecError(
                        f"{self.name}: {where} value {served!r} is unknown to arize-orgs; "
                        f"known: {', '.join(generated)}"
                    )
                to_generated[served] = generated[member]
        return Spelling(to_generated, {v: k for k, v in to_generated.items()})

    def served(self, generated_value: str) -> str:
        """The served spelling of one of the generated models' enum values."""
        return self.spelling.to_served.get(generated_value, generated_value)

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
