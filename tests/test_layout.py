"""The package's import graph stays acyclic and layered (read from the sources with ast), and
``import fastlin`` leaves the optional parts unloaded (checked in a fresh interpreter)."""
import ast
import pathlib
import subprocess
import sys

import pytest

import fastlin

PKG = pathlib.Path(fastlin.__file__).parent

# higher layers may import lower ones, never the reverse; one rank per top-level part
LAYERS = {
    "cli": 4, "demo": 4, "plot": 4, "bench": 4, "__main__": 4,
    "compat": 3, "bow": 3,
    "linear_model": 2, "features": 2, "cluster": 2, "datasets": 2,
    "losses": 1, "gradcheck": 1, "optim": 1, "sampling": 1, "reference": 1,
    "_ext": 0, "_dask": 0, "_lazy": 0, "_validation": 0, "_sklearn": 0, "_config": 0,
}


def _modules():
    """{dotted name: path} of every Python module of the package."""
    out = {}
    for path in PKG.rglob("*.py"):
        parts = list(path.relative_to(PKG).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(["fastlin", *parts])] = path
    return out


def _imports(name, path, modules):
    """Modules imported anywhere in the file (module level or inside functions)."""
    is_pkg = path.name == "__init__.py"
    package = name if is_pkg else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.split(".")[0] == "fastlin")
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - (node.level - 1)]
                mod = ".".join(base + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            if mod.split(".")[0] != "fastlin":
                continue
            for a in node.names:   # `from pkg import sub` imports the submodule
                sub = f"{mod}.{a.name}"
                found.add(sub if sub in modules or _is_compiled(sub) else mod)
    return found


def _is_compiled(dotted):
    parts = dotted.split(".")[1:]
    return any(PKG.joinpath(*parts[:-1]).glob(parts[-1] + ".*.so")) or \
        PKG.joinpath(*parts[:-1], parts[-1] + ".pyx").exists()


def _graph():
    modules = _modules()
    return {name: _imports(name, path, modules) for name, path in modules.items()}


def _part(dotted):
    parts = dotted.split(".")
    return parts[1] if len(parts) > 1 else None


def test_no_module_imports_the_package_root():
    bad = {m: "fastlin" for m, deps in _graph().items() if m != "fastlin" and "fastlin" in deps}
    assert not bad, f"modules importing fastlin's __init__ from inside the package: {sorted(bad)}"


def test_every_part_has_a_layer():
    parts = {_part(m) for m in _modules()} - {None}
    assert parts <= set(LAYERS), f"give these parts a layer in LAYERS: {parts - set(LAYERS)}"


def test_imports_go_down_the_layers():
    bad = []
    for mod, deps in _graph().items():
        if mod == "fastlin":
            continue
        for dep in deps:
            if dep != "fastlin" and LAYERS.get(_part(dep), -1) > LAYERS.get(_part(mod), -1):
                bad.append(f"{mod} -> {dep}")
    assert not bad, "imports from a lower layer into a higher one:\n" + "\n".join(sorted(bad))


def test_import_graph_is_acyclic():
    graph = _graph()
    state, stack, cycles = {}, [], []

    def visit(m):
        state[m] = 1
        stack.append(m)
        for d in sorted(graph.get(m, ())):
            if state.get(d) == 1:
                cycles.append(stack[stack.index(d):] + [d])
            elif d in graph and d not in state:
                visit(d)
        stack.pop()
        state[m] = 2

    for m in sorted(graph):
        if m not in state:
            visit(m)
    assert not cycles, "import cycles:\n" + "\n".join(" -> ".join(c) for c in cycles)


def test_the_checker_sees_a_cycle(tmp_path, monkeypatch):
    # the walker itself: two modules importing each other are reported
    pkg = tmp_path / "fastlin"
    (pkg / "features").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "features" / "__init__.py").write_text("from . import a\n")
    (pkg / "features" / "a.py").write_text("from .b import f\n")
    (pkg / "features" / "b.py").write_text("def f():\n    from . import a\n")
    monkeypatch.setitem(globals(), "PKG", pkg)
    try:
        test_import_graph_is_acyclic()
    except AssertionError as e:
        assert "fastlin.features.a -> fastlin.features.b -> fastlin.features.a" in str(e)
    else:
        raise AssertionError("the cycle a -> b -> a was not reported")


def test_import_fastlin_does_not_import_sklearn():
    code = ("import sys, fastlin, fastlin.features; "
            "assert 'sklearn' not in sys.modules, 'sklearn imported'; "
            "fastlin.features.HOG; print('sklearn' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    pytest.importorskip("sklearn")
    assert out.stdout.strip() == "True"     # the transformers bring it in on first use


def test_import_fastlin_does_not_load_bow():
    code = ("import sys, fastlin; bow = 'fastlin.features._bag_of_words'; "
            "assert bow not in sys.modules; assert 'fastlin.cluster' not in sys.modules; "
            "assert 'sklearn' not in sys.modules; "
            "from fastlin.features import BagOfVisualWords; assert bow in sys.modules")
    subprocess.run([sys.executable, "-c", code], check=True)
