"""Every tiny-tier verdict as measured: test id -> verdict, stricter reading, expected verdict, numbers.

A case whose verdict differs from the paper's is a strict xfail (raises=ClaimNotReproduced,
bench/grid.py `param`); `Verdict.check` fails any case whose verdict or stricter reading
differs from the one recorded here, naming both with their numbers. Written by
`python bench/record_known.py` from the verdicts of a `pytest bench --update-baselines`
session; reviewed like code.
"""

KNOWN = {}
