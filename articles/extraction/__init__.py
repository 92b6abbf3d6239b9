"""Article extraction: raw page bytes or text in, an ExtractedArticle out. No Django here."""

from .byline import is_generic_agency
from .pipeline import MAX_INPUT_BYTES, extract
from .rules import agencies
from .sanitize import sanitize_html
from .types import (
    PRECISION_DAY,
    PRECISION_MINUTE,
    PRECISION_MONTH,
    PRECISION_UNKNOWN,
    PRECISION_YEAR,
    Dateline,
    ExtractedArticle,
    ExtractionError,
    Flag,
    FoundLink,
    NoArticleError,
)

__all__ = [
    "MAX_INPUT_BYTES",
    "PRECISION_DAY",
    "PRECISION_MINUTE",
    "PRECISION_MONTH",
    "PRECISION_UNKNOWN",
    "PRECISION_YEAR",
    "Dateline",
    "ExtractedArticle",
    "ExtractionError",
    "Flag",
    "FoundLink",
    "NoArticleError",
    "agencies",
    "extract",
    "is_generic_agency",
    "sanitize_html",
]
