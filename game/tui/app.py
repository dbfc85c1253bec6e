"""Placeholder replaced by the TUI work (issue 3)."""

from __future__ import annotations

import argparse
import sys

from ..engine.model import Story


def run_app(story: Story, args: argparse.Namespace, seed: int) -> int:
    print("The full-screen game is not built yet; use `hyosan play --plain`.", file=sys.stderr)
    return 2
