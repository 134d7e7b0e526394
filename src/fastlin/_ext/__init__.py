"""The compiled wrappers of the C core (Cython): validate, release the GIL, call csrc/."""
