"""How long the history's word diff takes on long and pathological texts (no database).

    DEBUG=true .venv/bin/python scripts/bench_word_diff.py

Before the bounds (MAX_DIFF_WORD_PAIRS, MAX_DIFF_WORDS), 24 KB of repeated words saved twice took
about 39 s, and 49,000 words shuffled from 150 took 5.8 s.
"""

import os
import random
import statistics
import sys
import time
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lacstrategy.settings")
django.setup()

from lacstrategy.history import word_diff  # noqa: E402

VOCABULARY = [f"term{i}" for i in range(150)]
SHUFFLED = random.Random(1)

CASES = {
    "shuffled, 49,000 words from 150, all changed": (
        " ".join(SHUFFLED.choices(VOCABULARY, k=49000)),
        " ".join(SHUFFLED.choices(VOCABULARY, k=49000)),
    ),
    "shuffled, 4,900 words from 150, all changed": (
        " ".join(SHUFFLED.choices(VOCABULARY, k=4900)),
        " ".join(SHUFFLED.choices(VOCABULARY, k=4900)),
    ),
    "repetitive, 3,000 words, all changed": ("a b " * 1500, "b a " * 1500),
    "repetitive, 12,000 words, all changed": (
        "placement review " * 6000,
        "review placement " * 6000,
    ),
    "prose, 12,000 words, one word changed": (
        " ".join(f"word{i}" for i in range(12000)),
        " ".join(f"word{i}" if i != 6000 else "changed" for i in range(12000)),
    ),
    "prose, 800 words, every tenth changed": (
        " ".join(f"w{i}" for i in range(800)),
        " ".join(f"w{i}" if i % 10 else f"x{i}" for i in range(800)),
    ),
}

for name, (old, new) in CASES.items():
    times = []
    for _ in range(5):
        started = time.perf_counter()
        word_diff(old, new)
        times.append(time.perf_counter() - started)
    median, worst = statistics.median(times) * 1000, max(times) * 1000
    print(f"{name:42} median {median:8.1f} ms, max {worst:8.1f} ms")
