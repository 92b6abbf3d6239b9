"""The values tagging reads and produces: plain dataclasses, no Django."""

from __future__ import annotations

from dataclasses import dataclass, field

PERSON = "person"
ORGANIZATION = "organization"
PLACE = "place"
OTHER = "other"
TYPES = (PERSON, ORGANIZATION, PLACE, OTHER)

# How a mention was found; the values match entities.models.Mention.Method.
METHOD_ALIAS = "alias"  # the alias table
METHOD_MODEL = "model"  # the statistical NER model
METHOD_LINK = "link"  # in-article resolution: a surname, acronym or title-led name tied to a fuller form


@dataclass(frozen=True, slots=True)
class AliasRecord:
    """One surface form of one entity, as the alias table stores it.

    ``entity_key`` is the entity's stable id or slug as a string; ``name`` its canonical name.
    ``ambiguous`` aliases give way when the model reads the same span as another type or when
    a person's surname in the same article is the same word. ``blocked`` records match like
    any other but produce no mention: they suppress the span for the model and the rules too.
    """

    entity_key: str
    name: str
    type: str
    text: str
    case_sensitive: bool = False
    ambiguous: bool = False
    blocked: bool = False


@dataclass(frozen=True, slots=True)
class FoundMention:
    """One span of the text that names an entity; ``entity_key`` is None for a name not in the table."""

    entity_key: str | None
    name: str
    type: str
    start: int
    end: int
    text: str
    confidence: float
    method: str


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A name the model or the rules found that matches no known entity, for the editors' queue."""

    name: str
    type: str
    count: int
    examples: tuple[str, ...]  # short passages around the first mentions
    texts: tuple[str, ...] = ()  # the distinct surface forms, e.g. ("Sergei Lavrov", "Lavrov")


@dataclass(frozen=True, slots=True)
class EntityTally:
    """All the mentions of one entity in one text: what a Mention row stores."""

    entity_key: str | None
    name: str
    type: str
    count: int
    spans: tuple[tuple[int, int], ...]
    confidence: float  # the best of its mentions
    method: str  # the method of its most confident mention


@dataclass(frozen=True, slots=True)
class Capabilities:
    """What this tagger can do here: the alias table always, the model only when it loaded."""

    alias_table: bool = True
    model: bool = False
    model_name: str | None = None
    detail: str = ""  # why the model is missing, or its version when present


@dataclass(slots=True)
class TaggingResult:
    """Everything one text yields: its mentions in text order and the unknown names found."""

    mentions: list[FoundMention] = field(default_factory=list)
    suggestions: list[Suggestion] = field(default_factory=list)

    def aggregate(self) -> list[EntityTally]:
        """Per-entity counts, spans and best confidence (see :func:`aggregate`)."""
        return aggregate(self.mentions)


def aggregate(mentions: list[FoundMention]) -> list[EntityTally]:
    """Group mentions per entity: known ones by key, unknown ones by (name, type); most mentioned first."""
    groups: dict[tuple, list[FoundMention]] = {}
    for mention in mentions:
        key = ("key", mention.entity_key) if mention.entity_key is not None else (mention.name, mention.type)
        groups.setdefault(key, []).append(mention)
    tallies = []
    for group in groups.values():
        best = max(group, key=lambda m: m.confidence)
        tallies.append(
            EntityTally(
                entity_key=best.entity_key,
                name=best.name,
                type=best.type,
                count=len(group),
                spans=tuple((m.start, m.end) for m in group),
                confidence=best.confidence,
                method=best.method,
            )
        )
    tallies.sort(key=lambda t: (-t.count, t.spans[0][0]))
    return tallies
