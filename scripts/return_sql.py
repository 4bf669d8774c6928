"""The SQL of one period's return, read from src/store/returns.rs as SQLite will run it.

The queries are Rust string literals and `concat!` of literals and the status fragments of
src/store/status.rs (macros); this expands them the way the compiler does, so the benchmark runs
exactly the program's SQL. Used by scripts/bench.sh (the "sqlite term" column).
"""
import re


def literal(s, i):
    """The Rust string literal starting at s[i] (a '"'): its value and the index after it."""
    j, out = i + 1, []
    while s[j] != '"':
        if s[j] == "\\":
            nxt = s[j + 1]
            if nxt == "\n":  # a line continuation skips the newline and the next line's indent
                j += 2
                while s[j] in " \t\n":
                    j += 1
                continue
            out.append({"n": "\n", "t": "\t", '"': '"', "\\": "\\"}.get(nxt, nxt))
            j += 2
            continue
        out.append(s[j])
        j += 1
    return "".join(out), j + 1


def arguments(s, i):
    """The top-level, comma-separated arguments of the parenthesis at s[i]; and the index after."""
    depth, j, start, parts = 0, i, i + 1, []
    while True:
        c = s[j]
        if c == '"':
            _, j = literal(s, j)
            continue
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
            if depth == 0:
                parts.append(s[start:j])
                return [p.strip() for p in parts if p.strip()], j + 1
        elif c == "," and depth == 1:
            parts.append(s[start:j])
            start = j + 1
        j += 1


def fragments(source):
    """The macros of src/store/status.rs: name -> (parameter names, the items of their concat!)."""
    found = {}
    for m in re.finditer(r"macro_rules!\s+(\w+)\s*\{\s*\(([^)]*)\)\s*=>\s*\{\s*concat!", source):
        params = [p.split(":")[0].strip() for p in m.group(2).split(",")]
        body, _ = arguments(source, m.end())
        found[m.group(1)] = (params, body)
    return found


def evaluate(expr, macros, env):
    expr = expr.strip()
    if expr.startswith('"'):
        return literal(expr, 0)[0]
    if expr in env:
        return env[expr]
    m = re.match(r"(\w+)!\s*\(", expr)
    args, _ = arguments(expr, m.end() - 1)
    values = [evaluate(a, macros, env) for a in args]
    if m.group(1) == "concat":
        return "".join(values)
    params, body = macros[m.group(1)]
    return "".join(evaluate(b, macros, dict(zip(params, values))) for b in body)


def queries(returns_rs="src/store/returns.rs", status_rs="src/store/status.rs"):
    """Every query of the return: literals starting WITH or SELECT, and concat! expressions."""
    macros = fragments(open(status_rs).read())
    s = open(returns_rs).read()
    out, i = [], 0
    while True:
        m = re.search(r'concat!\s*\(|"(?=(?:WITH|SELECT))', s[i:])
        if not m:
            return out
        k = i + m.start()
        if s[k] == '"':
            value, i = literal(s, k)
        else:
            args, i = arguments(s, k + m.group(0).index("("))
            value = "".join(evaluate(a, macros, {}) for a in args)
        out.append(value)
