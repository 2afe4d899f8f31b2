"""Helpers for the book *Negotiating the End of the War in Ukraine*.

The notebooks import from here: ``from utils import load_data`` and so on.
"""

from .data import BookData, DataError, load_data

__all__ = ["BookData", "DataError", "load_data"]
