"""The minibatch training loop of the linear classifiers: learning-rate schedules and
optimizers from the estimator's parameters, epochs of C-sampled minibatches handed to the fused
loss kernels as ``idx`` (rows are never copied), iterate averaging, stopping, progress."""

import copy

import numpy as np

from .. import optim
from ..losses import softmax_loss, svm_loss
from ..sampling import BatchSampler

__all__ = ["TrainingMixin"]


class TrainingMixin:
    """Schedules, optimizers and the epoch loop; works in place on ``_W``/``_b``."""

    def _make_schedule(self, steps_per_epoch):
        lr, s = float(self.learning_rate), self.schedule
        if callable(s):
            return s
        if s == "constant":
            return lr
        if s == "cosine":  # from lr to 0 over max_iter epochs
            return optim.CosineDecay(lr, decay_steps=max(1, self._max_epochs() * steps_per_epoch))
        if s == "step":  # halve every 5 epochs
            return optim.StepDecay(lr, step_size=5 * steps_per_epoch, gamma=0.5)
        if s == "exponential":  # x0.9 per epoch
            return optim.ExponentialDecay(lr, decay_rate=0.9, decay_steps=steps_per_epoch)
        return optim.InverseTimeDecay(lr, k=1.0, decay_steps=steps_per_epoch)  # lr / (1 + epoch)

    def _make_optimizer(self, steps_per_epoch):
        lr = self._make_schedule(steps_per_epoch)
        o = self.optimizer
        if isinstance(o, optim.Optimizer):  # its other hyperparameters, our learning rate, fresh state
            o = copy.deepcopy(o).reset()
            o.learning_rate = lr
            return o
        return optim.get_optimizer(o, learning_rate=lr)

    def _average_start(self):
        """Epoch (0-based) from which the iterates are averaged, or None."""
        a = self.average
        if a is False or a is np.False_:
            return None
        if a is True or a is np.True_:
            return self._max_epochs() // 2
        return int(a)

    def _accumulate_average(self):
        """Running (Polyak-Ruppert) mean of the iterates: avg += (W - avg) / k, in place."""
        if self.n_averaged_ == 0:
            self._W_avg = self._W.copy()
            self._b_avg = None if self._b is None else self._b.copy()
            self._avg_scratch = np.empty_like(self._W)
            self.n_averaged_ = 1
            return
        self.n_averaged_ += 1
        k = 1.0 / self.n_averaged_
        s = self._avg_scratch
        np.subtract(self._W, self._W_avg, out=s)
        s *= k
        self._W_avg += s
        if self._b is not None:
            self._b_avg += (self._b - self._b_avg) * k

    def _loss(self, X, y, idx):
        kw = dict(idx=idx, num_threads=self.num_threads, b=self._b)
        if self._kind == "svm":
            return svm_loss(self._W, X, y, float(self.reg), delta=self.delta,
                            multi_class=self.multi_class, loss=self.loss, **kw)
        return softmax_loss(self._W, X, y, float(self.reg), **kw)

    def _epochs(self, X, codes, rows, max_epochs, X_val, y_val, *, stop_rule):
        """Run up to max_epochs epochs over X[rows] (rows None: all), in place on _W/_b."""
        n = X.shape[0] if rows is None else rows.shape[0]
        batch = min(self.batch_size, n)
        seed = self._seed
        sampler = BatchSampler(n, batch, seed=seed, stream=self._calls)
        self._calls += 1
        params = [self._W] if self._b is None else [self._W, self._b]
        opt = self._optimizer
        progress = _Progress(self.verbose, max_epochs, type(self).__name__)
        avg_start = self._average_start()
        best, no_improve, converged = None, 0, False
        try:
            for _ in range(max_epochs):
                averaging = avg_start is not None and self.n_iter_ >= avg_start
                total, count = 0.0, 0
                for idx in sampler.epoch_batches():
                    if rows is not None:
                        idx = rows[idx]
                    out = self._loss(X, codes, idx)
                    opt.step(params, list(out[1:]))
                    if averaging:
                        self._accumulate_average()
                    self.loss_history_.append(out[0])
                    total += out[0] * len(idx)
                    count += len(idx)
                    self.t_ += 1
                self.n_iter_ += 1
                self._publish()
                epoch_loss = total / count
                val_acc = None
                if X_val is not None:
                    val_acc = float(np.mean(self._predict_codes(X_val) == y_val))
                    self.validation_scores_.append(val_acc)
                progress.update(self.n_iter_, epoch_loss, val_acc)
                if stop_rule is None or self.tol is None:
                    continue
                # scikit-learn's SGD rule: stop after n_iter_no_change epochs without improving
                # the best value by tol (validation accuracy with early_stopping, else loss)
                score = val_acc if stop_rule == "val" else -epoch_loss
                if best is not None and score < best + self.tol:
                    no_improve += 1
                else:
                    no_improve = 0
                best = score if best is None else max(best, score)
                if no_improve >= self.n_iter_no_change:
                    converged = True
                    break
        finally:
            progress.close()
        return converged


class _Progress:
    """Per-epoch progress: a tqdm bar when tqdm is installed, else one printed line per epoch."""

    def __init__(self, verbose, total, name):
        self.verbose = verbose
        self.bar = None
        if verbose:
            try:
                from tqdm.auto import tqdm

                self.bar = tqdm(total=total, desc=name, unit="epoch", leave=True)
            except ImportError:
                self.bar = None

    def update(self, epoch, loss, val_acc):
        if not self.verbose:
            return
        if self.bar is not None:
            post = {"loss": f"{loss:.4f}"}
            if val_acc is not None:
                post["val_acc"] = f"{val_acc:.4f}"
            self.bar.set_postfix(post, refresh=False)
            self.bar.update(1)
        else:
            msg = f"epoch {epoch}: loss {loss:.6f}"
            if val_acc is not None:
                msg += f", validation accuracy {val_acc:.4f}"
            print(msg, flush=True)

    def close(self):
        if self.bar is not None:
            self.bar.close()
