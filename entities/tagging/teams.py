"""Teams named after places: "India beat South Africa by seven runs", "Wales wing Rhodri Ellis",
"Al-Taamari, who plays for Montpellier".

News NER marks a national side or a club named after its town as an organisation (the body that
plays), not the place; the alias table and the model read the place. A place's name is read as a
team when a word of play or a player's role sits next to it, and, for the words that also fit
politics ("beat", "against", "face"), only in a sentence about a match: one with a score or a
word of sport.
"""

from __future__ import annotations

import re

_GAP = r"[^\S\n]+"
# "South Africa captain Aiden Markram", "Scarlets and Wales wing Rhodri": a role after the name.
_ROLE_AFTER = re.compile(
    rf"(?:['’]s)?{_GAP}(?:captain|coach|skipper|striker|goalkeeper|keeper|wing|winger|forward|"
    r"midfielder|defender|full-back|fly-half|scrum-half|batsman|batter|bowler|opener|all-rounder|quick|"
    rf"(?:first|second){_GAP}innings|"
    r"squad|XI|XV|manager|head coach)\b"
    rf"|,{_GAP}coached{_GAP}by\b"
)
# "plays for Montpellier", "signed for Tottenham Hotspur": a club, whatever the sentence.
_CLUB_BEFORE = re.compile(rf"\b(?:plays|played|playing|play|signed|signs){_GAP}for{_GAP}$")
# Words of play that also fit politics, read as play only in a sentence about a match.
_PLAY_BEFORE = re.compile(
    rf"\b(?:beat|beats|beating|defeated|defeating|edged|thrashed|routed|stunned|drew{_GAP}with|"
    rf"draw{_GAP}with|drew{_GAP}\d{{1,3}}-\d{{1,3}}{_GAP}with|lost{_GAP}to|loss{_GAP}to|defeat{_GAP}to|"
    rf"win{_GAP}over|victory{_GAP}over|against|face|faces|"
    rf"facing|host|hosts|hosting){_GAP}(?:the{_GAP})?$"
)
_PLAY_AFTER = re.compile(
    rf"^{_GAP}(?:beat|beats|defeated|edged|thrashed|routed|stunned|drew|lost|won|win|reached|reach|"
    rf"will{_GAP}face|face|faces|needed|need|led|lead|trailed|scored|batted|bowled|close{_GAP}in{_GAP}on|"
    r"were{_GAP}bowled|were{_GAP}all{_GAP}out)\b"
)
# A sentence about a match: a score ("2-0", "6-2, 6-2"), a margin ("by seven runs") or a word of sport.
_MATCH = re.compile(
    r"\b\d{1,3}-\d{1,3}\b(?!-)|\bby\s+\w+\s+(?:runs|wickets|goals|points)\b|\bseries\s+(?:win|victory|defeat|lead)\b|"
    r"\b(?:goal|goals|match|final|semi-final|semifinal|quarter-final|Cup|tournament|league|innings|"
    r"wickets|half-time|kick-off|penalty|penalties|qualifier|fixture|World Cup|Test|T20|ODI|"
    r"Olympics|championship|Championship|scored|striker|coach|coached)\b"
)
_SENTENCE_END = re.compile(r"[.!?][\"'”’)]*(?=\s)|\n")


def reads_as_team(text: str, start: int, end: int) -> bool:
    """True when the place name at ``text[start:end]`` names a side that plays, not the place."""
    if _ROLE_AFTER.match(text, end):
        return True
    line_start = text.rfind("\n", 0, start) + 1
    before = text[max(line_start, start - 40) : start]
    if _CLUB_BEFORE.search(before):
        return True
    after = text[end : end + 40]
    if not (_PLAY_BEFORE.search(before) or _PLAY_AFTER.match(after)):
        return False
    return bool(_MATCH.search(_sentence(text, start, end)))


def _sentence(text: str, start: int, end: int) -> str:
    begin = 0
    for match in _SENTENCE_END.finditer(text, max(0, start - 400), start):
        begin = match.end()
    stop = _SENTENCE_END.search(text, end)
    return text[begin : stop.end() if stop else len(text)]
