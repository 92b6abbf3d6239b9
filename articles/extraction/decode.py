"""Bytes to text: byte-order mark, declared charset, then detection."""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field

from charset_normalizer import from_bytes
from charset_normalizer.md import mess_ratio

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
# When detection finds several equally clean readings, the charset most used on the web
# wins: short Western text decodes cleanly as windows-1250, -1252 and -1257 alike, and
# Polish in ISO-8859-2 reads without a suspicious character as ISO-8859-14 (Celtic) too.
_PREFERRED = (
    "utf_8",
    "cp1252",
    "cp1251",
    "cp1256",
    "cp1250",
    "shift_jis",
    "euc_jp",
    "gb18030",
    "euc_kr",
    "big5",
    "iso8859_2",
    "iso8859_15",
    "cp1253",
    "iso8859_7",
    "cp1254",
    "iso8859_9",
    "koi8_r",
    "cp1255",
    "iso8859_8",
    "iso8859_6",
    "cp1257",
    "iso8859_13",
    "cp874",
    "tis_620",
    "iso8859_5",
)
# Share of U+FFFD after a forced decode above which the bytes are not text at all.
_MAX_REPLACEMENT_SHARE = 0.05
# Bytes that are UTF-8 but for a stray byte here and there (a windows-1252 quote pasted
# into a UTF-8 page) are UTF-8: at least this many valid non-ASCII characters per bad byte.
_MIN_UTF8_CHARS_PER_ERROR = 20
# A declared single-byte charset is believed unless its reading is this messy (mojibake:
# Arabic windows-1256 read as windows-1252 scores above 1) and detection reads far cleaner.
_MAX_DECLARED_MESS = 0.2
_MESS_SAMPLE_WORDS = 4000
_WORD = re.compile(r"\S+")
_MAX_WORD_CHARS = 100
# A few NUL bytes in a real page are debris from a broken CMS; more are binary data.
_MAX_STRAY_NULS = 16
_MAX_NUL_SHARE = 0.001


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
    warnings: list[str] = []
    if b"\x00" in data:
        data = _without_stray_nuls(data)
        warnings.append("The page holds a few NUL bytes; they were dropped.")

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
    mostly_utf8 = _mostly_utf8(data)
    if mostly_utf8 is not None:
        text, errors = mostly_utf8
        warnings.append(f"{errors} byte(s) of the page are not valid UTF-8; they were replaced.")
        return Decoded(text, "utf-8", warnings)
    if declared and declared != "utf-8":
        try:
            text = data.decode(declared)
        except UnicodeDecodeError:
            pass
        else:
            cleaner = _cleaner_reading(data, text, declared)
            if cleaner is None:
                return Decoded(text, declared, warnings)
            warnings.append(
                f"The page declares {label}, but reads as garbled text in it; read as {public_name(cleaner)}."
            )
            return Decoded(data.decode(cleaner, errors="replace"), cleaner, warnings)
    detected = _detect(data)
    if label:
        warnings.append(
            f"The page declares {label}, but its bytes are not {label}; detected {public_name(detected)}."
        )
    text = data.decode(detected, errors="replace")
    if text.count("\ufffd") > _MAX_REPLACEMENT_SHARE * len(text):
        raise ExtractionError(
            "The input is not text in any known character encoding: it looks like binary data."
        )
    return Decoded(text, detected, warnings)


def _without_stray_nuls(data: bytes) -> bytes:
    nuls = data.count(0)
    if nuls > _MAX_STRAY_NULS or nuls > _MAX_NUL_SHARE * len(data):
        raise ExtractionError("The input contains NUL bytes: it is binary data, not a page.")
    return data.replace(b"\x00", b"")


def _mostly_utf8(data: bytes) -> tuple[str, int] | None:
    """The text and the number of bad bytes, when the bytes are UTF-8 but for a few strays."""
    text = data.decode("utf-8", errors="replace")
    errors = text.count("\ufffd")
    valid = len(text) - len(text.encode("ascii", "ignore")) - errors
    if errors and valid >= _MIN_UTF8_CHARS_PER_ERROR * errors:
        return text, errors
    return None


def _cleaner_reading(data: bytes, text: str, declared: str) -> str | None:
    """A charset that reads the bytes far more cleanly than the declared one, if its reading is garbled."""
    if _mess(text) <= _MAX_DECLARED_MESS:
        return None
    detected = _detect(data)
    try:
        other = data.decode(detected)
    except (UnicodeDecodeError, LookupError):
        return None
    # Only a reading that is clean itself replaces the declared one, not one that is merely less garbled.
    other_mess = _mess(other)
    if detected != declared and other_mess <= _MAX_DECLARED_MESS and other_mess < _mess(text) / 4:
        return detected
    return None


def _mess(text: str) -> float:
    """How garbled the non-ASCII words of a text look (charset_normalizer's measure; 0 is clean)."""
    words = []
    for match in _WORD.finditer(text):
        word = match.group(0)
        if not word.isascii():
            words.append(word[:_MAX_WORD_CHARS])
            if len(words) == _MESS_SAMPLE_WORDS:
                break
    return mess_ratio(" ".join(words), maximum_threshold=10.0) if words else 0.0


def _detect(data: bytes) -> str:
    results = from_bytes(data)
    best = results.best()
    if best is None:
        return "cp1252"
    # Of the readings without more suspicious characters than the best one, the most used
    # charset wins; detection's own language "coherence" is unreliable on short text.
    clean = [m.encoding for m in results if m.chaos <= best.chaos + 0.01]
    chosen = next((p for p in _PREFERRED if p in clean), best.encoding)
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
