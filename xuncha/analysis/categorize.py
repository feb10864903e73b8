"""Suggest a taxonomy category for a problem from the category keywords the office keeps."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

_SEPARATORS = re.compile(r"[、，,；;\s]+")


@dataclass(frozen=True)
class CategoryRule:
    code: str
    keywords: tuple[str, ...]

    @classmethod
    def from_text(cls, code: str, keywords: str) -> CategoryRule:
        words = tuple(w.strip("“”\"") for w in _SEPARATORS.split(keywords) if w.strip("“”\""))
        return cls(code, words)


def suggest_category(text: str, rules: Iterable[CategoryRule]) -> str | None:
    """The code of the category whose keywords occur most often in ``text``; None if none do.

    Ties go to the rule listed first, which is the office's own ordering of its taxonomy.
    """
    best_code, best_hits = None, 0
    for rule in rules:
        hits = sum(text.count(word) for word in rule.keywords)
        if hits > best_hits:
            best_code, best_hits = rule.code, hits
    return best_code


#: Words in a category label that say nothing about which category it means.
_GENERIC_WORDS = ("方面", "问题", "领域", "工作", "建设", "情况", "有关", "相关")
_LABEL_NUMBERING = re.compile(
    r"^(?:[一二三四五六七八九十]+|\d+)[、.．]|^[(（][一二三四五六七八九十\d]+[)）]")
_LABEL_SUFFIX = re.compile(r"(?:方面|类|问题|领域)+$")


def _pairs(text: str) -> set[str]:
    return {text[i:i + 2] for i in range(len(text) - 1)}


def match_category_label(label: str, names: Iterable[str]) -> str | None:
    """The taxonomy name an office's own category label means (a ledger's 问题类别 cell):

    the name itself; else the one name containing the label or contained in it (政治建设 →
    政治建设与决策部署落实, 组织建设 → 基层党组织建设); else the one name sharing the most
    character pairs with it, generic words (建设, 方面, 问题 …) not counted (作风建设 →
    群众身边腐败和作风问题). None when nothing matches or two names match equally.
    """
    names = list(names)
    key = _SEPARATORS.sub("", _LABEL_NUMBERING.sub("", label.strip()))
    if key in names:
        return key
    key = _LABEL_SUFFIX.sub("", key) or key
    if key in names:
        return key
    if len(key) < 2:
        return None
    containing = [name for name in names if key in name or name in key]
    if len(containing) == 1:
        return containing[0]
    generic = set().union(*(_pairs(word) for word in _GENERIC_WORDS))
    wanted = _pairs(key) - generic
    scores = sorted(((len(wanted & _pairs(name)), name) for name in names), reverse=True)
    if not scores or scores[0][0] == 0 or (len(scores) > 1 and scores[1][0] == scores[0][0]):
        return None
    return scores[0][1]
