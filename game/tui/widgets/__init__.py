"""Widgets of the play, replay and ending screens; each redraws from a GameState."""
