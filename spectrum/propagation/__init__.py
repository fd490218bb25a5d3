"""Propagation models, one module per ITU-R Recommendation or model."""
