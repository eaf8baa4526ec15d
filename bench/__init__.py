"""htkg benchmark: synthetic data in the domain's shape, an analyst query mix, and a runner
that measures htkg side by side with a plain `oxigraph serve` on the same data.

See docs/benchmarks.md for how to run it and the recorded figures.
"""
