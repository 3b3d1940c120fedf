"""Write workspace/models.py, the Python client's models, from the api's OpenAPI schema.

    python scripts/gen_models.py web/openapi.json workspace/models.py

The client is typed with the api's own shapes without importing the server's models (and with
them SQLAlchemy): plain pydantic classes, one per schema, with the field types, defaults and
descriptions of the schema. Constraints are left to the api, whose 422 names the field, so a
rule is checked in one place. Run by scripts/gen-client.sh, whose --check fails when this file
is stale.
"""

from __future__ import annotations

import json
import re
import sys
import textwrap
from pathlib import Path
from typing import Any

HEADER = '''"""The api's request and response shapes, generated from its OpenAPI schema by
scripts/gen_models.py (scripts/gen-client.sh): do not edit by hand."""

from __future__ import annotations

{imports}
'''
# Described by the client's errors (`workspace.errors`), not as models.
SKIP = {"HTTPValidationError", "ValidationError"}
FORMATS = {"date": "date", "date-time": "datetime"}
SCALARS = {"string": "str", "integer": "int", "number": "float", "boolean": "bool"}


def type_of(schema: dict[str, Any]) -> str:
    if "$ref" in schema:
        return str(schema["$ref"]).rsplit("/", 1)[1]
    if "anyOf" in schema:
        parts: list[str] = []
        for option in schema["anyOf"]:
            part = type_of(option)
            if part not in parts:
                parts.append(part)
        return " | ".join(parts)
    if "const" in schema:
        return f"Literal[{schema['const']!r}]"
    kind = schema.get("type")
    if kind == "null":
        return "None"
    if kind == "string" and schema.get("format") in FORMATS:
        return FORMATS[schema["format"]]
    if kind == "string" and "enum" in schema:
        return "Literal[" + ", ".join(repr(v) for v in schema["enum"]) + "]"
    if kind in SCALARS:
        return SCALARS[kind]
    if kind == "array":
        return f"list[{type_of(schema.get('items', {}))}]"
    if kind == "object" and isinstance(schema.get("additionalProperties"), dict):
        return f"dict[str, {type_of(schema['additionalProperties'])}]"
    return "Any"


def docstring(text: str, indent: str) -> list[str]:
    lines = [
        wrapped
        for line in text.strip().splitlines()
        for wrapped in textwrap.wrap(line, 96 - len(indent)) or [""]
    ]
    if len(lines) == 1 and len(indent) + len(lines[0]) + 6 <= 100:
        return [f'{indent}"""{lines[0]}"""']
    return [
        f'{indent}"""{lines[0]}',
        *[f"{indent}{line}".rstrip() for line in lines[1:]],
        f'{indent}"""',
    ]


def default_of(schema: dict[str, Any], enums: set[str]) -> str:
    default = schema["default"]
    if isinstance(default, list) and not default:
        return "Field(default_factory=list)"
    if "$ref" in schema and type_of(schema) in enums:
        return f"{type_of(schema)}.{default}"  # a member: `Priority.none`, not "none"
    return repr(default)


def field(name: str, schema: dict[str, Any], required: bool, enums: set[str]) -> list[str]:
    annotation = type_of(schema)
    out = []
    if required:
        out.append(f"    {name}: {annotation}")
    elif "default" in schema:
        out.append(f"    {name}: {annotation} = {default_of(schema, enums)}")
    else:
        if "None" not in annotation.split(" | "):
            annotation += " | None"
        out.append(f"    {name}: {annotation} = None")
    if schema.get("description"):
        out.extend(docstring(schema["description"], "    "))
    return out


def model(name: str, schema: dict[str, Any], enums: set[str]) -> list[str]:
    if "enum" in schema:
        lines = [f"class {name}(StrEnum):"]
        lines += [f"    {value} = {value!r}" for value in schema["enum"]]
        return lines
    lines = [f"class {name}(BaseModel):"]
    if schema.get("description"):
        lines += docstring(schema["description"], "    ")
    if schema.get("additionalProperties") is False:
        lines.append('    model_config = ConfigDict(extra="forbid")')
    required = set(schema.get("required", []))
    for field_name, field_schema in schema.get("properties", {}).items():
        lines += field(field_name, field_schema, field_name in required, enums)
    return lines


def refs(schema: Any) -> set[str]:
    if isinstance(schema, dict):
        found = {schema["$ref"].rsplit("/", 1)[1]} if "$ref" in schema else set()
        for value in schema.values():
            found |= refs(value)
        return found
    if isinstance(schema, list):
        return set().union(*(refs(v) for v in schema)) if schema else set()
    return set()


def ordered(schemas: dict[str, Any]) -> list[str]:
    """Each model after the ones it refers to, otherwise alphabetically."""
    done: list[str] = []

    def visit(name: str) -> None:
        if name in done or name in SKIP:
            return
        for dependency in sorted(refs(schemas[name])):
            visit(dependency)
        done.append(name)

    for name in sorted(schemas):
        visit(name)
    return done


def imports(body: str) -> str:
    """Only the names the models use, grouped as isort does."""
    used = set(re.findall(r"\b\w+\b", body))
    groups = {
        "datetime": ["date", "datetime"],
        "enum": ["StrEnum"],
        "typing": ["Any", "Literal"],
        "pydantic": ["BaseModel", "ConfigDict", "Field"],
    }
    lines = {m: ", ".join(n for n in names if n in used) for m, names in groups.items()}
    std = [f"from {m} import {names}" for m, names in lines.items() if names and m != "pydantic"]
    return "\n".join(std) + f"\n\nfrom pydantic import {lines['pydantic']}"


def generate(openapi: dict[str, Any]) -> str:
    schemas = openapi["components"]["schemas"]
    names = ordered(schemas)
    enums = {name for name, schema in schemas.items() if "enum" in schema}
    body = "\n\n\n".join("\n".join(model(name, schemas[name], enums)) for name in names)
    listed = "".join(f'    "{name}",\n' for name in sorted(names))
    head = HEADER.format(imports=imports(body))
    return f"{head}\n\n{body}\n\n\n__all__ = [\n{listed}]\n"


if __name__ == "__main__":
    source, target = sys.argv[1:3]
    Path(target).write_text(generate(json.loads(Path(source).read_text())))
