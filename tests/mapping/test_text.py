"""Text clean-up: safe NFKC, stray spaces of PDF extraction, variant characters, match keys."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mapping.text import Cleaned, clean, fold_variants, match_key, nfkc

VARIANTS = Path(__file__).resolve().parents[2] / "mapping" / "variant_characters.csv"


# --- clean ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, cleaned",
    [
        # width variants folded
        ("ＡＢＣ　市", "ABC 市"),
        ("１２３", "123"),
        ("ｶﾀｶﾅ", "カタカナ"),
        ("ﾃﾞｨｽﾞﾆｰ", "ディズニー"),
        ("（株） 東京", "(株)東京"),
        ("Ⅲ期", "III期"),
        # enclosed and parenthesised forms kept, the rest of the string still folded
        ("①森林整備 ②交流", "①森林整備 ②交流"),
        ("㈱ＡＢＣ", "㈱ABC"),
        ("⑩ｶﾀｶﾅ", "⑩カタカナ"),
        # stray spaces between CJK characters (PDF line breaks) removed
        ("千代田区と智頭町との 森林整備事業", "千代田区と智頭町との森林整備事業"),
        ("群馬 県 水上 町", "群馬県水上町"),
        ("亘理 町のいちご復興連携 協議会", "亘理町のいちご復興連携協議会"),
        ("東京　都", "東京都"),  # ideographic space
        ("東 京\t都", "東京都"),  # a tab is a stray space too
        ("「交流」 事業", "「交流」事業"),
        ("(公財)沖縄観光コ ンベンションビュ ロー", "(公財)沖縄観光コンベンションビュロー"),
        # spaces between Latin words kept, runs collapsed
        ("e. CYCLE CHIYODA", "e. CYCLE CHIYODA"),
        ("Sister  City  Agreement", "Sister City Agreement"),
        ("東京 ABC 大阪", "東京 ABC 大阪"),
        ("東京都青梅市 NPO法人", "東京都青梅市 NPO法人"),  # CJK next to Latin: kept
        # surrounding space stripped
        ("\u3000前後\u3000", "前後"),
        ("  ", ""),
        ("", ""),
    ],
)
def test_clean(text, cleaned):
    assert clean(text) == cleaned


def test_nfkc_keeps_enclosed_numbers_only():
    assert nfkc("①２") == "①2"
    assert nfkc("㈲") == "㈲"
    assert nfkc("㍿") == "株式会社"  # not in the kept set: folded
    assert nfkc("ＡＢＣ") == "ABC"


def test_cleaned_keeps_the_original():
    cleaned = Cleaned.of("群馬 縣 水上町 ")
    assert cleaned.original == "群馬 縣 水上町 "
    assert cleaned.text == "群馬縣水上町"  # clean does not fold variants


SAMPLE = st.text(st.sampled_from(list("東京都縣ヶ市区町村「」、。（）①㈱ \u3000\tＡBaｶ1１.-")), max_size=16)


@settings(max_examples=500, deadline=None)
@given(SAMPLE)
def test_clean_is_idempotent(text):
    once = clean(text)
    assert clean(once) == once
    assert once == once.strip()
    assert "  " not in once and "\u3000" not in once and "\t" not in once


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_text_functions_never_raise(text):
    assert isinstance(clean(text), str)
    assert isinstance(match_key(text), str)
    assert " " not in match_key(text)


# --- variant characters ---------------------------------------------------------


@pytest.mark.parametrize(
    "text, folded",
    [
        ("縣", "県"),
        ("濱", "浜"),
        ("兒", "児"),
        ("ヶ", "ケ"),
        ("ヵ", "カ"),
        ("鹿兒島縣南薩摩市", "鹿児島県南薩摩市"),
        ("龍ヶ崎", "龍ケ崎"),
        ("帶広市", "帯広市"),
        ("那霸市", "那覇市"),
        ("承德市", "承徳市"),
        ("營口市", "営口市"),
        ("橫濱", "横浜"),
        ("台灣", "台湾"),
        ("臺灣", "台湾"),
        ("筑波未來市", "筑波未来市"),
        ("與那國町", "与那国町"),
        ("群馬県水上町", "群馬県水上町"),  # already standard: unchanged
        ("Tokyo", "Tokyo"),
    ],
)
def test_fold_variants(text, folded):
    assert fold_variants(text) == folded


def test_fold_variants_keeps_length_and_the_standard_forms():
    with VARIANTS.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert rows, "the variant table is empty"
    variants = {row["variant"] for row in rows}
    for row in rows:
        assert len(row["variant"]) == 1 and len(row["standard"]) == 1, row
        assert row["reason"].strip(), row
        assert fold_variants(row["variant"]) == row["standard"]
        # A standard form is never itself rewritten (folding is stable).
        assert row["standard"] not in variants, row
    assert len(variants) == len(rows), "a variant is listed twice"


# --- match keys -----------------------------------------------------------------


@pytest.mark.parametrize(
    "a, b",
    [
        (" 群馬縣 水上町 ", "群馬県水上町"),
        ("龍ヶ崎市", "龍ケ崎市"),
        ("鹿兒島縣", "鹿児島県"),
        ("ＡＢＣ市", "ABC市"),
        ("New York", "NewYork"),
        ("承德市", "承徳市"),
        ("東京 都\u3000北区", "東京都北区"),
    ],
)
def test_match_key_unifies_spellings(a, b):
    assert match_key(a) == match_key(b)


@pytest.mark.parametrize("a, b", [("明和町", "明和村"), ("楢葉町", "双葉町"), ("北区", "北区役所"), ("①", "1")])
def test_match_key_keeps_different_names_apart(a, b):
    assert match_key(a) != match_key(b)


@settings(max_examples=300, deadline=None)
@given(SAMPLE)
def test_match_key_is_stable(text):
    key = match_key(text)
    assert match_key(key) == key
    assert fold_variants(key) == key
