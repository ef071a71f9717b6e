"""Run the no-LLM engine over the fixed grid and keep what the report measures.

The grid: every language of the packaged library (found by folder, so new languages join
by themselves) with up to `texts_per_language` of its texts, plus the texts written for
the report in languages without a library (quality/sources/, not served to users), each
at A1…C2 × 100/300/600 words; and the hard source at every level, 300 words. Each source
goes in as the learner's own text, so no topic matching or network is involved.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from opad.engines.base import GenerationRequest, VocabularyItem
from opad.engines.sources import PACKAGED_LIBRARY, load_library, parse_library_file
from opad.languages import find_language
from opad.levels import LEVEL_ORDER, Level
from opad.quality.metrics import sentences_of
from opad.settings import Settings

LENGTHS = (100, 300, 600)
OWN_SOURCES = Path(__file__).with_name("sources")
# Texts written for the report's discourse checks: interviews, quote-heavy news, results and
# how-tos in every shipped language, "<code>-<genre>-<slug>.md", pasted with their headline.
REPORT_TEXTS = Path(__file__).with_name("texts")
TEXT_LENGTHS = (100, 300)
# The rest of the library, at 300 words only: more sources per level for the six-level
# yardsticks (opad.quality.parts.grades), whose means are noisy over three texts.
GRADE_LENGTHS = (300,)
HARD_SOURCE = "hard"  # file name prefix of the hard source(s): "<code>-hard-….md"


@dataclass(frozen=True)
class GridSource:
    """One source text of the grid. kind: "library", "own" (written for the report) or
    "hard" (an academic text, to see whether low levels are warned)."""

    code: str
    language: str
    name: str
    body: str
    kind: str
    headline: str = ""  # pasted as the text's first line ("texts" kind)
    genre: str = ""  # interview, quotes, results, howto ("texts" kind)

    @property
    def pasted(self) -> str:
        """The text as the learner gives it: the headline line, then the body."""
        return f"{self.headline}\n\n{self.body}" if self.headline else self.body


@dataclass
class Run:
    """One engine run: the request, what came back, and the source's sentences."""

    source: GridSource
    level: Level
    length: int
    words: int
    body: str
    vocabulary: list[VocabularyItem]
    warnings: list[str]
    source_sentences: list[str] = field(default_factory=list)
    error: str | None = None
    title: str = ""


def grid_sources(library: Path = PACKAGED_LIBRARY, texts_per_language: int = 3) -> list[GridSource]:
    """The grid's sources: library languages first (sorted by code), then own texts for
    languages the library lacks, then the hard source(s)."""
    out: list[GridSource] = []
    library_codes = sorted(
        d.name for d in library.iterdir() if d.is_dir() and find_language(d.name) is not None
    )
    for code in library_codes:
        language = _language(code)
        # The longest texts: the levels need room to choose different sentences.
        texts = sorted(load_library(library, code), key=lambda st: -len(st[1].body))
        for slug, text in texts[:texts_per_language]:
            out.append(GridSource(code, language, f"{code}/{slug}", text.body, "library"))
    hard: list[GridSource] = []
    for path in sorted(OWN_SOURCES.glob("*.md")):
        code, _, slug = path.stem.partition("-")
        if find_language(code) is None:
            continue
        text = parse_library_file(path)
        if slug.startswith(HARD_SOURCE):
            hard.append(GridSource(code, _language(code), f"{code}/{slug}", text.body, "hard"))
        elif code not in library_codes:
            out.append(GridSource(code, _language(code), f"{code}/{slug}", text.body, "own"))
    return out + hard


def grade_sources(
    library: Path = PACKAGED_LIBRARY, texts_per_language: int = 3
) -> list[GridSource]:
    """The library texts `grid_sources` leaves out (kind "grades")."""
    out: list[GridSource] = []
    for code in sorted(d.name for d in library.iterdir() if d.is_dir() and find_language(d.name)):
        texts = sorted(load_library(library, code), key=lambda st: -len(st[1].body))
        for slug, text in texts[texts_per_language:]:
            out.append(GridSource(code, _language(code), f"{code}/{slug}", text.body, "grades"))
    return out


def report_texts(folder: Path = REPORT_TEXTS) -> list[GridSource]:
    """The texts written for the discourse checks, sorted by file name."""
    out: list[GridSource] = []
    for path in sorted(folder.glob("*.md")):
        code, genre, slug = path.stem.split("-", 2)
        text = parse_library_file(path)
        out.append(
            GridSource(
                code,
                _language(code),
                f"{code}/{genre}-{slug}",
                text.body,
                "texts",
                headline=text.title,
                genre=genre,
            )
        )
    return out


def run_grid(
    sources: list[GridSource],
    settings: Settings | None = None,
    progress: Callable[[str], None] = lambda line: None,
) -> list[Run]:
    """Every source at every level and length (the hard source: every level, 300 words)."""
    from opad.engines import build_engine  # the engine loads its dependencies on demand

    settings = settings or Settings(_env_file=None, OPAD_ENGINE="offline")
    engine = build_engine(settings)
    runs: list[Run] = []
    for source in sources:
        progress(f"{source.name} ({source.kind})")
        source_sentences = sentences_of(source.code, source.body)
        lengths = {"hard": (300,), "texts": TEXT_LENGTHS, "grades": GRADE_LENGTHS}.get(
            source.kind, LENGTHS
        )
        for length in lengths:
            for level in LEVEL_ORDER:
                request = GenerationRequest(
                    language=source.language,
                    level=level,
                    length=length,
                    topic=source.name,
                    source_text=source.pasted,
                )
                try:
                    result = engine.generate(request, lambda p, m: None)
                except Exception as exc:  # a failed run is reported, not fatal
                    runs.append(
                        Run(source, level, length, 0, "", [], [], source_sentences, repr(exc))
                    )
                    continue
                runs.append(
                    Run(
                        source,
                        level,
                        length,
                        result.word_count,
                        article_body(result.markdown),
                        list(result.vocabulary),
                        list(result.warnings),
                        source_sentences,
                        title=result.title,
                    )
                )
    return runs


def article_body(markdown: str) -> str:
    """The article text of an engine's markdown: after the title and source lines, before
    the vocabulary section."""
    parts = markdown.split("\n\n", 2)
    body = parts[2] if len(parts) == 3 else markdown
    return body.split("\n## Vocabulary")[0].strip()


def _language(code: str) -> str:
    found = find_language(code)
    if found is None:
        raise KeyError(code)
    return found.name
