"""Korean, Japanese and Chinese over real processes and HTTP (api + worker, leveler): a
Korean and a Japanese topic-only job served from the starter library, and a Chinese job on
the learner's own text, each with its length in characters and vocabulary with readings."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from opad.levels import Level
from opad.text import count_units
from opad.text.cjk import tokenize, word_facts
from tests.e2e.helpers import follow
from tests.processes import Stack

pytestmark = pytest.mark.slow

OWN_CHINESE = (
    "每天早上七点，李大爷都会到小区门口的公园里散步。公园不大，但是有很多树，还有一个小湖。"
    "湖边有几张长椅，很多老人喜欢坐在那里聊天、下棋。去年，区政府在公园里修了一条新的步道，"
    "还安装了健身器材。现在，不仅老人来锻炼，年轻人下班以后也常常来跑步。\n\n"
    "李大爷说：“以前这里晚上很黑，大家都不敢来。现在有了路灯，晚上也很安全。”他的孙子今年"
    "上小学三年级，周末的时候，祖孙两个人经常一起来公园喂鸭子。孩子说，他最喜欢春天的公园，"
    "因为那时候花都开了，湖里的小鸭子也出生了。\n\n"
    "区政府表示，明年还要在附近再建两个小公园，让更多居民走出家门就能看到绿色。有的居民建议，"
    "公园里应该多放一些垃圾桶，也应该有更多的厕所。工作人员说，他们会认真考虑这些意见。"
)


def run(api_url: str, payload: dict[str, Any]) -> tuple[dict[str, Any], str]:
    resp = httpx.post(f"{api_url}/generate", json=payload, timeout=30)
    assert resp.status_code == 202, resp.text
    accepted = resp.json()
    # The worker loads Sudachi's dictionary (~190 MB), Kiwi or jieba on its first job.
    status, _ = follow(api_url, accepted["job_id"], timeout=240)
    assert status["status"] == "succeeded", status
    detail = httpx.get(f"{api_url}/articles/{accepted['article_id']}", timeout=10).json()
    markdown = httpx.get(f"{api_url}/articles/{accepted['article_id']}/content", timeout=10).text
    return detail, markdown


def check(detail: dict[str, Any], markdown: str, code: str, level: str, length: int) -> None:
    body = markdown.split("\n\n", 2)[2].split("\n## Vocabulary")[0]
    assert abs(count_units(code, body) - length) <= 0.15 * length, count_units(code, body)
    assert abs(detail["word_count"] - length) <= 0.15 * length
    assert detail["vocabulary"], detail
    tokens = {t.word for t in tokenize(code, body)}
    for item in detail["vocabulary"]:
        word = item["word"]
        assert word in tokens, f"{word} is not one of the reading's words"
        assert word_facts(code, word).is_content, f"{word} is a particle, name or number"
        # A reading wherever the script does not say it (a kana word is read as written).
        kana_only = code == "ja" and not any("\u3400" <= c <= "\u9fff" for c in item["lemma"])
        assert item["reading"] or kana_only, item
        assert Level(item["level"]).rank >= max(Level(level).rank, Level.A2.rank)
        assert word in item["example"]
        reading = f" · {item['reading']}" if item["reading"] else ""
        assert f"({item['lemma']}{reading}, {item['level']})" in markdown


def test_korean_topic_only_original_protocol_payload(stack: Stack) -> None:
    # The original OPAD's payload: the language by its English name, the length a string.
    payload = {"language": "Korean", "level": "B1", "length": "400", "topic": "김장"}
    detail, markdown = run(stack.api_url, payload)
    assert detail["language"] == "Korean"
    check(detail, markdown, "ko", "B1", 400)
    # Korean lemmas are dictionary forms (…다 for verbs and adjectives), readings romanized.
    assert all(item["reading"].isascii() for item in detail["vocabulary"])


def test_japanese_topic_only(stack: Stack) -> None:
    payload = {"language": "ja", "level": "A2", "length": 450, "topic": "熱中症"}
    detail, markdown = run(stack.api_url, payload)
    assert detail["language"] == "Japanese"
    check(detail, markdown, "ja", "A2", 450)
    # Readings are hiragana.
    for item in detail["vocabulary"]:
        assert all("ぁ" <= c <= "ゟ" or c == "ー" for c in item["reading"]), item


def test_chinese_own_text(stack: Stack) -> None:
    payload = {
        "language": "Chinese",
        "level": "A2",
        "length": 250,
        "topic": "公园",
        "source_text": OWN_CHINESE,
    }
    detail, markdown = run(stack.api_url, payload)
    check(detail, markdown, "zh", "A2", 250)
    # Pinyin with tone marks for every listed word.
    assert any(
        c in "āáǎàēéěèīíǐìōóǒòūúǔù" for item in detail["vocabulary"] for c in item["reading"]
    )


def test_languages_say_how_length_is_counted(stack: Stack) -> None:
    listed = {x["code"]: x for x in httpx.get(f"{stack.api_url}/languages", timeout=10).json()}
    for code, native in (("ko", "한국어"), ("ja", "日本語"), ("zh", "中文")):
        assert listed[code]["length_unit"] == "characters"
        assert listed[code]["direction"] == "ltr" and listed[code]["native"] == native
        assert "library" in listed[code]["sources"]
    assert listed["en"]["length_unit"] == "words"
    assert listed["ar"]["direction"] == "rtl"
