"""A static HTML training report: pictures as PNG files beside one ``index.html``."""

from __future__ import annotations

import html
import math
import os

import numpy as np

from ._common import final_estimator, pyplot

__all__ = ["write_report"]

_STYLE = """body{font-family:system-ui,sans-serif;max-width:60em;margin:2em auto;padding:0 1em;
color:#222}h1{font-size:1.6em}h2{font-size:1.2em;margin-top:2em;border-bottom:1px solid #ddd}
table{border-collapse:collapse}td,th{padding:.2em .8em;border-bottom:1px solid #eee;text-align:left}
td.num{text-align:right;font-variant-numeric:tabular-nums}img{max-width:100%}"""


def _table(rows, header=None):
    out = ["<table>"]
    if header:
        out.append("<tr>" + "".join(f"<th>{html.escape(str(h))}</th>" for h in header) + "</tr>")
    for row in rows:
        cells = []
        for v in row:
            cls = ' class="num"' if isinstance(v, (int, float, np.number)) else ""
            if isinstance(v, (float, np.floating)):
                v = f"{v:.4g}"
            cells.append(f"<td{cls}>{html.escape(str(v))}</td>")
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</table>")
    return "\n".join(out)


def write_report(estimator, X_val, y_val, path, *, class_names=None, image_shape=None,
                 bow=None, title="fastlin training report", settings=None, timings=None,
                 split_name="validation") -> str:
    """Write ``path/index.html`` and its PNG pictures for a fitted classifier.

    Parameters
    ----------
    estimator : fitted LinearSVM/Softmax, or a Pipeline ending in one
    X_val, y_val : the split the accuracy, confusion matrix and per-class accuracy are measured on
        (in the estimator's input space: the Pipeline's own transformers are applied).
    path : directory to create (or reuse); files written there: ``index.html``, ``loss.png``,
        ``confusion.png`` and ``templates.png`` (when the weights are images of
        ``image_shape``) or ``codebook.png`` (with a bag of visual words).
    class_names : sequence of str, optional (indexed by the estimator's ``classes_`` when those
        are integers 0..C-1)
    image_shape : (H, W[, 3]) of the classifier's input, for the templates picture.
    bow : fitted BagOfVisualWords, optional
        Its codebook is drawn (found in the Pipeline when there is one).
    settings, timings : dicts shown as tables (e.g. the command-line arguments; seconds per step)
    split_name : what to call the (X_val, y_val) split on the page.

    Returns the path of ``index.html``. Needs matplotlib and scikit-learn.
    """
    from sklearn.metrics import ConfusionMatrixDisplay, confusion_matrix

    from .features import codebook
    from .history import loss_history
    from .templates import weight_templates

    clf = final_estimator(estimator)
    if not hasattr(clf, "coef_") or not hasattr(clf, "loss_history_"):
        raise TypeError("estimator must be a fitted fastlin LinearSVM/Softmax or a Pipeline "
                        f"ending in one, got {type(estimator).__name__}")
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"path must be a directory path, got {type(path).__name__}")
    y_val = np.asarray(y_val)
    pred = estimator.predict(X_val)
    if y_val.shape != pred.shape:
        raise ValueError(f"y_val must have shape {pred.shape}, got {y_val.shape}")
    os.makedirs(path, exist_ok=True)
    plt = pyplot()
    classes = clf.classes_
    names = [str(c) for c in classes]
    if class_names is not None:
        class_names = [str(c) for c in class_names]
        if classes.dtype.kind in "iu" and classes.min() >= 0 and classes.max() < len(class_names):
            names = [class_names[int(c)] for c in classes]
        elif len(class_names) == len(classes):
            names = class_names
        else:
            raise ValueError(f"class_names has {len(class_names)} names for {len(classes)} classes")
    sections = []

    acc = float(np.mean(pred == y_val))
    summary = [("model", type(clf).__name__), (f"{split_name} accuracy", acc),
               (f"{split_name} samples", len(y_val)), ("epochs", getattr(clf, "n_iter_", "")),
               ("updates", getattr(clf, "t_", "")), ("classes", len(classes))]
    if getattr(clf, "fit_time_", None) is not None:
        summary.append(("fit time (s)", clf.fit_time_))
    sections.append(("Summary", _table(summary)))

    fig, ax = plt.subplots(figsize=(7, 3.5))
    loss_history(clf, ax=ax)
    fig.tight_layout()
    fig.savefig(os.path.join(path, "loss.png"), dpi=90)
    plt.close(fig)
    sections.append(("Training loss", '<img src="loss.png" alt="training loss per update">'))

    steps = getattr(estimator, "steps", None) or []
    if bow is None:
        bow = next((s for _, s in steps if hasattr(s, "cluster_centers_")), None)
    if bow is not None:
        fig, ax = plt.subplots(figsize=(6, 6))
        codebook(bow, ax=ax)
        fig.savefig(os.path.join(path, "codebook.png"), dpi=90, bbox_inches="tight")
        plt.close(fig)
        sections.append(("Codebook", '<img src="codebook.png" alt="k-means codebook">'))
    elif image_shape is not None and clf.coef_.shape[1] in (math.prod(image_shape),
                                                            math.prod(image_shape) + 1):
        fig = weight_templates(clf, image_shape, names)
        fig.savefig(os.path.join(path, "templates.png"), dpi=90, bbox_inches="tight")
        plt.close(fig)
        sections.append(("Weight templates", '<img src="templates.png" alt="learned templates">'))

    cm = confusion_matrix(y_val, pred, labels=classes)
    fig, ax = plt.subplots(figsize=(1 + 0.6 * len(classes), 1 + 0.55 * len(classes)))
    ConfusionMatrixDisplay(cm, display_labels=names).plot(ax=ax, colorbar=False,
                                                          xticks_rotation=45)
    fig.tight_layout()
    fig.savefig(os.path.join(path, "confusion.png"), dpi=90)
    plt.close(fig)
    sections.append((f"Confusion matrix ({split_name})",
                     '<img src="confusion.png" alt="confusion matrix">'))

    support = cm.sum(axis=1)
    per_class = [(n, int(s), float(cm[k, k] / s) if s else float("nan"))
                 for k, (n, s) in enumerate(zip(names, support))]
    sections.append((f"Per-class accuracy ({split_name})",
                     _table(per_class, ("class", "samples", "accuracy"))))
    params = clf.get_params() if hasattr(clf, "get_params") else {}
    rows = [(k, repr(v)) for k, v in sorted((settings or {}).items())]
    rows += [(f"{type(clf).__name__}.{k}", repr(v)) for k, v in sorted(params.items())]
    sections.append(("Settings", _table(rows)))
    if timings:
        sections.append(("Timings (s)", _table([(k, float(v)) for k, v in timings.items()])))

    body = "\n".join(f"<h2>{html.escape(h)}</h2>\n{c}" for h, c in sections)
    page = (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            f"<title>{html.escape(title)}</title><style>{_STYLE}</style></head>\n"
            f"<body><h1>{html.escape(title)}</h1>\n{body}\n</body></html>\n")
    index = os.path.join(path, "index.html")
    with open(index, "w", encoding="utf-8") as f:
        f.write(page)
    return index
