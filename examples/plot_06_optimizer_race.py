"""
The optimizer race
==================

Every update rule of :mod:`fastlin.optim` (SGD, Momentum, Nesterov, AdaGrad,
RMSProp, Adam) starts from the same point of a classic 2-D test function, each
with a learning rate that suits it, and runs 300 steps: the lecture's
animation. Momentum overshoots and comes back; the adaptive rules take
similar-sized steps in every direction; on the saddle, plain SGD creeps away
from the saddle point while the adaptive rules escape quickly.
"""

import matplotlib.pyplot as plt

import fastlin.plot

fig, axes = plt.subplots(2, 2, figsize=(11, 10))
for ax, name in zip(axes.ravel(), ["beale", "rosenbrock", "saddle", "himmelblau"]):
    fastlin.plot.optimizer_race(name, steps=300, ax=ax)
    ax.set_title(name)
fig.tight_layout()

# %%
# The animation
# -------------
# ``animate=True`` returns a :class:`fastlin.plot.RaceAnimation`; its
# ``save("race.gif")`` writes a GIF with Pillow (``.mp4`` with ffmpeg). One
# frame every 10 steps keeps this page small.

fig, ax = plt.subplots(figsize=(5, 4.2), dpi=72)
race = fastlin.plot.optimizer_race("beale", steps=300, animate=True, every=10, interval=80, ax=ax)
anim = race.animation  # the matplotlib FuncAnimation, shown here by sphinx-gallery
