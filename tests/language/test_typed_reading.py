"""The typed reading: one analysis of a reading's markdown, laid back onto its page.

Title and source are metadata (never a sentence, a word, a count or a question); sentences
are numbered once for the reader, the audio and the questions; every token's offsets point
into its paragraph's text, which is the page's text; vocabulary words are whole words.
"""

from __future__ import annotations

import re

import pytest

from opad.audio.script import spoken_sentences, spoken_text
from opad.reading.layout import article_markdown, parse
from opad.reading.model import ReadingBody, Source, TokenKind, VocabularyItem
from opad.reading.stored import parse_body
from opad.web.reader import lay
from tests.readings import body_of

STARTER = Source(name="OPAD starter library", date="2026-04-18")


def reading(
    language: str, text: str, vocabulary: tuple[str, ...] | list[str] = (), title: str = "Le parc"
) -> ReadingBody:
    items = [VocabularyItem(word=w, lemma=w, level="B1") for w in vocabulary]
    return body_of(language, article_markdown(title, STARTER, text, items), items)


# -- the source line and the title are not the text (issue 25: the source line was
# sentence 0, read aloud first, clickable, counted and marked known) ---------------------


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("es", "El parque abre hoy. Los niños juegan allí."),
        ("en", "The park opens today. Children play there."),
        ("ja", "公園が今日開きます。子どもたちが遊びます。"),
        ("fr", "Le parc ouvre aujourd'hui. Les enfants y jouent."),
    ],
)
def test_source_line_and_title_are_metadata_not_text(language: str, text: str) -> None:
    body = reading(language, text, title="Un titre")
    assert body.title == "Un titre" and body.source == STARTER
    spoken = [t for _, t in spoken_sentences(body)]
    assert len(spoken) == 2 and not any("Source" in s or "OPAD" in s for s in spoken)
    assert "Un titre" not in body.plain_text()
    lemmas = {lemma.casefold() for lemma in body.lemmas()}
    assert not lemmas & {"source", "opad", "starter", "library", "titre"}
    assert sum(body.lemma_counts().values()) == len(body.words)


def test_own_text_source_and_a_linked_source_are_parsed_whole() -> None:
    own = parse("# Mein Text\n\n**Source:** Your text\n\nEin Satz.\n")
    assert own.source == Source(name="Your text") and own.body == "Ein Satz.\n"
    linked = Source(name="El [País]", url="https://elpais.com/a?b=1", date="2026", author="A *B*")
    md = article_markdown("T", linked, "Texto.", [])
    assert parse(md).source == linked and parse(md).body == "Texto.\n"


def test_vocabulary_section_is_never_text_and_a_heading_inside_the_text_stays() -> None:
    md = "# T\n\n**Source:** x\n\nOne.\n\n## Vocabulary\n\n- **one** (one, A1)\n"
    assert parse(md).body == "One.\n" and parse(md).vocabulary.startswith("## Vocabulary")
    inside = "# T\n\nIntro.\n\n## Vocabulary\n\nA text about words.\n\n## Then\n\nMore.\n"
    assert "A text about words." in parse(inside).body


# -- offsets, sentences, kinds ------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "The *town* opened a [new park](https://x.org) on Saturday. It has 40 benches!"),
        ("de", "Die Stadt öffnet den Park. Er hat dreißig Bänke und einen Brunnen."),
        ("fr", "L'école de Marie ouvre à 8 h. C'est une grande école, dit Paul."),
        ("ja", "私は昨日、図書館で本を三冊借りました。田中さんも来ました。"),
        ("zh", "我昨天去了图书馆，借了三本书。老师也来了。"),
        ("ko", "저는 어제 도서관에 갔어요. 책을 세 권 빌렸어요."),
    ],
)
def test_offsets_point_into_the_paragraph_and_sentences_are_numbered_once(
    language: str, text: str
) -> None:
    body = reading(language, text)
    assert [s.index for s in body.sentences] == list(range(len(body.sentences)))
    assert len(body.sentences) == 2
    for paragraph in body.paragraphs:
        for sentence in paragraph.sentences:
            assert paragraph.text[sentence.start : sentence.end] == sentence.text
            for token in sentence.tokens:
                assert paragraph.text[token.start : token.end] == token.surface
                assert sentence.start <= token.start
    assert all(t.level is not None and t.lemma for t in body.words)
    kinds = {t.kind for s in body.sentences for t in s.tokens}
    assert TokenKind.PUNCTUATION in kinds and TokenKind.CONTENT in kinds
    # A round trip through the stored JSON keeps everything.
    assert parse_body(body.to_json()) == body


def test_link_text_is_in_its_sentence_but_not_a_word() -> None:
    body = reading("en", "Read [the report](https://x.org) now. It is short.")
    assert [s.text for s in body.sentences] == ["Read the report now.", "It is short."]
    assert "report" not in body.lemmas()


def test_inline_code_stays_in_its_sentence_and_a_code_block_is_no_sentence() -> None:
    body = reading("en", "Type `ls` now. It is short.\n\n```\nls -la\n```\n\nDone.")
    assert [s.text for s in body.sentences] == ["Type ls now.", "It is short.", "Done."]
    assert "ls" not in body.lemmas()


def test_cjk_tokens_carry_readings_and_a_part_of_speech() -> None:
    ja = {t.surface: t for t in reading("ja", "私は図書館で本を借りました。").words}
    assert ja["図書館"].reading == "としょかん" and ja["図書館"].pos == "NOUN"
    assert ja["借りました"].lemma == "借りる" and ja["借りました"].pos == "VERB"
    assert ja["は"].kind == TokenKind.FUNCTION and ja["は"].reading == ""
    zh = {t.surface: t for t in reading("zh", "我去了图书馆。").words}
    assert zh["图书馆"].reading == "tú shū guǎn" and zh["图书馆"].pos == "NOUN"
    ko = {t.surface: t for t in reading("ko", "도서관에 갔어요.").words}
    assert ko["갔어요"].lemma == "가다" and ko["갔어요"].reading


# -- vocabulary words: whole words, the analysis's tokens -----------------------------------


def test_vocabulary_words_are_whole_words_case_insensitively() -> None:
    body = reading(
        "en", "Park park PARK parks parking spark. A park bench.", ["park", "park bench"]
    )
    marked = [t.surface for t in body.words if t.in_vocabulary]
    assert marked == ["Park", "park", "PARK", "park", "bench"]
    # The longest entry wins: "park bench" is item 1 for both its words.
    assert [t.vocab for t in body.words if t.surface == "bench"] == [1]


def test_vocabulary_respects_unicode_word_boundaries() -> None:
    body = reading("de", "Straße, straßen; Ärzte und ärzte.", ["straße", "ärzte"])
    assert [t.surface for t in body.words if t.in_vocabulary] == ["Straße", "Ärzte", "ärzte"]


def test_cjk_vocabulary_is_a_whole_token() -> None:
    body = reading("ja", "日本の本が好きです。", ["本"])
    assert [t.surface for t in body.words if t.in_vocabulary] == ["本"]


# -- laid onto the page: no tokenizing in the web -------------------------------------------


def test_the_page_wraps_every_word_where_the_analysis_put_it() -> None:
    body = reading("en", "The *big* park opens. Children [play](https://x.org) there.", ["park"])
    laid = lay(body, {"park": {"state": "known"}})
    words = re.findall(r'<span class="w ([^"]+)" data-l="([^"]+)" data-s="(\d)"', laid.html)
    assert [(lemma, s) for _, lemma, s in words] == [
        ("the", "0"), ("big", "0"), ("park", "0"), ("open", "0"),
        ("child", "1"), ("there", "1"),
    ]  # fmt: skip
    assert "s-known" in words[2][0] and "<em>" in laid.html
    assert '<a class="vocab" href="#vocab-0" data-vocab="0"><span class="w' in laid.html
    assert laid.sentences == ["The big park opens.", "Children play there."]


def test_the_replay_mark_goes_before_an_elided_article_never_inside_a_word() -> None:
    body = reading("fr", "L'école est grande. C'est une belle école.")
    html = lay(body, {}).html
    assert '<span class="sb" data-sb="0"></span>L&#x27;' in html or (
        '<span class="sb" data-sb="0"></span>L\'' in html
    )
    assert '<span class="sb" data-sb="1"></span>C\'' in html
    assert '\'<span class="sb"' not in html  # never between "L'" and "école"


def test_a_block_that_changed_since_the_analysis_is_shown_plain() -> None:
    body = reading("en", "One park. Two parks.")
    changed = body.model_copy(update={"markdown": "One garden. Two parks.\n"})
    html = lay(changed, {}).html
    assert "span" not in html and "One garden." in html


@pytest.mark.parametrize(
    ("sentence", "spoken"),
    [
        ("Source: https://www.example.org/a/b, 28 November 2026",
         "Source: example.org, twenty-eight November twenty twenty-six"),
        ("See https://bbc.co.uk/news.", "See bbc.co.uk."),
        ("(https://x.org/a?b=1) ok", "(x.org) ok"),
        ("No address here.", "No address here."),
    ],
)  # fmt: skip
def test_the_audio_says_a_web_address_as_its_site(sentence: str, spoken: str) -> None:
    assert spoken_text(sentence, "en") == spoken
