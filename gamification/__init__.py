"""Recognition for progress: badge rules, their evaluation and the awards they make."""
