"""The legality check every offer goes through once, whatever board it will reach.

The rules are data (`referentials/legality.yaml`: patterns, lawful phrasings, legal exceptions,
explanations, legal bases), so lawyers can read and amend them without reading Python; this
module only runs them. Each finding says which words triggered it, in the offer's own writing,
why it is a problem and on what legal basis, so an employer can fix the offer and a counsellor
can explain it. Blocking findings quarantine the offer; warnings travel with it.
"""
from __future__ import annotations

import re
import re._constants as sre  # the regex parser's own modules (Python 3.11+), to read patterns
import re._parser as sre_parse
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Mapping

import yaml

from services.offers.domain.model import Finding, OfferDraft
from services.offers.domain.text import STOP_WORDS, fold, fold_accents

RULES_FILE = Path(__file__).resolve().parent.parent / "referentials" / "legality.yaml"
FIELDS = ("title", "description")
EXCERPT_CONTEXT = 40  # characters shown around the offending words
# A rule is searched within this many characters around each occurrence of its trigger words,
# not through the whole text: the rules are phrases of a few words, far shorter.
WINDOW = 250


class InvalidRulebook(ValueError):
    """The rules file is malformed; the message names the rule at fault."""


@dataclass(frozen=True)
class LegalException:
    contract_types: frozenset[str]
    text: re.Pattern[str] | None
    severity: str | None  # None: the finding is dropped
    note: str

    def applies(self, draft: OfferDraft, folded_offer: str) -> bool:
        return draft.contract_type in self.contract_types or bool(self.text and self.text.search(folded_offer))


@dataclass(frozen=True)
class Rule:
    id: str
    severity: str
    pattern: re.Pattern[str]
    # Words one of which every match contains (None: could not be worked out, always search).
    # Most offers contain none, and a set test costs far less than a regex search.
    triggers: frozenset[str] | None
    allowed: re.Pattern[str] | None
    exception: LegalException | None
    explanation: str
    legal_basis: str

    def first_match(self, folded: str, present: set[str] | None = None) -> tuple[int, int] | None:
        """The first span of `folded` this rule objects to, lawful phrasings aside. `present`,
        the words of the text, lets the search skip to where a trigger word occurs."""
        if self.triggers is None or present is None:
            return self._first_match_in(folded, 0, len(folded))
        words = self.triggers & present
        positions = sorted(position for word in words for position in _occurrences(folded, word))
        for start, end in _windows(folded, positions):
            span = self._first_match_in(folded, start, end)
            if span:
                return span
        return None

    def _first_match_in(self, folded: str, start: int, end: int) -> tuple[int, int] | None:
        allowed_spans: list[tuple[int, int]] | None = None
        for match in self.pattern.finditer(folded, start, end):
            if self.allowed is None:
                return match.span()
            if allowed_spans is None:
                low, high = _word_start(folded, start - WINDOW), _word_end(folded, end + WINDOW)
                allowed_spans = [m.span() for m in self.allowed.finditer(folded, low, high)]
            match_start, match_end = match.span()
            if not any(a < match_end and match_start < b for a, b in allowed_spans):
                return match_start, match_end
        return None


@dataclass(frozen=True)
class GenderedTitles:
    forms: re.Pattern[str]
    gender_of: dict[str, tuple[int, str]]  # folded form -> (pair index, "m" or "f")
    neutral: re.Pattern[str]
    masculine_only_severity: str
    feminine_only_severity: str
    masculine_only_explanation: str
    feminine_only_explanation: str
    legal_basis: str


@dataclass(frozen=True)
class LanguageCheck:
    min_function_words: int
    blocking_share: float
    warning_share: float
    french: frozenset[str]
    foreign: frozenset[str]  # English and the other languages boards receive
    blocking: Mapping[str, str]
    warning: Mapping[str, str]


@dataclass(frozen=True)
class Rulebook:
    version: int
    rules: tuple[Rule, ...]
    gendered: GenderedTitles
    language: LanguageCheck
    missing: Mapping[str, Mapping[str, str]]

    @classmethod
    def default(cls) -> "Rulebook":
        return _default_rulebook()

    @classmethod
    def from_yaml(cls, path: str | Path) -> "Rulebook":
        return cls.parse(yaml.safe_load(Path(path).read_text(encoding="utf-8")))

    @classmethod
    def parse(cls, document: Mapping[str, Any]) -> "Rulebook":
        try:
            rules = tuple(_rule(raw) for raw in document["rules"])
            ids = [rule.id for rule in rules]
            if len(ids) != len(set(ids)):
                raise InvalidRulebook("rule ids must be unique")
            return cls(
                version=int(document.get("version", 1)),
                rules=rules,
                gendered=_gendered(document["gendered_titles"]),
                language=_language_check(document["language"]),
                missing=document["missing"],
            )
        except (KeyError, TypeError, re.error) as error:
            raise InvalidRulebook(f"legality rules: {error!r}") from error


def _occurrences(folded: str, word: str) -> list[int]:
    """Where `word` stands as a whole word in folded text (only letters, digits and spaces)."""
    found, start, size = [], folded.find(word), len(word)
    while start != -1:
        end = start + size
        if (start == 0 or folded[start - 1] == " ") and (end == len(folded) or folded[end] == " "):
            found.append(start)
        start = folded.find(word, end)
    return found


def _windows(folded: str, positions: list[int]) -> list[tuple[int, int]]:
    """Merged spans of WINDOW characters either side of each position, cut at word starts and
    ends so that the rules' word boundaries hold at their edges."""
    windows: list[tuple[int, int]] = []
    for position in positions:
        start, end = _word_start(folded, position - WINDOW), _word_end(folded, position + WINDOW)
        if windows and start <= windows[-1][1]:
            windows[-1] = (windows[-1][0], max(end, windows[-1][1]))
        else:
            windows.append((start, end))
    return windows


def _word_start(folded: str, index: int) -> int:
    return 0 if index <= 0 else folded.rfind(" ", 0, index) + 1


def _word_end(folded: str, index: int) -> int:
    if index >= len(folded):
        return len(folded)
    space = folded.find(" ", index)
    return len(folded) if space == -1 else space


def check(draft: OfferDraft, rulebook: Rulebook | None = None) -> list[Finding]:
    """Every finding on the offer, blocking ones first."""
    rulebook = rulebook or Rulebook.default()
    texts = {"title": draft.title, "description": draft.description}
    folded = {field: fold(text) for field, text in texts.items()}
    folded_offer = folded["title"] + "\n" + folded["description"]
    word_lists = {field: text.split() for field, text in folded.items()}
    field_words = {field: set(words) for field, words in word_lists.items()}
    offer_words = field_words["title"] | field_words["description"]
    findings: list[Finding] = []

    for rule in rulebook.rules:
        if rule.triggers is not None and rule.triggers.isdisjoint(offer_words):
            continue
        severity, note = rule.severity, ""
        exception_checked = False
        for field in FIELDS:
            span = rule.first_match(folded[field], field_words[field])
            if span is None:
                continue
            if not exception_checked:
                exception_checked = True
                if rule.exception and rule.exception.applies(draft, folded_offer):
                    severity, note = rule.exception.severity, rule.exception.note
            if severity is None:
                break
            explanation = f"{rule.explanation} {note}" if note else rule.explanation
            findings.append(Finding(rule.id, severity, field, excerpt(texts[field], folded[field], span),
                                    explanation, rule.legal_basis))

    findings.extend(_gendered_title(draft.title, folded["title"], rulebook.gendered))
    findings.extend(_language_findings(draft.description, word_lists["title"] + word_lists["description"],
                                      rulebook.language))
    findings.extend(_missing(draft, rulebook.missing))
    findings.sort(key=lambda f: f.severity != "blocking")
    return findings


def is_blocking(findings: Iterable[Finding]) -> bool:
    return any(finding.severity == "blocking" for finding in findings)


def excerpt(original: str, folded: str, span: tuple[int, int]) -> str:
    """The offending words as the employer wrote them, with a little context either side."""
    start, end = span
    if len(folded) != len(original):  # a ligature was spread: map folded offsets back
        start, end = _original_offset(original, start), _original_offset(original, end)
    left = max(0, start - EXCERPT_CONTEXT)
    right = min(len(original), end + EXCERPT_CONTEXT)
    if left > 0:
        space = original.find(" ", left, start)
        left = space + 1 if space != -1 else left
    if right < len(original):
        space = original.rfind(" ", end, right)
        right = space if space != -1 else right
    text = " ".join(original[left:right].split())
    return f"{'…' if left > 0 else ''}{text}{'…' if right < len(original) else ''}"


def _original_offset(original: str, folded_offset: int) -> int:
    length = 0
    for index, char in enumerate(original):
        if length >= folded_offset:
            return index
        length += len(fold(char))
    return len(original)


def _gendered_title(title: str, folded_title: str, config: GenderedTitles) -> list[Finding]:
    masculine: dict[int, tuple[int, int]] = {}
    feminine: dict[int, tuple[int, int]] = {}
    for match in config.forms.finditer(folded_title):
        pair, gender = config.gender_of[" ".join(match.group(0).split())]
        (masculine if gender == "m" else feminine).setdefault(pair, match.span())
    if masculine.keys() & feminine.keys():
        return []  # both forms spelled out: the title addresses both sexes
    feminine_only = list(feminine.values())
    if feminine_only:
        return [Finding("gendered_title", config.feminine_only_severity, "title",
                        excerpt(title, folded_title, feminine_only[0]),
                        config.feminine_only_explanation, config.legal_basis)]
    masculine_only = list(masculine.values())
    if masculine_only and not config.neutral.search(fold_accents(title)):
        return [Finding("title_without_gender_mention", config.masculine_only_severity, "title",
                        excerpt(title, folded_title, masculine_only[0]),
                        config.masculine_only_explanation, config.legal_basis)]
    return []


def _language_findings(description: str, offer_words: list[str], config: LanguageCheck) -> list[Finding]:
    french = len(list(filter(config.french.__contains__, offer_words)))
    foreign = len(list(filter(config.foreign.__contains__, offer_words)))
    if french + foreign < config.min_function_words:
        # Too few function words to judge a short text. A long one with hardly any Latin words is
        # in another script, which folding drops: not French either.
        if len(description) >= 200 and len(offer_words) * 20 < len(description):
            return [_language_finding(config.blocking, "blocking", description)]
        return []
    share = foreign / (french + foreign)
    if share >= config.blocking_share:
        return [_language_finding(config.blocking, "blocking", description)]
    if share >= config.warning_share:
        return [_language_finding(config.warning, "warning", description)]
    return []


def _language_finding(rule: Mapping[str, str], severity: str, description: str) -> Finding:
    text = " ".join(description.split())
    return Finding(rule["rule_id"], severity, "description", text[:120] + ("…" if len(text) > 120 else ""),
                   " ".join(rule["explanation"].split()), rule["legal_basis"])


def _missing(draft: OfferDraft, missing: Mapping[str, Mapping[str, str]]) -> list[Finding]:
    absent = (("place", "place", draft.place is None), ("contract_type", "contract.type", draft.contract_type is None))
    return [Finding(missing[key]["rule_id"], "blocking", field, "", " ".join(missing[key]["explanation"].split()),
                    missing[key]["legal_basis"]) for key, field, is_absent in absent if is_absent]


def _source(pattern: str) -> str:
    # A space stands for any run of spaces (folding turns "l'âge" into "l age"; line breaks and
    # double spaces survive it), an optional space " ?" for any run or none.
    return pattern.strip().replace(" ?", r"\s*").replace(" ", r"\s+")


def _compile(patterns: Iterable[str]) -> re.Pattern[str]:
    alternatives = "|".join(f"(?:{_source(p)})" for p in patterns)
    return re.compile(rf"\b(?:{alternatives})\b")


# Words too frequent in offers to be worth a trigger; a rarer word of the pattern is taken.
_COMMON = STOP_WORDS | frozenset("""
pas plus moins sans non aucun aucune etre etes entre avoir uniquement exclusivement poste travail bonne
bien exige exigee requis requise obligatoire demande candidat candidate candidats profil profils personne
personnes equipe jour jours mois semaine semaines formation physique ne nee interdit interdite salaire
remuneration situation
""".split())
_EXPANSION_LIMIT = 512


def triggers_of(patterns: Iterable[str]) -> frozenset[str] | None:
    """Words one of which any match of any pattern contains, worked out from the patterns.

    Each pattern is cut into words at its mandatory spaces; a word position whose every variant
    is spelled out ("(moins|plus)", "agee?s?", "(tres )?jeune") yields, for each variant, its
    rarest word. The position with the rarest such words is kept. A pattern with no such
    position (every word a wildcard) makes the whole rule run on every offer: None.
    """
    found: set[str] = set()
    for pattern in patterns:
        best: tuple[tuple[bool, int, int], set[str]] | None = None
        for segment in _segments(sre_parse.parse(_source(pattern)).data):
            variants = _expand(segment)
            if not variants or "" in variants or any(not v.strip() for v in variants):
                continue
            chosen = {max(v.split(), key=_rarity) for v in variants}
            quality = (*min(_rarity(word) for word in chosen), -len(chosen))
            if best is None or quality > best[0]:
                best = (quality, chosen)
        if best is None:
            return None
        found |= best[1]
    return frozenset(found)


def _rarity(word: str) -> tuple[bool, int]:
    return word not in _COMMON and len(word) > 2 and not word.isdigit(), len(word)


def _is_space(items: Any) -> bool:
    return len(items) == 1 and items[0][0] is sre.IN and items[0][1] == [(sre.CATEGORY, sre.CATEGORY_SPACE)]


def _segments(items: list) -> list[list]:
    """The pattern's items cut at its mandatory runs of spaces (`\\s+`)."""
    segments: list[list] = [[]]
    for op, av in items:
        if op in (sre.MAX_REPEAT, sre.MIN_REPEAT) and av[0] >= 1 and _is_space(list(av[2])):
            segments.append([])
        else:
            segments[-1].append((op, av))
    return segments


def _expand(items: Any) -> set[str] | None:
    """Every string `items` can match, spaces as " ", if there are few; None otherwise."""
    results = {""}
    for op, av in items:
        if op is sre.AT:
            continue  # \b and anchors match no character
        if op is sre.LITERAL:
            options = {chr(av)}
        elif op is sre.SUBPATTERN:
            options = _expand(av[-1])
        elif op is sre.BRANCH:
            branches = [_expand(branch) for branch in av[1]]
            options = None if any(b is None for b in branches) else set().union(*branches)
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT):
            low, high, sub = av
            if _is_space(list(sub)):
                options = {" "} if low >= 1 else {"", " "}
            else:
                inner = _expand(sub)
                if inner is None or high > 3:
                    return None
                options, layer = ({""} if low == 0 else set()), {""}
                for count in range(1, high + 1):
                    layer = {a + b for a in layer for b in inner}
                    if count >= low:
                        options |= layer
        elif op is sre.IN and _is_space([(op, av)]):
            options = {" "}
        elif op is sre.IN and all(kind is sre.LITERAL for kind, _ in av):
            options = {chr(code) for _, code in av}
        else:
            return None  # ranges, wildcards, negations: too many strings
        if options is None:
            return None
        results = {a + b for a in results for b in options}
        if len(results) > _EXPANSION_LIMIT:
            return None
    return results


def _rule(raw: Mapping[str, Any]) -> Rule:
    rule_id = raw["id"]
    severity = raw["severity"]
    if severity not in ("blocking", "warning"):
        raise InvalidRulebook(f"rule {rule_id}: severity must be blocking or warning")
    if not raw.get("patterns"):
        raise InvalidRulebook(f"rule {rule_id}: patterns are required")
    exception = None
    if raw.get("exception"):
        ex = raw["exception"]
        if ex.get("severity") not in ("warning", "blocking", "none"):
            raise InvalidRulebook(f"rule {rule_id}: exception severity must be warning, blocking or none")
        exception = LegalException(
            contract_types=frozenset(ex.get("contract_types") or ()),
            text=_compile(ex["text"]) if ex.get("text") else None,
            severity=None if ex["severity"] == "none" else ex["severity"],
            note=" ".join(str(ex.get("note", "")).split()),
        )
    return Rule(
        id=rule_id,
        severity=severity,
        pattern=_compile(raw["patterns"]),
        triggers=triggers_of(raw["patterns"]),
        allowed=_compile(raw["allowed"]) if raw.get("allowed") else None,
        exception=exception,
        explanation=" ".join(raw["explanation"].split()),
        legal_basis=raw["legal_basis"],
    )


def _gendered(raw: Mapping[str, Any]) -> GenderedTitles:
    gender_of: dict[str, tuple[int, str]] = {}
    for index, (masculine, feminine) in enumerate(raw["pairs"]):
        gender_of[" ".join(fold(masculine).split())] = (index, "m")
        gender_of[" ".join(fold(feminine).split())] = (index, "f")
    # Longest forms first, so that "femme de chambre" wins over any shorter form it contains.
    forms = sorted(gender_of, key=len, reverse=True)
    return GenderedTitles(
        forms=_compile(re.escape(form).replace(r"\ ", " ") for form in forms),
        gender_of=gender_of,
        neutral=re.compile("|".join(f"(?:{mark})" for mark in raw["neutral_marks"])),
        masculine_only_severity=raw["masculine_only_severity"],
        feminine_only_severity=raw["feminine_only_severity"],
        masculine_only_explanation=" ".join(raw["masculine_only_explanation"].split()),
        feminine_only_explanation=" ".join(raw["feminine_only_explanation"].split()),
        legal_basis=raw["legal_basis"],
    )


def _language_check(raw: Mapping[str, Any]) -> LanguageCheck:
    return LanguageCheck(
        min_function_words=int(raw["min_function_words"]),
        blocking_share=float(raw["blocking_foreign_share"]),
        warning_share=float(raw["warning_foreign_share"]),
        french=frozenset(raw["french"]),
        foreign=frozenset(raw["english"]) | frozenset(raw.get("other_languages") or ()),
        blocking=raw["blocking"],
        warning=raw["warning"],
    )


@lru_cache(maxsize=1)
def _default_rulebook() -> Rulebook:
    return Rulebook.from_yaml(RULES_FILE)
