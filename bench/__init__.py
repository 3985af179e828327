"""Benchmarks (``make bench``): our engine against OpenFisca on the shared workload of issue 4.

Only ``bench.run`` and the modules it starts import OpenFisca; ``bench.generate`` and ``bench.ours``
import nothing outside the project's own dependencies, so the smoke test in ``tests/bench`` can use them.
"""
