"""Drop-in replacements for code people already have (see :mod:`fastlin.compat.cs231n`)."""
