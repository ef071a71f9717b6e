"""Names are found as the analyzer reads them in their sentence, not only word by word.

Alone, a transliterated team name ("슈팅스타즈") is cut into common nouns and counted as
a word to learn; in its sentence Kiwi tags it as one proper noun (NNP).
"""

from __future__ import annotations

import pytest

from opad.engines.crew.models import VocabularyEntry
from opad.engines.crew.vocabulary import filter_vocabulary
from opad.levels import Level
from opad.text.kinds import names

KO = "현대캐피탈 스카이워커스와 슈팅스타즈가 경기를 했다. 정민지(29) 씨가 말했다."


@pytest.mark.parametrize(
    ("code", "text", "expected"),
    [
        ("ko", KO, {"슈팅스타즈", "스카이워커스", "현대캐피탈", "정민지"}),
        ("ja", "田中さんは東京で働いています。トヨタの車を買いました。",
         {"田中", "東京", "トヨタ"}),
        ("zh", "李明在北京工作。他喜欢华为手机。", {"李明", "北京", "华为"}),
    ],
)  # fmt: skip
def test_names_in_context(code: str, text: str, expected: set[str]) -> None:
    found = names(code, text)
    assert expected <= found, found
    assert not {"경기", "東京で", "工作", "手机", "車"} & found


def test_a_team_name_is_not_vocabulary() -> None:
    entries = [
        VocabularyEntry(word=w, lemma=w, level="B2", definition="x", example="")
        for w in ("슈팅스타즈가", "경기를")
    ]
    kept = {item.word for item in filter_vocabulary(entries, KO, "Korean", Level.A1)}
    assert "슈팅스타즈가" not in kept
