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
