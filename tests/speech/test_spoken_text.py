"""What the voice is given: dates, numbers and abbreviations in words of the language.

Real Babel (CLDR) and num2words, and for the effect on a real voice, espeak-ng's phonemes.
"""

from __future__ import annotations

import pytest

from opad.speech.espeak import EspeakSynthesizer
from opad.speech.normalize import speakable

CASES = [
    ("en", "It opened on 2026-04-18.", "It opened on April eighteenth, twenty twenty-six."),
    ("en", "1,500 people came, 25.5% more.",
     "one thousand five hundred people came, twenty-five point five% more."),
    ("en", "COVID-19 and 3D films stay, as does A4.", "COVID-19 and 3D films stay, as does A4."),
    ("de", "Am 2026-04-18 kamen z. B. 1.500 Menschen.",
     "Am achtzehnten April zweitausendsechsundzwanzig kamen zum Beispiel "
     "eintausendfünfhundert Menschen."),
    ("de", "Es waren 3,5 Grad.", "Es waren drei Komma fünf Grad."),
    ("es", "El 2026-04-18 abrió.", "El dieciocho de abril de dos mil veintiséis abrió."),
    ("fr", "Le 2026-04-01, 1 500 personnes.",
     "Le premier avril deux mille vingt-six, mille cinq cents personnes."),
    ("it", "Il 2026-04-18, ecc.", "Il diciotto aprile duemilaventisei, eccetera"),
    ("pt", "Em 2026-04-18 vieram 1.500 pessoas.",
     "Em dezoito de abril de dois mil e vinte e seis vieram mil e quinhentos pessoas."),
    ("ko", "2026-04-18에 1,500명, 3명이 왔습니다.",
     "이천이십육년 사월 십팔일에 천오백명, 3명이 왔습니다."),
    ("ja", "2026-04-18に1,500人が来ました。", "二千二十六年四月十八日に千五百人が来ました。"),
    ("zh", "2026-04-18有1500人来了。", "2026年4月18日有1500人来了。"),
    ("en", "Not a date: 2026-13-45.", "Not a date: 2026-13-45."),
]  # fmt: skip


@pytest.mark.parametrize(("code", "text", "said"), CASES)
def test_dates_numbers_and_abbreviations_are_said_in_words(code: str, text: str, said: str) -> None:
    assert speakable(text, code) == said


def test_a_date_is_no_longer_spelled_digit_by_digit() -> None:
    espeak = EspeakSynthesizer()
    text = "The library opened on 2026-04-18."
    # As written, espeak-ng says "… twenty six dash zero four dash eighteen".
    assert "d'aS" in espeak.phonemes("en", text)
    phonemes = espeak.phonemes("en", speakable(text, "en"))
    assert "d'aS" not in phonemes and "'eIpr" in phonemes  # "April"
    german = espeak.phonemes("de", speakable("Es gibt z. B. Bücher.", "de"))
    assert "b'aIS" in german  # "Beispiel", not the letters "zett be"
