# SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
#
# tests/cli/openapi.py - docs/openapi.yaml against the route table of the code.
#
#   openapi.py routes OPENAPI.yaml ROUTES.json
#       every route of `crest serve --routes --json` is an operation of the document with the
#       same method, path pattern, path and query parameters, body kind, security and roles
#       (x-crest-roles), and the document has no operation the table lacks; every $ref
#       resolves; every error response is an Error body.
#   openapi.py validate OPENAPI.yaml METHOD PATTERN STATUS BODY.json
#       a response body against the document's schema for that operation and status (the
#       subset of JSON Schema the document uses: type, nullable, required, properties, items,
#       enum, allOf, oneOf, $ref). An object's fields must all be in its schema (and its allOf
#       members') unless it says additionalProperties: true, so an undocumented field fails.
#
# Prints one line per problem and exits 1 when there is any.
import json
import re
import sys

import yaml

METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")
problems = []


def problem(msg):
    problems.append(msg)


def resolve(doc, node):
    seen = 0
    while isinstance(node, dict) and "$ref" in node:
        ref = node["$ref"]
        if not ref.startswith("#/"):
            raise KeyError(ref)
        node = doc
        for part in ref[2:].split("/"):
            node = node[part]
        seen += 1
        if seen > 20:
            raise KeyError(ref + " (a loop)")
    return node


def all_refs(doc, node, where):
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "$ref":
                try:
                    resolve(doc, node)
                except KeyError as e:
                    problem("%s: $ref %s does not resolve (%s)" % (where, v, e))
            else:
                all_refs(doc, v, where + "/" + str(k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            all_refs(doc, v, "%s[%d]" % (where, i))


def refs_error(doc, schema):
    """The schema is the Error schema, or an allOf holding it."""
    if schema.get("$ref") == "#/components/schemas/Error":
        return True
    s = resolve(doc, schema)
    return any(refs_error(doc, x) for x in s.get("allOf", []))


def check_routes(doc, routes):
    if not str(doc.get("openapi", "")).startswith("3.0"):
        problem("openapi: expected a 3.0.x document, found %r" % doc.get("openapi"))
    all_refs(doc, doc, "#")
    schemes = doc.get("components", {}).get("securitySchemes", {})
    sess, csrf = schemes.get("session", {}), schemes.get("csrf", {})
    if (sess.get("type"), sess.get("in"), sess.get("name")) != ("apiKey", "cookie", "crest_session"):
        problem("securitySchemes.session: expected an apiKey cookie named crest_session")
    if (csrf.get("type"), csrf.get("in"), csrf.get("name")) != ("apiKey", "header", "X-CSRF-Token"):
        problem("securitySchemes.csrf: expected an apiKey header named X-CSRF-Token")
    err = resolve(doc, {"$ref": "#/components/schemas/Error"})
    inner = err.get("properties", {}).get("error", {})
    if sorted(inner.get("required", [])) != ["code", "field", "message"]:
        problem("schemas.Error: error must require code, message and field")

    ops = {}
    for path, item in doc.get("paths", {}).items():
        for m, op in item.items():
            if m in METHODS:
                ops[(m.upper(), path)] = (op, item)
    table = {(r["method"], r["pattern"]): r for r in routes}
    for key in sorted(table.keys() - ops.keys()):
        problem("route %s %s is not in docs/openapi.yaml" % key)
    for key in sorted(ops.keys() - table.keys()):
        problem("docs/openapi.yaml has %s %s, which the route table lacks" % key)

    default_sec = doc.get("security", [])
    for key in sorted(table.keys() & ops.keys()):
        r, (op, item) = table[key], ops[key]
        name = "%s %s" % key
        params = [resolve(doc, p) for p in item.get("parameters", []) + op.get("parameters", [])]
        want_path = set(re.findall(r"\{([^}]+)\}", r["pattern"]))
        got_path = {p["name"] for p in params if p.get("in") == "path"}
        if want_path != got_path:
            problem("%s: path parameters %s in the document, %s in the pattern"
                    % (name, sorted(got_path), sorted(want_path)))
        for p in params:
            if p.get("in") == "path" and not p.get("required"):
                problem("%s: path parameter %s must be required" % (name, p["name"]))
        got_query = {p["name"] for p in params if p.get("in") == "query"}
        if set(r["query"]) != got_query:
            problem("%s: query parameters %s in the document, %s in the route table"
                    % (name, sorted(got_query), sorted(r["query"])))
        body = op.get("requestBody")
        types = set(resolve(doc, body).get("content", {}).keys()) if body else set()
        want_types = {"json": {"application/json"}, "upload": {"multipart/form-data", "text/csv"},
                      "none": set()}[r["body"]]
        if types != want_types:
            problem("%s: request body types %s in the document, %s for a body of kind %s"
                    % (name, sorted(types), sorted(want_types), r["body"]))
        sec = op.get("security", default_sec)
        if r["public"]:
            if sec != []:
                problem("%s: a public route must have security: []" % name)
        else:
            want = [{"session": []}] if key[0] in ("GET", "HEAD") else [{"session": [], "csrf": []}]
            if sec != want:
                problem("%s: security %s, expected %s" % (name, sec, want))
        roles = sorted(op.get("x-crest-roles", []))
        if roles != sorted(r["roles"]):
            problem("%s: x-crest-roles %s, the route table serves %s" % (name, roles, sorted(r["roles"])))
        responses = op.get("responses", {})
        if not any(s.startswith("2") for s in responses):
            problem("%s: no 2xx response" % name)
        must = {"405"}
        if not r["public"]:
            must |= {"401", "403"}
        if r["body"] == "json":
            must |= {"400", "413"}
        if r["body"] == "upload":
            must |= {"400", "413", "415", "422"}
        if "{id}" in r["pattern"]:
            must |= {"400", "404"}
        for s in sorted(must - responses.keys()):
            problem("%s: the %s response is not documented" % (name, s))
        for status, resp in responses.items():
            resp = resolve(doc, resp)
            if not str(status).startswith(("4", "5")):
                continue
            schema = resp.get("content", {}).get("application/json", {}).get("schema")
            if schema is None or not refs_error(doc, schema):
                problem("%s: the %s response is not an Error body" % (name, status))


def props_of(doc, schema):
    """The properties of a schema and of its allOf members; None when one of them is open
    (additionalProperties true) or names no properties."""
    schema = resolve(doc, schema)
    if schema.get("additionalProperties", False) is not False:
        return None
    props = set(schema.get("properties", {}))
    for sub in schema.get("allOf", []):
        more = props_of(doc, sub)
        if more is None:
            return None
        props |= more
    return props if props else None


def validate(doc, schema, value, where, closed=True):
    schema = resolve(doc, schema)
    if value is None:
        if not schema.get("nullable") and "allOf" not in schema and "oneOf" not in schema:
            problem("%s: null, and the schema is not nullable" % where)
        return
    for sub in schema.get("allOf", []):
        validate(doc, sub, value, where, closed=False)
    if "oneOf" in schema:
        before = len(problems)
        ok = 0
        for sub in schema["oneOf"]:
            validate(doc, sub, value, where)
            if len(problems) == before:
                ok += 1
            del problems[before:]
        if ok != 1:
            problem("%s: %r matches %d of the oneOf schemas" % (where, value, ok))
    t = schema.get("type")
    kinds = {"object": dict, "array": list, "string": str, "boolean": bool}
    if t in kinds and not isinstance(value, kinds[t]):
        problem("%s: expected %s, found %r" % (where, t, value))
        return
    if t == "integer" and (isinstance(value, bool) or not isinstance(value, int)):
        problem("%s: expected an integer, found %r" % (where, value))
        return
    if t == "number" and (isinstance(value, bool) or not isinstance(value, (int, float))):
        problem("%s: expected a number, found %r" % (where, value))
        return
    if "enum" in schema and value not in schema["enum"]:
        problem("%s: %r is not one of %s" % (where, value, schema["enum"]))
    if isinstance(value, dict):
        for k in schema.get("required", []):
            if k not in value:
                problem("%s: the required %s is missing" % (where, k))
        props = schema.get("properties", {})
        for k, v in value.items():
            if k in props:
                validate(doc, props[k], v, where + "." + k)
        # an answer's fields are all documented (objects are closed unless they say otherwise)
        known = props_of(doc, schema) if closed else None
        if known is not None:
            for k in value:
                if k not in known:
                    problem("%s: %s is not in the document's schema" % (where, k))
    if isinstance(value, list) and "items" in schema:
        for i, v in enumerate(value):
            validate(doc, schema["items"], v, "%s[%d]" % (where, i))


def main():
    # libyaml's loader when PyYAML has it (Debian's does): four times as fast, and the test
    # loads the document once per checked answer
    doc = yaml.load(open(sys.argv[2]), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    if sys.argv[1] == "routes":
        check_routes(doc, json.load(open(sys.argv[3])))
    elif sys.argv[1] == "validate":
        method, pattern, status, body = sys.argv[3:7]
        op = doc["paths"].get(pattern, {}).get(method.lower())
        if op is None:
            problem("%s %s: not in the document" % (method, pattern))
        elif status not in op.get("responses", {}):
            problem("%s %s: status %s is not documented" % (method, pattern, status))
        else:
            resp = resolve(doc, op["responses"][status])
            schema = resp.get("content", {}).get("application/json", {}).get("schema")
            if schema is None:
                problem("%s %s %s: no JSON schema" % (method, pattern, status))
            else:
                validate(doc, schema, json.load(open(body)), "%s %s %s: body" % (method, pattern, status))
    else:
        sys.exit("usage: openapi.py routes|validate ...")
    for p in problems:
        print(p)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
