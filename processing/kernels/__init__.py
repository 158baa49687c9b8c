"""Pure numeric kernels: numpy arrays in, numpy arrays out.

Water balance, water yield, reference ET, baseflow, terrain, routing (pysheds), AHP and
suitability classes, EcoCrop, zonal scatter-add sums and flow metrics. Nothing here imports
the rest of the project, so every other package may build on it.
"""
