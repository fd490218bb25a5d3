"""Sub-commands of the ``spectrum`` command line, one module each (see :mod:`spectrum.cli`)."""
