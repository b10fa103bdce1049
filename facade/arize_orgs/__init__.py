"""Add users to Arize AX organizations."""

__version__ = "0.1.0"
