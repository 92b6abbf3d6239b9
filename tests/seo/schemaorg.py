"""Checks JSON-LD against the vendored part of the schema.org vocabulary (schemaorg_newsarticle.json).

Every property of a node must be one schema.org defines for the node's type or a type above it,
and every value must be of a type the property's range allows: a node of that type or below, or a
literal of the right data type (an absolute URL for URL, an ISO 8601 date for Date, ...).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from urllib.parse import urlsplit

VOCABULARY = json.loads((Path(__file__).parent / "schemaorg_newsarticle.json").read_text())
TYPES: dict[str, str | None] = VOCABULARY["types"]
DATA_TYPES: dict[str, str | None] = VOCABULARY["dataTypes"]
PROPERTIES: dict[str, dict] = VOCABULARY["properties"]


def _lineage(name: str, parents: dict[str, str | None]) -> list[str]:
    chain = []
    while name is not None:
        chain.append(name)
        name = parents[name]
    return chain


def _literal_fits(value, data_type: str) -> bool:
    if data_type == "Boolean":
        return isinstance(value, bool)
    if isinstance(value, bool):
        return False
    if data_type == "Integer":
        return isinstance(value, int)
    if data_type == "Number":
        return isinstance(value, int | float)
    if not isinstance(value, str):
        return False
    if data_type == "Text":
        return True
    if data_type == "URL":
        parts = urlsplit(value)
        return parts.scheme in ("http", "https") and bool(parts.netloc) and " " not in value
    if data_type == "Date":
        try:
            dt.date.fromisoformat(value)
        except ValueError:
            return False
        return True
    if data_type == "DateTime":
        try:
            moment = dt.datetime.fromisoformat(value)
        except ValueError:
            return False
        return moment.tzinfo is not None  # a time without its offset is ambiguous
    return False


def _value_errors(value, ranges: list[str], where: str) -> list[str]:
    if isinstance(value, dict):
        node_type = value.get("@type")
        if node_type not in TYPES:
            return [f"{where}: @type {node_type!r} is not a schema.org type known here"]
        if not set(_lineage(node_type, TYPES)) & set(ranges):
            return [f"{where}: a {node_type} where schema.org expects {' or '.join(ranges)}"]
        return node_errors(value, where)
    # A URL is a Text too: a property whose range is Text takes any string.
    if any(_literal_fits(value, data_type) for data_type in ranges if data_type in DATA_TYPES):
        return []
    return [f"{where}: {value!r} is not a {' or '.join(ranges)}"]


def node_errors(node: dict, where: str = "$") -> list[str]:
    """Every way ``node`` (a JSON-LD node with an ``@type``) departs from the vocabulary; empty when valid."""
    node_type = node.get("@type")
    if node_type not in TYPES:
        return [f"{where}: @type {node_type!r} is not a schema.org type known here"]
    lineage = set(_lineage(node_type, TYPES))
    errors = []
    for name, value in node.items():
        if name.startswith("@"):
            if name not in ("@context", "@type", "@id"):
                errors.append(f"{where}: {name} is not a JSON-LD keyword used here")
            continue
        definition = PROPERTIES.get(name)
        if definition is None:
            errors.append(f"{where}.{name}: not a property of schema.org's {node_type} (or not vendored)")
            continue
        if not lineage & set(definition["domainIncludes"]):
            errors.append(
                f"{where}.{name}: schema.org defines it for {definition['domainIncludes']}, not {node_type}"
            )
            continue
        values = value if isinstance(value, list) else [value]
        if not values:
            errors.append(f"{where}.{name}: an empty list")
        for index, item in enumerate(values):
            errors += _value_errors(item, definition["rangeIncludes"], f"{where}.{name}[{index}]")
    return errors
