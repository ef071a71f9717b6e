"""Korean, Japanese and Chinese analyzers: first-load time, throughput and memory.

`python -m bench.cjk_tokenizers` prints a Markdown table. Each language runs in a fresh
process (so the first call pays the model load): the first `tokenize` of a short sentence
is the load time; then every starter text of the language is tokenized 3 times and the
median pass gives tokens/s and characters/s; RSS is read after the passes.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile

CHILD = r"""
import json, resource, statistics, sys, time
from opad.engines.sources import PACKAGED_LIBRARY, load_library
from opad.text.cjk import tokenize
code = sys.argv[1]
t0 = time.perf_counter(); tokenize(code, {"ko": "학교에 갔다.", "ja": "学校に行った。",
                                         "zh": "我去学校。"}[code])
load = time.perf_counter() - t0
bodies = [t.body for _, t in load_library(PACKAGED_LIBRARY, code)]
chars = sum(len(b) for b in bodies)
runs = []
for _ in range(3):
    t0 = time.perf_counter(); n = sum(len(tokenize(code, b)) for b in bodies)
    runs.append(time.perf_counter() - t0)
secs = statistics.median(runs)
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"load": load, "tokens": n, "chars": chars, "secs": secs, "rss": rss}))
"""


def measure(code: str) -> dict[str, float]:
    """One fresh process for `code`; figures in seconds, counts and MB."""
    with tempfile.TemporaryDirectory() as data:
        out = subprocess.run(
            [sys.executable, "-c", CHILD, code],
            check=True,
            capture_output=True,
            text=True,
            env={"OPAD_DATA_DIR": data, "PATH": "/usr/bin:/bin"},
        ).stdout
    return dict(json.loads(out.strip().splitlines()[-1]))


def main() -> None:
    print("| language | analyzer | first load (s) | tokens/s | characters/s | peak RSS (MB) |")
    print("|---|---|---|---|---|---|")
    names = {"ko": "Kiwi", "ja": "SudachiPy (core, mode C)", "zh": "jieba posseg + pypinyin"}
    for code, name in names.items():
        r = measure(code)
        print(
            f"| {code} | {name} | {r['load']:.2f} | {r['tokens'] / r['secs']:,.0f} "
            f"| {r['chars'] / r['secs']:,.0f} | {r['rss']:.0f} |"
        )


if __name__ == "__main__":
    main()
