"""Thermal face data: records, synthetic generator, loaders for public datasets."""
