"""Korean, Japanese and Chinese through OPAD's public text interface, the leveler's
vocabulary and the reader's markup, on real sentences."""

from __future__ import annotations

import re

import pytest

from opad import text
from opad.engines.base import GenerationRequest
from opad.engines.leveler import LevelerEngine
from opad.engines.selection import Sentence
from opad.languages import find_language
from opad.levels import Level
from opad.reading.model import VocabularyItem
from opad.settings import Settings
from opad.text.cjk import word_facts
from opad.text.cohesion import depends_on_previous
from opad.text.estimator import LevelEstimator
from opad.text.kinds import can_be_vocabulary, is_number_word, names
from opad.web.reader import lay
from tests.readings import body_of

KO = "어제 김민수 씨는 시장에 갔어요. 사과를 세 개 샀습니다. 그래서 오늘은 사과를 먹었어요."
JA = "昨日、田中さんと図書館に行きました。本を三冊読んだ。しかし、まだ全部は分からない。"
ZH = "我昨天去了图书馆。王明买了三本书，他很高兴。但是他还没有开始看。"
PARTICLES = {
    "ko": ("는", "에", "를", "을"),
    "ja": ("と", "に", "を", "が", "は"),
    "zh": ("的", "了"),
}
HAN = re.compile(r"[\u3400-\u9fff]")
SPANS = re.compile(r'<span class="w[^"]*" data-l="([^"]*)"[^>]*>([^<]*)</span>')


def test_dispatch_gives_dictionary_forms() -> None:
    assert {t.word: t.lemma for t in text.tokenize("ko", KO)}["갔어요"] == "가다"
    assert text.lemma("ko", "먹었어요") == "먹다"
    assert {t.word: t.lemma for t in text.tokenize("ja", JA)}["行きました"] == "行く"
    assert text.lemma("ja", "読んだ") == "読む"
    assert "图书馆" in text.words("zh", ZH)
    for code, sample in (("ko", KO), ("ja", JA), ("zh", ZH)):
        norm = text.normalize(sample)
        assert all(norm[t.start : t.end] == t.word for t in text.tokenize(code, sample))


def test_sentences_and_length_in_characters() -> None:
    assert text.split_sentences("ja", JA) == [
        "昨日、田中さんと図書館に行きました。",
        "本を三冊読んだ。",
        "しかし、まだ全部は分からない。",
    ]
    assert len(text.split_sentences("ko", KO)) == 3
    assert len(text.split_sentences("zh", ZH)) == 3
    assert text.count_units("zh", "我去了图书馆。") == 6  # letters only, not the 。
    assert text.count_units("ko", "시장에 갔어요.") == 6  # no spaces, no full stop
    assert text.count_units("en", "I went to the library.") == 5  # words elsewhere
    assert text.length_unit("ja") == "characters" and text.length_unit("de") == "words"


def test_particles_names_and_numbers_are_never_vocabulary() -> None:
    for code, sample in (("ko", KO), ("ja", JA), ("zh", ZH)):
        for token in text.words(code, sample):
            facts = word_facts(code, token)
            if token in PARTICLES[code] or facts.lemma in PARTICLES[code]:
                assert not can_be_vocabulary(code, token), token
    assert "김민수" in names("ko", KO) and not can_be_vocabulary("ko", "김민수")
    assert "王明" in names("zh", ZH)
    assert is_number_word("zh", "三") and is_number_word("ja", "三冊")
    assert can_be_vocabulary("zh", "图书馆") and can_be_vocabulary("ja", "図書館")


def test_readings_of_dictionary_forms() -> None:
    assert word_facts("ja", "行きました").reading == "いく"
    assert word_facts("ja", "図書館に").reading in ("としょかん", "")  # 図書館に: two tokens
    assert word_facts("ja", "図書館").reading == "としょかん"
    assert word_facts("zh", "图书馆").reading == "tú shū guǎn"
    assert word_facts("ko", "갔어요").reading == "gada"


@pytest.mark.parametrize(
    ("code", "lemma", "scale"),
    [("ja", "行きました", "JLPT N5"), ("zh", "图书馆", "HSK 3"), ("ko", "갔어요", "TOPIK I")],
)
def test_levels_in_range_on_the_learners_scale(code: str, lemma: str, scale: str) -> None:
    name = find_language(code).name  # type: ignore[union-attr]
    info = LevelEstimator(name).word(lemma)
    assert info.level in (Level.A1, Level.A2)
    assert info.detail.scale.startswith(scale)
    assert LevelEstimator(name).word("の" if code == "ja" else "的").level == Level.A1


def test_cohesion_keeps_a_connective_with_its_sentence() -> None:
    assert depends_on_previous("ko", "그래서 오늘은 사과를 먹었어요.")
    assert not depends_on_previous("ko", "사과를 세 개 샀습니다.")
    assert depends_on_previous("ja", "しかし、まだ全部は分からない。")
    assert depends_on_previous("zh", "但是他还没有开始看。")
    assert not depends_on_previous("zh", "我昨天去了图书馆。")


@pytest.mark.parametrize(("code", "sample"), [("ko", KO), ("ja", JA), ("zh", ZH)])
def test_clickable_spans_are_the_engines_tokens(code: str, sample: str) -> None:
    # A vocabulary link and emphasis inside the paragraph must not move a word boundary.
    tokens = text.tokenize(code, sample)
    vocabulary = [tokens[3].word]
    emphasised = sample.replace(tokens[5].word, f"*{tokens[5].word}*", 1)
    items = [VocabularyItem(word=w, lemma=w, level="B1") for w in vocabulary]
    marked = lay(body_of(code, f"# Title\n\n{emphasised}", items), {}).html
    assert 'class="vocab"' in marked
    spans = [(m.group(2), m.group(1)) for m in SPANS.finditer(marked)]
    assert spans == [(t.word, t.lemma) for t in tokens]
    # Readings ride along for the on-demand toggle, never in the text itself.
    assert "data-r=" in marked
    visible = re.sub(r"<[^>]+>", "", marked)
    assert visible.strip() == text.normalize(sample)


def engine() -> LevelerEngine:
    return LevelerEngine(Settings(_env_file=None))  # type: ignore[call-arg]


@pytest.mark.parametrize(
    ("language", "code", "topic", "length"),
    [
        ("Korean", "ko", "김장", 400),
        ("Japanese", "ja", "熱中症", 450),
        ("Chinese", "zh", "公交", 350),
    ],
)
def test_leveler_levels_a_library_text(language: str, code: str, topic: str, length: int) -> None:
    request = GenerationRequest(language=language, level=Level.B1, length=length, topic=topic)
    result = engine().generate(request, lambda _p, _m: None)
    body = result.markdown.split("\n\n", 2)[2].split("\n## Vocabulary")[0]
    assert abs(text.count_units(code, body) - length) <= 0.15 * length
    assert result.word_count == text.count_units(code, body)
    if code in ("ja", "zh"):
        assert "。 " not in body  # sentences follow each other without a space
    assert result.vocabulary
    tokens = set(text.words(code, body))
    for item in result.vocabulary:
        assert item.word in tokens and can_be_vocabulary(code, item.word)
        assert item.level.rank >= Level.B1.rank
        # A reading wherever the script does not say it (a kana word is read as written).
        assert item.reading or (code == "ja" and not HAN.search(item.lemma)), item
        assert item.lemma not in PARTICLES[code]


def test_topics_of_one_or_two_characters_find_their_text() -> None:
    from opad.engines.topics import match_topic, topic_terms

    terms = topic_terms("zh", "公交")
    assert [t.lemma for t in terms] == ["公交"]
    assert match_topic("zh", terms, title="无人驾驶公交车开上城市道路", body="公交车。").good
    assert not match_topic("zh", terms, title="长江禁渔五年", body="江豚。").good
    assert [t.lemma for t in topic_terms("ko", "축구를")] == ["축구"]


def test_korean_names_and_counters_are_not_vocabulary() -> None:
    from opad.text.kinds import counts_a_number

    found = names("ko", "강사 정민지(29) 씨는 말했다. 김민수 씨가 왔다. 아저씨는 갔다.")
    assert found == {"정민지", "김민수"}
    assert counts_a_number("ja", "月", "今年4月から10月まで")
    assert counts_a_number("zh", "件", "约2,800件")
    assert not counts_a_number("ja", "月", "月が出た。4月だ。")


def test_vocabulary_of_sentences_lists_no_particles() -> None:
    estimator = LevelEstimator("Japanese")
    sentences = [Sentence(i, 0, s, text.count_units("ja", s)) for i, s in enumerate(
        text.split_sentences("ja", JA))]  # fmt: skip
    items = LevelerEngine.vocabulary(sentences, estimator, Level.A2, JA)
    assert all(i.lemma not in PARTICLES["ja"] and i.lemma != "田中" for i in items)
