"""Rectification-quality flags: pure functions over a problem's text, its rectification text
and its status, each flag with a reason a person can check.

- vague: set phrases (高度重视, 进一步加强 …) and nothing concrete — no number, date, named rule
  (《…》), amount or named place/person;
- unaddressed: key facts of the problem (a named village, a number with its counter, a fund,
  a project, a named document) that the rectification never mentions;
- mismatch: marked done (by status, or the text says 已完成/已整改到位) while the text says the
  work is still going on (正在, 持续, 逐步).

Heuristics, deliberately simple and explained: a flag asks a reviewer to look, it decides
nothing. The office can tune the phrase lists here.
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from dataclasses import dataclass


@functools.lru_cache(maxsize=1024)
def normalise(text: str) -> str:
    """Full-width → half-width (NFKC) and case folded, as search normalises, but over the
    whole string at once (the flags need no positions back into the original): several times
    faster, and each text is read by every flag and the fingerprint, so it is kept."""
    return unicodedata.normalize("NFKC", text).casefold()


SET_PHRASES = (
    "高度重视", "认真学习", "进一步加强", "进一步提高", "进一步强化", "进一步完善", "切实加强",
    "深刻认识", "认真整改", "举一反三", "引以为戒", "立行立改", "深刻反思", "持续用力",
    "常抓不懈", "狠抓落实", "压实责任", "提高认识", "加强学习", "认真对照", "全面整改",
)
ONGOING = ("正在", "持续", "逐步")
DONE_WORDS = ("已完成", "已整改到位", "已整改完成", "整改完毕", "已全部整改", "已销号")
DONE_STATUSES = frozenset({"signed_off", "pending_review", "basically_done"})

_DIGIT = re.compile(r"\d")
_CN_COUNT = re.compile(r"[一二三四五六七八九十百千万两]+[个名人次项件条户村场期份吨亩元]")
_DOCUMENT = re.compile(r"《[^》]{2,60}》")
_NUMBER_FACT = re.compile(
    r"\d+(?:\.\d+)?(?:万元|元|个|名|人次|人|次|项|件|户|笔|条|场次|场|亩|吨|座|家|%)"
)
_PLACE = re.compile(r"([\u4e00-\u9fff]{1,6}?)(村|社区)")
#: Characters that do not occur in the short names before 村/社区 but do in the words that
#: precede them in running text (各村, 到村, 推进社区, 红山等村 …): the name starts after them.
_NOT_IN_NAME = set(
    "的等各全本该每到进下在包导推指实大员名了和与及对把被将向发建设经济级干部委民组线乡镇"
)
_FUND = re.compile(r"([\u4e00-\u9fff]{2,6}(?:资金|经费|补贴|补助|款))")
_PROJECT = re.compile(r"([\u4e00-\u9fff]{2,10}项目)")
_FUND_LEAD = re.compile(r"^.*?(?:发放|使用|管理|拨付|落实|申报|存在|以来|先后|\d+次)")


@dataclass(frozen=True)
class Flag:
    code: str  # "vague" | "unaddressed" | "mismatch"
    reason: str

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "reason": self.reason}


def _concrete(text: str) -> bool:
    return bool(_DIGIT.search(text) or _CN_COUNT.search(text) or _DOCUMENT.search(text))


def vague(rectification: str) -> Flag | None:
    """Set phrases with nothing concrete (no number, date, named document or amount)."""
    text = normalise(rectification)
    phrases = [p for p in SET_PHRASES if p in text]
    if not text.strip() or not phrases or _concrete(text):
        return None
    return Flag("vague", f"只有“{'”“'.join(phrases[:4])}”等表述，没有数字、日期、制度名称或金额")


def key_facts(problem: str) -> list[str]:
    """The facts a rectification should speak to: named villages, numbers with counters,
    funds, projects and named documents (years alone are context, not facts)."""
    text = normalise(problem)
    facts: list[str] = []
    facts += _places(text)
    facts += _NUMBER_FACT.findall(text)
    facts += [_FUND_LEAD.sub("", m) or m for m in _FUND.findall(text)]
    facts += [_FUND_LEAD.sub("", m) or m for m in _PROJECT.findall(text)]
    facts += _DOCUMENT.findall(text)
    return [f for f in dict.fromkeys(facts) if len(f) >= 2]


def _places(text: str) -> list[str]:
    """Named villages and communities: up to six characters before 村/社区 that are not
    words of the running text (油运基地智慧社区 is read whole, not as 地智慧社区)."""
    found = []
    for before, kind in _PLACE.findall(text):
        name = before
        for index in range(len(before) - 1, -1, -1):
            if before[index] in _NOT_IN_NAME:
                name = before[index + 1:]
                break
        if len(name) >= 2:
            found.append(name + kind)
    return found


def _mentioned(fact: str, text: str) -> bool:
    if fact in text:
        return True
    if _PLACE.fullmatch(fact):
        return _place_mentioned(fact, text)
    if _DIGIT.search(fact):
        return False  # a number is mentioned exactly or not at all
    core = fact[-4:] if len(fact) > 4 else fact  # "临时救助资金" is answered by "救助资金"
    return core in text


def _place_mentioned(fact: str, text: str) -> bool:
    """A place is mentioned by its name without 村/社区 (郑家庄), or — a long name — by its first
    two characters and its kind a few characters apart (油运基地智慧社区 by 油运基地社区)."""
    kind = "社区" if fact.endswith("社区") else "村"
    name = fact[: -len(kind)]
    if len(name) >= 2 and name in text:
        return True
    if len(name) < 4:
        return False
    gap = len(name) - 2
    return re.search(re.escape(name[:2]) + rf"[\u4e00-\u9fff]{{0,{gap}}}" + kind,
                     text) is not None


def unaddressed(problem: str, rectification: str) -> Flag | None:
    """Key facts of the problem that the rectification text never mentions."""
    text = normalise(rectification)
    if not text.strip():
        return None
    missing = [fact for fact in key_facts(problem) if not _mentioned(fact, text)]
    if not missing:
        return None
    return Flag("unaddressed", f"整改情况未提及问题中的：{'、'.join(missing[:6])}")


def mismatch(status: str, rectification: str) -> Flag | None:
    """Marked done (status or text) while the text says the work is still going on."""
    text = normalise(rectification)
    claims = [w for w in DONE_WORDS if w in text]
    if status not in DONE_STATUSES and not claims:
        return None
    ongoing = [w for w in ONGOING if w in text]
    if not ongoing:
        return None
    basis = f"状态为已完成类（{status}）" if status in DONE_STATUSES else f"文中称“{claims[0]}”"
    return Flag("mismatch", f"{basis}，但文中仍写“{'”“'.join(ongoing)}”")


def flags(problem: str, rectification: str, status: str) -> list[Flag]:
    """Every flag that applies, in a fixed order (vague, unaddressed, mismatch)."""
    found = [vague(rectification), unaddressed(problem, rectification),
             mismatch(status, rectification)]
    return [flag for flag in found if flag is not None]


def rectification_of(published: str, measures: list[str]) -> str:
    """The text the flags read: the published rectification, or else the drafted measures."""
    return published if published.strip() else "\n".join(m for m in measures if m.strip())


def problem_flags(problem: object) -> list[dict[str, str]]:
    """The flags of a ``Problem`` row (its measures prefetched or fetched), as dicts."""
    measures = [m.content for m in problem.measures.all()]  # type: ignore[attr-defined]
    text = rectification_of(problem.published_rectification, measures)  # type: ignore[attr-defined]
    return [flag.as_dict() for flag in flags(problem.text, text,  # type: ignore[attr-defined]
                                             problem.status)]  # type: ignore[attr-defined]


def raised_on(problem: str, rectification: str) -> str:
    """A fingerprint of the texts a flag is raised on (SHA-256 of the problem text and the
    rectification text, normalised): a dismissal holds only while both stay as they were."""
    payload = normalise(problem).strip() + "\n\x00\n" + normalise(rectification).strip()
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


FLAG_LABELS = {
    "vague": "表述空泛", "unaddressed": "未回应问题要点", "mismatch": "完成状态与表述不符",
}


def label_of(code: str) -> str:
    """The flag's name as users read it."""
    return FLAG_LABELS.get(code, code)
