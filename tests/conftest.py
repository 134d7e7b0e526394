import os

from hypothesis import HealthCheck, settings

# "ci": fixed seed, no deadline (timings vary on shared 2-core machines).
settings.register_profile(
    "ci",
    derandomize=True,
    deadline=None,
    max_examples=40,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("dev", deadline=None, max_examples=200)
# "seeds": the ci settings with random examples, to run under several --hypothesis-seed values
settings.register_profile("seeds", deadline=None, max_examples=40, print_blob=True,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
