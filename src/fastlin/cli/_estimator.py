"""The classifier the ``train`` options ask for, and its fit with rejected settings as
CLIError (shared by ``train`` and its bag-of-words path)."""

from ._common import CLIError


def estimator(args, defaults=None):
    """The classifier the options ask for (``defaults``: settings used when not given)."""
    from ..linear_model import LinearSVM, Softmax

    kw = dict(defaults or {})
    kw.update({k: v for k, v in dict(optimizer=args.optimizer, max_iter=args.epochs,
                                     learning_rate=args.lr, reg=args.reg,
                                     batch_size=args.batch_size,
                                     num_threads=args.threads).items() if v is not None})
    svm_kw = {k: v for k, v in dict(multi_class=getattr(args, "multi_class", None),
                                    loss=getattr(args, "svm_loss", None)).items() if v is not None}
    if svm_kw and args.model != "svm":
        raise CLIError("--multi-class and --svm-loss apply to --model svm, not "
                       f"--model {args.model}")
    kw.update(svm_kw)
    cls = LinearSVM if args.model == "svm" else Softmax
    try:
        return cls(random_state=args.seed, verbose=1, tol=None, **kw)
    except (TypeError, ValueError) as exc:
        raise CLIError(str(exc)) from None


def fit(model, X, y, **kw):
    """model.fit with a rejected setting (ValueError naming it) as CLIError."""
    try:
        return model.fit(X, y, **kw)
    except ValueError as exc:
        raise CLIError(str(exc)) from None
