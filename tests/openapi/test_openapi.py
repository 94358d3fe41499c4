"""openapi.yaml against the route table.

The route table comes from `tasker-fcgi --routes` (one "METHOD /path/{param}" a line;
it reads no configuration): the binary named by $TT_FCGI, else the tasker-fcgi beside
the tasker-admin of $TT_ADMIN (as `make test` sets it), else `.build/debug/tasker-fcgi`
from the repository root.
The set of (METHOD, path) pairs of the document must equal the route table's exactly.

Debian 12 has no python3-openapi-spec-validator, so the document's structure is
checked here: openapi 3.1.x, every operation has responses, every $ref resolves,
every path parameter of a template is declared (and every declared one is used).

Run:  /usr/bin/python3 -m pytest -q tests/openapi
Needs Debian's python3-yaml and python3-pytest (apt-get install -y python3-yaml python3-pytest).
"""

import copy
import os
import re
import shlex
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
DOCUMENT = ROOT / "openapi.yaml"
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
TEMPLATE_PARAMETER = re.compile(r"\{([^{}/]+)\}")
ROUTE_LINE = re.compile(r"^([A-Z]+) (/\S*)$")

REQUIRED_SCHEMAS = ("User", "Session", "Job", "JobInput", "OpenJob", "Task", "UploadResult", "Lease", "Train",
                    "TrainInput", "Box", "Payout", "PayoutInput", "LedgerEntry", "Error", "PagedList")


# ---- helpers (also used by the test that shows the check can fail) ---------------------

def load_document(path=DOCUMENT):
    with open(path, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def worker_binary():
    """The tasker-fcgi binary whose route table is checked (see the module's docstring)."""
    named = os.environ.get("TT_FCGI", "").strip()
    if named:
        return named
    admin = shlex.split(os.environ.get("TT_ADMIN", "").strip())
    if admin and "/" in admin[0]:
        beside = Path(admin[0]).resolve().parent / "tasker-fcgi"
        if beside.exists():
            return str(beside)
    return str(ROOT / ".build" / "debug" / "tasker-fcgi")


def route_table_command():
    """The command that prints the route table (run from the repository root)."""
    return [worker_binary(), "--routes"]


def run_route_table(command):
    if not Path(command[0]).exists() and "/" in command[0]:
        pytest.fail(f"the route table command {command[0]} does not exist: build it with "
                    "`swift build --product tasker-fcgi` or set TT_FCGI")
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, (
        f"`{shlex.join(command)}` exited {result.returncode}\nstdout:\n{result.stdout}\nstderr:\n{result.stderr}")
    return result.stdout


def parse_route_table(text):
    """{(METHOD, path)} from "METHOD /path" lines; anything else is an error."""
    routes, bad = set(), []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        match = ROUTE_LINE.match(line)
        if match:
            routes.add((match.group(1), match.group(2)))
        else:
            bad.append(line)
    assert not bad, f"route table lines not of the form 'METHOD /path': {bad}"
    return routes


def documented_routes(document):
    """{(METHOD, path)} of every operation in the document."""
    return {(method.upper(), path)
            for path, item in (document.get("paths") or {}).items()
            for method in (item or {})
            if method in HTTP_METHODS}


def route_differences(table_routes, document):
    """(in the route table but not documented, documented but not in the route table)."""
    documented = documented_routes(document)
    return sorted(set(table_routes) - documented), sorted(documented - set(table_routes))


def difference_message(missing, extra):
    lines = ["openapi.yaml and the route table (tasker-fcgi --routes) differ."]
    if missing:
        lines.append("In the route table but not in openapi.yaml:")
        lines += [f"  {method} {path}" for method, path in missing]
    if extra:
        lines.append("In openapi.yaml but not in the route table:")
        lines += [f"  {method} {path}" for method, path in extra]
    return "\n".join(lines)


def resolve_pointer(document, ref):
    """The object a local `#/a/b` reference points to; KeyError when it points nowhere."""
    if not ref.startswith("#"):
        raise KeyError(f"{ref} is not a local reference")
    node = document
    for token in ref[1:].split("/")[1:]:
        token = token.replace("~1", "/").replace("~0", "~")
        if isinstance(node, list):
            node = node[int(token)]
        elif isinstance(node, dict) and token in node:
            node = node[token]
        else:
            raise KeyError(ref)
    return node


def resolved(document, node):
    """The node, following $ref chains."""
    seen = set()
    while isinstance(node, dict) and "$ref" in node:
        ref = node["$ref"]
        if ref in seen:
            raise KeyError(f"$ref cycle at {ref}")
        seen.add(ref)
        node = resolve_pointer(document, ref)
    return node


def all_refs(node, where="#"):
    """Every ($ref value, location) in the document."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                yield value, where
            else:
                yield from all_refs(value, f"{where}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from all_refs(value, f"{where}/{index}")


def operations(document):
    for path, item in (document.get("paths") or {}).items():
        for method, operation in (item or {}).items():
            if method in HTTP_METHODS:
                yield path, method, item, operation


def path_parameter_problems(document):
    """Every template parameter not declared as a path parameter, and every declared path
    parameter not in the template, per operation."""
    problems = []
    for path, method, item, operation in operations(document):
        declared = {}
        for parameter in list(item.get("parameters") or []) + list(operation.get("parameters") or []):
            parameter = resolved(document, parameter)
            if parameter.get("in") == "path":
                declared[parameter.get("name")] = parameter
        in_template = set(TEMPLATE_PARAMETER.findall(path))
        for name in sorted(in_template - declared.keys()):
            problems.append(f"{method.upper()} {path}: path parameter {{{name}}} is not declared")
        for name in sorted(declared.keys() - in_template):
            problems.append(f"{method.upper()} {path}: declares path parameter {name!r} that the path does not have")
        for name in sorted(in_template & declared.keys()):
            parameter = declared[name]
            if parameter.get("required") is not True:
                problems.append(f"{method.upper()} {path}: path parameter {name} must be required: true")
            schema = resolved(document, parameter.get("schema") or {})
            if schema.get("type") != "integer":
                problems.append(f"{method.upper()} {path}: path parameter {name} must be an integer id")
    return problems


# ---- fixtures ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def document():
    return load_document()


@pytest.fixture(scope="module")
def table_routes():
    return parse_route_table(run_route_table(route_table_command()))


# ---- the document against the route table -------------------------------------------------

def test_paths_match_route_table(document, table_routes):
    assert table_routes, "the route table is empty"
    missing, extra = route_differences(table_routes, document)
    assert not missing and not extra, difference_message(missing, extra)


def test_every_path_parameter_is_declared(document):
    problems = path_parameter_problems(document)
    assert not problems, "\n".join(problems)


def test_route_check_can_fail(document, table_routes):
    """The comparison notices a route missing from the document, one too many, and an
    undeclared path parameter: the checks above are not vacuous."""
    # One path removed from a copy: its routes are reported as undocumented.
    removed_path = "/api/jobs/{jobId}"
    assert removed_path in document["paths"]
    fewer = copy.deepcopy(document)
    removed = fewer["paths"].pop(removed_path)
    missing, extra = route_differences(table_routes, fewer)
    assert missing == sorted((method.upper(), removed_path) for method in removed if method in HTTP_METHODS)
    assert not extra
    assert "GET /api/jobs/{jobId}" in difference_message(missing, extra)

    # One operation too many: reported the other way round.
    more = copy.deepcopy(document)
    more["paths"]["/api/jobs"]["put"] = {"responses": {"204": {"description": "no such route"}}}
    missing, extra = route_differences(table_routes, more)
    assert not missing and extra == [("PUT", "/api/jobs")]
    assert "In openapi.yaml but not in the route table:\n  PUT /api/jobs" in difference_message(missing, extra)

    # A route table line that the document lacks.
    missing, extra = route_differences(set(table_routes) | {("GET", "/api/nowhere")}, document)
    assert missing == [("GET", "/api/nowhere")] and not extra

    # A path parameter left undeclared.
    undeclared = copy.deepcopy(document)
    undeclared["paths"]["/api/leases/{leaseId}"]["parameters"] = []
    assert any("{leaseId} is not declared" in problem for problem in path_parameter_problems(undeclared))


def test_route_table_parsing():
    assert parse_route_table("GET /api/healthz\nPOST /api/jobs/{jobId}/leases\n\n") == {
        ("GET", "/api/healthz"), ("POST", "/api/jobs/{jobId}/leases")}
    with pytest.raises(AssertionError):
        parse_route_table("GET /api/healthz\nnot a route\n")


# ---- the document's structure ---------------------------------------------------------

def test_openapi_version_info_and_servers(document):
    assert re.fullmatch(r"3\.1\.\d+", str(document.get("openapi"))), document.get("openapi")
    info = document.get("info") or {}
    assert info.get("title") and info.get("version")
    assert "/" in [server.get("url") for server in document.get("servers") or []]


def test_security_schemes(document):
    schemes = document["components"]["securitySchemes"]
    cookies = [s for s in schemes.values() if s.get("type") == "apiKey" and s.get("in") == "cookie"]
    assert [s.get("name") for s in cookies] == ["tt_session"]
    assert any(s.get("type") == "http" and str(s.get("scheme")).lower() == "bearer" for s in schemes.values())
    for requirement in list(document.get("security") or []) + [
            r for _, _, _, op in operations(document) for r in op.get("security") or []]:
        for name in requirement:
            assert name in schemes, f"security requirement names unknown scheme {name}"


def test_required_schemas_exist(document):
    schemas = document["components"]["schemas"]
    missing = [name for name in REQUIRED_SCHEMAS if name not in schemas]
    assert not missing, f"components/schemas lacks {missing}"


def test_money_is_a_two_place_string(document):
    money = document["components"]["schemas"]["Money"]
    assert money["type"] == "string" and money["pattern"] == r"^-?[0-9]+\.[0-9]{2}$"
    pattern = re.compile(money["pattern"])
    assert all(pattern.match(text) for text in ("0.05", "120.00", "-1.25"))
    assert not any(pattern.match(text) for text in ("0.5", "1", "1.234", "abc"))
    kinds = {variant.get("type") for variant in document["components"]["schemas"]["MoneyInput"]["oneOf"]}
    assert kinds == {"string", "number"}


def test_every_operation_has_responses(document):
    problems = []
    operation_ids = []
    for path, method, _, operation in operations(document):
        responses = operation.get("responses") or {}
        if not responses:
            problems.append(f"{method.upper()} {path}: no responses")
        for status, response in responses.items():
            if not re.fullmatch(r"[1-5][0-9][0-9]|[1-5]XX|default", str(status)):
                problems.append(f"{method.upper()} {path}: bad status {status!r}")
            if not resolved(document, response).get("description"):
                problems.append(f"{method.upper()} {path} {status}: no description")
        if not any(str(status).startswith("2") for status in responses):
            problems.append(f"{method.upper()} {path}: no success response")
        operation_ids.append(operation.get("operationId"))
    duplicates = sorted({i for i in operation_ids if operation_ids.count(i) > 1 or i is None}, key=str)
    assert not problems, "\n".join(problems)
    assert not duplicates, f"missing or repeated operationIds: {duplicates}"


def test_error_responses_are_error_bodies(document):
    """Every 4xx/5xx answer is the Error body (the health check may also answer its own)."""
    error = document["components"]["schemas"]["Error"]
    problems = []
    for path, method, _, operation in operations(document):
        for status, response in (operation.get("responses") or {}).items():
            if not str(status).startswith(("4", "5")):
                continue
            schema = resolved(document, resolved(document, response)["content"]["application/json"]["schema"])
            variants = [resolved(document, s) for s in schema.get("oneOf", [])] or [schema]
            if not any(variant is error for variant in variants):
                problems.append(f"{method.upper()} {path} {status}: not the Error schema")
    assert not problems, "\n".join(problems)


def test_every_ref_resolves(document):
    unresolved = []
    for ref, where in all_refs(document):
        try:
            resolve_pointer(document, ref)
        except (KeyError, IndexError, ValueError):
            unresolved.append(f"{where}: {ref}")
    assert not unresolved, "unresolved $ref:\n" + "\n".join(unresolved)


def test_request_bodies_have_content(document):
    problems = []
    for path, method, _, operation in operations(document):
        body = operation.get("requestBody")
        if body is not None and not resolved(document, body).get("content"):
            problems.append(f"{method.upper()} {path}: requestBody without content")
    assert not problems, "\n".join(problems)
