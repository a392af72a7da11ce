"""Goals and the progress snapshots taken of them."""
