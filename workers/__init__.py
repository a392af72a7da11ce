"""Background work: arq settings, job functions and the in-process runner."""
