"""Bytes to text: byte-order mark, declared charset, then detection."""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field

from charset_normalizer import from_bytes

from .types import ExtractionError

_BOMS = (
    # UTF-32 first: its little-endian mark starts with UTF-16's.
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Where pages declare a charset: <meta charset=...>, <meta http-equiv=... content="...; charset=...">
# and the XML declaration. Browsers only look this far in, and so do we.
_DECLARATION_WINDOW = 4096
_META_CHARSET = re.compile(rb"""<meta[^>]{0,512}?charset\s*=\s*["']?\s*([\w:.+-]{1,40})""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]{0,200}?encoding\s*=\s*["']([\w:.+-]{1,40})""", re.IGNORECASE)
_HTTP_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w:.+-]+)", re.IGNORECASE)
_WINDOWS_CODEC = re.compile(r"cp125\d")
# As in the WHATWG Encoding Standard: pages labelled Latin-1 or ASCII are read as windows-1252.
_WINDOWS_1252_LABELS = {"latin_1", "iso8859-1", "ascii", "us-ascii", "cp819"}
# When detection finds several equally good charsets, the most used on the web wins:
# short Western text decodes cleanly as windows-1250, -1252 and -1257 alike.
_PREFERRED = (
    "utf_8",
    "cp1252",
    "cp1251",
    "cp1256",
    "cp1250",
    "shift_jis",
    "euc_kr",
    "gb18030",
    "big5",
    "cp1253",
)
# Share of U+FFFD after a forced decode above which the bytes are not text at all.
_MAX_REPLACEMENT_SHARE = 0.05


@dataclass
class Decoded:
    text: str
    encoding: str
    warnings: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.encoding = public_name(self.encoding)


def public_name(codec: str) -> str:
    """The name pages and HTTP use for a Python codec: windows-1256 rather than cp1256."""
    codec = codec.replace("_", "-")
    if _WINDOWS_CODEC.fullmatch(codec):
        return "windows-" + codec[2:]
    if codec.startswith("iso8859-"):
        return "iso-" + codec[3:]
    return codec


def codec_name(label: str) -> str | None:
    """Python's name for a charset label, or None when the label names no known codec."""
    try:
        name = codecs.lookup(label.strip().strip("\"'")).name
    except (LookupError, ValueError):
        return None
    return "cp1252" if name in _WINDOWS_1252_LABELS else name


def charset_of_content_type(content_type: str) -> str:
    match = _HTTP_CHARSET.search(content_type or "")
    return match.group(1) if match else ""


def declared_charset(data: bytes, content_type: str = "") -> str:
    """The charset the HTTP header or the page itself declares, as written ('' if none)."""
    label = charset_of_content_type(content_type)
    if label:
        return label
    head = data[:_DECLARATION_WINDOW]
    match = _XML_ENCODING.match(head) or _META_CHARSET.search(head)
    return match.group(1).decode("ascii", "replace") if match else ""


def decode(data: bytes, content_type: str = "") -> Decoded:
    """Decode page bytes the way a browser would, falling back to detection."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return Decoded(data[len(bom) :].decode(encoding, errors="replace"), encoding)
    utf16 = _bomless_utf16(data)
    if utf16:
        return Decoded(data.decode(utf16, errors="replace"), utf16)
    if b"\x00" in data:
        raise ExtractionError("The input contains NUL bytes: it is binary data, not a page.")

    warnings: list[str] = []
    label = declared_charset(data, content_type)
    declared = codec_name(label) if label else None
    if label and declared is None:
        warnings.append(f"The page declares an unknown charset {label!r}; it was ignored.")
    if declared and declared.startswith(("utf_16", "utf-16", "utf_32", "utf-32")):
        # Without a byte-order mark such a label is wrong: the bytes have no NULs.
        declared = None

    if data.isascii():
        return Decoded(data.decode("ascii"), declared or "ascii", warnings)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        # Valid UTF-8 beyond ASCII is almost never anything else, whatever the label says.
        if declared and declared != "utf-8":
            warnings.append(f"The page declares {label}, but its bytes are UTF-8; read as UTF-8.")
        return Decoded(text, "utf-8", warnings)
    if declared and declared != "utf-8":
        try:
            return Decoded(data.decode(declared), declared, warnings)
        except UnicodeDecodeError:
            pass
    detected = _detect(data)
    if label:
        warnings.append(f"The page declares {label}, but its bytes are not {label}; detected {detected}.")
    text = data.decode(detected, errors="replace")
    if text.count("\ufffd") > _MAX_REPLACEMENT_SHARE * len(text):
        raise ExtractionError(
            "The input is not text in any known character encoding: it looks like binary data."
        )
    return Decoded(text, detected, warnings)


def _detect(data: bytes) -> str:
    results = from_bytes(data)
    best = results.best()
    if best is None:
        return "cp1252"
    ties = [
        m.encoding for m in results if m.chaos <= best.chaos + 0.01 and m.coherence >= best.coherence - 0.01
    ]
    chosen = next((p for p in _PREFERRED if p in ties), best.encoding)
    # Detection reports one of the charsets that read the bytes identically; of those,
    # name the one the web uses most.
    if chosen != "cp1252" and _same_reading(data, chosen, "cp1252"):
        chosen = "cp1252"
    return codec_name(chosen) or chosen


def _same_reading(data: bytes, codec: str, other: str) -> bool:
    try:
        return data.decode(codec) == data.decode(other)
    except (UnicodeDecodeError, LookupError):
        return False


def _bomless_utf16(data: bytes) -> str | None:
    """UTF-16 without a byte-order mark, recognised by NULs in every other byte of ASCII text."""
    sample = data[:2000]
    if len(sample) < 16 or b"\x00" not in sample:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.05 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.4 * len(even) and odd.count(0) < 0.05 * len(odd):
        return "utf-16-be"
    return None
