"""Markdown → sanitized HTML and vocabulary highlighting (no server needed)."""

from __future__ import annotations

import re

import pytest

from opad.markup.render import (
    highlight_vocabulary,
    markdown_to_html,
    render_article,
    sanitize,
    split_title,
    strip_vocabulary_section,
)

HOSTILE = """# Title

Hello <script>alert(1)</script> world.

<img src=x onerror=alert(1)>

[click](javascript:alert(1)) and <a href="javascript:alert(2)">raw</a>
and <a href="JaVaScRiPt:alert(3)">mixed case</a> and [data](data:text/html,<b>x</b>)

<p style="color:red" onclick="alert(4)" onmouseover="alert(5)">styled</p>

<style>body { display: none }</style>

<iframe src="https://evil.example"></iframe><svg onload=alert(6)></svg>
<form action="https://evil.example"><input name=x></form>
"""


@pytest.fixture(scope="module")
def hostile_html() -> str:
    return markdown_to_html(HOSTILE)


def test_script_and_style_elements_are_removed_with_their_content(hostile_html: str) -> None:
    assert "<script" not in hostile_html and "alert(1)</" not in hostile_html
    assert "<style" not in hostile_html and "display: none" not in hostile_html


def test_no_event_handler_or_style_attribute_survives(hostile_html: str) -> None:
    assert not re.search(r"\son\w+\s*=", hostile_html)
    assert "style=" not in hostile_html
    assert "styled" in hostile_html  # the text stays, only the attributes go


def test_images_frames_svg_and_forms_are_dropped(hostile_html: str) -> None:
    for tag in ("<img", "<iframe", "<svg", "<form", "<input"):
        assert tag not in hostile_html


def test_no_javascript_or_data_link_survives(hostile_html: str) -> None:
    hrefs = re.findall(r'href="([^"]*)"', hostile_html)
    assert all(h.startswith(("http://", "https://", "mailto:", "#")) for h in hrefs), hrefs
    # Link syntax the renderer refused stays visible as plain text, which is harmless.
    assert not re.search(r"(href|src)=\"?\s*(javascript|data):", hostile_html, re.IGNORECASE)


def test_links_get_rel_noopener_noreferrer() -> None:
    out = markdown_to_html("[news](https://example.org/a?x=1&y=2)")
    assert out.strip() == (
        '<p><a href="https://example.org/a?x=1&amp;y=2" rel="noopener noreferrer">news</a></p>'
    )
    # An engine's own rel is replaced, not merged.
    assert 'rel="noopener noreferrer"' in sanitize('<a href="https://x.org" rel="opener">x</a>')


def test_prose_markup_survives() -> None:
    out = markdown_to_html("## Sub\n\nSome *em* and **strong**.\n\n> quote\n\n- a\n- b\n")
    for tag in ("<h2>", "<em>", "<strong>", "<blockquote>", "<ul>", "<li>"):
        assert tag in out


def test_split_title_and_strip_vocabulary_section() -> None:
    title, rest = split_title("# The Title #\n\nBody text.\n\n## Vocabulary\n\n- word: x\n")
    assert title == "The Title"
    assert strip_vocabulary_section(rest).strip() == "Body text."
    assert split_title("No heading here") == (None, "No heading here")
    # A Vocabulary heading in the middle of the body is content, not the engine's list.
    middle = "Intro\n\n## Vocabulary\n\nabout words\n\n## Next part\n\ntext\n"
    assert strip_vocabulary_section(middle) == middle


def test_highlights_whole_words_case_insensitively() -> None:
    out = highlight_vocabulary("<p>Park park PARK parks parking spark</p>", ["park"])
    assert out.count('class="vocab"') == 3
    assert ">Park</a>" in out and ">PARK</a>" in out  # the text keeps its own case
    assert "parks parking spark" in out


def test_highlight_links_to_the_vocabulary_entry_by_position() -> None:
    out = highlight_vocabulary("<p>bench and tree</p>", ["tree", "bench"])
    assert '<a class="vocab" href="#vocab-1" data-vocab="1">bench</a>' in out
    assert '<a class="vocab" href="#vocab-0" data-vocab="0">tree</a>' in out


def test_highlight_leaves_tags_attributes_links_and_code_alone() -> None:
    html = (
        '<p title="park">A <a href="https://park.example/park" rel="noopener noreferrer">park</a>'
        " <code>park</code> and a park.</p>"
    )
    out = highlight_vocabulary(html, ["park"])
    assert out.count('class="vocab"') == 1
    assert 'title="park"' in out and 'href="https://park.example/park"' in out
    assert out.endswith('and a <a class="vocab" href="#vocab-0" data-vocab="0">park</a>.</p>')


def test_highlight_does_not_double_wrap() -> None:
    once = highlight_vocabulary("<p>park bench</p>", ["park", "park bench", "bench"])
    assert once.count('class="vocab"') == 1  # the longest entry wins
    twice = highlight_vocabulary(once, ["park", "park bench", "bench"])
    assert twice == once  # our own links are never wrapped again


def test_highlight_keeps_text_escaped() -> None:
    html = sanitize("<p>a &lt;script&gt; &amp; park &lt;b&gt;</p>")
    out = highlight_vocabulary(html, ["park", "script"])
    assert "<script" not in out and "<b>" not in out
    assert "&lt;" in out and "&amp;" in out
    assert '<a class="vocab" href="#vocab-1" data-vocab="1">script</a>' in out


def test_highlight_escapes_hostile_vocabulary_words() -> None:
    word = '<img src=x onerror="alert(1)">'
    out = highlight_vocabulary(sanitize('<p>x &lt;img src=x onerror="alert(1)"&gt; y</p>'), [word])
    assert "<img" not in out
    assert out.count('class="vocab"') == 1


def test_highlight_respects_unicode_word_boundaries() -> None:
    out = highlight_vocabulary("<p>Straße, straßen; Ärzte und ärzte. Über</p>", ["straße", "ärzte"])
    assert out.count('class="vocab"') == 3  # Straße, Ärzte, ärzte — not straßen
    # A combining mark (Devanagari vowel sign) continues a word.
    assert highlight_vocabulary("<p>कि किताब</p>", ["कि"]).count('class="vocab"') == 1


def test_render_article_puts_it_together() -> None:
    md = "# A Park\n\nThe park has benches.\n\n## Vocabulary\n\n- **benches**: seats\n"
    rendered = render_article(md, ["benches", "park"])
    assert rendered.title == "A Park"
    assert "Vocabulary" not in rendered.html and "<h1" not in rendered.html
    assert rendered.html.count('class="vocab"') == 2


def test_render_article_without_vocabulary_keeps_the_section() -> None:
    md = "# T\n\nBody.\n\n## Vocabulary\n\n- word\n"
    assert "Vocabulary" in render_article(md, []).html
