"""Readings read by hand: each quoted whole, with what a reader finds wrong in it.

The notes were written by reading the readings the grid made on the commit that added
them; the readings are quoted from this run, so a note that no longer fits shows.
"""

from __future__ import annotations

from opad.quality.measure import Measured
from opad.quality.parts.target import Target

# (source, level, length, what is wrong) — read by hand; see the module docstring.
HAND_READ: list[tuple[str, str, int, str]] = [
    (
        "en/interview-roofs",
        "A1",
        100,
        "Every answer sits under its own question and the lead opens the reading, but two "
        'answers are cut after their first sentence: "By accident, really." and "First, '
        'a strong roof." leave the reader without the story they introduce.',
    ),
    (
        "en/quotes-bridge",
        "B2",
        100,
        '"including Mr Ellery\'s" and "promised to study it": Ellery and his compromise '
        "(a lorry-only ban) were dropped; a title + surname inside a quote is seen by "
        "neither the engine's surname rule nor the report's check. The last sentence "
        "(residents collecting money) is merged into Natarajan's paragraph.",
    ),
    (
        "de/quotes-schwimmbad",
        "B1",
        100,
        'Holds together; the report\'s check flags "Auch der Förderverein …" through a '
        "loose stem match (a false alarm). What is lost is the mayor's side: the reading "
        "never says why the pool closes (the repair costs).",
    ),
    (
        "de/howto-brot",
        "A2",
        100,
        'Not followable: "Der Teig ist jetzt klebrig" — the dough was never mixed; '
        '"Nehmen Sie den Topf … heraus" — the pot was never put in the oven. The list of '
        "tools names the pot, so the mention rule is satisfied, but a step also needs the "
        "step that made what it uses. Not fixed.",
    ),
    (
        "fr/howto-velo",
        "A1",
        100,
        "Same fault: glue is spread before the hole is found or sanded, and the patch is "
        "never applied. Steps that produce a state (a found hole, a sanded patch) are not "
        "tied to the steps that use it.",
    ),
    (
        "it/quotes-traghetto",
        "C1",
        100,
        'Nothing wrong found: Scotto is introduced in full before "Scotto, che ha '
        'organizzato la raccolta" (on main this reading kept the surname alone), and each '
        "quote keeps its speaker.",
    ),
    (
        "es/results-baloncesto",
        "A1",
        100,
        'Coherent ("En 2023 ya había ganado el torneo" follows the lead, so the subject '
        "is clear), but a results story without its deciding moment: Díaz's last-second "
        "three-pointer is dropped.",
    ),
    (
        "pt/results-futebol",
        "B2",
        100,
        '"Os jogadores estavam cansados e o calor passava dos trinta graus" follows the '
        'goals directly: without "No prolongamento …" it reads as if the heat decided '
        "the second half.",
    ),
    (
        "ko/quotes-library",
        "A2",
        100,
        "Quote and speaker together (정 씨 after 정하늘 씨), but the cause is gone: the "
        "district's budget shortfall (the lead paragraph's second sentence) is dropped.",
    ),
    (
        "ja/interview-shokunin",
        "B1",
        100,
        "Nothing wrong found: the question (――なぜ地元の木に…) and its whole answer; the "
        "introduction is cut to its first sentence.",
    ),
    (
        "zh/howto-dumpling",
        "A2",
        100,
        'Not followable: "接着做馅。" (next, make the filling) is followed by "最后…放入'
        '饺子" — filling, wrappers and folding are all dropped. Same fault as the German '
        "and French how-tos.",
    ),
    (
        "en/beavers-return",
        "A1",
        600,
        'Shorter on purpose (365 words, and it says so). "Beavers can also cut down '
        "valuable trees\" leans on the dropped farmers' paragraph (the report's check "
        "flags it); the 2024 flood sentence stands alone, its link to the beavers dropped.",
    ),
]


def targets(measured: list[Measured]) -> list[Target]:
    """No target: the samples are evidence for the others."""
    return []


def section(measured: list[Measured]) -> list[str]:
    """Each hand-read reading, quoted, with its note."""
    index = {(m.run.source.name, m.run.level.value, m.run.length): m for m in measured}
    out = ["## Readings read by hand", "", __doc__.split("\n\n")[1].replace("\n", " "), ""]
    for name, level, length, note in HAND_READ:
        m = index.get((name, level, length))
        out += [f"### {name}, {level}, {length} words", ""]
        if m is None:
            out += ["(not in this run)", ""]
            continue
        out += [f"Title: *{m.run.title}*", ""]
        out += ["> " + line if line else ">" for line in m.run.body.splitlines()]
        out += ["", f"**What is wrong:** {note}", ""]
    return out
