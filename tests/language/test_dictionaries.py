"""Dictionary parsing and lookup on small dictd files made here (no system dictionary)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from opad.dictionaries import Dictionaries
from opad.dictionaries.dictd import DictdDatabase, DictdPaths, decode_number
from opad.dictionaries.formats import parse_freedict_entry as parse_entry
from opad.dictionaries.formats import parse_wordnet_entry as parse_wordnet
from opad.dictionaries.freedict import merge

B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"


def encode(n: int) -> str:
    out = ""
    while True:
        out = B64[n % 64] + out
        n //= 64
        if not n:
            return out


def write_dictd(
    folder: Path,
    name: str,
    entries: list[tuple[str, str]],
    *,
    allchars: bool = False,
    compress: bool = True,
) -> None:
    """A dictd database as dictfmt writes it: entries sorted dictd's way, data dictzipped."""
    from opad.dictionaries.dictd import _allchars, _alnumspace

    key = _allchars if allchars else _alnumspace
    if allchars:
        entries = [*entries, ("00-database-allchars", "")]
    data = io.BytesIO()
    lines = []
    for headword, text in entries:
        raw = text.encode()
        lines.append((key(headword), headword, data.tell(), len(raw)))
        data.write(raw)
    lines.sort(key=lambda line: (line[0], line[1]))
    (folder / f"{name}.index").write_text(
        "".join(f"{h}\t{encode(o)}\t{encode(n)}\n" for _, h, o, n in lines), encoding="utf-8"
    )
    raw = data.getvalue()
    if compress:
        from idzip.compressor import compress as dictzip

        with open(folder / f"{name}.dict.dz", "wb") as out:
            dictzip(io.BytesIO(raw), len(raw), out, f"{name}.dict", 0)
    else:
        (folder / f"{name}.dict").write_bytes(raw)


WIESE = "Wiese /vˈiːzə/ <fem, n, sg>\n [agr.] grassland <n>, meadow <n>\n   Synonyms: {Grünland}\n"
WIESE2 = 'Wiese /vˈiːzə/ <fem, n, sg>\nlawn <n>\n      "auf der Wiese"  - on the lawn\n'
GEHEN_NOUN = "Gehen /ɡˈeːən/ <neut, n, sg>\nwalking <n>\n"
GEHEN_VERB = "gehen /ɡˈeːən/ <v, intr>\ngo <v>\n see: {gegangen}\n\n         Note: x\n"
ALLER = "aller /ale/ <v>\n1. fare\n2. go, ride, travel\n"
BANK_WN = (
    "bank\n    n 1: sloping land (especially the slope beside a body of water);\n"
    '         "they pulled the canoe up on the bank"\n    2: a financial institution '
    "that accepts deposits [syn: {depository financial institution}, {bank}]\n"
    '    v 1: tip laterally; "the pilot had to bank the aircraft"\n'
)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    filler = [(f"wort{i:04d}", f"wort{i:04d}\nword {i}\n") for i in range(500)]
    write_dictd(
        tmp_path,
        "freedict-deu-eng",
        [("Wiese", WIESE), ("Wiese", WIESE2), ("Gehen", GEHEN_NOUN), ("gehen", GEHEN_VERB),
         ("zu Hause", "zu Hause\nat home\n"), *filler],
    )  # fmt: skip
    write_dictd(tmp_path, "freedict-fra-eng", [("aller", ALLER)], compress=False)
    write_dictd(
        tmp_path, "wn", [("bank", BANK_WN), (".22", ".22\n  n 1: a rifle\n")], allchars=True
    )
    return tmp_path


def test_base64_numbers() -> None:
    assert decode_number("A") == 0 and decode_number("B0") == 64 + 52
    assert all(decode_number(encode(n)) == n for n in (0, 1, 63, 64, 4095, 123_456_789))


def test_freedict_entry_parsing() -> None:
    word, ipa, pos, gender, senses = parse_entry(WIESE)
    assert (word, ipa, pos, gender) == ("Wiese", "vˈiːzə", "noun", "feminine")
    assert senses == ["grassland, meadow"]  # domain tags, grammar and synonyms dropped
    assert parse_entry(ALLER)[4] == ["fare", "go, ride, travel"]
    assert parse_entry("casa /kˈasa/\nhouse\n") == ("casa", "kˈasa", None, None, ["house"])
    entry = merge([WIESE, WIESE2], "FreeDict German–English")
    assert entry is not None and entry.meaning == "grassland, meadow, lawn"
    assert merge([], "x") is None and merge(["nothing /x/\n"], "x") is None


def test_wordnet_entry_parsing() -> None:
    headword, pos, glosses = parse_wordnet(BANK_WN)
    assert (headword, pos) == ("bank", "noun")
    assert glosses == [
        "sloping land (especially the slope beside a body of water)",
        "a financial institution that accepts deposits",
        "tip laterally",
    ]


def test_lookup_in_files(folder: Path) -> None:
    d = Dictionaries([folder])
    wiese = d.offline("de", "Wiese", "en")
    # Senses ordered by how common their first translation is (wordfreq).
    assert wiese is not None and wiese.meaning == "lawn, grassland, meadow"
    assert wiese.source == "FreeDict German–English"
    # Case-insensitive, but the form spelled as read comes first: the verb for "gehen".
    assert d.offline("de", "gehen", "en").meaning.startswith("go")  # type: ignore[union-attr]
    assert d.offline("de", "Gehen", "en").meaning.startswith("walking")  # type: ignore[union-attr]
    assert d.offline("de", "wiese", "en") is not None
    assert d.offline("de", "zu Hause", "en").meaning == "at home"  # type: ignore[union-attr]
    # Every filler word is found: the bisection lands on each line of a 500-line index.
    db = d.freedict.database("de", "en")
    assert db is not None
    assert all(db.offsets(f"wort{i:04d}") for i in range(0, 500, 7))
    assert d.offline("de", "Xylophon", "en") is None and d.offline("de", "", "en") is None
    # An uncompressed .dict works as well as .dict.dz.
    # "go" (the commonest first translation) before "fare".
    assert d.offline("fr", "aller", "en").meaning == "go, ride, travel, fare"  # type: ignore[union-attr]
    # WordNet (allchars order) only for English explained in English.
    bank = d.offline("en", "bank", "en")
    assert bank is not None and bank.source == "WordNet 3.0" and bank.part_of_speech == "noun"
    assert d.offline("en", ".22", "en") is not None
    assert d.offline("en", "bank", "de") is None
    assert sorted(map(tuple, (p.values() for p in d.coverage()))) == [
        ("de", "en", "FreeDict"), ("en", "en", "WordNet 3.0"), ("fr", "en", "FreeDict"),
    ]  # fmt: skip
    d.close()


def test_no_dictionaries_means_no_entry(tmp_path: Path) -> None:
    d = Dictionaries([tmp_path / "missing"])
    assert d.offline("de", "Wiese", "en") is None and d.coverage() == []


def test_a_damaged_index_line_is_skipped(folder: Path) -> None:
    index = folder / "freedict-deu-eng.index"
    index.write_text(index.read_text().replace("zu Hause\t", "zu Hause\t!!", 1))
    db = DictdDatabase(DictdPaths.find(folder, "freedict-deu-eng"))  # type: ignore[arg-type]
    assert db.offsets("zu Hause") == [] and db.define("Wiese")
    db.close()


def test_the_api_loads_no_dictionary_or_engine_library_at_start_up() -> None:
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from opad.api.app import create_app\n"
        "from opad.settings import Settings\n"
        "create_app(Settings(_env_file=None))\n"
        "heavy = ('idzip', 'genanki', 'fsrs', 'wordfreq', 'simplemma', 'crewai')\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in heavy "
        "or m == 'opad.text.estimator'))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", out.stdout + out.stderr
