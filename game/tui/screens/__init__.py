"""The TUI's screens: title, play, ending, replay, and the modal questions."""
