"""Does a reading hold together? The report's own checks, independent of the engine's rules.

The engine keeps sentences together with opad.text.cohesion (a sentence's first word,
a definite noun repeated from the sentence just before) and opad.text.discourse. This
module judges the result another way: it compares the reading with its source and asks,
for every kept sentence, whether it points at what only the dropped text said:

- a definite noun phrase in its first clause whose noun (by its first five letters)
  occurs earlier in the source only in dropped sentences ("Secondo il Comune,
  l'*aumento* è dovuto …", "autour *du trou*");
- a person named by surname only whose full name (a first name from gender-guesser's
  dictionary, then the surname) is in the source but not in the reading before it;
  Korean "박 씨" and Japanese "田中さん" after a dropped full name likewise;

and, for a kept sentence whose source predecessor was dropped:

- a back-reference word anywhere in the first clause: third-person pronouns,
  demonstratives, and comparison or contrast words (*instead, invece, también, auch*) —
  this module's own lists, written from each language's grammar;
- a subject-less opening in Spanish, Italian and Portuguese: a first word with a finite
  verb ending followed by an article or preposition ("Describe una asociación …"); not
  in how-tos, whose steps open with instructions to the reader.

And three checks of units: quoted sentences kept without the sentence of their paragraph
that says who speaks (or with another speaker's quote merged into their paragraph);
interview answers kept without their question right before them; the lead sentence
dropped while the pasted headline is dropped too.
"""

from __future__ import annotations

from dataclasses import dataclass

import regex

from opad.quality.names import is_first_name
from opad.quality.yardsticks import sentences

_WORD = regex.compile(r"[\p{L}\p{M}]+(?:['’][\p{L}\p{M}]+)?")
_CLAUSE_END = regex.compile(r"[,;:—–()、，：；]")

# Back-reference words: third-person pronouns, demonstratives, comparison and contrast.
BACK_REFERENCES: dict[str, frozenset[str]] = {
    code: frozenset(words.split())
    for code, words in {
        "en": "he she it they him her them his its their this these those such "
        "there instead too also either likewise similarly same other latter former contrary",
        "de": "er sie es ihm ihn ihnen sein seine seinen seinem seiner ihre ihren ihrem "
        "ihrer dieser diese dieses diesen diesem jener jene solche solchen dort dabei "
        "dafür dagegen darauf daran damit davon dazu deshalb trotzdem stattdessen "
        "ebenfalls ebenso auch gleichen selben anderen letztere",
        "es": "él ella ellos ellas lo le les su sus este esta estos estas "
        "ese esa esos esas esto eso aquel aquella allí también tampoco además "
        "en_cambio contrario mismo misma otro otra",
        "fr": "il elle ils elles lui leur leurs son sa ses ce cet cette ces cela ceci ça "
        "celui celle ceux celles là aussi également même autre pourtant cependant contraire",
        "it": "lui lei loro esso essa suo sua suoi sue questo questa questi queste "
        "quello quella quelli quelle ciò lì là anche invece pure stesso stessa altro "
        "altra tuttavia contrario",
        "pt": "ele ela eles elas lhe lhes seu sua seus suas este esta estes estas esse "
        "essa esses essas isto isso aquele aquela lá também mesmo mesma outro outra "
        "contudo porém contrário",
    }.items()
}
_CJK_BACK: dict[str, tuple[str, ...]] = {
    "ja": ("その", "この", "それ", "これ", "彼", "同じ", "そこ", "あの", "こうした", "そうした"),
    "zh": ("他", "她", "它", "这", "那", "该", "此", "其", "同样", "也"),
    "ko": (
        "그는",
        "그가",
        "그의",
        "그를",
        "그녀",
        "그들",
        "이들",
        "이는",
        "그곳",
        "이곳",
        "해당",
        "같은",
        "이런",
        "그런",
        "그러나",
        "하지만",
        "또한",
        "그래서",
        "이에",
    ),
}
# A definite article or demonstrative before a noun ("the couple", "l'aumento").
_DEFINITE: dict[str, frozenset[str]] = {
    code: frozenset(words.split())
    for code, words in {
        # with the prepositions fused to the article ("du trou", "nel paese", "im Topf")
        "en": "the",
        "de": "der die das den dem des im am zum zur vom beim ins",
        "es": "el la los las del al",
        "fr": "le la les l du au aux",
        "it": "il lo la i gli le l del della dei degli delle al alla ai agli alle nel nella "
        "nei negli nelle sul sulla dal dalla",
        "pt": "o a os as do da dos das no na nos nas ao aos pelo pela",
    }.items()
}
# Verb endings of a finite third person, for subject-less openings (pro-drop languages).
_FINITE_PAST = {
    "es": regex.compile(r"(?:ó|aron|ieron|aba|aban|ía|ían|ará|erá|irá|arán|erán|irán)$"),
    "it": regex.compile(r"(?:ò|ì|arono|irono|erono|ava|avano|eva|evano|iva|ivano|rà|ranno)$"),
    "pt": regex.compile(r"(?:ou|aram|eram|iram|ava|avam|ia|iam|rá|rão)$"),
}
_FINITE_PRESENT = {
    "es": regex.compile(r"(?:a|e|an|en)$"),
    "it": regex.compile(r"(?:a|e|ano|ono)$"),
    "pt": regex.compile(r"(?:a|e|am|em)$"),
}
_NEXT_TO_VERB = {
    code: frozenset(words.split())
    for code, words in {
        "es": "el la los las un una unos unas que a en con de su sus al del",
        "it": "il lo la i gli le un una che a in con di del della al alla su",
        "pt": "o a os as um uma que em com de do da ao no na seu sua",
    }.items()
}
_NOT_VERBS = frozenset(
    """esta este esa ese cada entre desde hasta nunca siempre ante tras sobre ella una
una otra otra toda todo toda mucha poca ogni questa queste sempre mai dopo prima
cada essa esta toda nossa nunca sempre entre desde sobre até cerca acerca fuera dentro
durante mediante""".split()  # noqa: SIM905
)
_SPEECH = regex.compile(
    r"(?i)\b(?:said|says|told|added|asked|explained|recalled|promised|warned|"
    r"sagte|sagt|erklärte|meinte|betonte|fragte|erinnerte|kündigte|"
    r"dijo|afirmó|explicó|contó|aseguró|añadió|recordó|respondió|"
    r"dit|déclaré|affirme|raconte|rappelle|explique|ajoute|répond|dénonce|"
    r"detto|dichiarato|spiegato|raccontato|ricorda|promette|"
    r"disse|afirmou|explicou|contou|lembrou|garantiu|prometeu|defendeu)\b"
    r"|(?:말했다|밝혔다|설명했다|강조했다|말한다|덧붙였다|と話|と述べ|と説明|と指摘|と語|说|表示|介绍)"
)
_QUOTE = regex.compile(r"[\"“”„«»「」『』]")


@dataclass(frozen=True)
class Cohesion:
    """One reading's faults by the checks above (counts; `kept` = kept sentences)."""

    kept: int
    dangling: tuple[str, ...]  # the dangling kept sentences, for the report to quote
    quoted: int
    speakers_lost: tuple[str, ...]
    answers: int
    answers_alone: tuple[str, ...]
    lead_dropped: bool
    headline_in_text: bool


def check(code: str, source: str, reading: str, headline: str = "", kind: str = "") -> Cohesion:
    """Judge `reading` (paragraphs separated by blank lines) against `source` (likewise,
    without its headline). `kind` "interview" turns the question/answer check on."""
    flat = _flat(code, reading)
    paragraphs = [sentences(code, p) for p in regex.split(r"\n\s*\n", source) if p.strip()]
    src = [(p, s) for p, sents in enumerate(paragraphs) for s in sents]
    kept = [_flat(code, s) in flat for _, s in src]
    dangling: list[str] = []
    for i, (_, sentence) in enumerate(src):
        if not kept[i] or i == 0:
            continue
        before_kept = [s for j, (_, s) in enumerate(src[:i]) if kept[j]]
        before_dropped = [s for j, (_, s) in enumerate(src[:i]) if not kept[j]]
        # A surname or a noun whose introduction was dropped dangles wherever it stands;
        # a pronoun or a missing subject only when the sentence before was dropped.
        if _names_only_dropped(code, sentence, before_kept, before_dropped) or (
            not kept[i - 1] and _points_back(code, sentence, before_kept, before_dropped, kind)
        ):
            dangling.append(sentence)
    lost, quoted = _speakers(code, src, kept, reading)
    alone, answers = _answers(src, kept, paragraphs) if kind == "interview" else ([], 0)
    lead_dropped = bool(src) and not kept[0]
    headline_in_text = bool(headline) and _flat(code, headline) in flat[: len(headline) + 40]
    return Cohesion(
        kept=sum(kept),
        dangling=tuple(dangling),
        quoted=quoted,
        speakers_lost=tuple(lost),
        answers=answers,
        answers_alone=tuple(alone),
        lead_dropped=lead_dropped,
        headline_in_text=headline_in_text,
    )


def _flat(code: str, text: str) -> str:
    return "".join(text.split()) if code in ("ja", "zh", "ko") else " ".join(text.split())


def first_clause(code: str, sentence: str) -> str:
    """The sentence up to its first comma, colon, dash or bracket (at most 12 words)."""
    body = regex.sub(r"^[\s\p{Pi}\p{Pf}\p{Ps}\"'«»„“—–*-]+", "", sentence)
    clause = _CLAUSE_END.split(body, maxsplit=1)[0]
    if code in ("ja", "zh"):
        return clause[:20]
    return " ".join(clause.split()[:12])


def _points_back(
    code: str, sentence: str, kept: list[str], dropped: list[str], kind: str = ""
) -> bool:
    clause = first_clause(code, sentence)
    if code in _CJK_BACK:
        if code == "ko":
            head = clause.split()[:2]
            if any(w.startswith(_CJK_BACK["ko"]) for w in head):
                return True
        elif any(mark in clause for mark in _CJK_BACK[code]):
            return True
        return _surname_only(code, sentence, kept, dropped)
    raw = _WORD.findall(clause)
    # German "Sie" inside a sentence is the polite "you"; English "that" first is a
    # demonstrative, later mostly a conjunction.
    polite = ("Sie", "Ihr", "Ihre", "Ihren", "Ihrem", "Ihrer", "Ihnen")
    tokens = [w.lower() for n, w in enumerate(raw) if not (n and code == "de" and w in polite)]
    if code == "en" and raw and raw[0].lower() == "that":
        return True
    # Two-word entries are written with "_" ("en_cambio").
    words = set(tokens) | {"_".join(tokens[i : i + 2]) for i in range(len(tokens) - 1)}
    if words & BACK_REFERENCES.get(code, frozenset()):
        return True
    if _lost_noun(code, clause, kept, dropped) or _surname_only(code, sentence, kept, dropped):
        return True
    # A how-to's steps open with verbs that instruct the reader: no subject is missing.
    return kind != "howto" and _subjectless(code, clause)


def _names_only_dropped(code: str, sentence: str, kept: list[str], dropped: list[str]) -> bool:
    clause = first_clause(code, sentence)
    lost = code not in _CJK_BACK and _lost_noun(code, clause, kept, dropped)
    return lost or _surname_only(code, sentence, kept, dropped)


def _stems(code: str, texts: list[str]) -> set[str]:
    # Elided articles apart ("l'aumento" → "aumento").
    return {w.lower()[:5] for t in texts for w in regex.findall(r"[\p{L}\p{M}]+", t) if len(w) >= 4}


def _lost_noun(code: str, clause: str, kept: list[str], dropped: list[str]) -> bool:
    articles = _DEFINITE.get(code)
    if not articles:
        return False
    tokens = regex.findall(r"[\p{L}\p{M}]+", clause)
    gone = _stems(code, dropped) - _stems(code, kept)
    for a, b in zip(tokens, tokens[1:], strict=False):
        if a.lower() in articles and len(b) >= 4 and b.lower()[:5] in gone:
            if code == "de" and not b[:1].isupper():
                continue
            return True
    return False


def _surname_only(code: str, sentence: str, kept: list[str], dropped: list[str]) -> bool:
    if code == "ko":
        match = regex.search(r"(?:^|\s)(\p{Hangul}) (?:씨|과장|사서|교수|선수|감독)", sentence)
        full = match and regex.compile(
            rf"{match.group(1)}\p{{Hangul}}{{1,2}} (?:씨|과장|사서|교수|선수|감독)"
        )
        return (
            bool(full)
            and any(full.search(s) for s in dropped)
            and not any(full.search(s) for s in kept)
        )
    if code == "ja":
        match = regex.search(r"(\p{Han}{1,2})(?:さん|町長|選手|監督)", sentence)
        if not match:
            return False
        full = regex.compile(rf"{match.group(1)}\p{{Han}}{{1,3}}(?:さん|町長|選手|監督)")
        return any(full.search(s) for s in dropped) and not any(full.search(s) for s in kept)
    if code == "zh":
        return False  # Chinese news repeats the full name
    for match in regex.finditer(r"(?<![\p{L}\p{M}] )\b(\p{Lu}[\p{L}\p{M}'’-]+)", sentence):
        surname = match.group(1)
        full = regex.compile(rf"\b(\p{{Lu}}[\p{{L}}\p{{M}}-]+) {regex.escape(surname)}\b")
        introduced = [m.group(1) for s in dropped for m in full.finditer(s)]
        if not any(is_first_name(n) for n in introduced):
            continue
        if not any(full.search(s) for s in kept) and not full.search(sentence):
            return True
    return False


def _subjectless(code: str, clause: str) -> bool:
    past, present = _FINITE_PAST.get(code), _FINITE_PRESENT.get(code)
    if past is None or present is None:
        return False
    tokens = _WORD.findall(clause)
    if len(tokens) < 2 or not tokens[0][:1].isupper():
        return False
    first, second = tokens[0].lower(), tokens[1].lower()
    if first in _NOT_VERBS or len(first) < 4 or "'" in first or "’" in first:
        return False
    if past.search(first) and not tokens[1][:1].isupper():
        return True
    return bool(present.search(first)) and second in _NEXT_TO_VERB[code]


def _speakers(
    code: str, src: list[tuple[int, str]], kept: list[bool], reading: str
) -> tuple[list[str], int]:
    """Kept quoted sentences whose paragraph's speaker sentence was dropped, or that share
    a reading paragraph with another source paragraph's quotes."""
    lost: list[str] = []
    quoted = 0
    reading_paragraphs = [_flat(code, p) for p in regex.split(r"\n\s*\n", reading) if p.strip()]
    for i, (paragraph, sentence) in enumerate(src):
        if not kept[i] or not _QUOTE.search(sentence):
            continue
        quoted += 1
        mates = [j for j, (p, _) in enumerate(src) if p == paragraph]
        speakers = [j for j in mates if _SPEECH.search(src[j][1])]
        # The sentence naming the speaker: the first attribution, or the paragraph's
        # opening when the attributions use a pronoun ("sagte er").
        naming = [j for j in speakers if _names_someone(code, src[j][1])] or mates[:1]
        if speakers and not any(kept[j] for j in naming):
            lost.append(sentence)
            continue
        here = next((p for p in reading_paragraphs if _flat(code, sentence) in p), "")
        others = {
            p
            for j, (p, s) in enumerate(src)
            if kept[j] and p != paragraph and _QUOTE.search(s) and _flat(code, s) in here
        }
        if others and any(_SPEECH.search(src[j][1]) for j in mates):
            lost.append(sentence)
    return lost, quoted


def _names_someone(code: str, sentence: str) -> bool:
    if code in ("ja", "zh", "ko"):
        return bool(
            regex.search(
                r"\p{Han}{2,4}(?:さん|町長)|\p{Hangul}{3} (?:씨|과장)|\p{Han}{2,3}(?:说|表示)",
                sentence,
            )
        )
    inner = sentence[1:]
    return bool(regex.search(r"\b\p{Lu}\p{Ll}+ \p{Lu}\p{Ll}+", inner))


def _answers(
    src: list[tuple[int, str]], kept: list[bool], paragraphs: list[list[str]]
) -> tuple[list[str], int]:
    """Kept answer paragraphs whose question is not kept."""
    alone: list[str] = []
    answers = 0
    question: int | None = None
    question_kept = False
    for p, sents in enumerate(paragraphs):
        text = " ".join(sents).rstrip("*_ ")
        # Japanese interviews mark the interviewer's lines with "――", not a question mark.
        if text.endswith(("?", "？")) or text.startswith(("――", "──")):
            question = p
            question_kept = any(kept[j] for j, (q, _) in enumerate(src) if q == p)
            continue
        if question is None:
            continue
        if any(kept[j] for j, (q, _) in enumerate(src) if q == p):
            answers += 1
            if not question_kept:
                alone.append(sents[0])
    return alone, answers
