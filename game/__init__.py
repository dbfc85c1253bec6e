"""Hyosan: a terminal choose-your-path survival game."""

__version__ = "0.1.0"
