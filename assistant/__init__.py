"""GreenLeaf (绿叶智答): knowledge base and assistant for public-institution energy management."""

__version__ = "0.1.0"
