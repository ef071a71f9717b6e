"""Readings that hold together, by opad.quality.discourse (not the engine's rules): the
texts written for the report (interviews, quote-heavy news, results, how-tos in every
shipped language), pasted with their headline, at A1…C2 × 100/300 words."""

from __future__ import annotations

from collections import defaultdict

from opad.quality.measure import Measured
from opad.quality.parts.target import Target
from opad.quality.sections import pct

LENGTHS = (100, 300)


def _texts(measured: list[Measured]) -> list[Measured]:
    return [m for m in measured if m.run.source.kind == "texts" and m.cohesion is not None]


def targets(measured: list[Measured]) -> list[Target]:
    """Dangling ≤ 3% at 100 and 300, speakers lost ≤ 3%, answers with their question,
    the lead kept whenever the headline is dropped."""
    rows = _texts(measured)
    out = []
    dangling = {
        n: (
            sum(len(m.cohesion.dangling) for m in rows if m.run.length == n and m.cohesion),
            sum(m.cohesion.kept for m in rows if m.run.length == n and m.cohesion),
        )
        for n in LENGTHS
    }
    out.append(
        Target(
            "dangling sentences ≤ 3% at 100 and 300 words (independent check)",
            all(d <= 0.03 * k for d, k in dangling.values()),
            ", ".join(f"{n}: {pct(*dangling[n])}" for n in LENGTHS),
        )
    )
    lost = sum(len(m.cohesion.speakers_lost) for m in rows if m.cohesion)
    quoted = sum(m.cohesion.quoted for m in rows if m.cohesion)
    out.append(
        Target("speakers lost ≤ 3% of quoted sentences", lost <= 0.03 * quoted, pct(lost, quoted))
    )
    alone = sum(len(m.cohesion.answers_alone) for m in rows if m.cohesion)
    answers = sum(m.cohesion.answers for m in rows if m.cohesion)
    out.append(
        Target(
            "interview answers with their question: 100%",
            alone == 0 and answers > 0,
            f"{answers - alone}/{answers} answer paragraphs",
        )
    )
    headline_dropped = [m for m in rows if m.cohesion and not m.cohesion.headline_in_text]
    lead = sum(not m.cohesion.lead_dropped for m in headline_dropped if m.cohesion)
    titled = sum(
        " ".join(m.run.title.rstrip("…").split()) in " ".join(m.run.source.headline.split())
        for m in rows
    )
    out.append(
        Target(
            "the lead kept whenever the headline is dropped",
            lead == len(headline_dropped) and bool(rows),
            f"lead kept in {lead}/{len(headline_dropped)} readings without their headline; "
            f"headline as the title in {titled}/{len(rows)}",
        )
    )
    return out


def section(measured: list[Measured]) -> list[str]:
    """Per language and length: kept sentences, dangling, quoted/lost, answers/alone."""
    rows = _texts(measured)
    table: dict[tuple[str, int], list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0, 0, 0])
    for m in rows:
        c = m.cohesion
        assert c is not None
        row = table[(m.run.source.code, m.run.length)]
        for n, v in enumerate(
            (
                c.kept,
                len(c.dangling),
                c.quoted,
                len(c.speakers_lost),
                c.answers,
                len(c.answers_alone),
                c.lead_dropped,
            )
        ):
            row[n] += int(v)
    out = [
        "## Readings that hold together (independent checks)",
        "",
        __doc__.split("\n\n")[0].replace("\n", " "),
        "",
        "How each fault is found (`src/opad/quality/discourse.py`, not the engine's lists): "
        "a kept sentence whose source predecessor was dropped *dangles* when its first "
        "clause holds a back-reference word (pronoun, demonstrative, comparison word), a "
        "definite noun whose noun the source names earlier only in dropped sentences, a "
        "surname whose full name (gender-guesser's first names) is only in dropped text, "
        "or (es/it/pt) opens with a finite verb. A quoted sentence *loses its speaker* when "
        "its paragraph names the speaker in a sentence the reading dropped, or when the "
        "reading merges it with another paragraph's quotes. An *answer is alone* when its "
        "question paragraph was dropped.",
        "",
        "| language | words | kept sentences | dangling | quoted | speaker lost | "
        "answers | without question | lead dropped |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for (code, length), f in sorted(table.items()):
        out.append(
            f"| {code} | {length} | {f[0]} | {pct(f[1], f[0])} | {f[2]} | {pct(f[3], f[2])} | "
            f"{f[4]} | {f[5]} | {f[6]} |"
        )
    examples = [(m, s) for m in rows for s in (m.cohesion.dangling if m.cohesion else ())][:12]
    if examples:
        out += ["", "Dangling sentences found (first 12):", ""]
        out += [
            f"- {m.run.source.name} {m.run.level.value}/{m.run.length}: “{s}”" for m, s in examples
        ]
    lost = [(m, s) for m in rows for s in (m.cohesion.speakers_lost if m.cohesion else ())]
    if lost:
        out += ["", "Quoted sentences without their speaker:", ""]
        out += [
            f"- {m.run.source.name} {m.run.level.value}/{m.run.length}: “{s}”" for m, s in lost[:12]
        ]
    return out + [""]
