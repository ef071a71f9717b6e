"""Exports of the learner's words: an Anki deck (.apkg, genanki) and CSV.

Each word becomes one cloze note: the saved sentence with the word as `{{c1::…}}`, the
meaning and notes on the back, and a link to the reading it came from. Words without a
sentence get the lemma itself as the cloze.
"""

from __future__ import annotations

import html
import io
import os
import tempfile
from collections.abc import Iterable
from typing import Any

from opad.learning.csv_cells import SafeWriter
from opad.learning.review import cloze

# Fixed ids: Anki recognises re-imported decks and notes as the same ones (genanki's rule).
MODEL_ID = 1_607_392_312
DECK_ID = 2_059_400_112
# "reading" is the title of the reading the sentence came from (kept for compatibility);
# "pronunciation" how the word was read there (furigana, pinyin, romanization).
CSV_COLUMNS = ("language", "lemma", "state", "stage", "level", "meaning", "notes",
               "sentence", "reading", "link", "pronunciation")  # fmt: skip


def _sentence(word: dict[str, Any]) -> tuple[dict[str, Any] | None, str]:
    context = word["contexts"][-1] if word.get("contexts") else None
    if context:
        marked = cloze(context["sentence"], context["form"], word["lemma"])
        if marked:
            return context, marked
    return context, f"{{{{c1::{word['lemma']}}}}}"


def _word(word: dict[str, Any], context: dict[str, Any] | None) -> str:
    """The lemma, with how the saved form is read where the script does not say it:
    "孤独 (こどく)", "食べる (食べました: たべました)"."""
    reading = (context or {}).get("reading") or ""
    if not reading:
        return str(word["lemma"])
    form = (context or {}).get("form") or word["lemma"]
    return (
        f"{word['lemma']} ({reading})"
        if form == word["lemma"]
        else (f"{word['lemma']} ({form}: {reading})")
    )


def _link(base_url: str, context: dict[str, Any] | None) -> str:
    if not context or not context.get("article_id"):
        return ""
    return f"{base_url.rstrip('/')}/articles/{context['article_id']}"


def anki_package(words: Iterable[dict[str, Any]], base_url: str, deck_name: str) -> bytes:
    """The words as an .apkg file's bytes (a zip with a SQLite `collection.anki2`)."""
    import genanki  # only when exporting

    model = genanki.Model(
        MODEL_ID,
        "OPAD cloze",
        model_type=genanki.Model.CLOZE,
        fields=[{"name": "Text"}, {"name": "Meaning"}, {"name": "Word"}, {"name": "Source"}],
        templates=[
            {
                "name": "Cloze",
                "qfmt": "{{cloze:Text}}",
                "afmt": "{{cloze:Text}}<hr id=answer><b>{{Word}}</b>: {{Meaning}}"
                "<br><small>{{Source}}</small>",
            }
        ],
    )
    deck = genanki.Deck(DECK_ID, deck_name)
    for word in words:
        context, text = _sentence(word)
        link = _link(base_url, context)
        title = (context or {}).get("article_title") or "reading"
        source = f'<a href="{html.escape(link)}">{html.escape(title)}</a>' if link else ""
        meaning = html.escape(word.get("meaning") or "")
        if word.get("notes"):
            meaning += f"<br><i>{html.escape(word['notes'])}</i>"
        deck.add_note(
            genanki.Note(
                model=model,
                fields=[html.escape(text), meaning, html.escape(_word(word, context)), source],
                # A stable guid per user word: re-importing updates instead of duplicating.
                guid=genanki.guid_for(word["id"]),
                tags=[f"opad::{word['language']}", f"opad::{word['state']}"],
            )
        )
    handle, path = tempfile.mkstemp(suffix=".apkg")
    os.close(handle)
    try:
        genanki.Package(deck).write_to_file(path)
        with open(path, "rb") as f:
            return f.read()
    finally:
        os.unlink(path)


def csv_text(words: Iterable[dict[str, Any]], base_url: str) -> str:
    """The words as CSV (UTF-8, a header row, one row per word; the cloze as plain text)."""
    out = io.StringIO()
    writer = SafeWriter(out)  # cells a spreadsheet would evaluate, neutralised
    writer.writerow(CSV_COLUMNS)
    for word in words:
        context = word["contexts"][-1] if word.get("contexts") else None
        writer.writerow(
            [
                word["language"], word["lemma"], word["state"], word["stage"],
                word.get("level") or "", word.get("meaning") or "", word.get("notes") or "",
                context["sentence"] if context else "",
                (context or {}).get("article_title") or "", _link(base_url, context),
                (context or {}).get("reading") or "",
            ]
        )  # fmt: skip
    return out.getvalue()
