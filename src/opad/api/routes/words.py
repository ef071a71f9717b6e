"""The learner's side of the API: lookups, explanation language, saved words, export.

What the routes accept is in `opad.api.word_inputs`; review and word statistics in
`opad.api.routes.review`."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Response, status

from opad.api.deps import CallerDep, ServicesDep
from opad.api.routes.articles import INVALID, NOT_FOUND, UNAVAILABLE, Responses
from opad.api.schemas import ErrorOut
from opad.api.word_inputs import (
    MAX_SENTENCE,
    MAX_WORD,
    InvalidInput,
    LearnerSettings,
    Lemmas,
    WordChange,
    WordSave,
    check_lemmas,
    check_text,
    check_word,
    language_of,
    word_filters,
)
from opad.learning import export
from opad.learning.states import WordState
from opad.services import lookups, words

router = APIRouter(tags=["words"])

COMMON: Responses = {**INVALID, **UNAVAILABLE}
# Bodies past OPAD_MAX_BODY_BYTES are refused before validation (api/body_limit.py).
WITH_BODY: Responses = {
    **COMMON,
    413: {"model": ErrorOut, "description": "Body larger than OPAD_MAX_BODY_BYTES"},
}
ONE: Responses = {**COMMON, **NOT_FOUND}
NOT_REVIEWED: Responses = {409: {"model": ErrorOut, "description": "Known or ignored word"}}


ERROR_SCHEMA = "#/components/schemas/ErrorOut"


def file_response(media_type: str) -> Responses:
    """The OpenAPI description of a file download (errors stay JSON)."""
    return {
        200: {"content": {media_type: {"schema": {"type": "string", "format": "binary"}}}},
        **{
            code: {
                "description": text,
                "content": {"application/json": {"schema": {"$ref": ERROR_SCHEMA}}},
            }
            for code, text in ((422, "Invalid filter"), (401, "No or bad token"),
                               (503, "The database is down"))
        },
    }  # fmt: skip


@router.get("/lookup", responses=ONE)
def lookup(
    caller: CallerDep,
    services: ServicesDep,
    language: Annotated[str, Query(max_length=40)],
    word: Annotated[str, Query(max_length=MAX_WORD)],
    sentence: Annotated[str, Query(max_length=MAX_SENTENCE)] = "",
    explain_in: Annotated[str | None, Query(max_length=40)] = None,
    lemma: Annotated[str, Query(max_length=MAX_WORD)] = "",
    pos: Annotated[str, Query(max_length=10)] = "",
    article_id: Annotated[str | None, Query(max_length=36)] = None,
    sentence_index: Annotated[int | None, Query(ge=0, le=100_000)] = None,
) -> dict[str, Any]:
    """A word's entry for the reader: dictionary form, level, frequency, meaning, state.

    `lemma` and `pos` (UPOS: NOUN, VERB…) are the word's as the reading's analysis gave
    them (the reader sends both): the dictionary form is then not guessed again.
    `article_id` and `sentence_index` (0-based, as the reading's analysis numbers its
    sentences) name where the word was clicked: its level, frequency and reading then come
    from the stored analysis, with no language data loaded on the way (a first lookup in
    a language costs what later ones cost). 404 (field `article_id`) for a reading that is
    not the caller's; 422 when only one of the two is given.

    The meaning comes from the LLM in context (when configured), else an installed
    dictionary, else `entry` is null and `message` says so. `explain_in` defaults to the
    learner's setting; when no dictionary for it has the word but an English one does,
    the answer is in English, `explain_in` is "en" and `fallback_note` says so.
    """
    lang = language_of(check_text(language, "language"))
    text = check_word(word, "word")
    sentence = check_text(sentence, "sentence")
    target = language_of(explain_in or words.explain_in(services, caller.id), "explain_in")
    known = check_text(lemma, "lemma").strip()
    token = None
    if (article_id is None) != (sentence_index is None):
        missing = "sentence_index" if sentence_index is None else "article_id"
        raise InvalidInput(missing, "article_id and sentence_index come together")
    if article_id is not None and sentence_index is not None:
        where = check_text(article_id, "article_id")
        token = lookups.reading_token(
            services, caller.scope, where, sentence_index, lang, text, known
        )
    return lookups.lookup_word(
        services,
        caller.id,
        lang,
        target,
        text,
        sentence.strip(),
        lemma=known,
        pos=pos.strip(),
        token=token,
    )


@router.get("/dictionaries", responses=UNAVAILABLE)
def dictionaries(services: ServicesDep) -> dict[str, Any]:
    """Which language pairs the installed dictionaries cover, whether an LLM is used, and
    `meanings`: for each language OPAD ships meanings for, the dictionary explaining it in
    English, or null (none installed: `opad dictionaries add CODE`)."""
    from opad.dictionaries.install import meanings_by_language

    found = lookups.dictionaries_for(services.settings)
    return {
        "pairs": found.coverage(),
        "llm": found.llm is not None,
        "meanings": meanings_by_language(services.settings.dictionary_folders),
    }


@router.get("/learner/settings", responses=UNAVAILABLE)
def get_learner_settings(caller: CallerDep, services: ServicesDep) -> dict[str, str]:
    """The learner's explanation language (English until they choose)."""
    return {"explain_in": words.explain_in(services, caller.id)}


@router.put("/learner/settings", responses=WITH_BODY)
def put_learner_settings(
    body: LearnerSettings, caller: CallerDep, services: ServicesDep
) -> dict[str, str]:
    """Choose the language meanings are explained in."""
    code = language_of(check_text(body.explain_in, "explain_in"), "explain_in").code
    return {"explain_in": words.set_explain_in(services, caller.id, code)}


@router.post("/words", status_code=status.HTTP_201_CREATED, responses=WITH_BODY)
def save_word(body: WordSave, caller: CallerDep, services: ServicesDep) -> dict[str, Any]:
    """Save a word (by lemma) with its sentence and reading, in a state; saving it again
    changes the state and adds the sentence."""
    lang = language_of(check_text(body.language, "language"))
    form = check_word(body.word, "word")
    for name in ("lemma", "sentence", "meaning", "reading"):
        check_text(getattr(body, name) or "", name)
    from opad.text import lemma as lemma_of

    lemma = (body.lemma or "").strip() or lemma_of(lang.code, form) or form
    return words.save_word(
        services,
        caller.id,
        language=lang.code,
        lemma=lemma,
        form=form,
        sentence=body.sentence.strip(),
        state=body.state,
        stage=body.stage,
        meaning=(body.meaning or "").strip() or None,
        level=body.level.value if body.level else level_of(lang.code, form),
        reading=(body.reading or "").strip() or _reading_of(lang.code, form),
        article_id=body.article_id,
        article_scope=caller.scope,
    )


def level_of(code: str, form: str) -> str | None:
    """The CEFR level the word popover shows for `form` (A1…C2), when the client sent
    none (the CLI, an older page); None for a phrase of several words, which has none."""
    if not form.strip() or (code not in ("ja", "zh", "ko") and len(form.split()) > 1):
        return None
    from opad.text.estimator import LevelEstimator  # wordfreq: loaded on first use

    return LevelEstimator(code).word(form.strip()).level.value


def with_levels(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The words, each with a level: words saved without one (before the popover sent it)
    get the level the popover shows for the form they were saved from."""
    for item in items:
        if not item.get("level"):
            context = item["contexts"][-1] if item.get("contexts") else {}
            item["level"] = level_of(item["language"], context.get("form") or item["lemma"])
    return items


def _reading_of(code: str, form: str) -> str | None:
    """How `form` is read where the script does not say (hiragana, pinyin, romanization)
    when the client sent none (the CLI, a word typed in): review cards and exports show it.
    None in other languages."""
    if code not in ("ja", "zh", "ko"):
        return None
    from opad.reading.cjk_tokens import cjk_tokens

    parts = [t.reading for t in cjk_tokens(code, form) if t.reading]
    return ("" if code == "ja" else " ").join(parts) or None


@router.post("/words/states", responses=WITH_BODY)
def word_states(body: Lemmas, caller: CallerDep, services: ServicesDep) -> dict[str, Any]:
    """The learner's state for each of `lemmas` they saved (one call for a whole page)."""
    lang = language_of(check_text(body.language, "language"))
    return {"states": words.states(services, caller.id, lang.code, check_lemmas(body.lemmas))}


@router.post("/words/known", responses=WITH_BODY)
def mark_known(body: Lemmas, caller: CallerDep, services: ServicesDep) -> dict[str, Any]:
    """Mark every one of `lemmas` not saved yet as known ("all remaining words known"), as
    one bulk change: `{"added": n, "batch": id}`; `DELETE /words/known/{batch}` undoes it
    (`batch` is null when nothing was added)."""
    lang = language_of(check_text(body.language, "language"))
    lemmas = [lemma.strip() for lemma in check_lemmas(body.lemmas) if lemma.strip()]
    added, batch = words.mark_known(services, caller.id, lang.code, lemmas)
    return {"added": added, "batch": batch}


@router.delete("/words/known/{batch}", responses=COMMON)
def undo_mark_known(
    batch: Annotated[str, Path(max_length=36)], caller: CallerDep, services: ServicesDep
) -> dict[str, int]:
    """Undo one bulk "mark known": the words it saved that are still known and unedited
    are deleted; `{"removed": n}` (0 when nothing of it is left)."""
    return {"removed": words.undo_known(services, caller.id, batch)}


@router.get("/words", responses=COMMON)
def list_words(
    caller: CallerDep,
    services: ServicesDep,
    language: Annotated[str | None, Query(max_length=40)] = None,
    state: WordState | None = None,
    level: Annotated[str | None, Query(max_length=2)] = None,
    q: Annotated[str | None, Query(max_length=100)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000_000)] = 0,
) -> dict[str, Any]:
    """The learner's words, one per lemma with its sentences and readings, newest first."""
    return words.list_words(
        services,
        caller.id,
        **word_filters(language, state, level),
        query=check_text(q, "q") if q else None,
        limit=limit,
        offset=offset,
    )


# What an export holds when no state is asked for: the words being learned, not the
# known and ignored ones (a deck of 94 notes, 80 of them known, helps nobody review).
EXPORTED_BY_DEFAULT = (WordState.NEW, WordState.LEARNING)
ExportStates = Annotated[
    list[WordState] | None,
    Query(description="States to export (repeat for several); default: new and learning"),
]
LinkBase = Annotated[
    str | None,
    Query(
        max_length=300,
        description="The web's address for the links to readings (default: OPAD_WEB_URL)",
    ),
]


def _all_words(
    services: Any, user_id: str, language: str | None, states: list[WordState] | None
) -> list[dict[str, Any]]:
    """Every one of the user's words in `language` (all: None) in one of `states`."""
    wanted = {s.value for s in (states or EXPORTED_BY_DEFAULT)}
    filters = word_filters(language, None, None)
    items: list[dict[str, Any]] = []
    offset = 0
    while True:
        page = words.list_words(services, user_id, **filters, limit=500, offset=offset)
        items += [w for w in page["items"] if w["state"] in wanted]
        offset += len(page["items"])
        if not page["items"] or offset >= page["total"]:
            return with_levels(items)


def _link_base(services: Any, link_base: str | None) -> str:
    """Where a word's link points: the reader page of the web (`link_base` when it is an
    http(s) address, else OPAD_WEB_URL), never the API's JSON."""
    if link_base and link_base.startswith(("http://", "https://")):
        return link_base
    return str(services.settings.web_url)


@router.get("/words/export.csv", response_class=Response, responses=file_response("text/csv"))
def export_csv(
    caller: CallerDep,
    services: ServicesDep,
    language: Annotated[str | None, Query(max_length=40)] = None,
    state: ExportStates = None,
    link_base: LinkBase = None,
) -> Response:
    """The learner's words as CSV (new and learning ones unless `state` says otherwise),
    each linked to the reader page of the reading it came from."""
    items = _all_words(services, caller.id, language, state)
    body = export.csv_text(items, _link_base(services, link_base))
    return Response(
        body,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="opad-words.csv"'},
    )


@router.get(
    "/words/export.apkg",
    response_class=Response,
    responses=file_response("application/octet-stream"),
)
def export_apkg(
    caller: CallerDep,
    services: ServicesDep,
    language: Annotated[str | None, Query(max_length=40)] = None,
    state: ExportStates = None,
    link_base: LinkBase = None,
) -> Response:
    """The learner's words as an Anki deck of cloze notes (new and learning ones unless
    `state` says otherwise), each linked to the reader page of its reading."""
    items = _all_words(services, caller.id, language, state)
    data = export.anki_package(items, _link_base(services, link_base), "OPAD words")
    return Response(
        data,
        media_type="application/octet-stream",
        headers={"Content-Disposition": 'attachment; filename="opad-words.apkg"'},
    )


@router.get("/words/{word_id}", responses=ONE)
def get_word(word_id: str, caller: CallerDep, services: ServicesDep) -> dict[str, Any]:
    """One saved word with its sentences (404 if it is not the caller's)."""
    return words.get_word(services, caller.id, word_id)


@router.patch("/words/{word_id}", responses={**ONE, **WITH_BODY})
def change_word(
    word_id: str, body: WordChange, caller: CallerDep, services: ServicesDep
) -> dict[str, Any]:
    """Change a word's state, stage, meaning or notes."""
    for name in ("meaning", "notes"):
        check_text(getattr(body, name) or "", name)
    return words.update_word(services, caller.id, word_id, body.model_dump(exclude_unset=True))


@router.delete("/words/{word_id}", status_code=204, response_class=Response, responses=ONE)
def delete_word(word_id: str, caller: CallerDep, services: ServicesDep) -> Response:
    """Delete a saved word, its sentences and its reviews."""
    words.delete_word(services, caller.id, word_id)
    return Response(status_code=204)
