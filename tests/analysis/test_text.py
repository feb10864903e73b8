"""The pure text functions behind search: normal form, tokens, query words, snippets."""

from __future__ import annotations

import unicodedata

from xuncha.analysis.text import (
    bigrams,
    encode_char,
    fts5_query,
    highlight,
    index_tokens,
    normalise,
    query_terms,
    runs,
    term_tokens,
    tsquery,
)


def test_normalise_folds_width_and_case() -> None:
    assert normalise("３Ａ级景区，２０２３年") == "3a级景区,2023年"


def test_runs_split_on_punctuation_and_space_of_either_width() -> None:
    assert list(runs(normalise("资金、党建　两委 (3A)"))) == ["资金", "党建", "两委", "3a"]


def test_encoded_characters_are_five_lowercase_letters_and_distinct() -> None:
    codes = {encode_char(c) for c in "资金党建两委3a年\U00020000"}
    assert len(codes) == 10
    assert all(len(code) == 5 and code.isascii() and code.isalpha() for code in codes)


def test_bigrams_cover_pairs_and_the_last_character() -> None:
    e = encode_char
    assert bigrams("资金款") == [e("资") + e("金"), e("金") + e("款"), e("款")]
    assert bigrams("村") == [e("村")]


def test_index_tokens_of_a_text_hold_every_pair_of_its_words() -> None:
    tokens = index_tokens("党建，资金").split()
    assert tokens == [encode_char("党") + encode_char("建"), encode_char("建"),
                      encode_char("资") + encode_char("金"), encode_char("金")]


def test_query_terms_split_dedupe_and_drop_contained_words() -> None:
    assert query_terms("资金，党建 资金") == ["资金", "党建"]
    assert query_terms("资金 资金管理") == ["资金管理"]
    assert query_terms(" ，。！") == []
    assert query_terms("２０２３年 ３Ａ") == ["2023年", "3a"]


def test_single_characters_are_prefix_queries() -> None:
    assert term_tokens("村") == ([], encode_char("村"))
    pair = encode_char("资") + encode_char("金")
    assert fts5_query(["村", "资金"]) == f"{encode_char('村')}* AND {pair}"
    assert tsquery(["资金"]) == encode_char("资") + encode_char("金")
    assert tsquery(["村"]) == encode_char("村") + ":*"


def test_highlight_escapes_then_marks_in_the_original_text() -> None:
    snippet = highlight("<b>３Ａ</b>级景区资金", ["3a", "资金"])
    assert snippet == "&lt;b&gt;<mark>３Ａ</mark>&lt;/b&gt;级景区<mark>资金</mark>"


def test_highlight_windows_long_text_around_the_first_match() -> None:
    text = "甲" * 300 + "资金" + "乙" * 300
    snippet = highlight(text, ["资金"], width=40)
    assert snippet.startswith("…") and snippet.endswith("…")
    assert "<mark>资金</mark>" in snippet
    assert len(snippet.replace("<mark>", "").replace("</mark>", "")) == 42


def test_highlight_merges_overlapping_matches() -> None:
    assert highlight("资金资金", ["资金", "金资"]) == "<mark>资金资金</mark>"


def test_index_tokens_are_the_bigrams_of_the_runs_for_any_text() -> None:
    """index_tokens works in C (translate, one regex); it must equal the definition — the
    bigrams of each run of the normal form — for any characters: wide, folded, expanding
    (㍿ → 株式会社), separators, digits, astral, empty runs."""
    import random

    rng = random.Random(7)
    alphabet = ("巡察整改问题ＡＢＣabcİß123１２３ _-，。！?①Ⅻﬁ㍿\u3000\t\n\u2028😀\U00020000"
                + "".join(chr(rng.randrange(0x20, 0x30000)) for _ in range(200)))
    for _ in range(20000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 30)))
        normal = "".join(unicodedata.normalize("NFKC", char).casefold() for char in text)
        assert normalise(text) == normal
        expected = " ".join(token for run in runs(normal) for token in bigrams(run))
        assert index_tokens(text) == expected, text
