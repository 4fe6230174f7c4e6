"""French text as the offers service compares it: folded, split into terms, freed from HTML.

`terms` is the one tokeniser of the service: the search index, the queries, the ROME assignment,
the saved searches and the deduplication all go through it, so "Aides-soignantes" typed in a
query finds "aide soignante" in an offer. It is a light folding, not a stemmer: accents, case,
ligatures and regular plurals go, while words keep their meaning ("vente" and "vendeur" stay
apart). Everything here runs for every offer ingested, hence work done in C (Unicode
decomposition, byte tables, regexes) and a cache of known words rather than loops over characters.
"""
from __future__ import annotations

import html
import re
import unicodedata
from zlib import crc32

# Letters Unicode does not decompose into ASCII, and the typographic signs French text is full
# of; everything else is handled by decomposition ("é" -> "e" + accent, the accent dropped).
_SPECIAL_LETTERS = {"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ß": "ss", "ø": "o", "Ø": "o", "đ": "d",
                    "ł": "l", "Ł": "l", "ı": "i"}
_SPECIAL_SIGNS = "«»‘’‚‛“”„‟‹›–—―‐‑‒…·•●▪►✓€£°§¶\u00a0\u202f\u2009\u200b"
_SPECIALS = re.compile(f"[{''.join(_SPECIAL_LETTERS)}{_SPECIAL_SIGNS}]")
_SPECIAL_VALUES = {**_SPECIAL_LETTERS, **{sign: " " for sign in _SPECIAL_SIGNS}}
# ASCII bytes: letters lowercased, digits kept, anything else (punctuation, controls) a space.
_BYTES = bytes(c + 32 if 65 <= c <= 90 else c if (97 <= c <= 122 or 48 <= c <= 57) else 32 for c in range(256))


def _accents_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for code in range(0x00C0, 0x0250):  # Latin-1 and Latin Extended-A/B
        char = chr(code)
        base = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
        if base and base != char and base.isascii():
            table[code] = base.lower()
    table.update({ord(k): v for k, v in _SPECIAL_LETTERS.items()})
    return table


_ACCENTS = _accents_table()

# French function words: they carry nothing for search or similarity. Kept short on purpose
# ("sans", "plus", "moins" stay: a query may need them). Words of one letter (l', d', s', the
# "h" and "f" of "H/F") are dropped separately.
STOP_WORDS = frozenset("""
au aux avec ce ces cet cette dans de des du elle elles en et eux il ils je la le les leur leurs
lui ma mais me meme mes moi mon ne nos notre nous on ou par pas pour qu que qui sa se ses son
sur ta te tes toi ton tu un une vos votre vous est sont sera seront etre avoir ete cela ca
dont afin ainsi chez tres tout tous toute toutes vers
""".split())


def fold(text: str) -> str:
    """Lowercase ASCII: accents removed, ligatures spread, punctuation turned to spaces.

    One character in gives one character out except for ligatures ("œ" -> "oe") and characters
    with no Latin form (emoji, other scripts), which vanish: positions found in the folded text
    point at the same place in the original for almost every offer (see legality.excerpt).
    """
    if not text.isascii():
        text = unicodedata.normalize("NFKD", _SPECIALS.sub(_special, text))
    return text.encode("ascii", "ignore").translate(_BYTES).decode("ascii")


def _special(match: re.Match[str]) -> str:
    return _SPECIAL_VALUES[match.group(0)]


def fold_accents(text: str) -> str:
    """Lowercase and accents removed, punctuation kept: for marks such as "H/F" or "(e)"."""
    return text.lower().translate(_ACCENTS)


def plural_to_singular(word: str) -> str:
    """Regular French plurals: "offres" -> "offre", "locaux" -> "local", "bureaux" -> "bureau".

    Words of three letters or fewer are left alone ("bus", "gaz"). Irregular words fold wrongly
    but the same way everywhere ("prix" -> "pri"), which is all matching needs.
    """
    if len(word) <= 3:
        return word
    if word.endswith("aux") and not word.endswith(("eaux", "yaux")) and len(word) > 4:
        return word[:-3] + "al"  # locaux -> local, animaux -> animal
    if word[-1] in "sx":
        return word[:-1]
    return word


def terms(text: str) -> list[str]:
    """Folded words, stop words and one-letter words removed, plurals folded, in text order."""
    cache = _TERMS
    found = []
    for word in fold(text).split():
        term = cache.get(word)
        if term is None:
            term = "" if len(word) < 2 or word in STOP_WORDS else plural_to_singular(word)
            if len(cache) < _TERMS_LIMIT:
                cache[word] = term
        if term:
            found.append(term)
    return found


# Offers share a vocabulary of some tens of thousands of words: remembering each word's term
# turns the per-word work into one dictionary lookup.
_TERMS: dict[str, str] = {}
_TERMS_LIMIT = 500_000


def words(text: str) -> list[str]:
    """Folded words, nothing removed: what the language detector counts."""
    return fold(text).split()


def stable_hash(word: str) -> int:
    """A 32-bit hash that does not change between processes (Python's `hash` does)."""
    return crc32(word.encode())


_SCRIPT_STYLE = re.compile(r"<(script|style)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_BLOCK_BREAK = re.compile(r"<\s*(br|/p|/div|/h[1-6]|/ul|/ol|/tr|hr)\b[^>]*>", re.IGNORECASE)
_LIST_ITEM = re.compile(r"<\s*li\b[^>]*>", re.IGNORECASE)
# Inline tags vanish ("<b>Nantes</b>, 44" stays "Nantes, 44"); any other tag separates words.
_INLINE_TAG = re.compile(r"</?\s*(b|strong|i|em|u|span|a|small|sup|sub|font|abbr)\b[^>]*>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]+>")
_SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")


def html_to_text(markup: str) -> str:
    """Readable text from the HTML of a feed: paragraphs and list items on their own lines,
    entities decoded, tags dropped. Plain text goes through unchanged but for spaces."""
    text = _SCRIPT_STYLE.sub(" ", markup)
    text = _BLOCK_BREAK.sub("\n", text)
    text = _LIST_ITEM.sub("\n- ", text)
    text = html.unescape(_TAG.sub(" ", _INLINE_TAG.sub("", text)))
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()
