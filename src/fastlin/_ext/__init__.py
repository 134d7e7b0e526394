"""The compiled wrappers of the C core (Cython): validate, release the GIL, call csrc/."""

import warnings

from ._build_info import simd_levels, simd_request

_value, _status = simd_request()
if _status in ("unknown", "unsupported"):
    _names = [lv["name"] for lv in simd_levels() if lv["supported"]]
    _why = "is not a SIMD level" if _status == "unknown" else "is not supported by this CPU"
    warnings.warn(f"FASTLIN_SIMD={_value!r} {_why}; the kernels run on {_names[-1]!r} "
                  f"(this CPU supports {_names})", RuntimeWarning, stacklevel=2)
del warnings, _value, _status
