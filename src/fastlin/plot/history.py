"""Training curves: the loss of every update, smoothed, with the validation accuracy."""

from __future__ import annotations

import numpy as np

from ._common import check_real, final_estimator, new_axes

__all__ = ["loss_history", "smooth"]


def smooth(values, weight: float = 0.9) -> np.ndarray:
    """Bias-corrected exponential moving average (as TensorBoard's smoothing), float64 (n,).

    ``s_t = weight * s_{t-1} + (1 - weight) * v_t`` from ``s_{-1} = 0``, divided by
    ``1 - weight ** (t + 1)`` so the first values are not pulled towards zero.
    """
    v = np.asarray(values, dtype=np.float64)
    if v.ndim != 1:
        raise ValueError(f"values must be 1-D, got shape {v.shape}")
    weight = check_real(weight, "weight", minimum=0.0)
    if weight >= 1.0:
        raise ValueError(f"weight must be in [0, 1), got {weight}")
    out = np.empty_like(v)
    s = 0.0
    for t, x in enumerate(v):
        s = weight * s + (1.0 - weight) * x
        out[t] = s / (1.0 - weight ** (t + 1))
    return out


def loss_history(est_or_history, *, val_accuracy=None, updates_per_epoch=None, weight=0.9,
                 log_scale=False, ax=None):
    """The training loss of every update, its smoothed curve on top, and the validation accuracy
    (when recorded) on a second y axis.

    Parameters
    ----------
    est_or_history : fitted fastlin estimator (or a Pipeline ending in one), or array-like (n,)
        The estimator's ``loss_history_`` (one minibatch loss per update) and, when it was fitted
        with validation data, its ``validation_scores_`` (one accuracy per epoch).
    val_accuracy : array-like (n_epochs,), optional
        Validation accuracies to draw (overrides the estimator's), one per epoch.
    updates_per_epoch : int, optional
        Where the epochs end on the update axis (default: from the estimator, ``t_ / n_iter_``,
        or ``len(history) / len(val_accuracy)``).
    weight : float in [0, 1)
        Smoothing of the thick curve (see :func:`smooth`); 0 draws no smoothed curve.
    log_scale : bool
        Logarithmic loss axis.
    ax : matplotlib Axes, optional

    Returns
    -------
    ax : Axes
        ``ax.lines[0]`` is the raw loss (x = update 1..n), ``ax.lines[1]`` the smoothed one; the
        accuracy is on ``ax.right_ax`` (a twin Axes) when drawn.
    """
    est = final_estimator(est_or_history)
    if hasattr(est, "loss_history_"):
        history = np.asarray(est.loss_history_, dtype=np.float64)
        if val_accuracy is None and getattr(est, "validation_scores_", None):
            val_accuracy = est.validation_scores_
        if updates_per_epoch is None and getattr(est, "n_iter_", 0):
            updates_per_epoch = est.t_ / est.n_iter_
    else:
        try:
            history = np.asarray(est_or_history, dtype=np.float64)
        except (TypeError, ValueError):
            raise TypeError("est_or_history must be a fitted estimator with loss_history_ or a "
                            f"1-D array of losses, got {type(est_or_history).__name__}") from None
    if history.ndim != 1 or history.size == 0:
        raise ValueError(f"est_or_history: the loss history must be a non-empty 1-D array, got "
                         f"shape {history.shape}")
    ax = new_axes(ax)
    x = np.arange(1, history.size + 1)
    ax.plot(x, history, color="tab:blue", alpha=0.35, lw=0.8, label="loss per update")
    if check_real(weight, "weight", minimum=0.0) > 0:
        ax.plot(x, smooth(history, weight), color="tab:blue", lw=2, label="smoothed")
    ax.set_xlabel("update")
    ax.set_ylabel("training loss")
    if log_scale:
        ax.set_yscale("log")
    if val_accuracy is not None:
        acc = np.asarray(val_accuracy, dtype=np.float64)
        if acc.ndim != 1 or acc.size == 0:
            raise ValueError(f"val_accuracy must be a non-empty 1-D array, got shape {acc.shape}")
        if updates_per_epoch is None:
            updates_per_epoch = history.size / acc.size
        upe = check_real(updates_per_epoch, "updates_per_epoch", minimum=0.0, strict=True)
        right = ax.twinx()
        right.plot(upe * np.arange(1, acc.size + 1), acc, "o-", color="tab:red",
                   label="validation accuracy")
        right.set_ylabel("validation accuracy", color="tab:red")
        right.tick_params(axis="y", colors="tab:red")
        ax.right_ax = right
        handles = ax.get_legend_handles_labels()[0] + right.get_legend_handles_labels()[0]
        ax.legend(handles=handles, loc="center right")
    else:
        ax.legend(loc="upper right")
    return ax
