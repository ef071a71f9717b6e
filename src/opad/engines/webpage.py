"""A fetched page turned into text a learner can read: decoded as browsers decode it,
with cookie/consent notices and other non-article text left out.

Decoding follows the WHATWG order browsers use (w3lib implements it): a byte-order mark,
then the HTTP header's charset, then the page's own `<meta charset>` / `http-equiv`, then
detection (chardet). A header that names a charset the bytes are not in (a server's
default "UTF-8" on a legacy page) is ignored rather than trusted into mojibake.
"""

from __future__ import annotations

import re
from typing import Any

import regex

# Consent notices in the languages OPAD teaches (languages.py), by what they must talk
# about: cookies/tracking, agreeing, privacy or personal data, partners or advertising.
# A block is a notice when it names cookies and agreement or privacy, or all three others.
_COOKIE = regex.compile(
    r"cookie|tracking|tracker|ciasteczk|sütik|evästee|kakor|informasjonskapsl|çerez"
    r"|куки|piškotk|kolačić|sīkdatn|slapuk|vafrakök|קובצי|ملفات تعريف|کوکی|कुकी",
    regex.IGNORECASE,
)
_AGREE = regex.compile(
    r"accept|agree|consent|allow all|akzeptier|zustimm|einwillig|einverstanden|zulassen"
    r"|autoris|acept|consentim|permitir|accett|consenso|aceit|akkoord|toestemming"
    r"|akceptuj|zgod|souhlas|přijm|súhlas|prijať|acord|consimț|elfogad|hozzájárul"
    r"|hyväks|suostu|godkänn|samtyck|godta|samtykk|aksepter|kabul|onay|согла|приня"
    r"|погод|прийня|מסכים|אישור|موافق|قبول|موافقت|सहमत|स्वीकार|setuju|terima|samþykk"
    r"|sutinku|sutikim|piekrīt|pieņem|σύμφων|αποδοχ|съглас|приемам|strinjam|sprejm",
    regex.IGNORECASE,
)
_PRIVACY = regex.compile(
    r"privacy|data protection|personal data|datenschutz|personenbezogen|confidentialit"
    r"|données personnelles|privacidad|datos personales|riservatezza|dati personali"
    r"|privacidade|dados pessoais|persoonsgegevens|prywatno|dane osobowe|osobní údaj"
    r"|osobné údaj|soukromí|adatvédel|tietosuoj|integritet|personuppgift|personvern"
    r"|gizlilik|kişisel veri|конфиденциальн|персональн|приватн|конфіденційн|פרטיות"
    r"|الخصوصية|حریم خصوصی|गोपनीयता|privasi|persónuvernd|privatum|privātum|απόρρητ"
    r"|поверителност|zasebnost|protecția datelor|dades personals",
    regex.IGNORECASE,
)
_PARTNERS = regex.compile(
    r"partner|advertis|werbung|publicit|pubblicit|reklam|реклам|personali[sz]|vendors",
    regex.IGNORECASE,
)
_MARKER = re.compile(
    r"cookie|consent|gdpr|\bcmp\b|onetrust|didomi|usercentrics|cookiebot|quantcast"
    r"|sp_message|truste|privacy[-_]?(banner|notice|manager)",
    re.IGNORECASE,
)
MAX_NOTICE_CHARS = 1500  # a consent notice is a few sentences; an article is longer


def is_consent_text(text: str) -> bool:
    """Whether a block of text is a cookie/consent notice rather than reading matter."""
    if not text.strip() or len(text) > MAX_NOTICE_CHARS:
        return False
    cookie, agree = bool(_COOKIE.search(text)), bool(_AGREE.search(text))
    privacy, partners = bool(_PRIVACY.search(text)), bool(_PARTNERS.search(text))
    return (cookie and (agree or privacy)) or (agree and privacy and partners)


def decode_html(body: bytes, content_type: str | None) -> str:
    """The page as text: BOM, then header charset, then <meta>, then detection."""
    from w3lib.encoding import html_to_unicode

    encoding, text = html_to_unicode(content_type, body, auto_detect_fun=_detect)
    if content_type and "\ufffd" in text and not _decodes(body, encoding):
        # The header named a charset these bytes are not in: the page's own declaration
        # (or detection) knows better than a server default.
        encoding, text = html_to_unicode(None, body, auto_detect_fun=_detect)
    return text


def _decodes(body: bytes, encoding: str) -> bool:
    try:
        body.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return False
    return True


def _detect(body: bytes) -> str | None:
    """chardet's guess from the first 64 KB (enough, and it bounds the CPU spent)."""
    import chardet

    guess = chardet.detect(body[:65536]).get("encoding")
    return str(guess) if guess else None


def strip_consent(tree: Any) -> None:
    """Remove cookie/consent notices from an lxml HTML tree, in place.

    Innermost elements first, so a notice goes and the article around or beside it stays:
    an element goes when its id/class/role names a consent manager and its text is short,
    or when its text reads as a consent notice; a container left with only a few words
    (the notice's buttons) goes with it. The page's body and article are never removed.
    """
    for element in reversed(list(tree.iter())):
        if not isinstance(element.tag, str) or element.tag in _KEEP:
            continue
        if element.getparent() is None:
            continue  # already removed with a container
        attributes = " ".join(
            element.get(name, "") for name in ("id", "class", "role", "aria-label")
        )
        text = " ".join(element.text_content().split())
        marked = bool(_MARKER.search(attributes)) and len(text) <= MAX_NOTICE_CHARS
        if marked or (element.tag in _BLOCKS and is_consent_text(text)):
            parent = element.getparent()
            element.drop_tree()
            while parent is not None and parent.tag not in _KEEP:
                if len(" ".join(parent.text_content().split())) >= 60:
                    break
                grand = parent.getparent()
                parent.drop_tree()
                parent = grand


_KEEP = {"html", "head", "body", "main", "article"}
_BLOCKS = {"div", "section", "aside", "form", "dialog", "p", "footer", "header", "li", "ul"}


def unwrap_asides(tree: Any) -> bool:
    """Turn <aside> into <div> (extractors skip asides); True if there was one."""
    found = False
    for aside in tree.iter("aside"):
        aside.tag = "div"
        found = True
    return found


def without_title(paragraphs: list[str], title: str | None) -> list[str]:
    """The paragraphs minus a first one that only repeats the title (the page's <h1>)."""

    def plain(text: str) -> str:
        return " ".join(regex.sub(r"[\p{P}\p{S}]+", " ", text).casefold().split())

    if paragraphs and title and plain(paragraphs[0]) == plain(title):
        return paragraphs[1:]
    return paragraphs
