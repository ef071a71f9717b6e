"""Word states, FSRS wiring, cloze building and exports (no database)."""

from __future__ import annotations

import csv
import io
import sqlite3
import zipfile
from datetime import UTC, datetime, timedelta

import pytest

from opad.learning import export
from opad.learning.review import (
    cloze,
    cloze_html,
    cloze_parts,
    describe_interval,
    new_card,
    previews,
    review,
)
from opad.learning.states import WordState, css_class, normalize_stage

NOW = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)


def test_states_and_stages() -> None:
    assert normalize_stage(WordState.LEARNING, None) == 1
    assert normalize_stage(WordState.LEARNING, 9) == 4
    assert normalize_stage(WordState.KNOWN, 3) == 0
    assert css_class("learning", 2) == "s-learning-2"
    assert css_class("unknown") == "s-unknown" and css_class("known") == "s-known"


def test_fsrs_schedules_longer_after_good_than_again() -> None:
    card = new_card(NOW)
    assert datetime.fromisoformat(card["due"]) == NOW
    again, due_again = review(card, "again", NOW)
    good, due_good = review(card, "good", NOW)
    easy, due_easy = review(card, "easy", NOW)
    assert NOW < due_again <= due_good < due_easy
    # A second good review, once due, pushes the card out by days.
    _, due_second = review(good, "good", due_good)
    assert due_second - due_good >= timedelta(days=1)
    with pytest.raises(KeyError):
        review(card, "perfect", NOW)


def test_previews_match_what_review_does() -> None:
    card = new_card(NOW)
    shown = previews(card, NOW)
    assert list(shown) == ["again", "hard", "good", "easy"]
    for name, text in shown.items():
        assert text == describe_interval(review(card, name, NOW)[1] - NOW)


@pytest.mark.parametrize(
    ("delta", "text"),
    [
        (timedelta(seconds=10), "1 min"),
        (timedelta(minutes=10), "10 min"),
        (timedelta(hours=5), "5 h"),
        (timedelta(days=1), "1 day"),
        (timedelta(days=12), "12 days"),
        (timedelta(days=61), "2 months"),
        (timedelta(days=730), "2 years"),
    ],
)
def test_intervals_read_plainly(delta: timedelta, text: str) -> None:
    assert describe_interval(delta) == text


def test_cloze() -> None:
    assert cloze("Die Wiese ist grün.", "Wiese") == "Die {{c1::Wiese}} ist grün."
    # The lemma when the form is not there; whole words only, any case.
    assert cloze("Wir gingen nach Hause.", "geht", "gingen") == "Wir {{c1::gingen}} nach Hause."
    assert cloze("Bankrott ist die Bank.", "bank") == "Bankrott ist die {{c1::Bank}}."
    assert cloze("Nothing here.", "word") is None
    assert cloze_parts("He went home.", "went") == ("He ", "went", " home.")
    assert cloze_html("<b> & Wiese", "Wiese") == '&lt;b&gt; &amp; <span class="cloze">[…]</span>'


WORDS = [
    {
        "id": "w1", "language": "de", "lemma": "Wiese", "state": "learning", "stage": 2,
        "level": "B1", "meaning": "meadow", "notes": "feminine",
        "contexts": [{"form": "Wiese", "sentence": "Die Wiese ist grün.",
                      "article_id": "a1", "article_title": "Im Park"}],
    },
    {
        "id": "w2", "language": "de", "lemma": "gehen", "state": "new", "stage": 0,
        "level": None, "meaning": None, "notes": None, "contexts": [],
    },
]  # fmt: skip


def test_anki_package_opens_as_anki_does(tmp_path) -> None:  # type: ignore[no-untyped-def]
    data = export.anki_package(WORDS, "http://opad.test", "OPAD words")
    path = tmp_path / "deck.apkg"
    path.write_bytes(data)
    with zipfile.ZipFile(path) as z:
        assert {"collection.anki2", "media"} <= set(z.namelist())
        z.extract("collection.anki2", tmp_path)
    db = sqlite3.connect(tmp_path / "collection.anki2")
    tables = {row[0] for row in db.execute("select name from sqlite_master where type='table'")}
    assert {"col", "notes", "cards", "revlog"} <= tables
    notes = [row[0].split("\x1f") for row in db.execute("select flds from notes order by id")]
    assert len(notes) == 2 and db.execute("select count(*) from cards").fetchone()[0] == 2
    text, meaning, word, source = notes[0]
    assert text == "Die {{c1::Wiese}} ist grün." and word == "Wiese"
    assert meaning == "meadow<br><i>feminine</i>"
    assert source == '<a href="http://opad.test/articles/a1">Im Park</a>'
    assert notes[1][0] == "{{c1::gehen}}"  # no sentence: the lemma is the cloze
    db.close()


def test_csv_export() -> None:
    rows = list(csv.reader(io.StringIO(export.csv_text(WORDS, "http://opad.test/"))))
    assert rows[0] == list(export.CSV_COLUMNS)
    assert rows[1] == [
        "de", "Wiese", "learning", "2", "B1", "meadow", "feminine", "Die Wiese ist grün.",
        "Im Park", "http://opad.test/articles/a1", "",
    ]  # fmt: skip
    assert rows[2][:3] == ["de", "gehen", "new"] and rows[2][-2:] == ["", ""]


# Japanese and Chinese are written without spaces: the saved word is found where it stands
# (the cards were "[…]" and the Anki notes "{{c1::孤独}}": no sentence at all).
CJK_WORDS = [
    {"id": "w3", "language": "ja", "lemma": "孤独", "state": "learning", "stage": 1,
     "level": "B2", "meaning": "loneliness", "notes": None,
     "contexts": [{"form": "孤独", "sentence": "彼は孤独を感じた。", "reading": "こどく",
                   "article_id": "a2", "article_title": "夜"}]},
    {"id": "w4", "language": "zh", "lemma": "图书馆", "state": "learning", "stage": 1,
     "level": "A2", "meaning": "library", "notes": None,
     "contexts": [{"form": "图书馆", "sentence": "我昨天去了图书馆。", "reading": "tú shū guǎn",
                   "article_id": "a3", "article_title": "书"}]},
    {"id": "w5", "language": "ja", "lemma": "食べる", "state": "new", "stage": 0,
     "level": "A1", "meaning": "to eat", "notes": None,
     "contexts": [{"form": "食べました", "sentence": "パンを食べました。", "reading": "たべました",
                   "article_id": "a2", "article_title": "夜"}]},
]  # fmt: skip


def test_japanese_and_chinese_cards_hide_the_word_in_its_sentence() -> None:
    from opad.learning.review import cloze, cloze_parts

    assert cloze("彼は孤独を感じた。", "孤独", "孤独") == "彼は{{c1::孤独}}を感じた。"
    assert cloze_parts("我昨天去了图书馆。", "图书馆") == ("我昨天去了", "图书馆", "。")
    assert cloze("パンを食べました。", "食べました", "食べる") == "パンを{{c1::食べました}}。"
    # Words written with spaces keep their whole-word rule: "park" is not in "parking".
    assert cloze("The parking is full.", "park") is None


def test_cjk_anki_notes_and_csv_carry_sentence_meaning_and_reading(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "deck.apkg"
    path.write_bytes(export.anki_package(CJK_WORDS, "http://opad.test", "OPAD words"))
    with zipfile.ZipFile(path) as z:
        z.extract("collection.anki2", tmp_path)
    db = sqlite3.connect(tmp_path / "collection.anki2")
    notes = [row[0].split("\x1f") for row in db.execute("select flds from notes order by id")]
    db.close()
    by_text = {n[0]: n for n in notes}
    ja = by_text["彼は{{c1::孤独}}を感じた。"]
    assert ja[1] == "loneliness" and ja[2] == "孤独 (こどく)"
    zh = by_text["我昨天去了{{c1::图书馆}}。"]
    assert zh[1] == "library" and zh[2] == "图书馆 (tú shū guǎn)"
    verb = by_text["パンを{{c1::食べました}}。"]
    assert verb[2] == "食べる (食べました: たべました)"
    rows = list(csv.reader(io.StringIO(export.csv_text(CJK_WORDS, "http://opad.test/"))))
    assert rows[1][7] == "彼は孤独を感じた。" and rows[1][-1] == "こどく"


def test_streak_counts_days_in_a_row_up_to_today_or_yesterday() -> None:
    from datetime import date

    from opad.services.word_stats import streak

    today = date(2026, 11, 29)
    days = {today - timedelta(days=n) for n in (0, 1, 2, 4)}
    assert streak(days, today) == 3
    assert streak(days - {today}, today) == 2  # today's reviews not done yet
    assert streak({today - timedelta(days=2)}, today) == 0 and streak(set(), today) == 0


def test_stacked_bars_scale_to_the_tallest_column() -> None:
    from opad.web.charts import stacked_bars

    bars = stacked_bars(
        [("d1", {"new": 1, "known": 1}), ("d2", {"new": 4})], {"new": "b", "known": "g"}, 100, 40
    )
    assert [(b.colour, b.height, b.y) for b in bars] == [
        ("b", 10.0, 30.0), ("g", 10.0, 20.0), ("b", 40.0, 0.0)
    ]  # fmt: skip
    assert bars[2].x == 55.0 and bars[2].title == "d2: 4 new"
    assert stacked_bars([], {}, 100, 40) == []
