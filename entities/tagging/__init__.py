"""Entity tagging: alias table, NER model and in-article resolution over plain text. No Django here."""

from .knowledge import starter_records
from .matcher import AliasMatch, AliasMatcher
from .model import MODEL_NAMES, load_model
from .tagger import Tagger
from .types import (
    METHOD_ALIAS,
    METHOD_LINK,
    METHOD_MODEL,
    ORGANIZATION,
    OTHER,
    PERSON,
    PLACE,
    TYPES,
    AliasRecord,
    Capabilities,
    EntityTally,
    FoundMention,
    Suggestion,
    TaggingResult,
    aggregate,
)

__all__ = [
    "METHOD_ALIAS",
    "METHOD_LINK",
    "METHOD_MODEL",
    "MODEL_NAMES",
    "ORGANIZATION",
    "OTHER",
    "PERSON",
    "PLACE",
    "TYPES",
    "AliasMatch",
    "AliasMatcher",
    "AliasRecord",
    "Capabilities",
    "EntityTally",
    "FoundMention",
    "Suggestion",
    "Tagger",
    "TaggingResult",
    "aggregate",
    "load_model",
    "starter_records",
]
