"""Defaults of the Bloch-sphere pictures (plain data: the command line reads them
without loading matplotlib or QuTiP)."""

__all__ = ["ANIMATION_WRITERS", "FRAME_FORMATS", "DEFAULT_FPS", "DEFAULT_DPI",
           "PANEL_WIDTH"]

#: Output suffix -> matplotlib animation writer.
ANIMATION_WRITERS = {".gif": "pillow", ".mp4": "ffmpeg"}
#: Output suffixes of a single still frame.
FRAME_FORMATS = (".png", ".pdf", ".svg")
#: Frames per second of an animation (101 paper outputs last 10 s).
DEFAULT_FPS = 10
#: Dots per inch of saved frames (one sphere is 480 px wide: a 6% shrink
#: of the vector is then a few pixels, and the strip of the length shows it).
DEFAULT_DPI = 150
#: Inches per sphere panel.
PANEL_WIDTH = 3.2
