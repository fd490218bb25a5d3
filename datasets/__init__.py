"""Sample data shipped or generated deterministically, and loaders for real data.

Real data is looked for in ``$SPECTRUM_DATA_DIR`` and then in ``../shared/datasets``.
"""
