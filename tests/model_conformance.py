"""Holds the Connect simulator to Connect's official service model.

The model is botocore's copy of Amazon Connect's, as installed in the test
venv from tests/requirements.txt (never a vendored copy), so a botocore
upgrade re-derives every case below. The operations under test are the ones
the adapter calls, found by scanning lambdas/connect-directory/src; for each:

* a hand-written minimal valid request (templates below) must succeed with the
  model's status code, and its raw JSON body must fit the model's output
  shape (members declared, JSON types, required members, enum values);
* boundary cases derived from the input shape (missing required members,
  strings/lists/maps/integers outside min/max, pattern and enum violations)
  must be refused with a 400-class exception the operation declares, with the
  model's status code and the name in `x-amzn-ErrorType`, never echoing a
  sensitive value;
* an unknown member must be ignored, and the operation's path with a method
  no operation binds must be a 4xx JSON error, not a crash.

Run against a running `connect-sim` binary (`make test-sim-model`):

    CONNECT_ENDPOINT=http://127.0.0.1:18785 CONNECT_INSTANCE_ID=… python tests/model_conformance.py
"""

import copy
import functools
import glob
import itertools
import json
import os
import re
import sys
import urllib.error
import urllib.request
import uuid

import botocore
import botocore.loaders
import botocore.model
from botocore import xform_name
from botocore.exceptions import ClientError

from simclient import check, connect_client, summary

ENDPOINT = os.environ["CONNECT_ENDPOINT"]
INSTANCE = os.environ["CONNECT_INSTANCE_ID"]
ADAPTER_SRC = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lambdas", "connect-directory", "src")

# Connect's model from the botocore package itself (not ~/.aws/models or AWS_DATA_PATH overrides).
BOTOCORE_DATA = os.path.join(os.path.dirname(botocore.__file__), "data")
_loader = botocore.loaders.Loader(extra_search_paths=[BOTOCORE_DATA], include_default_search_paths=False)
MODEL = botocore.model.ServiceModel(_loader.load_service_model("connect", "service-2"), "connect")
BAD_REQUEST = ("InvalidParameterException", "InvalidRequestException")
UNKNOWN_MEMBER = "ModelConformanceUnknownMember"
NOT_IN_ENUM = "NOT_A_MODEL_ENUM_VALUE"

# Operations conformance-checked although the adapter does not call them, each
# with the reason: an admin makes predefined attributes in the console, and the
# tests and `make check-instance`'s test make them through the simulator.
_ADMIN = "not called by the adapter: an admin's console work, made through the simulator by the tests"
EXTRA_OPERATIONS = {
    op: _ADMIN
    for op in (
        "CreatePredefinedAttribute",
        "DescribePredefinedAttribute",
        "ListPredefinedAttributes",
        "DeletePredefinedAttribute",
    )
}


def adapter_operations():
    """CONNECT_OPERATIONS in lambdas/connect-directory/src/attempts.rs: every
    operation the adapter calls (its own test holds it to the call sites)."""
    with open(os.path.join(ADAPTER_SRC, "attempts.rs"), encoding="utf-8") as f:
        text = f.read()
    listed = text.split("CONNECT_OPERATIONS: &[&str] = &[", 1)[1].split("];", 1)[0]
    return set(re.findall(r'"([A-Za-z]+)"', listed))


# --- 1. The operations under test, from the adapter's call sites -------------------


def scan_adapter():
    """Operation name -> where the adapter calls it. Two independent scans:
    builder calls on a Connect client (`self.client.describe_user()`, method
    names matched to the model's after dropping case and underscores), and the
    operation names the adapter's audited `call("Operation", …)` wrapper reports."""
    by_flat = {op.lower(): op for op in MODEL.operation_names}
    found = {}
    for path in sorted(glob.glob(os.path.join(ADAPTER_SRC, "**", "*.rs"), recursive=True)):
        with open(path, encoding="utf-8") as f:
            text = f.read()
        # Blank out line comments (keeping offsets) so doc examples do not count.
        code = re.sub(r"//[^\n]*", lambda m: " " * len(m.group(0)), text)
        rel = os.path.relpath(path, os.path.join(ADAPTER_SRC, "..", "..", ".."))
        for m in re.finditer(r"\bclient\s*\.\s*([a-z][a-z0-9_]*)\s*\(", code):
            op = by_flat.get(m.group(1).replace("_", ""))
            if op:
                found.setdefault(op, []).append(f"{rel}:{code.count(chr(10), 0, m.start()) + 1} client.{m.group(1)}()")
        for m in re.finditer(r"(?:\.call\(|send_proficiencies!\()\s*\"([A-Za-z]+)\"", code):
            if m.group(1) in MODEL.operation_names:
                found.setdefault(m.group(1), []).append(f"{rel}:{code.count(chr(10), 0, m.start()) + 1} call(\"{m.group(1)}\")")
    for op, why in EXTRA_OPERATIONS.items():
        found.setdefault(op, []).append(why)
    return found


# --- 2. Output shapes: a validator over the raw JSON body --------------------------


def json_name(name, shape):
    return shape.serialization.get("name", name)


def validate(shape, value, path, problems):
    """Appends to `problems` every way `value` (parsed JSON) departs from `shape`."""
    kind = shape.type_name
    if value is None:
        problems.append(f"{path}: null where the model has a {kind}")
        return
    if kind == "structure":
        if not isinstance(value, dict):
            problems.append(f"{path}: {type(value).__name__} where the model has structure {shape.name}")
            return
        members = {json_name(n, s): (n, s) for n, s in shape.members.items() if "location" not in s.serialization}
        for key, item in value.items():
            if key not in members:
                problems.append(f"{path}.{key}: not a member of {shape.name}")
            else:
                validate(members[key][1], item, f"{path}.{key}", problems)
        for required in shape.required_members:
            if json_name(required, shape.members[required]) not in value:
                problems.append(f"{path}.{required}: required by {shape.name} but absent")
    elif kind == "list":
        if not isinstance(value, list):
            problems.append(f"{path}: {type(value).__name__} where the model has list {shape.name}")
            return
        for i, item in enumerate(value):
            validate(shape.member, item, f"{path}[{i}]", problems)
    elif kind == "map":
        if not isinstance(value, dict):
            problems.append(f"{path}: {type(value).__name__} where the model has map {shape.name}")
            return
        for key, item in value.items():
            validate(shape.key, key, f"{path} key {key!r}", problems)
            validate(shape.value, item, f"{path}[{key!r}]", problems)
    elif kind == "string":
        if not isinstance(value, str):
            problems.append(f"{path}: {type(value).__name__} where the model has string {shape.name}")
        elif shape.enum and value not in shape.enum:
            problems.append(f"{path}: {value!r} is not one of {shape.name} {shape.enum}")
    elif kind in ("integer", "long", "short", "byte"):
        if isinstance(value, bool) or not isinstance(value, int):
            problems.append(f"{path}: {value!r} where the model has {kind} {shape.name}")
    elif kind in ("double", "float"):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            problems.append(f"{path}: {value!r} where the model has {kind} {shape.name}")
    elif kind == "boolean":
        if not isinstance(value, bool):
            problems.append(f"{path}: {value!r} where the model has boolean {shape.name}")
    elif kind == "timestamp":
        # restJson1 bodies carry epoch seconds unless the member says otherwise.
        fmt = shape.serialization.get("timestampFormat", "unixTimestamp")
        ok = isinstance(value, str) if fmt != "unixTimestamp" else (isinstance(value, (int, float)) and not isinstance(value, bool))
        if not ok:
            problems.append(f"{path}: {value!r} is not a {fmt} timestamp")
    elif kind == "blob":
        if not isinstance(value, str):
            problems.append(f"{path}: {value!r} where the model has a base64 blob")


def validate_body(shape, raw, path):
    """The problems of a raw response body against an output or error shape."""
    body_members = [n for n, s in shape.members.items() if "location" not in s.serialization] if shape else []
    if not raw.strip():
        return [] if not shape or not shape.required_members else [f"{path}: empty body, {shape.name} has required members"]
    try:
        value = json.loads(raw)
    except ValueError as e:
        return [f"{path}: not JSON ({e}): {raw[:80]!r}"]
    if shape is None or not body_members:
        return [] if value == {} else [f"{path}: the model's output has no body members, got {raw[:120]!r}"]
    problems = []
    validate(shape, value, path, problems)
    return problems


# --- Sending: botocore, with hooks that see and bend the raw wire ------------------


class Wire:
    """A botocore Connect client with client-side validation off and one
    attempt per call, plus what the last call put on and read off the wire."""

    def __init__(self):
        self.client = connect_client(ENDPOINT, retries=False, validate=False)
        self.inject = False
        self.sent = None
        self.raw = None
        events = self.client.meta.events
        events.register("before-call.connect", self._before_call)
        events.register("before-send.connect", self._before_send)
        events.register("after-call.connect", self._after_call)

    def _before_call(self, params, **_):
        if not self.inject:
            return
        body = params.get("body") or b""
        if isinstance(body, bytes) and body.strip() or isinstance(body, str) and body.strip():
            doc = json.loads(body)
            doc[UNKNOWN_MEMBER] = "ignored"
            params["body"] = json.dumps(doc).encode()
        else:
            # A bodiless operation: the unknown member travels in the query.
            params["url"] += ("&" if "?" in params["url"] else "?") + f"{UNKNOWN_MEMBER}=ignored"

    def _before_send(self, request, **_):
        self.sent = (request.method, request.url)

    def _after_call(self, http_response, **_):
        self.raw = (http_response.status_code, dict(http_response.headers), http_response.content.decode("utf-8", "replace"))

    def send(self, op, params, inject=False):
        """(raw status, headers, body, ClientError or None)."""
        self.inject, self.sent, self.raw = inject, None, None
        try:
            getattr(self.client, xform_name(op))(**params)
            error = None
        except ClientError as e:
            error = e
        finally:
            self.inject = False
        if self.raw is None:
            raise RuntimeError(f"{op}: nothing came back")
        return (*self.raw, error)


def raw_request(method, url):
    data = None if method in ("GET", "HEAD") else b"{}"
    req = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req) as r:
            return r.status, dict(r.headers), r.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read().decode("utf-8", "replace")


# --- 3. Boundary cases derived from the input shape ---------------------------------

SKIPPED = []  # (operation, what, why): printed at the end
_reported_patterns = set()


def model_pattern(shape):
    """The member's pattern as a Python regex, or None (with the reason
    recorded) when Python's `re` cannot take it."""
    pattern = shape.metadata.get("pattern")
    if pattern is None:
        return None
    source = pattern
    if len(pattern) > 1 and pattern.startswith("/") and pattern.endswith("/"):
        pattern = pattern[1:-1]
    if "\\\\" in pattern:
        # PhoneNumber's pattern is `\\+[1-9]\\d{1,14}$` in the model: escaped
        # twice, it would demand literal backslashes and refuse every E.164
        # number. Read it once-escaped, as SensitivePhoneNumber spells it.
        pattern = pattern.replace("\\\\", "\\")
        note = (shape.name, "pattern is double-escaped in the model; read once-escaped", source)
        if note not in _reported_patterns:
            _reported_patterns.add(note)
            SKIPPED.append(("(model)", f"{shape.name} pattern {source}", f"double-escaped in the model; tested as {pattern}"))
    try:
        return re.compile(pattern)
    except re.error as e:
        if (shape.name, source) not in _reported_patterns:
            _reported_patterns.add((shape.name, source))
            SKIPPED.append(("(model)", f"{shape.name} pattern {source}", f"not Python-compatible ({e}); no pattern case"))
        return None


def violating(shape, regex):
    """A string within the member's length bounds that the pattern refuses
    (Smithy patterns are not anchored: the value must not contain a match)."""
    lo = shape.metadata.get("min", 1) or 1
    hi = shape.metadata.get("max", 64)
    # A sensitive member gets a value long enough to spot if a message echoes it.
    seeds = ("Model Secret !",) if shape.metadata.get("sensitive") else ()
    for seed in seeds + ("!", "#", " ", "a b", "aws:x", "-", "\u00e9", "0", "a", "A1"):
        value = (seed * -(-lo // len(seed)))[:hi]
        if len(value) >= lo and not regex.search(value):
            return value
    return None


def synthesize(shape):
    """A plain, valid-looking value of `shape` (list and map fillers)."""
    kind = shape.type_name
    meta = shape.metadata
    if kind == "string":
        return shape.enum[0] if shape.enum else "a" * max(1, meta.get("min", 1))
    if kind in ("integer", "long"):
        return max(0, meta.get("min", 0))
    if kind == "boolean":
        return False
    if kind == "structure":
        return {n: synthesize(shape.members[n]) for n in shape.required_members}
    if kind == "list":
        return [synthesize(shape.member) for _ in range(meta.get("min", 0))]
    if kind == "map":
        return {}
    return None


def get_at(doc, path):
    for step in path:
        doc = doc[step]
    return doc


def set_at(path, value):
    def mutate(doc):
        get_at(doc, path[:-1])[path[-1]] = value

    return mutate


def delete_at(path):
    def mutate(doc):
        del get_at(doc, path[:-1])[path[-1]]

    return mutate


def rekey_at(path, old, new):
    def mutate(doc):
        m = get_at(doc, path)
        m[new] = m.pop(old)

    return mutate


class MapKey(str):
    """A path step into a map (printed as `[key]`, looked up like any key)."""


def label(path):
    out = ""
    for step in path:
        if isinstance(step, (int, MapKey)):
            out += f"[{step!r}]" if isinstance(step, MapKey) else f"[{step}]"
        else:
            out += f".{step}" if out else step
    return out


def derive_cases(op, shape, template):
    """(case name, mutation) pairs for every input member, recursing into the
    nested structures, lists and maps the template sends."""
    cases = []

    def add(name, mutate):
        cases.append((name, mutate))

    def structure(shape, value, path):
        for name, member in shape.members.items():
            where = member.serialization.get("location")
            p = path + (name,)
            present = name in value
            if name in shape.required_members and present:
                if where == "uri":
                    SKIPPED.append((op, f"missing {label(p)}", "a URI label: leaving it out changes the path, not the request"))
                else:
                    add(f"missing required {label(p)}", delete_at(p))
            member_cases(member, value.get(name), present, p, where)

    def member_cases(shape, value, present, path, where):
        kind = shape.type_name
        meta = shape.metadata
        name = label(path)
        if kind == "string":
            if shape.enum:
                add(f"{name} outside the enum", set_at(path, NOT_IN_ENUM))
            if meta.get("min", 0) > 0:
                if where == "uri" and meta["min"] == 1:
                    SKIPPED.append((op, f"{name} shorter than min", "an empty URI label is an empty path segment"))
                else:
                    add(f"{name} shorter than min {meta['min']}", set_at(path, "a" * (meta["min"] - 1)))
            if "max" in meta:
                add(f"{name} longer than max {meta['max']}", set_at(path, "a" * (meta["max"] + 1)))
            regex = model_pattern(shape)
            if regex is not None:
                bad = violating(shape, regex)
                if bad is None:
                    SKIPPED.append((op, f"{name} pattern", "no violating value within the length bounds"))
                else:
                    add(f"{name} violating pattern ({bad!r})", set_at(path, bad))
        elif kind in ("integer", "long", "float", "double"):
            if "min" in meta:
                add(f"{name} below min {meta['min']}", set_at(path, meta["min"] - 1))
            if "max" in meta:
                add(f"{name} above max {meta['max']}", set_at(path, meta["max"] + 1))
        elif kind == "list":
            item = value[0] if present and value else synthesize(shape.member)
            if meta.get("min", 0) > 0:
                add(f"{name} with fewer than min {meta['min']} items", set_at(path, [copy.deepcopy(item) for _ in range(meta["min"] - 1)]))
            if "max" in meta:
                add(f"{name} with more than max {meta['max']} items", set_at(path, [copy.deepcopy(item) for _ in range(meta["max"] + 1)]))
            if present and value:
                if shape.member.type_name == "structure":
                    structure(shape.member, value[0], path + (0,))
                else:
                    member_cases(shape.member, value[0], True, path + (0,), where)
        elif kind == "map":
            first = next(iter(value.items()), None) if present else None
            filler = first[1] if first else synthesize(shape.value)
            if meta.get("min", 0) > 0:
                add(f"{name} with fewer than min {meta['min']} entries", set_at(path, {f"k{i}": filler for i in range(meta["min"] - 1)}))
            if "max" in meta:
                add(f"{name} with more than max {meta['max']} entries", set_at(path, {f"k{i}": filler for i in range(meta["max"] + 1)}))
            if first:
                key, item = first
                kmeta = shape.key.metadata
                if kmeta.get("min", 0) > 0:
                    add(f"{name} key shorter than min {kmeta['min']}", rekey_at(path, key, "a" * (kmeta["min"] - 1)))
                if "max" in kmeta:
                    add(f"{name} key longer than max {kmeta['max']}", rekey_at(path, key, "a" * (kmeta["max"] + 1)))
                if shape.key.enum:
                    add(f"{name} key outside the enum", rekey_at(path, key, NOT_IN_ENUM))
                regex = model_pattern(shape.key)
                if regex is not None:
                    bad = violating(shape.key, regex)
                    if bad is not None:
                        add(f"{name} key violating pattern ({bad!r})", rekey_at(path, key, bad))
                if shape.value.type_name == "structure":
                    structure(shape.value, item, path + (MapKey(key),))
                else:
                    member_cases(shape.value, item, True, path + (MapKey(key),), where)
        elif kind == "structure" and present:
            structure(shape, value, path)

    structure(shape, template, ())
    return cases


def sensitive_values(shape, value, out):
    """Every string the request carries in a member the model marks sensitive."""
    if shape is None or value is None:
        return out
    if shape.type_name == "structure" and isinstance(value, dict):
        for name, member in shape.members.items():
            if name in value:
                if member.metadata.get("sensitive") and isinstance(value[name], str):
                    out.add(value[name])
                sensitive_values(member, value[name], out)
    elif shape.type_name == "list" and isinstance(value, list):
        for item in value:
            if shape.member.metadata.get("sensitive") and isinstance(item, str):
                out.add(item)
            sensitive_values(shape.member, item, out)
    elif shape.type_name == "map" and isinstance(value, dict):
        for item in value.values():
            if shape.value.metadata.get("sensitive") and isinstance(item, str):
                out.add(item)
            sensitive_values(shape.value, item, out)
    return out


# --- Templates: one hand-written minimal valid request per operation --------------

setup = connect_client(ENDPOINT, retries=False)
RUN = uuid.uuid4().hex[:8]
_serial = itertools.count(1)


def fresh(prefix, sep="-"):
    return f"{prefix}{sep}{RUN}{sep}{next(_serial)}"


def new_user(tags=None):
    """A user on the SAML instance: no IdentityInfo.Email, names required."""
    return setup.create_user(
        InstanceId=INSTANCE,
        Username=fresh("model.user"),
        IdentityInfo={"FirstName": "Model", "LastName": "Conformance"},
        PhoneConfig={"PhoneType": "SOFT_PHONE"},
        SecurityProfileIds=[AGENT],
        RoutingProfileId=ROUTING,
        Tags=tags or {"model:case": "fixture"},
    )


def new_security_profile():
    return setup.create_security_profile(InstanceId=INSTANCE, SecurityProfileName=fresh("Model Profile", " "))


def new_quick_connect():
    return setup.create_quick_connect(
        InstanceId=INSTANCE,
        Name=fresh("model-qc"),
        QuickConnectConfig={"QuickConnectType": "USER", "UserConfig": {"UserId": SUBJECT["UserId"], "ContactFlowId": "model-flow"}},
    )["QuickConnectId"]


AGENT = next(
    p["Id"] for p in setup.list_security_profiles(InstanceId=INSTANCE, MaxResults=1000)["SecurityProfileSummaryList"] if p["Name"] == "Agent"
)
ROUTING = next(
    r["Id"]
    for r in setup.list_routing_profiles(InstanceId=INSTANCE, MaxResults=1000)["RoutingProfileSummaryList"]
    if r["Name"] == "Basic Routing Profile"
)
GROUP_NAME = fresh("Model Group", " ")
GROUP = setup.create_user_hierarchy_group(InstanceId=INSTANCE, Name=GROUP_NAME)["HierarchyGroupId"]
SUBJECT = new_user({"model:case": "subject"})
SUBJECT_ID, SUBJECT_ARN = SUBJECT["UserId"], SUBJECT["UserArn"]
IDENTITY = {"FirstName": "Model", "LastName": "Conformance", "SecondaryEmail": "model.alt@example.com", "Mobile": "+12065550100"}
PHONE = {"PhoneType": "SOFT_PHONE", "AutoAccept": False, "AfterContactWorkTimeLimit": 30}

@functools.cache
def kept_quick_connect():
    """One quick connect that stays, so SearchQuickConnects has one to answer
    (made on first use: only when the adapter calls quick-connect APIs)."""
    return new_quick_connect()


def search_quick_connects():
    kept_quick_connect()
    return {
        "InstanceId": INSTANCE,
        "MaxResults": 100,
        "SearchCriteria": {"StringCondition": {"FieldName": "name", "Value": "model-qc", "ComparisonType": "STARTS_WITH"}},
    }


ATTRIBUTE = fresh("Model Language", " ")
setup.create_predefined_attribute(InstanceId=INSTANCE, Name=ATTRIBUTE, Values={"StringList": ["English", "Spanish"]})


def new_attribute():
    name = fresh("Model Doomed", " ")
    setup.create_predefined_attribute(InstanceId=INSTANCE, Name=name, Values={"StringList": ["x"]})
    return name


def proficiency(level=4.0, value="Spanish"):
    return {"AttributeName": ATTRIBUTE, "AttributeValue": value, "Level": level}


def proficient_user():
    """A fresh user holding one proficiency."""
    user = new_user()["UserId"]
    setup.associate_user_proficiencies(InstanceId=INSTANCE, UserId=user, UserProficiencies=[proficiency()])
    return user


@functools.cache
def listed_user():
    return proficient_user()


@functools.cache
def config_subject():
    """A user of its own for UpdateUserConfig, so SUBJECT keeps a soft phone."""
    return new_user()["UserId"]


# Every *Configs list, as UpdateUserConfig and CreateUser carry them.
CHANNEL_CONFIGS = {
    "AutoAcceptConfigs": [{"Channel": "CHAT", "AutoAccept": True}],
    "AfterContactWorkConfigs": [
        {
            "Channel": "VOICE",
            "AfterContactWorkConfig": {"AfterContactWorkTimeLimit": 30},
            "AgentFirstCallbackAfterContactWorkConfig": {"AfterContactWorkTimeLimit": 10},
        }
    ],
    "PhoneNumberConfigs": [{"Channel": "VOICE", "PhoneType": "DESK_PHONE", "PhoneNumber": "+12065550199"}],
    "PersistentConnectionConfigs": [{"Channel": "VOICE", "PersistentConnection": True}],
    "VoiceEnhancementConfigs": [{"Channel": "VOICE", "VoiceEnhancementMode": "NOISE_SUPPRESSION"}],
}


TEMPLATES = {
    "CreateUser": lambda: {
        "InstanceId": INSTANCE,
        "Username": fresh("model.create"),
        "IdentityInfo": dict(IDENTITY),
        "PhoneConfig": dict(PHONE),
        "SecurityProfileIds": [AGENT],
        "RoutingProfileId": ROUTING,
        "HierarchyGroupId": GROUP,
        "Tags": {"model:case": "create"},
    },
    "DescribeUser": lambda: {"InstanceId": INSTANCE, "UserId": SUBJECT_ID},
    "DeleteUser": lambda: {"InstanceId": INSTANCE, "UserId": new_user()["UserId"]},
    "UpdateUserIdentityInfo": lambda: {"InstanceId": INSTANCE, "UserId": SUBJECT_ID, "IdentityInfo": dict(IDENTITY)},
    "UpdateUserSecurityProfiles": lambda: {"InstanceId": INSTANCE, "UserId": SUBJECT_ID, "SecurityProfileIds": [AGENT]},
    "UpdateUserRoutingProfile": lambda: {"InstanceId": INSTANCE, "UserId": SUBJECT_ID, "RoutingProfileId": ROUTING},
    "UpdateUserPhoneConfig": lambda: {"InstanceId": INSTANCE, "UserId": SUBJECT_ID, "PhoneConfig": dict(PHONE)},
    "UpdateUserHierarchy": lambda: {"InstanceId": INSTANCE, "UserId": SUBJECT_ID, "HierarchyGroupId": GROUP},
    "SearchUsers": lambda: {
        "InstanceId": INSTANCE,
        "MaxResults": 100,
        "SearchCriteria": {"StringCondition": {"FieldName": "Username", "Value": "model.user", "ComparisonType": "STARTS_WITH"}},
        "SearchFilter": {"TagFilter": {"OrConditions": [[{"TagKey": "model:case", "TagValue": "subject"}]]}},
    },
    "ListSecurityProfiles": lambda: {"InstanceId": INSTANCE, "MaxResults": 1000},
    "ListRoutingProfiles": lambda: {"InstanceId": INSTANCE, "MaxResults": 1000},
    "SearchUserHierarchyGroups": lambda: {
        "InstanceId": INSTANCE,
        "MaxResults": 100,
        "SearchCriteria": {"StringCondition": {"FieldName": "name", "Value": GROUP_NAME, "ComparisonType": "EXACT"}},
    },
    "SearchSecurityProfiles": lambda: {
        "InstanceId": INSTANCE,
        "MaxResults": 100,
        "SearchCriteria": {"StringCondition": {"FieldName": "name", "Value": "Agent", "ComparisonType": "EXACT"}},
    },
    "CreateSecurityProfile": lambda: {
        "InstanceId": INSTANCE,
        "SecurityProfileName": fresh("Model Profile", " "),
        "Description": "created by the model conformance suite",
        "Permissions": ["BasicAgentAccess"],
        "Tags": {"model:case": "profile"},
    },
    "DescribeSecurityProfile": lambda: {"InstanceId": INSTANCE, "SecurityProfileId": AGENT},
    "DeleteSecurityProfile": lambda: {"InstanceId": INSTANCE, "SecurityProfileId": new_security_profile()["SecurityProfileId"]},
    "TagResource": lambda: {"resourceArn": SUBJECT_ARN, "tags": {"model:tagged": "yes"}},
    "UntagResource": lambda: {"resourceArn": SUBJECT_ARN, "tagKeys": ["model:tagged"]},
    "DescribeInstance": lambda: {"InstanceId": INSTANCE},
    "SearchQuickConnects": search_quick_connects,
    "DeleteQuickConnect": lambda: {"InstanceId": INSTANCE, "QuickConnectId": new_quick_connect()},
    "CreatePredefinedAttribute": lambda: {
        "InstanceId": INSTANCE,
        "Name": fresh("Model Attribute", " "),
        "Values": {"StringList": ["Beginner", "Expert"]},
        "Purposes": ["routing"],
        "AttributeConfiguration": {"EnableValueValidationOnAssociation": True},
    },
    "DescribePredefinedAttribute": lambda: {"InstanceId": INSTANCE, "Name": ATTRIBUTE},
    "ListPredefinedAttributes": lambda: {"InstanceId": INSTANCE, "MaxResults": 100},
    "SearchPredefinedAttributes": lambda: {
        "InstanceId": INSTANCE,
        "MaxResults": 100,
        "SearchCriteria": {"StringCondition": {"FieldName": "name", "Value": "Model Language", "ComparisonType": "STARTS_WITH"}},
    },
    "DeletePredefinedAttribute": lambda: {"InstanceId": INSTANCE, "Name": new_attribute()},
    "AssociateUserProficiencies": lambda: {"InstanceId": INSTANCE, "UserId": SUBJECT_ID, "UserProficiencies": [proficiency()]},
    "UpdateUserProficiencies": lambda: {"InstanceId": INSTANCE, "UserId": listed_user(), "UserProficiencies": [proficiency(3.0)]},
    "DisassociateUserProficiencies": lambda: {
        "InstanceId": INSTANCE,
        "UserId": proficient_user(),
        "UserProficiencies": [{"AttributeName": ATTRIBUTE, "AttributeValue": "Spanish"}],
    },
    "ListUserProficiencies": lambda: {"InstanceId": INSTANCE, "UserId": listed_user(), "MaxResults": 100},
    "UpdateUserConfig": lambda: {"InstanceId": INSTANCE, "UserId": config_subject(), **copy.deepcopy(CHANNEL_CONFIGS)},
}

# A second valid request for an operation whose documented alternatives one
# template cannot carry at once; each gets the template's checks.
VARIANTS = {
    "CreateUser": (
        "with per-channel settings instead of PhoneConfig",
        lambda: {**{k: v for k, v in TEMPLATES["CreateUser"]().items() if k != "PhoneConfig"}, **copy.deepcopy(CHANNEL_CONFIGS)},
    ),
}

# CreateUser: "Fields in PhoneConfig cannot be set simultaneously with their
# corresponding channel-specific configuration parameters." Each pair, added
# to the template, must be refused.
PHONE_CONFIG_CONFLICTS = [
    ("AutoAccept", True, "AutoAcceptConfigs"),
    ("AfterContactWorkTimeLimit", 30, "AfterContactWorkConfigs"),
    ("PhoneType", "SOFT_PHONE", "PhoneNumberConfigs"),
    ("PersistentConnection", True, "PersistentConnectionConfigs"),
]


# --- The run -------------------------------------------------------------------------


def declared_bad_request(op_model):
    """The 400-class validation exceptions the operation declares, with the status the model gives each."""
    return {
        e.name: e.metadata.get("error", {}).get("httpStatusCode")
        for e in op_model.error_shapes
        if e.name in BAD_REQUEST and e.metadata.get("error", {}).get("httpStatusCode") == 400
    }


def error_problems(op_model, status, body, error, expected):
    """What is wrong with a refusal, given {exception name: status} allowed."""
    if error is None:
        return f"expected {'/'.join(expected)} ({'/'.join(map(str, set(expected.values())))}) got {status} success"
    code = error.response["Error"]["Code"]
    header = error.response["ResponseMetadata"]["HTTPHeaders"].get("x-amzn-errortype", "").split(":")[0]
    if code not in expected:
        return f"expected {'/'.join(expected)} got {code} ({status}): {error.response['Error'].get('Message')!r}"
    if status != expected[code]:
        return f"expected {code} with status {expected[code]} got {status}"
    if header != code:
        return f"expected x-amzn-ErrorType {code} got {header!r}"
    shape = next(e for e in op_model.error_shapes if e.name == code)
    try:
        # restJson1 lets an error body name its type in `__type`; the rest is the error shape.
        doc = {k: v for k, v in json.loads(body).items() if k != "__type"}
        problems = validate_body(shape, json.dumps(doc), code)
    except (ValueError, AttributeError):
        problems = [f"{code}: the body is not a JSON object: {body[:80]!r}"]
    if problems:
        return f"expected a {code} body got: {'; '.join(problems)}"
    return None


def wrong_method(op_model):
    """A method no operation of the model binds to this operation's URI template."""
    norm = lambda uri: re.sub(r"\{[^}]+\}", "{}", uri.split("?")[0])  # noqa: E731
    mine = norm(op_model.http["requestUri"])
    bound = {MODEL.operation_model(o).http["method"] for o in MODEL.operation_names if norm(MODEL.operation_model(o).http["requestUri"]) == mine}
    return next((m for m in ("GET", "POST", "PUT", "DELETE", "PATCH") if m not in bound), "PATCH")


def run_operation(wire, op, counts):
    op_model = MODEL.operation_model(op)
    counts[op] = 0

    def record(case, ok, detail=""):
        counts[op] += 1
        check(f"{op} {case}", ok, detail, stop=False)

    template = TEMPLATES.get(op)
    if template is None:
        record("template", False, "expected a hand-written template in tests/model_conformance.py got none")
        return
    try:
        params = template()
    except ClientError as e:
        record("template setup", False, f"expected the fixture to be created got {e}")
        return

    # The template: success, the model's status, a body that fits the output shape.
    expected_status = op_model.http.get("responseCode", 200)
    status, headers, body, error = wire.send(op, params)
    if error is not None:
        record("valid template", False, f"expected {expected_status} got {status} {error.response['Error'].get('Code')}: {body[:200]}")
        return
    sent = wire.sent
    record("valid template", status == expected_status, f"expected status {expected_status} got {status}")
    problems = validate_body(op_model.output_shape, body, op_model.output_shape.name if op_model.output_shape else op)
    record("response fits the output shape", not problems, "expected no departures got: " + "; ".join(problems[:8]))
    # A list or search answer must carry items, or the shape check above has nothing to bite on.
    lists = [n for n, m in (op_model.output_shape.members.items() if op_model.output_shape else []) if m.type_name == "list"]
    if lists:
        doc = json.loads(body)
        record(f"response has {'/'.join(lists)} items to check", any(doc.get(n) for n in lists), f"expected items got {body[:160]!r}")

    # Unknown members are ignored. An assumption the model does not state:
    # AWS JSON services drop members they do not know, for forward compatibility.
    status, _, body, error = wire.send(op, template(), inject=True)
    record(
        f"unknown member {UNKNOWN_MEMBER} ignored",
        error is None and status == expected_status,
        f"expected {expected_status} got {status}: {body[:200]}",
    )

    # The method + URI template route to this operation; another method on the same path is a 4xx JSON error.
    method = wrong_method(op_model)
    status, headers, body = raw_request(method, sent[1])
    try:
        json.loads(body or "null")
        is_json = bool(body.strip())
    except ValueError:
        is_json = False
    record(
        f"{method} on {op_model.http['requestUri']} is a 4xx JSON error",
        400 <= status < 500 and is_json,
        f"expected a 4xx JSON error got {status}: {body[:120]!r}",
    )

    # Boundary cases derived from the input shape.
    expected = declared_bad_request(op_model)
    if not expected:
        record("declares a 400-class validation exception", False, f"expected one of {BAD_REQUEST} got {[e.name for e in op_model.error_shapes]}")
        return
    run_derived_cases(wire, op, record, template, expected)
    run_documented_refusals(wire, op, record, template, expected)
    if op in VARIANTS:
        what, variant = VARIANTS[op]
        status, _, body, error = wire.send(op, variant())
        record(f"valid template {what}", error is None and status == expected_status, f"expected {expected_status} got {status}: {body[:200]}")
        problems = validate_body(op_model.output_shape, body, op_model.output_shape.name if op_model.output_shape else op)
        record(f"response {what} fits the output shape", not problems, "expected no departures got: " + "; ".join(problems[:8]))
        run_derived_cases(wire, op, lambda case, ok, detail="": record(f"{what}: {case}", ok, detail), variant, expected)
    if op == "CreateUser":
        for member, value, lists in PHONE_CONFIG_CONFLICTS:
            request = template()
            request["PhoneConfig"][member] = value
            request[lists] = copy.deepcopy(CHANNEL_CONFIGS[lists])
            status, _, body, error = wire.send(op, request)
            problem = error_problems(op_model, status, body, error, expected)
            record(f"PhoneConfig.{member} with {lists} refused (documented)", problem is None, problem or "")


def run_derived_cases(wire, op, record, template, expected):
    op_model = MODEL.operation_model(op)
    for case, mutate in derive_cases(op, op_model.input_shape, template()):
        request = template()
        mutate(request)
        status, _, body, error = wire.send(op, request)
        problem = error_problems(op_model, status, body, error, expected)
        if problem is None and error is not None:
            message = error.response["Error"].get("Message") or ""
            leaked = [v for v in sensitive_values(op_model.input_shape, request, set()) if len(v) >= 4 and v in message]
            if leaked:
                problem = f"expected no sensitive value in the message got {message!r}"
        record(case, problem is None, problem or "")


# Rules the model states in its documentation text rather than as
# constraints. The simulator's instance uses SAML, so every member documented
# with this sentence must be refused there when the template carries its
# parent: this is the check that would have caught the adapter sending
# IdentityInfo.Email on every create.
SAML_REFUSAL = "If you are using SAML for identity management and include this parameter, an error is returned"
# A value that is valid but for that rule, by shape name (else synthesized).
VALID_BY_SHAPE = {"Email": "model.refusal@example.com", "DirectoryUserId": "model-directory-user"}


def documented_saml_refusals(shape, value, path=()):
    out = []
    if shape is None or shape.type_name != "structure" or not isinstance(value, dict):
        return out
    for name, member in shape.members.items():
        text = " ".join(re.sub(r"<[^>]+>", " ", member.documentation or "").split())
        if SAML_REFUSAL in text:
            out.append((path + (name,), member))
        elif name in value:
            out.extend(documented_saml_refusals(member, value[name], path + (name,)))
    return out


def run_documented_refusals(wire, op, record, template, expected):
    op_model = MODEL.operation_model(op)
    for path, member in documented_saml_refusals(op_model.input_shape, template()):
        request = template()
        value = VALID_BY_SHAPE.get(member.name, synthesize(member))
        set_at(path, value)(request)
        status, _, body, error = wire.send(op, request)
        problem = error_problems(op_model, status, body, error, expected)
        record(f"{label(path)} refused on a SAML instance (documented)", problem is None, problem or "")


def self_check():
    """The validator itself refuses what it must, so a pass means something."""
    shape = MODEL.operation_model("DescribeUser").output_shape
    good = {"User": {"Id": "u", "PhoneConfig": {"PhoneType": "SOFT_PHONE", "AfterContactWorkTimeLimit": 0}, "LastModifiedTime": 1.5}}
    check("validator accepts a well-formed DescribeUser body", not validate_body(shape, json.dumps(good), "User"), stop=False)
    for what, bad in [
        ("an undeclared member", {"User": {"Id": "u", "Surprise": 1}}),
        ("a string for an integer", {"User": {"PhoneConfig": {"AfterContactWorkTimeLimit": "30"}}}),
        ("a value outside the enum", {"User": {"PhoneConfig": {"PhoneType": "CARRIER_PIGEON"}}}),
        ("an ISO date for an epoch timestamp", {"User": {"LastModifiedTime": "2024-01-01T00:00:00Z"}}),
        ("a number for a string list item", {"User": {"SecurityProfileIds": [7]}}),
        ("a null member", {"User": {"Id": None}}),
        ("a required member missing", {"User": {"AutoAcceptConfigs": [{"Channel": "VOICE"}]}}),
    ]:
        check(f"validator refuses {what}", validate_body(shape, json.dumps(bad), "User"), stop=False)


def main():
    print(
        f"model: botocore {botocore.__version__} ({BOTOCORE_DATA}/connect/{MODEL.api_version}), "
        f"{len(MODEL.operation_names)} operations"
    )
    self_check()
    found = scan_adapter()
    missed = adapter_operations() - set(found)
    check("the scan finds every operation in CONNECT_OPERATIONS", not missed, sorted(missed))
    print(f"operations under test ({len(found)}: scanned from lambdas/connect-directory/src, plus EXTRA_OPERATIONS):")
    for op in sorted(found):
        print(f"  {op:<28} {found[op][0]}" + (f" (+{len(found[op]) - 1} more)" if len(found[op]) > 1 else ""))
    wire = Wire()
    counts = {}
    for op in sorted(found):
        run_operation(wire, op, counts)
    print("cases per operation:")
    for op in sorted(counts):
        print(f"  {op:<28} {counts[op]}")
    if SKIPPED:
        print("skipped:")
        grouped = {}
        for op, what, why in SKIPPED:
            grouped.setdefault((what.replace(f"{op} ", ""), why), set()).add(op)
        for (what, why), ops in sorted(grouped.items()):
            print(f"  {what}: {why}" + ("" if ops == {"(model)"} else f" [{', '.join(sorted(ops))}]"))
    summary("model conformance")


if __name__ == "__main__":
    sys.exit(main())
