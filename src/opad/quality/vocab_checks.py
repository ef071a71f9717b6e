"""The quality report's own checks of vocabulary lists and cloze questions, independent of
the rules that make them.

The engine decides what is a name, a number or a counter with opad.text.kinds (spelling,
num2words, Faker's person names, the analyzers' tags) and builds cloze options from
lemmas and the analyzers' parts of speech. A report that used the same rules could never
see their misses, so these checks take other sources and other methods:

- **names** (`item_fault`): the report's name check (opad.quality.names: gender-guesser's
  first names, the example sentence) for languages written with spaces; for Korean,
  Japanese and Chinese, Faker's person and place lists of ko_KR / ja_JP / zh_CN (the
  engine uses Faker only for European languages) and the item's place in its example:
  a word glued to an administrative suffix (청송*군*, 杭州*市*, 高山*町*) is a piece of a
  place name;
- **numbers and counters**: a digit in the item, or this module's own closed lists of
  number words, approximate numerals (*dizaine*, *quarantaine*, *dozen*) and counters
  (第, 석, 개, 件, 枚…) — hand-written, not num2words;
- **grammar alone** (`grammar_solvable`): a cloze is solvable by grammar alone when every
  distractor is ruled out by its form — a different inflectional ending from this
  module's suffix tables, a different capitalisation (German nouns), or (ko/ja) a
  different final-character class (a kana verb ending vs a noun, a Hangul verb ending vs
  a noun) — so a
  learner who knows only the grammar finds the answer without reading. The generator
  compares lemmas and the analyzers' tags, not these tables.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import regex


def _word_set(words: str) -> frozenset[str]:
    """A closed list written as one string of words separated by spaces."""
    return frozenset(words.split())


_DIGIT = regex.compile(r"\p{N}")
_CJK = ("ko", "ja", "zh")

# Number words and approximate numerals, per language (lower case; a hyphenated item is
# a number word when any part is one: "four-hour", "vinte-e-dois").
_NUMBER_WORDS: dict[str, str] = {
    "en": "one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy "
    "eighty ninety hundred thousand million billion dozen dozens first second third fourth "
    "fifth sixth seventh eighth ninth tenth twentieth hundredth half quarter twice thrice",
    "de": "eins zwei drei vier fünf sechs sieben acht neun zehn elf zwölf zwanzig dreißig "
    "vierzig fünfzig sechzig siebzig achtzig neunzig hundert tausend million millionen "
    "milliarde milliarden dutzend hälfte viertel erste zweite dritte vierte fünfte zehnte",
    "es": "uno dos tres cuatro cinco seis siete ocho nueve diez once doce quince veinte "
    "treinta cuarenta cincuenta sesenta setenta ochenta noventa cien ciento doscientos "
    "trescientos quinientos mil millón millones docena decena veintena centenar primero "
    "segundo tercero cuarto quinto décimo mitad",
    "fr": "un deux trois quatre cinq six sept huit neuf dix onze douze quinze vingt trente "
    "quarante cinquante soixante cent cents mille million millions milliard douzaine "
    "dizaine quinzaine vingtaine trentaine quarantaine cinquantaine soixantaine centaine "
    "millier premier deuxième troisième quatrième cinquième dixième moitié",
    "it": "uno due tre quattro cinque sei sette otto nove dieci undici dodici quindici venti "
    "trenta quaranta cinquanta sessanta settanta ottanta novanta cento mille mila milione "
    "milioni miliardo dozzina decina ventina trentina quarantina centinaio migliaio primo "
    "secondo terzo quarto quinto decimo metà",
    "pt": "um dois três quatro cinco seis sete oito nove dez onze doze quinze vinte trinta "
    "quarenta cinquenta sessenta setenta oitenta noventa cem cento duzentos trezentos "
    "quinhentos mil milhão milhões dúzia dezena vintena centena primeiro segundo terceiro "
    "quarto quinto décimo metade",
}
# Korean native and Sino-Korean numerals, and counters (bound nouns after a number).
# (Single Sino-Korean syllables such as 일, 이, 사 are also words — "work", "this" —
# so they count only as counters after a number, below.)
_KO_NUMBERS = _word_set(
    "하나 둘 셋 넷 다섯 여섯 일곱 여덟 아홉 스물 서른 마흔 쉰 예순 일흔 "
    "여든 아흔 스무 첫째 둘째 셋째 수십 수백 수천 수만 "
)
_KO_NUMERAL_BEFORE = regex.compile(
    r"(?:\p{N}|[일이삼사오육칠팔구십백천만억]|한|두|세|네|다섯|여섯|일곱|여덟|아홉|열|스무|몇)\s?$"
)
_KO_COUNTERS = _word_set(
    "개 명 번 석 차 년 월 일 살 시 시간 분 초 원 마리 권 장 대 채 "
    "병 잔 곳 층 회 건 배 위 세 주 달 포기 그루 켤레 벌 쌍 척 "
)
_CJ_NUMERALS = set("〇零一二三四五六七八九十百千万萬億亿兩两半数數")
_JA_COUNTERS = _word_set(
    "人 回 件 個 枚 本 円 年 月 日 時 分 秒 歳 才 台 匹 頭 羽 冊 "
    "軒 階 番 度 倍 位 号 第 割 名 杯 着 足 つ 校 社 店 km 万人 "
)
_ZH_COUNTERS = _word_set(
    "个 位 名 件 次 年 月 日 号 岁 元 块 人 只 头 条 本 张 辆 家 "
    "座 所 台 层 倍 第 届 场 天 周 分 秒 点 斤 米 公里 户 栋 批 项 "
    "万 亿 "
)
# Administrative suffixes that end a place name: a word glued to one is part of a name.
# Korean: an eojeol (a run between spaces) ending in one, with or without its particle;
# Japanese and Chinese (no spaces): the word right before one and then no other Han
# character, so that a clause that happens to end in 区 does not count.
_KO_PLACE = regex.compile(
    r"^(\p{Hangul}+)(?:특별시|광역시|시|군|구|도|읍|면|리)(?:에서|에|의|은|는|이|가|을|를|와|과|도|로|으로)?$"
)
_CJ_SUFFIX = {"ja": "都道府県市区町村郡", "zh": "省市县区镇乡村州"}


@lru_cache(maxsize=16)
def _number_words(code: str) -> frozenset[str]:
    return frozenset(_NUMBER_WORDS.get(code, "").split())


@lru_cache(maxsize=4)
def _faker_names(code: str) -> frozenset[str]:
    """Person and place names of Faker's ko_KR / ja_JP / zh_CN providers."""
    import importlib

    locale = {"ko": "ko_KR", "ja": "ja_JP", "zh": "zh_CN"}[code]
    found: set[str] = set()
    for kind, attributes in (
        ("person", ("first_names", "last_names", "first_names_male", "first_names_female")),
        ("address", ("cities", "city_names", "provinces", "states", "prefectures", "towns",
                     "city_suffixes_names", "metropolitan_cities", "boroughs")),
    ):  # fmt: skip
        try:
            provider = importlib.import_module(f"faker.providers.{kind}.{locale}").Provider
        except ImportError:
            continue
        for attribute in attributes:
            value = getattr(provider, attribute, ())
            found |= {str(v) for v in (value.keys() if isinstance(value, dict) else value)}
    # One-character surnames (王, 应, 김) are also common words: only longer entries.
    return frozenset(n for n in found if len(n) >= 2)


def _after_numeral(word: str, example: str, before: regex.Pattern[str]) -> bool:
    """Whether `word` stands right after a number somewhere in `example` (3석, 4件)."""
    return any(
        before.search(example[: m.start()]) for m in regex.finditer(regex.escape(word), example)
    )


_CJ_NUMERAL_BEFORE = regex.compile(r"[\p{N}〇零一二三四五六七八九十百千万萬億亿两兩几幾数數]$")


def is_number_or_counter(code: str, word: str, lemma: str, example: str = "") -> bool:
    """Whether a vocabulary item is a number, a number word or a counter (a counter: a
    listed one standing right after a number in its example), by this module's lists."""
    if _DIGIT.search(word):
        return True
    if code == "ko":
        if word in _KO_NUMBERS or lemma in _KO_NUMBERS:
            return True
        counter = word in _KO_COUNTERS or lemma in _KO_COUNTERS
        return counter and _after_numeral(word, example, _KO_NUMERAL_BEFORE)
    if code in ("ja", "zh"):
        counters = _JA_COUNTERS if code == "ja" else _ZH_COUNTERS
        return (
            all(c in _CJ_NUMERALS for c in word)
            or word[:1] == "第"
            or (len(word) >= 2 and word[0] in _CJ_NUMERALS and word[1:] in counters)
            or (word in counters and _after_numeral(word, example, _CJ_NUMERAL_BEFORE))
        )
    known = _number_words(code)
    parts = [p for p in regex.split(r"[-‐]", word.lower()) if p]
    return any(p in known for p in parts) or lemma.lower() in known


def is_cjk_name(code: str, word: str, example: str) -> bool:
    """Whether a Korean, Japanese or Chinese item is a name or a piece of one: listed by
    Faker as a person or place, or part of a place name in its example (청 in 청송군에서,
    杭州 in 杭州市)."""
    if word in _faker_names(code):
        return True
    if code == "ko":
        for eojeol in example.split():
            place = _KO_PLACE.match(eojeol)
            # the name before the suffix holds the word: 청송(군에서) holds 청, but
            # 도(시에) does not hold 도시
            if place and word in place.group(1):
                return True
        return False
    suffixes = _CJ_SUFFIX[code]
    pattern = rf"{regex.escape(word)}[{suffixes}](?!\p{{Han}})"
    return len(word) <= 3 and regex.search(pattern, example) is not None


def item_fault(code: str, word: str, lemma: str, example: str) -> str | None:
    """ "number" or "name" when a vocabulary item is one by this module's yardsticks, else
    None."""
    if is_number_or_counter(code, word, lemma, example):
        return "number"
    if code in _CJK:
        return "name" if is_cjk_name(code, word, example) else None
    from opad.quality.names import name_in_example

    return "name" if name_in_example(code, word, example) else None


# Inflectional endings per language, longest first: a word's ending class is the first
# that it ends with ("" when none). Closed lists written for this check.
_ENDINGS: dict[str, tuple[str, ...]] = {
    "en": ("ing", "ed", "ly", "ies", "es", "s", "er", "est"),
    "de": ("ungen", "ung", "ern", "en", "em", "er", "es", "st", "te", "t", "e", "n", "s"),
    "es": ("aron", "ieron", "ando", "iendo", "ado", "ido", "aba", "mente", "ción", "ciones",
           "as", "es", "os", "an", "en", "ar", "er", "ir", "a", "o", "e"),
    "fr": ("aient", "ait", "ions", "ent", "ées", "és", "ée", "é", "er", "ir", "re", "ment",
           "tion", "es", "s", "x", "e"),
    "it": ("ando", "endo", "ato", "ata", "ati", "ate", "ito", "ita", "are", "ere", "ire",
           "ano", "ono", "mente", "zione", "i", "e", "a", "o"),
    "pt": ("ando", "endo", "ado", "ada", "ados", "adas", "ido", "ida", "aram", "eram", "ar",
           "er", "ir", "am", "em", "mente", "ção", "ções", "s", "a", "o", "e"),
}  # fmt: skip
_JA_ENDINGS = "るうくすつむぶぐたていしずだでればよ"
_KO_VERBAL = regex.compile(r"(?:다|고|게|며|면|서|요|는|은|던|을|지|니|야)$")


def form_class(code: str, word: str) -> str:
    """The class of a word's form for the grammar-alone check (see the module docstring)."""
    if code == "ko":
        return "verbal" if _KO_VERBAL.search(word) and len(word) > 1 else "nominal"
    if code == "ja":
        # A verb's or adjective's inflected ending (食べ*た*, 高*い*, 行*く*); nouns end in
        # kanji, katakana or any other kana (子ども*たち*, ほか).
        last = word[-1:]
        return f"inflected-{last}" if last in _JA_ENDINGS and len(word) > 1 else "nominal"
    if code == "zh":
        return "han"
    if code == "de" and word[:1].isupper():
        # A noun: its ending is mostly not inflection (Lehrer, Radfahrer, Innenstadt);
        # which nouns fit the article is gender, which this check cannot see.
        return "noun"
    lower = word.lower()
    return next((e for e in _ENDINGS.get(code, ()) if lower.endswith(e)), "")


def grammar_solvable(code: str, answer: str, options: Sequence[str]) -> bool:
    """Whether every distractor of a cloze is ruled out by its form alone."""
    wanted = form_class(code, answer)
    others = [o for o in options if o != answer]
    return bool(others) and all(form_class(code, o) != wanted for o in others)
