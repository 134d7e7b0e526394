"""Per-epoch validation accuracy recorded by the estimators (``validation_scores_``)."""

import numpy as np
import pytest

import fastlin

pytest.importorskip("sklearn")


def test_validation_scores_recorded_per_epoch():
    rng = np.random.default_rng(0)
    centers = rng.standard_normal((3, 8)) * 3
    y = rng.integers(0, 3, 300)
    X = centers[y] + rng.standard_normal((300, 8))
    est = fastlin.Softmax(max_iter=5, batch_size=60, average=False, dtype="float64", random_state=0)
    est.fit(X[:200], y[:200], X_val=X[200:], y_val=y[200:])
    assert len(est.loss_history_) == est.t_ == 5 * 4
    assert len(est.validation_scores_) == 5
    assert est.validation_scores_[-1] == est.score(X[200:], y[200:])
    est.fit(X, y)  # no validation data: nothing recorded, the previous fit's list is gone
    assert est.validation_scores_ == []
    est = fastlin.LinearSVM(max_iter=50, early_stopping=True, tol=1e-3, n_iter_no_change=2,
                            random_state=0).fit(X, y)
    assert len(est.validation_scores_) == est.n_iter_ < 50
