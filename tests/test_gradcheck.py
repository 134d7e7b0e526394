import numpy as np
import pytest

from fastlin.gradcheck import grad_check_sparse, numerical_gradient, rel_error


def test_numerical_gradient_of_quadratic_and_restores_x():
    rng = np.random.default_rng(0)
    A = rng.standard_normal((4, 4))
    x = rng.standard_normal((4, 3))
    before = x.copy()
    g = numerical_gradient(lambda v: float(np.sum(v * (A @ v))), x)
    np.testing.assert_allclose(g, (A + A.T) @ x, rtol=1e-7, atol=1e-8)
    assert np.array_equal(x, before)


def test_grad_check_sparse_small_errors_for_right_gradient(capsys):
    x = np.linspace(-1, 1, 12).reshape(3, 4)
    errs = grad_check_sparse(lambda v: float(np.sum(v**3)), x, 3 * x**2, num_checks=5, seed=0)
    assert errs.shape == (5,) and np.all(errs < 1e-8)
    assert capsys.readouterr().out.count("relative error") == 5


def test_grad_check_sparse_flags_a_wrong_gradient():
    x = np.linspace(0.5, 1.5, 6)
    errs = grad_check_sparse(lambda v: float(np.sum(v**2)), x, 3 * x, num_checks=6, seed=1,
                             verbose=False)
    assert np.all(errs > 0.1)


def test_rel_error():
    assert rel_error(np.ones(3), np.ones(3)) == 0.0
    assert rel_error([1.0], [3.0]) == pytest.approx(0.5)
    with pytest.raises(ValueError, match="same shape"):
        rel_error(np.ones(2), np.ones(3))


def test_bad_arguments():
    with pytest.raises(TypeError, match="x must be a floating-point ndarray"):
        numerical_gradient(lambda v: 0.0, [1.0, 2.0])
    with pytest.raises(ValueError, match="h must be > 0"):
        numerical_gradient(lambda v: 0.0, np.ones(2), h=0)
    with pytest.raises(ValueError, match="analytic_grad must have x's shape"):
        grad_check_sparse(lambda v: 0.0, np.ones(3), np.ones(2))
