"""Back-references later in a sentence's first clause, and subject-less openings.

opad.text.cohesion looks at a sentence's first word. A sentence also leans on the one
before when its first clause, wherever in it, holds

- a demonstrative determiner ("Bei Tageslicht funktioniert *diese* Regel zuverlässig"),
  a third-person pronoun ("Secondo *lui*, …") or a comparison or contrast word
  (*invece, también, instead, stattdessen, en revanche*): they point at something said
  before;
- in Spanish, Italian and Portuguese, which drop subject pronouns, a finite verb as its
  first word ("Describe una asociación …", "Spiega che …"): the subject is in the
  sentence before. The verb is found by its lemma (an infinitive that differs from the
  word); imperatives of how-to steps lean on the step before too, which keeps steps
  in order.

- in German and Dutch, where the finite verb comes second, an adverb that points back
  (*deshalb, daher, deswegen, trotzdem, dafür, dort*; *daarom, daardoor, daar*) after
  the verb as well as before it ("Die Stadt will *deshalb* …"), unless a clause that
  says what it means follows it ("dafür, dass …", "dort, wo …");
- "the rest" of something just named ("*Den Rest* trägt die Stadt selbst.", "el resto",
  "le reste"), unless it is the rest of a day, a life or the world;
- German *oben*/*unten* as a place on their own ("*Oben* ist jetzt alles grün": above
  what the sentence before built), not "oben auf dem Dach", "nach oben".

Closed word lists from each language's grammar; a few time phrases ("this year", "cette
semaine") are deictic, not back-references, and are skipped.
"""

from __future__ import annotations

import regex

from opad.text.tokens import tokenize

_IN_CLAUSE: dict[str, frozenset[str]] = {
    code: frozenset(words.split())
    for code, words in {
        "en": "he she they him them his their its this these those such instead too "
        "likewise similarly latter former contrary",
        "de": "er es sie ihm ihn sein seine seinen seinem seiner dieser diese dieses diesen "
        "diesem solche solchen solcher stattdessen ebenfalls ebenso dagegen derselbe "
        "dieselbe dasselbe damals deshalb daher deswegen darum trotzdem dafür dort",
        "es": "él ella ellos ellas su sus este esta estos estas ese esa esos esas aquel "
        "aquella esto eso ello también tampoco mismo misma contrario",
        "fr": "il elle ils elles lui leur leurs son sa ses cet cette ces celui celle ceux "
        "celles aussi également pourtant revanche contraire",
        "it": "lui lei loro suo sua suoi sue questo questa questi queste quello quella "
        "quelli quelle quei quegli ciò invece anche pure stesso stessa contrario",
        "pt": "ele ela eles elas seu sua seus suas este esta estes estas esse essa esses "
        "essas aquele aquela isto isso também mesmo mesma porém contrário",
        "nl": "daarom daardoor daarna destijds daar",
    }.items()
}
# An adverb that points forward instead, at the clause after its comma ("Sie sorgt dafür,
# dass …", "dort, wo früher Autos standen"): German and Dutch.
_CATAPHOR = regex.compile(
    r"^\s*,\s*(?:dass|daß|ob|wo|wohin|woher|weil|was|dat|of|waar|omdat)\b",
    regex.IGNORECASE,
)
# "the rest" of something just named; the rest of a day, a life or the world is not.
_WHOLES = (
    r"(?:day|week|month|year|life|world|time|evening|night|summer|season|"
    r"tag\w*|woche|monat\w*|jahr\w*|leben\w*|welt|abend\w*|nacht|"
    r"día|semana|mes|año|vida|mundo|tarde|noche|"
    r"jour\w*|semaine|mois|année|vie|monde|soir\w*|nuit|"
    r"giorn\w*|settimana|mese|anno|vita|mondo|sera\w*|notte|"
    r"dia|mês|ano|noite|dag|maand|jaar|leven|wereld|avond)\b"
)
_REST = {
    code: regex.compile(rf"\b{rest}\b(?!\s+{of}\s+{_WHOLES})", regex.IGNORECASE)
    for code, rest, of in [
        ("en", "the rest", r"of\s+(?:the|my|his|her|our|their|your)"),
        ("de", "(?:der|den|dem) Rest", "(?:des|der|meines|seines|ihres|unseres)"),
        ("es", "(?:el|al|del) resto", r"del?(?:\s+(?:la|el|su|mi))?"),
        ("fr", "le reste", r"d[eu](?:\s+(?:la|sa|ma)|\s+l['’])?"),
        ("it", "il resto", r"(?:del|della|dello|di)(?:\s+(?:sua|mia))?"),
        ("pt", "o resto", "d[oa]"),
        ("nl", "de rest", r"van\s+(?:de|het|zijn|haar|mijn)"),
    ]
}
# German "oben"/"unten" standing for a place named before: not "oben auf dem Dach" (the
# place follows), "nach oben" (a direction) or "von oben".
_DE_PLACE = regex.compile(
    r"(?<!\b(?:nach|von|bis|ganz|weiter|hier|dort|da|links|rechts)\s)\b(?:oben|unten)\b"
    r"(?!\s+(?:auf|an|am|im|in|bei|beim|über|unter|vor|hinter|neben|zwischen|links|"
    r"rechts|herum|drauf|drin)\b)(?!\s*,)",
    regex.IGNORECASE,
)
_ADVERBS_BEFORE_CLAUSES = frozenset(
    "deshalb daher deswegen darum trotzdem dafür dagegen dort daarom daardoor daar".split()  # noqa: SIM905
)
# Deictic time phrases: "this year" points at the calendar, not at an earlier sentence.
_TIME = frozenset(
    """year week month morning evening summer winter spring autumn time jahr woche monat
morgen sommer winter año semana mes mañana verano invierno année semaine mois matin été
hiver anno settimana mese mattina estate inverno ano semana mês manhã verão""".split()  # noqa: SIM905
)
_CJK_IN_CLAUSE: dict[str, tuple[str, ...]] = {
    "ja": ("この", "その", "こうした", "そうした", "同じ", "これ", "それ", "彼"),
    "zh": ("这", "那", "该", "此", "其", "同样", "他", "她", "它"),
    "ko": ("이런", "그런", "이러한", "그러한", "해당", "같은", "그는", "그가", "그의", "이는"),
}
_INFINITIVE = {
    "es": regex.compile(r"(?:ar|er|ir|ír)$"),
    "pt": regex.compile(r"(?:ar|er|ir|ôr|or)$"),
    "it": regex.compile(r"(?:are|ere|ire|rre)$"),
}
_CLAUSE_END = regex.compile(r"[,;:—–()、，：；]")
_WORD = regex.compile(r"[\p{L}\p{M}]+(?:['’][\p{L}\p{M}]+)?")
_LEAD = regex.compile(r"^[\s\p{Pi}\p{Pf}\p{Ps}\"'«»„“‚‹›—–*-]+")


def first_clause(sentence: str) -> str:
    """The sentence up to its first comma, colon, semicolon, dash or bracket; with the
    next clause too when the first is a short opening phrase ("Le maire, pourtant, …",
    "去年，该项目 …": three words or five characters at most)."""
    parts = _CLAUSE_END.split(_LEAD.sub("", sentence), maxsplit=2)
    clause = parts[0]
    cjk = regex.search(r"[\p{Han}\p{Hiragana}\p{Katakana}]", clause)
    short = len(clause.strip()) <= 5 if cjk else len(clause.split()) <= 3
    if short and len(parts) > 1:
        clause = f"{clause} {parts[1]}"
    return clause


def refers_back(code: str, sentence: str) -> bool:
    """Whether the first clause of `sentence` holds a back-reference or, in a pro-drop
    language, opens with a finite verb (see the module docstring)."""
    clause = first_clause(sentence)
    if code in ("ja", "zh"):
        return any(mark in clause[:20] for mark in _CJK_IN_CLAUSE[code])
    if code == "ko":
        return any(w.startswith(_CJK_IN_CLAUSE["ko"]) for w in clause.split()[:2])
    listed = _IN_CLAUSE.get(code)
    if listed is None:
        return False
    words = _WORD.findall(clause)
    for n, word in enumerate(words[:12]):
        lower = word.lower()
        if lower not in listed:
            continue
        if code == "de" and word == "Sie" and n:
            continue  # the polite "you"
        following = words[n + 1].lower() if n + 1 < len(words) else ""
        if following in _TIME:
            continue
        if lower in _ADVERBS_BEFORE_CLAUSES and points_forward(sentence, word):
            continue
        return True
    if code == "de" and _german_pronoun_das(words[:12]):
        return True
    rest = _REST.get(code)
    if rest is not None and rest.search(clause):
        return True
    if code == "de" and _DE_PLACE.search(clause):
        return True
    return _verb_first(code, sentence)


def points_forward(sentence: str, word: str) -> bool:
    """Whether every `word` in `sentence` is followed by a comma and the clause it points
    at ("dafür, dass …", "Dort, wo …")."""
    found = list(regex.finditer(rf"\b{regex.escape(word)}\b", sentence))
    return bool(found) and all(_CATAPHOR.match(sentence[m.end() :]) for m in found)


def _german_pronoun_das(words: list[str]) -> bool:
    """German "das"/"dies" standing for something said before ("… habe ich *das* lange
    vermisst"): not followed by a noun (capitalised), so not an article."""
    for n, word in enumerate(words):
        if word.lower() in ("das", "dies") and n:
            following = words[n + 1] if n + 1 < len(words) else ""
            if not following[:1].isupper():
                return True
    return False


def _verb_first(code: str, sentence: str) -> bool:
    pattern = _INFINITIVE.get(code)
    if pattern is None:
        return False
    tokens = tokenize(code, _LEAD.sub("", sentence))[:2]
    if len(tokens) < 2 or not tokens[0].word[:1].isupper():
        return False
    word, lemma = tokens[0].word.lower(), tokens[0].lemma.lower()
    return (
        word != lemma
        and bool(pattern.search(lemma))
        and not word.endswith(
            ("ndo", "ado", "ido", "ada", "ida")  # gerunds and participles open clauses alone
        )
    )
