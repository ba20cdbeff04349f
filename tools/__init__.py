"""The agent's tools: plain typed functions over the consumption data (see docs/TOOLS.md)."""
