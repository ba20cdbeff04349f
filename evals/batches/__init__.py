"""Question batches kept out of evals/gold, and the tools that count and merge them (README.md)."""
