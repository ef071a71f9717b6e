"""Lookups, saved words, review and export through the API, on SQLite and PostgreSQL,
with the dictionaries installed on the machine (scripts/ensure-debs installs them)."""

from __future__ import annotations

import dataclasses
import sqlite3
import zipfile
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from opad.api.app import create_app
from opad.bootstrap import Services
from opad.db.models import LookupCache
from opad.services.accounts import create_user
from tests.fake_definer import FakeDefiner
from tests.processes import ServerThread

PASSWORD = "correct horse battery"
SENTENCE = "Die Kinder spielen auf der Wiese hinter dem Haus."


class Clients:
    def __init__(self, url: str, tokens: dict[str, str]) -> None:
        self.url = url
        self.tokens = tokens

    def as_(self, who: str) -> httpx.Client:
        return httpx.Client(
            base_url=self.url, headers={"Authorization": f"Bearer {self.tokens[who]}"}, timeout=60
        )


def _serve(services: Services) -> Iterator[Clients]:
    for email in ("a@example.org", "b@example.org"):
        create_user(services, email, PASSWORD)
    with ServerThread(create_app(services.settings, services)) as server:
        tokens = {}
        for who in ("a", "b"):
            body = {"email": f"{who}@example.org", "password": PASSWORD}
            tokens[who] = httpx.post(f"{server.url}/auth/login", json=body).json()["token"]
        yield Clients(server.url, tokens)


@pytest.fixture
def api(services: Services) -> Iterator[Clients]:
    yield from _serve(services)


@pytest.fixture
def anon(services: Services) -> Iterator[httpx.Client]:
    """The local user of an install without sign-in (no password hashing: fast)."""
    with (
        ServerThread(create_app(services.settings, services)) as server,
        httpx.Client(base_url=server.url, timeout=60) as client,
    ):
        yield client


def test_lookup_from_the_installed_dictionaries_and_the_cache(
    api: Clients, services: Services
) -> None:
    with api.as_("a") as a:
        first = a.get("/lookup", params={"language": "de", "word": "Wiese", "sentence": SENTENCE})
        assert first.status_code == 200, first.text
        body = first.json()
        assert body["lemma"] == "Wiese" and body["language"] == "German"
        assert body["entry"]["source"] == "FreeDict German–English"
        assert body["source_label"] == "Dictionary: FreeDict (German–English)"
        assert "meadow" in body["entry"]["meaning"] and body["part_of_speech"] == "noun"
        assert body["level"] in {"A1", "A2", "B1", "B2", "C1", "C2"}
        assert body["frequency_band"] in {"very common", "common", "less common", "rare"}
        assert body["sentence"] == SENTENCE and body["cached"] is False and body["saved"] is None
        again = a.get("/lookup", params={"language": "German", "word": "Wiese"}).json()
        assert again["cached"] is True and again["entry"] == body["entry"]
        # Inflected forms are looked up by their lemma.
        spielen = a.get("/lookup", params={"language": "de", "word": "spielen"}).json()
        assert spielen["entry"] and "play" in spielen["entry"]["meaning"]
        for language, word, needle in [
            ("fr", "maison", "house"),
            ("es", "parque", "park"),
            ("en", "meadow", "grass"),  # WordNet: English explained in English
        ]:
            found = a.get("/lookup", params={"language": language, "word": word}).json()
            assert needle in found["entry"]["meaning"], found
        missing = a.get("/lookup", params={"language": "de", "word": "Qwrtzl"}).json()
        assert missing["entry"] is None and "No dictionary" in missing["message"]
        # Danish has no dictionary installed: a plain answer, not an error.
        assert a.get("/lookup", params={"language": "da", "word": "hus"}).json()["entry"] is None
    with services.db.session() as session:
        assert session.query(LookupCache).filter_by(lemma="Wiese").count() == 1


def test_the_explanation_language_is_a_setting_per_user(api: Clients) -> None:
    with api.as_("a") as a, api.as_("b") as b:
        assert a.get("/learner/settings").json() == {"explain_in": "en"}
        assert a.put("/learner/settings", json={"explain_in": "German"}).json() == {
            "explain_in": "de"
        }
        assert b.get("/learner/settings").json() == {"explain_in": "en"}
        meadow = a.get("/lookup", params={"language": "en", "word": "meadow"}).json()
        assert meadow["explain_in"] == "de" and "Wiese" in meadow["entry"]["meaning"]
        assert meadow["entry"]["source"] == "FreeDict English–German"
        house = a.get("/lookup", params={"language": "en", "word": "house", "explain_in": "fr"})
        assert "maison" in house.json()["entry"]["meaning"]
        bad = a.put("/learner/settings", json={"explain_in": "Klingon"})
        assert bad.status_code == 422 and bad.json()["fields"][0]["field"] == "explain_in"


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"language": "xx", "word": "Haus"}, "language"),
        ({"language": "", "word": "Haus"}, "language"),
        ({"language": "de", "word": "   "}, "word"),
        ({"language": "de", "word": "W" * 10_000}, "word"),
        ({"language": "de"}, "word"),
        ({"word": "Haus"}, "language"),
        ({"language": "de", "word": "Haus", "explain_in": "zz"}, "explain_in"),
        ({"language": "de", "word": "Haus", "sentence": "s" * 5000}, "sentence"),
        # PostgreSQL cannot store NUL: refused before it gets there.
        ({"language": "de", "word": "Ha\x00us"}, "word"),
        ({"language": "de", "word": "Haus", "sentence": "Ein\x00Haus."}, "sentence"),
    ],
)
def test_bad_lookups_are_422_naming_the_field(
    anon: httpx.Client, params: dict[str, str], field: str
) -> None:
    resp = anon.get("/lookup", params=params)
    assert resp.status_code == 422, resp.text
    assert field in {f["field"] for f in resp.json()["fields"]}


def test_saved_words_states_and_privacy(api: Clients, services: Services) -> None:
    with api.as_("a") as a, api.as_("b") as b:
        article = a.post(
            "/articles", json={"language": "German", "level": "B1", "length": 100, "topic": "Park"}
        ).json()
        saved = a.post(
            "/words",
            json={"language": "de", "word": "Wiesen", "sentence": SENTENCE, "state": "learning",
                  "stage": 2, "article_id": article["id"], "meaning": "meadows"},
        )  # fmt: skip
        assert saved.status_code == 201, saved.text
        word = saved.json()
        assert (word["lemma"], word["state"], word["stage"]) == ("Wiese", "learning", 2)
        assert word["contexts"][0]["article_id"] == article["id"]
        # One call for a page's lemmas; unsaved lemmas are simply absent.
        lemmas = ["Wiese", "Haus", "Kind", *[f"wort{i}" for i in range(1500)]]
        states = a.post("/words/states", json={"language": "de", "lemmas": lemmas}).json()
        assert states["states"] == {"Wiese": {"state": "learning", "stage": 2}}
        # "All remaining words known": one action, the saved word keeps its state.
        added = a.post("/words/known", json={"language": "de", "lemmas": ["Wiese", "Haus", "Kind"]})
        assert added.json()["added"] == 2 and added.json()["batch"]
        states = a.post("/words/states", json={"language": "de", "lemmas": lemmas}).json()
        assert states["states"]["Haus"]["state"] == "known"
        assert states["states"]["Wiese"]["state"] == "learning"
        # B sees none of it, and A's ids are 404 to B.
        assert b.post("/words/states", json={"language": "de", "lemmas": lemmas}).json() == {
            "states": {}
        }
        assert b.get("/words").json()["total"] == 0
        for method in ("GET", "DELETE"):
            assert b.request(method, f"/words/{word['id']}").status_code == 404
        assert b.patch(f"/words/{word['id']}", json={"notes": "x"}).status_code == 404
        assert b.post(f"/review/{word['id']}", json={"rating": "good"}).status_code == 404
        # Edit, filter, search.
        changed = a.patch(f"/words/{word['id']}", json={"notes": "die Wiese, -n", "stage": 3})
        assert changed.json()["notes"] == "die Wiese, -n" and changed.json()["stage"] == 3
        assert a.get("/words", params={"state": "known"}).json()["total"] == 2
        assert a.get("/words", params={"q": "meadow"}).json()["items"][0]["lemma"] == "Wiese"
        assert a.get("/words", params={"language": "fr"}).json()["total"] == 0
        # Deleting the reading loses nothing about the word.
        assert a.delete(f"/articles/{article['id']}").status_code == 204
        kept = a.get(f"/words/{word['id']}").json()
        assert kept["contexts"][0]["sentence"] == SENTENCE
        assert kept["contexts"][0]["article_title"] == "Park"
        # Saving again adds the new sentence and keeps the first.
        a.post("/words", json={"language": "de", "word": "Wiese", "sentence": "Eine Wiese."})
        assert len(a.get(f"/words/{word['id']}").json()["contexts"]) == 2
        assert a.delete(f"/words/{word['id']}").status_code == 204
        assert a.get(f"/words/{word['id']}").status_code == 404


def test_a_bulk_mark_known_is_undone_only_for_its_owner_and_untouched_words(
    api: Clients,
) -> None:
    """Issue 33 item 1: one bulk change, undone as one; words the learner changed since
    stay, another user cannot undo it, and "Haus"/"haus" count once."""
    with api.as_("a") as a, api.as_("b") as b:
        a.post("/words", json={"language": "de", "word": "Kind", "sentence": SENTENCE,
                               "state": "learning"})  # fmt: skip
        marked = a.post("/words/known", json={"language": "de",
                        "lemmas": ["Kind", "Wiese", "Haus", "haus", "spielen"]}).json()  # fmt: skip
        assert marked["added"] == 3, marked
        changed = a.get("/words", params={"q": "spielen"}).json()["items"][0]
        a.patch(f"/words/{changed['id']}", json={"notes": "to play"})
        assert b.delete(f"/words/known/{marked['batch']}").json() == {"removed": 0}
        assert a.delete(f"/words/known/{marked['batch']}").json() == {"removed": 2}
        left = {w["lemma"]: w["state"] for w in a.get("/words").json()["items"]}
        assert left == {"Kind": "learning", "spielen": "known"}
        assert a.delete(f"/words/known/{marked['batch']}").json() == {"removed": 0}
        assert a.delete("/words/known/" + "x" * 37).status_code == 422
        assert a.post("/words/known", json={"language": "de", "lemmas": ["Kind"]}).json() == {
            "added": 0,
            "batch": None,
        }


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"language": "de", "word": "Haus", "state": "forgotten"}, "state"),
        ({"language": "de", "word": "Haus", "state": "learning", "stage": 7}, "stage"),
        ({"language": "klingon", "word": "Haus"}, "language"),
        ({"language": "de", "word": ""}, "word"),
        ({"language": "de", "word": "x" * 10_000}, "word"),
        ({"language": "de", "word": "Haus", "sentence": "Ein\x00Haus."}, "sentence"),
        ({"language": "de", "word": "Haus", "meaning": "\x00"}, "meaning"),
    ],
)
def test_bad_words_are_422_naming_the_field(
    anon: httpx.Client, body: dict[str, object], field: str
) -> None:
    resp = anon.post("/words", json=body)
    assert resp.status_code == 422, resp.text
    assert field in {f["field"] for f in resp.json()["fields"]}
    listed = anon.get("/words", params={"state": "forgotten"})
    assert listed.status_code == 422 and listed.json()["fields"][0]["field"] == "state"
    assert anon.patch("/words/x", json={"state": "forgotten"}).status_code == 422


def test_review_with_fsrs_then_export(api: Clients, tmp_path: Path) -> None:
    with api.as_("a") as a:
        for word, state in (("Wiese", "learning"), ("Haus", "known"), ("gehen", "new")):
            a.post(
                "/words",
                json={"language": "de", "word": word, "state": state, "meaning": f"m-{word}",
                      "sentence": f"Wir sehen {word} heute."},
            )  # fmt: skip
        due = a.get("/review").json()
        assert due["due"] == 2 and {c["lemma"] for c in due["items"]} == {"Wiese", "gehen"}
        card = next(c for c in due["items"] if c["lemma"] == "Wiese")
        assert card["cloze"] == {"before": "Wir sehen ", "answer": "Wiese", "after": " heute."}
        assert card["meaning"] == "m-Wiese" and set(card["intervals"]) == {
            "again", "hard", "good", "easy"
        }  # fmt: skip
        graded = a.post(f"/review/{card['id']}", json={"rating": "easy"}).json()
        assert graded["interval"] == card["intervals"]["easy"]
        assert [c["lemma"] for c in a.get("/review").json()["items"]] == ["gehen"]
        bad = a.post(f"/review/{card['id']}", json={"rating": "perfect"})
        assert bad.status_code == 422 and bad.json()["fields"][0]["field"] == "rating"
        known = a.get("/words", params={"state": "known"}).json()["items"][0]
        assert a.post(f"/review/{known['id']}", json={"rating": "good"}).status_code == 409

        stats = a.get("/stats/words").json()
        assert stats["by_state"] == {"new": 1, "learning": 1, "known": 1, "ignored": 0}
        assert stats["reviews_total"] == 1 and stats["streak"] == 1 and len(stats["days"]) == 30
        assert stats["days"][-1]["reviews"] == 1
        assert stats["days"][-1]["words"] == {"new": 1, "learning": 1, "known": 1, "ignored": 0}
        assert a.get("/stats/words", params={"days": 0}).status_code == 422

        deck = a.get("/words/export.apkg", params={"link_base": "http://web.test"})
        assert deck.status_code == 200
        (tmp_path / "deck.apkg").write_bytes(deck.content)
        with zipfile.ZipFile(tmp_path / "deck.apkg") as z:
            z.extract("collection.anki2", tmp_path)
        db = sqlite3.connect(tmp_path / "collection.anki2")
        fields = {r[0].split("\x1f")[2]: r[0] for r in db.execute("select flds from notes")}
        # The words being learned by default; the known one on request (issue 33).
        assert set(fields) == {"Wiese", "gehen"}
        assert "Wir sehen {{c1::Wiese}} heute." in fields["Wiese"]
        db.close()
        every = a.get("/words/export.csv", params={"state": ["new", "learning", "known"]})
        assert {row.split(",")[1] for row in every.text.splitlines()[1:]} == {
            "Wiese", "Haus", "gehen"
        }  # fmt: skip
        bad = a.get("/words/export.csv", params={"state": "forgotten"})
        assert bad.status_code == 422 and "state" in bad.text
        table = a.get("/words/export.csv", params={"state": "learning"})
        assert table.headers["content-type"].startswith("text/csv")
        assert table.text.splitlines()[1].startswith("de,Wiese,learning,1")


def test_in_context_meaning_from_an_llm_cached_per_sense(services: Services) -> None:
    with FakeDefiner() as llm:
        settings = services.settings.model_copy(update={"llm_base_url": llm.base_url})
        with_llm = dataclasses.replace(services, settings=settings)
        clients = _serve(with_llm)
        api = next(clients)
        with api.as_("a") as a:
            river = {"language": "en", "word": "bank", "sentence": "We sat on the river bank."}
            money = {"language": "en", "word": "bank", "sentence": "I paid at the bank."}
            first = a.get("/lookup", params=river).json()
            assert first["entry"]["source"] == "LLM in context"
            assert (
                "river" in first["entry"]["meaning"]
                and first["entry"]["meaning"][:9] == "[English]"
            )
            assert "money" in a.get("/lookup", params=money).json()["entry"]["meaning"]
            assert len(llm.requests) == 2
            # The same word in the same sentence again: from the cache, no request.
            assert a.get("/lookup", params=river).json()["cached"] is True
            assert len(llm.requests) == 2
            # In the learner's explanation language.
            a.put("/learner/settings", json={"explain_in": "de"})
            assert a.get("/lookup", params=river).json()["entry"]["meaning"][:8] == "[German]"
            # LLM down: the installed dictionary still answers.
            llm.fail = True
            down = a.get("/lookup", params={**river, "sentence": "A bank of snow."}).json()
            assert down["entry"]["source"] == "FreeDict English–German"
            # Without a sentence there is no context to ask about.
            assert a.get("/lookup", params={"language": "en", "word": "bank"}).json()["entry"]
        clients.close()


@pytest.mark.parametrize(
    ("language", "word", "sentence", "lemma", "reading", "scale"),
    [
        ("ko", "갔어요", "어제 시장에 갔어요.", "가다", "gada", "TOPIK I"),
        ("ja", "行きました", "昨日、図書館に行きました。", "行く", "いく", "JLPT N5"),
        ("zh", "图书馆", "我昨天去了图书馆。", "图书馆", "tú shū guǎn", "HSK 3"),
    ],
)
def test_lookup_of_korean_japanese_chinese_words(
    anon: httpx.Client,
    language: str,
    word: str,
    sentence: str,
    lemma: str,
    reading: str,
    scale: str,
) -> None:
    # No dictionary for these languages here: dictionary form, reading and level still
    # come back, and the message says plainly that no dictionary has the word.
    found = anon.get("/lookup", params={"language": language, "word": word, "sentence": sentence})
    assert found.status_code == 200, found.text
    body = found.json()
    assert (body["lemma"], body["reading"]) == (lemma, reading)
    assert body["scale"].startswith(scale) and body["level"] in ("A1", "A2")
    assert body["entry"] is None and body["message"].startswith("No dictionary")


def test_a_meaning_falls_back_to_english_and_says_so(api: Clients) -> None:
    """No French dictionary explains Spanish words: the English one answers, and says so."""
    with api.as_("a") as a:
        a.put("/learner/settings", json={"explain_in": "fr"})
        body = a.get("/lookup", params={"language": "es", "word": "parque"}).json()
        assert body["entry"] and "park" in body["entry"]["meaning"]
        assert body["explain_in"] == "en"
        assert body["fallback_note"] == "No French dictionary for Spanish words; in English:"
        # Where the pair exists, no note: English words in French.
        house = a.get("/lookup", params={"language": "en", "word": "house"}).json()
        assert house["explain_in"] == "fr" and house["fallback_note"] is None
        covered = a.get("/dictionaries").json()
        assert covered["meanings"]["de"] and covered["meanings"]["ko"] is None


def test_a_card_without_its_cloze_says_whose_reading_it_shows(anon: httpx.Client) -> None:
    """A card whose sentence no longer holds the word asks for the lemma (行く); the
    reading saved is the form's (行きました: いきました), so the card names that form."""
    body = {"language": "ja", "word": "行きました", "lemma": "行く", "state": "learning",
            "sentence": "昨日は雨でした。", "reading": "いきました"}  # fmt: skip
    saved = anon.post("/words", json=body)
    assert saved.status_code in (200, 201), saved.text
    card = next(c for c in anon.get("/review").json()["items"] if c["id"] == saved.json()["id"])
    assert card["cloze"] is None
    assert (card["lemma"], card["form"], card["reading"]) == ("行く", "行きました", "いきました")


def test_the_csv_export_has_each_words_level_as_the_popover_shows_it(
    anon: httpx.Client, services: Services
) -> None:
    """Words saved without a level (the popover did not send it; the CLI never does) get
    the one the popover's lookup shows for the form saved, in a new save and in the
    export of words saved before; a level sent is kept, a phrase has none."""
    import csv
    import io

    from sqlalchemy import update

    from opad.db.models import SavedWord

    saved = {}
    for language, word in (("de", "tranken"), ("es", "ocuparan"), ("de", "Haus"), ("ja", "ケーキ")):
        body = {"language": language, "word": word, "state": "new", "sentence": f"{word}."}
        resp = anon.post("/words", json=body)
        assert resp.status_code in (200, 201), resp.text
        popover = anon.get("/lookup", params={"language": language, "word": word}).json()
        assert popover["level"] in {"A1", "A2", "B1", "B2", "C1", "C2"}
        assert resp.json()["level"] == popover["level"], (word, resp.json())
        saved[resp.json()["lemma"]] = popover["level"]
    sent = anon.post("/words", json={"language": "de", "word": "Wiese", "level": "C2"}).json()
    assert sent["level"] == "C2"
    phrase = anon.post("/words", json={"language": "de", "word": "es gibt", "state": "new"})
    assert phrase.json()["level"] is None
    # Words saved before levels were filled in: the export fills them.
    with services.db.session() as session:
        session.execute(update(SavedWord).values(level=None))
    table = anon.get("/words/export.csv").text
    rows = {row["lemma"]: row for row in csv.DictReader(io.StringIO(table))}
    for lemma, level in saved.items():
        assert rows[lemma]["level"] == level, (lemma, rows[lemma])
    assert rows["Wiese"]["level"] in {"A1", "A2", "B1", "B2", "C1", "C2"}
    assert rows["es gibt"]["level"] == ""


def test_the_popovers_frequency_label_is_the_dictionary_forms(anon: httpx.Client) -> None:
    """Level and frequency agree: an inflected form of an everyday verb is not "A1 · rare"."""
    for language, form, lemma in (("de", "tranken", "trinken"), ("es", "ocuparan", "ocupar")):
        inflected = anon.get("/lookup", params={"language": language, "word": form}).json()
        base = anon.get("/lookup", params={"language": language, "word": lemma}).json()
        assert inflected["frequency_band"] == base["frequency_band"], (form, inflected)
        assert inflected["frequency_band"] not in ("rare", "less common"), inflected
        assert inflected["zipf"] >= base["zipf"]
