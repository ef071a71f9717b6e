"""Word lookups for the reader: the dictionaries behind a cache in the database.

`lookup_word` answers the popover: the word, its dictionary form and level, the user's
state for it, and a meaning — from the LLM in context when one is configured, else from an
installed dictionary, cached in `lookup_cache` so a second click costs one indexed read.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from opad.bootstrap import Services
from opad.db.models import LookupCache, SavedWord
from opad.dictionaries import Dictionaries, Entry, LLMDefiner
from opad.dictionaries.entry import source_label
from opad.errors import NotFound
from opad.languages import Language
from opad.languages import language_by_name as get_language
from opad.reading.model import ReadingBody, Token
from opad.settings import Settings
from opad.text import lemma as lemma_of
from opad.text import normalize

NO_ENTRY = "No dictionary on this server has this word yet."
FALLBACK = "en"  # the explanation language every installed dictionary set has

# Zipf bands named for learners (wordfreq's scale: log10 of uses per billion words).
FREQUENCY_BANDS = ((5.0, "very common"), (4.0, "common"), (3.0, "less common"))


@lru_cache(maxsize=8)
def _dictionaries(folders: tuple[str, ...], llm: LLMDefiner | None) -> Dictionaries:
    from pathlib import Path

    return Dictionaries([Path(f) for f in folders], llm)


def dictionaries_for(settings: Settings) -> Dictionaries:
    """The process's dictionaries for these settings (opened once, files on first use)."""
    llm = None
    if settings.lookup_llm_enabled:
        key = settings.llm_api_key.get_secret_value() if settings.llm_api_key else None
        llm = LLMDefiner(
            base_url=settings.llm_base_url or "https://api.openai.com/v1",
            # The crew names models the LiteLLM way ("openai/gpt-4.1-mini").
            model=settings.llm_model.split("/", 1)[-1],
            api_key=key,
            timeout=min(settings.llm_timeout_seconds, 20.0),
        )
    return _dictionaries(tuple(str(f) for f in settings.dictionary_folders), llm)


def frequency_band(zipf: float) -> str:
    """ "very common" … "rare" for a Zipf frequency."""
    return next((name for floor, name in FREQUENCY_BANDS if zipf >= floor), "rare")


def context_key(sentence: str) -> str:
    """The cache key of an in-context definition: a hash of the normalized sentence."""
    text = " ".join(normalize(sentence).split()).casefold()
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def _cached(services: Services, key: tuple[str, str, str, str]) -> Entry | None:
    lang, explain_in, lemma, context = key
    with services.db.session() as session:
        row = session.scalar(
            select(LookupCache.entry).where(
                LookupCache.language == lang,
                LookupCache.explain_in == explain_in,
                LookupCache.lemma == lemma,
                LookupCache.context == context,
            )
        )
    return Entry.from_dict(row) if row else None


def _store(services: Services, key: tuple[str, str, str, str], entry: Entry) -> None:
    lang, explain_in, lemma, context = key
    try:
        with services.db.session() as session:
            session.add(
                LookupCache(
                    language=lang,
                    explain_in=explain_in,
                    lemma=lemma,
                    context=context,
                    entry=entry.to_dict(),
                )
            )
    except IntegrityError:
        pass  # another request stored the same entry first


def find_entry(
    services: Services,
    language: Language,
    explain_in: Language,
    word: str,
    lemma: str,
    sentence: str,
    pos: str = "",
) -> tuple[Entry | None, bool]:
    """(entry or None, whether it came from the cache). Never raises for a missing word.
    `pos` (UPOS) chooses among a dictionary's entries: "VERB" gets *gehen*, not *Gehen*."""
    dictionaries = dictionaries_for(services.settings)
    if dictionaries.llm is not None and sentence.strip():
        key = (language.code, explain_in.code, lemma[:200], context_key(sentence))
        if (entry := _cached(services, key)) is not None:
            return entry, True
        # Asked outside any database session: the LLM may take seconds.
        found = dictionaries.in_context(language.name, explain_in.name, word, lemma, sentence)
        if found is not None:
            _store(services, key, found.entry)
            return found.entry, False
    # The part of speech and the form as read decide the entry, so both are in the key;
    # "v2" leaves behind entries cached before they did (German verbs shown as nouns).
    from opad.dictionaries.context import hint

    guessed, extra = hint(language.code, word, lemma, sentence)
    context = f"v2|{(pos or guessed).upper()[:8]}|{word.casefold()}|{'/'.join(extra)}"
    key = (language.code, explain_in.code, lemma[:200], context_key(context))
    if (entry := _cached(services, key)) is not None:
        return entry, True
    entry = dictionaries.offline(language.code, lemma, explain_in.code, word, pos, sentence)
    if entry is not None:
        _store(services, key, entry)
    return entry, False


@dataclass(frozen=True)
class WordFacts:
    """What the popover says about a word besides its meaning: `level` (CEFR, "B1"),
    `zipf` (wordfreq's Zipf frequency), `scale` ("JLPT N4"; "" outside CJK) and `reading`
    (how the lemma is read in Korean, Japanese, Chinese; "" elsewhere)."""

    level: str
    zipf: float
    scale: str
    reading: str


def computed_facts(language: Language, word: str, lemma: str) -> WordFacts:
    """The facts computed here: loads the language's word data, and for Korean, Japanese
    and Chinese its analyzer (seconds and hundreds of MB on a process's first lookup in
    the language). Only for a word not found in a stored reading."""
    from opad.text.estimator import LevelEstimator, lemma_zipf  # word data: loaded here

    estimator = LevelEstimator(language.name)
    info = estimator.word(word)
    zipf = lemma_zipf(estimator, info, lemma)
    return WordFacts(info.level.value, zipf, info.detail.scale, estimator.reading(word))


def stored_token(body: ReadingBody, sentence: int, word: str, lemma: str = "") -> Token | None:
    """The token `word` (as the reader shows it) of sentence number `sentence` in a stored
    reading, with lemma `lemma` when one is given (the reader sends the token's own), or
    None: a word split by markup, or a page older than the reading, finds none."""
    word, lemma = normalize(word).strip(), normalize(lemma).strip()
    for paragraph in body.paragraphs:
        for each in paragraph.sentences:
            if each.index != sentence:
                continue
            for token in each.tokens:
                if normalize(token.surface) != word:
                    continue
                if not lemma or normalize(token.lemma or token.surface) == lemma:
                    return token
    return None


def reading_token(
    services: Services,
    scope: str | None,
    article_id: str,
    sentence: int,
    language: Language,
    word: str,
    lemma: str,
) -> Token | None:
    """The token `word` (with lemma `lemma`, when given) of sentence `sentence` in reading
    `article_id`, from its stored analysis; None when the reading has no text or typed body
    yet (its analysis is then requested), is in another language, or the sentence has no
    such word — the lookup then computes what it needs. `scope`: the caller's user id, or
    None where every reading is the caller's (an install without sign-in). Raises NotFound
    (field `article_id`) for a reading outside the scope or that does not exist."""
    from opad.services.ownership import owned_article
    from opad.services.readings import typed_body

    try:
        with services.db.session() as session:
            made = owned_article(session, article_id, scope).content_key is not None
    except NotFound as exc:
        exc.field = "article_id"
        raise
    body = typed_body(services, article_id) if made else None
    if body is None or body.language != language.code:
        return None
    return stored_token(body, sentence, word, lemma)


def lookup_word(
    services: Services,
    user_id: str,
    language: Language,
    explain_in: Language,
    word: str,
    sentence: str,
    *,
    lemma: str = "",
    pos: str = "",
    token: Token | None = None,
) -> dict[str, Any]:
    """The popover's content for `word` (as read) in `sentence`; see the API's LookupOut.
    `lemma` and `pos` (UPOS), when given, are the reading's analysis of the word; `token`,
    when given, is the word in the stored reading: its level, frequency and reading are
    then the worker's, and no analyzer or word data is loaded here (`stored_token`).

    Korean, Japanese and Chinese words (a token as the reader shows it, 行きました) get
    their dictionary form (行く), its reading and JLPT/HSK/TOPIK level with or without a
    dictionary entry; `message` says so plainly when no dictionary has the word.
    """
    word = normalize(word).strip()
    if token is not None and token.zipf is not None and token.level is not None:
        lemma = normalize(lemma).strip() or token.lemma or word
        facts = WordFacts(token.level.value, token.zipf, token.scale, token.lemma_reading)
    else:
        lemma = normalize(lemma).strip() or lemma_of(language.code, word) or word
        facts = computed_facts(language, word, lemma)
    entry, cached = find_entry(services, language, explain_in, word, lemma, sentence, pos)
    explained_in, note = explain_in, None
    if entry is None and explain_in.code != FALLBACK:
        # No dictionary for the learner's explanation language has it: English, said so.
        english = get_language(FALLBACK)
        entry, cached = find_entry(services, language, english, word, lemma, sentence, pos)
        if entry is not None:
            dictionaries = dictionaries_for(services.settings)
            explained_in = english
            note = (
                f"No {explain_in.name} dictionary for {language.name} words; in English:"
                if not dictionaries.has_pair(language.code, explain_in.code)
                else f"The {explain_in.name} dictionary does not have this word; in English:"
            )
    with services.db.session() as session:
        saved = session.scalar(
            select(SavedWord).where(
                SavedWord.user_id == user_id,
                SavedWord.language == language.code,
                SavedWord.lemma == lemma,
            )
        )
        mine = (
            {"id": saved.id, "state": saved.state, "stage": saved.stage, "meaning": saved.meaning}
            if saved
            else None
        )
    return {
        "word": word,
        "lemma": lemma,
        "language": language.name,
        "language_code": language.code,
        "explain_in": explained_in.code,
        # Set when the meaning is in English instead of the learner's explanation language.
        "fallback_note": note,
        "part_of_speech": entry.part_of_speech if entry else None,
        "level": facts.level,
        # Korean, Japanese, Chinese: how the dictionary form is read (romanized, hiragana,
        # pinyin) and its level on the learner's scale ("JLPT N4", "HSK 3"); else None.
        "reading": facts.reading or None,
        "scale": facts.scale or None,
        # How common the word is, counted as its level is: the dictionary form's
        # frequency (or the form's, when higher), so "tranken" is an A1 *common* word.
        "zipf": round(facts.zipf, 2),
        # From the rounded value, as the stored reading keeps it: both ways agree.
        "frequency_band": frequency_band(round(facts.zipf, 2)),
        "sentence": sentence,
        "entry": entry.to_dict() if entry else None,
        # Where the meaning comes from, short, in a learner's terms (entry.source in full).
        "source_label": (
            source_label(entry.source, language.name, explained_in.name) if entry else None
        ),
        "message": None if entry else NO_ENTRY,
        "cached": cached,
        "saved": mine,
    }
