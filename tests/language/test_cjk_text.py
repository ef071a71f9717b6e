"""Korean, Japanese and Chinese: words, lemmas, readings, sentences and lengths."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from opad.text.cjk import (
    analyze,
    count_units,
    lemma,
    readings,
    split_sentences,
    tokenize,
    words,
)
from opad.text.normalize import normalize


def lemmas(code: str, text: str) -> dict[str, str]:
    return {t.word: t.lemma for t in tokenize(code, text)}


def content(code: str, text: str) -> set[str]:
    return {m.lemma for m in analyze(code, text) if m.is_content}


# --- Korean -------------------------------------------------------------------------


def test_korean_verbs_come_back_in_dictionary_form() -> None:
    found = lemmas("ko", "어제 시장에 갔어요. 저녁에는 비빔밥을 먹었습니다.")
    assert found["갔어요"] == "가다"
    assert found["먹었습니다"] == "먹다"
    assert found["시장에"] == "시장"  # a click on 시장에 looks up 시장
    assert found["비빔밥을"] == "비빔밥"


def test_korean_irregular_and_derived_verbs() -> None:
    found = lemmas("ko", "학생들이 도서관에서 공부했다. 방이 깨끗한 편이다. 천천히 걸어요.")
    assert found["공부했다"] == "공부하다"
    assert found["깨끗한"] == "깨끗하다"
    assert found["걸어요"] == "걷다"  # ㄷ-irregular
    assert found["학생들이"] == "학생"


def test_korean_particles_and_endings_are_never_content() -> None:
    morphemes = analyze("ko", "할머니가 손녀에게 김치를 담가 주셨습니다. 사람들은 기뻐했다.")
    for m in morphemes:
        if m.pos[0] in "JES":  # particles, endings, punctuation
            assert not m.is_content, m
    assert {"할머니", "손녀", "김치", "담그다"} <= content("ko", "할머니가 손녀에게 김치를 담가")
    assert "에게" not in content("ko", "할머니가 손녀에게 김치를 담가")


def test_korean_names_and_numbers_are_not_content() -> None:
    found = content("ko", "이순자 씨는 3월에 서울에서 70세 생일을 맞았다.")
    assert "생일" in found
    assert not {"이순자", "서울", "3", "70"} & found


def test_korean_compound_nouns_are_two_clicks() -> None:
    assert words("ko", "노인복지관에 들렀다") == ["노인", "복지관에", "들렀다"]


def test_korean_sentences_keep_their_quotations() -> None:
    text = '그는 "안녕하세요. 반가워요!"라고 말했다. 다음 날 다시 만났다. 정말요?'
    assert split_sentences("ko", text) == [
        '그는 "안녕하세요. 반가워요!"라고 말했다.',
        "다음 날 다시 만났다.",
        "정말요?",
    ]


# --- Japanese -----------------------------------------------------------------------


def test_japanese_dictionary_forms_and_readings() -> None:
    found = lemmas("ja", "昨日、友達と図書館に行きました。ご飯を食べました。")
    assert found["行きました"] == "行く"
    assert found["食べました"] == "食べる"
    assert found["図書館"] == "図書館"  # one word, not 図書 + 館
    readings = {m.lemma: m.reading for m in analyze("ja", "図書館で本を読んだ。")}
    assert readings["図書館"] == "としょかん"
    assert readings["本"] == "ほん"


def test_japanese_proper_nouns_keep_their_written_form() -> None:
    found = lemmas("ja", "東京で田中さんに会った。")
    assert found["東京"] == "東京"  # never the katakana トウキョウ
    assert not {"東京", "田中"} & content("ja", "東京で田中さんに会った。")


def test_japanese_particles_and_auxiliaries_are_never_content() -> None:
    morphemes = analyze("ja", "子どもたちは毎日学校で遊んでいます。雨が降ったら、家にいましょう。")
    for m in morphemes:
        if m.pos.startswith(("助詞", "助動詞", "補助記号")):
            assert not m.is_content, m
    found = content("ja", "子どもたちは毎日学校で遊んでいます。")
    assert {"学校", "遊ぶ", "毎日"} <= found
    assert "いる" not in found  # 遊んで*いる*: the auxiliary, not the verb "to be"


def test_japanese_sentences_keep_quotations_with_their_clause() -> None:
    text = (
        "彼は「そうですね。行きましょう！」と言った。雨が降った。"
        "「ありがとう。」「どういたしまして。」"
    )
    assert split_sentences("ja", text) == [
        "彼は「そうですね。行きましょう！」と言った。",
        "雨が降った。",
        "「ありがとう。」",
        "「どういたしまして。」",
    ]


# --- Chinese ------------------------------------------------------------------------


def test_chinese_words_and_pinyin() -> None:
    assert words("zh", "我们去社区图书馆看书。") == ["我们", "去", "社区", "图书馆", "看书"]
    readings = {m.surface: m.reading for m in analyze("zh", "社区图书馆")}
    assert readings == {"社区": "shè qū", "图书馆": "tú shū guǎn"}


def test_chinese_function_words_and_names_are_not_content() -> None:
    found = content("zh", "我们在北京的社区图书馆看了三本书，然后回家了。")
    assert {"社区", "图书馆"} <= found
    assert not {"我们", "在", "的", "了", "三", "北京", "然后"} & found


def test_chinese_sentences_keep_quotations_with_their_clause() -> None:
    text = "他说：“我们很高兴。你呢？”然后离开了。保护生物多样性很重要！真的吗？"
    assert split_sentences("zh", text) == [
        "他说：“我们很高兴。你呢？”然后离开了。",
        "保护生物多样性很重要！",
        "真的吗？",
    ]


def test_chinese_jieba_cache_goes_to_the_data_dir(tmp_path: Path) -> None:
    # A fresh process: the cache is written where OPAD keeps its data, not in /tmp.
    env = {**os.environ, "OPAD_DATA_DIR": str(tmp_path)}
    code = "from opad.text.cjk import words; print(words('zh', '图书馆'))"
    subprocess.run([sys.executable, "-c", code], env=env, check=True, capture_output=True)
    assert (tmp_path / "cache" / "jieba.cache").stat().st_size > 1_000_000


# --- all three ----------------------------------------------------------------------

SAMPLES = {
    "ko": "서울 마포구의 한 노인복지관 교실. 어르신 스무 명이 스마트폰을 들고 있다.",
    "ja": "東京の小さな駅で、ボランティアが観光客に道を案内しています。",
    "zh": "长江江豚的数量这几年明显增加了，渔民们说“这是好消息”。",
}


@pytest.mark.parametrize("code", ["ko", "ja", "zh"])
def test_spans_equal_the_normalized_text(code: str) -> None:
    # Decomposed Hangul/kana in the input: spans refer to the NFC text.
    raw = normalize(SAMPLES[code]).replace("한", "\u1112\u1161\u11ab") + "\u00ad"
    norm = normalize(raw)
    tokens = tokenize(code, raw)
    assert tokens
    last = 0
    for t in tokens:
        assert norm[t.start : t.end] == t.word
        assert t.start >= last  # in order, never overlapping
        last = t.end
    for m in analyze(code, raw):
        assert norm[m.start : m.end] == m.surface


@pytest.mark.parametrize(
    ("code", "text", "expected"),
    [
        ("ko", "시장에 갔어요.", 6),
        ("ja", "図書館に行きました。", 9),
        ("zh", "我们去图书馆，2026年。", 7),  # digits and punctuation do not count
        ("ko", "", 0),
    ],
)
def test_count_units_counts_letters(code: str, text: str, expected: int) -> None:
    assert count_units(code, text) == expected


def test_lemma_of_a_single_word() -> None:
    assert lemma("ko", "갔어요") == "가다"
    assert lemma("ja", "行きました") == "行く"
    assert lemma("zh", "图书馆") == "图书馆"


def test_other_languages_are_refused() -> None:
    with pytest.raises(ValueError, match="'de'"):
        analyze("de", "Guten Tag")
    with pytest.raises(ValueError, match="'fr'"):
        split_sentences("fr", "Bonjour.")


def test_an_analyzer_is_built_once_when_threads_race() -> None:
    import threading
    import time

    from opad.text.cjk.morpheme import load_once

    cache: dict[str, object] = {}
    built: list[int] = []

    def build() -> object:
        built.append(1)
        time.sleep(0.05)  # a slow model load: every thread arrives meanwhile
        return object()

    results: list[object] = []
    threads = [
        threading.Thread(target=lambda: results.append(load_once(cache, "m", build)))
        for _ in range(8)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(built) == 1
    assert all(r is results[0] for r in results)


def test_long_texts_are_analyzed_in_pieces_without_losing_a_word() -> None:
    # Sudachi refuses ~49 KB at once; 20 000 characters go through in pieces.
    text = "図書館に行きました。" * 2000
    tokens = tokenize("ja", text)
    assert [t.lemma for t in tokens].count("図書館") == 2000
    assert all(normalize(text)[t.start : t.end] == t.word for t in tokens)


def test_readings_go_with_whole_tokens() -> None:
    ja = {t.word: r for t, r in readings("ja", "昨日、図書館で本を読みました。")}
    assert ja["図書館"] == "としょかん"
    assert ja["読みました"] == "よみました"
    zh = {t.word: r for t, r in readings("zh", "我们去社区图书馆。")}
    assert zh["图书馆"] == "tú shū guǎn"
    assert zh["社区"] == "shè qū"
    assert [r for _, r in readings("ko", "시장에 갔어요.")] == ["", ""]
    assert [t for t, _ in readings("ja", "本を読む")] == tokenize("ja", "本を読む")


def test_a_japanese_word_in_kana_has_no_reading() -> None:
    """No furigana over kana: katakana (ケーキ was given けーき) and hiragana words are
    read as written, in the vocabulary's lemma reading, the reader's tokens and
    `readings`; kanji words keep theirs, and the katakana word keeps its JLPT level."""
    from opad.reading.cjk_tokens import cjk_tokens
    from opad.text.cjk import word_facts
    from opad.text.cjk.facts import lemma_reading
    from opad.text.estimator import LevelEstimator

    for word in ("ケーキ", "コーヒー", "テレビ", "パン", "たべもの", "おいしい", "ありがとう"):
        assert lemma_reading("ja", word) == "", word
        assert word_facts("ja", word).reading == "", word
        assert LevelEstimator("Japanese").reading(word) == "", word
    text = "ケーキとコーヒーを喫茶店で食べました。"
    tokens = {t.surface: t.reading for t in cjk_tokens("ja", text)}
    assert tokens["ケーキ"] == "" and tokens["コーヒー"] == ""
    assert tokens["喫茶店"] == "きっさてん" and tokens["食べました"] == "たべました"
    listed = {t.word: r for t, r in readings("ja", text)}
    assert listed["ケーキ"] == "" and listed["コーヒー"] == "" and listed["と"] == ""
    assert listed["喫茶店"] == "きっさてん"
    assert (
        lemma_reading("ja", "食べる") == "たべる" and lemma_reading("ja", "図書館") == "としょかん"
    )
    # The level lookup still finds katakana words in the JLPT lists by their kana.
    assert LevelEstimator("Japanese").word("ケーキ").detail.scale.startswith("JLPT")
    assert LevelEstimator("Japanese").word("テレビ").detail.scale.startswith("JLPT")
