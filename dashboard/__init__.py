"""Contested Regions Dashboard: Ukraine's contested regions and the dated claims about them."""

__version__ = "0.1.0"
__all__ = ["__version__"]
