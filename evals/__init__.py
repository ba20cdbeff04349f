"""GreenLeaf evals: hand-written gold sets (evals/gold/), the quality runner (`python -m evals`) and the speed
benchmark (`python -m evals.bench`)."""
