"""Interdict: screen people, payments and travellers against sanctions and terrorist lists."""

__version__ = "0.1.0"
__all__ = ["__version__"]
