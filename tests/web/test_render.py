"""Markdown → sanitized HTML (no server needed); vocabulary words are the analysis's
(tests/language/test_typed_reading.py)."""

from __future__ import annotations

import re

import pytest

from opad.markup.render import markdown_to_html, sanitize

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
