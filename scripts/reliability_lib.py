"""Shared helpers of the reliability scripts (scripts/chaos, scripts/crash, scripts/fuzz,
scripts/reliability-ci): build and run the real `bulkrunner`, start `bulkrunner emulator` on
loopback, sign raw requests (SigV4, standard library only), generate grant sheets, read
results, and count checks as "N passed, N failed".

Standard library only: no boto3, no extra packages.
"""
import csv
import datetime
import hashlib
import hmac
import http.client
import json
import os
import random
import re
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ACCESS_KEY = "AKIDEXAMPLE"
SECRET_KEY = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
REGION = "us-east-1"
PRODUCT = "prod-1111111111111"
UNKNOWN_PRODUCT = "prod-9999999999999"
DIMENSIONS = ["BasicService", "PremiumService", "WorkloadSmall", "WorkloadMedium", "Users"]
# The published per-operation quotas (BatchDescribeEntities: the emulator's 10/s).
QUOTAS = {"StartChangeSet": 5, "DescribeChangeSet": 10, "ListChangeSets": 5, "CancelChangeSet": 5,
          "ListEntities": 10, "DescribeEntity": 20, "BatchDescribeEntities": 10}

# What the outcome columns of a results file are called.
OUTCOME_COLUMNS = ["Outcome", "ChangeSetId", "ChangeSetArn", "ChangeSetStatus", "EntityId", "FailureCode",
                   "ErrorCode", "ErrorMessage", "Attempts"]


def log(*parts):
    print(*parts, file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------------------------
# Checks


class Checks:
    """Counts named checks; prints PASS/FAIL lines and the final "N passed, N failed".

    ``known(…)`` is a check that fails because of a reported, not yet fixed product bug: it prints
    KNOWN and does not fail the run, unless BULKRUNNER_RELIABILITY_STRICT=1 is set; when it passes,
    it says the marker can go.
    """

    def __init__(self, verbose=True):
        self.passed = 0
        self.failed = 0
        self.known_failures = []
        self.failures = []
        self.verbose = verbose
        self.strict = os.environ.get("BULKRUNNER_RELIABILITY_STRICT") == "1"

    def known(self, name, condition, detail, issue, intermittent=False):
        if condition:
            if intermittent:
                return self.check(name, True, detail + " (a known intermittent issue; it did not show this time)")
            return self.check(name, True, detail + f" (known issue no longer reproduces: remove its marker: {issue})")
        if self.strict:
            return self.check(name, False, detail + f" [known issue: {issue}]")
        self.known_failures.append(f"{name}: {issue}")
        print(f"KNOWN {name}: {detail} [known issue: {issue}]", flush=True)
        return False

    def check(self, name, condition, detail=""):
        if condition:
            self.passed += 1
            if self.verbose:
                print(f"PASS {name}" + (f": {detail}" if detail else ""), flush=True)
        else:
            self.failed += 1
            self.failures.append(f"{name}: {detail}")
            print(f"FAIL {name}" + (f": {detail}" if detail else ""), flush=True)
        return condition

    def merge(self, other):
        self.passed += other.passed
        self.failed += other.failed
        self.failures += other.failures
        self.known_failures += other.known_failures

    def summary(self):
        known = f" ({len(self.known_failures)} known product issues, not counted: see KNOWN lines)" if self.known_failures else ""
        print(f"{self.passed} passed, {self.failed} failed{known}", flush=True)
        return 0 if self.failed == 0 else 1


# ---------------------------------------------------------------------------------------------
# The executable


def binary(build=True):
    """The bulkrunner executable: $BULKRUNNER_BIN, else built with `swift build --scratch-path .build-rel`."""
    override = os.environ.get("BULKRUNNER_BIN")
    if override:
        return Path(override)
    scratch = os.environ.get("BULKRUNNER_SCRATCH", ".build-rel")
    path = ROOT / scratch / "debug" / "bulkrunner"
    if build:
        log(f"building bulkrunner (swift build --scratch-path {scratch} --product bulkrunner)…")
        done = subprocess.run(["swift", "build", "--scratch-path", scratch, "--product", "bulkrunner"],
                              cwd=ROOT, stdout=sys.stderr, stderr=sys.stderr)
        if done.returncode != 0:
            raise SystemExit("the build failed")
    if not path.exists():
        raise SystemExit(f"{path} does not exist; build it or set BULKRUNNER_BIN")
    return path


def tool_environment(extra=None):
    """An environment for bulkrunner: the emulator's credentials, nothing of the developer's AWS set-up."""
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": tempfile.gettempdir(),
           "AWS_ACCESS_KEY_ID": ACCESS_KEY, "AWS_SECRET_ACCESS_KEY": SECRET_KEY, "AWS_REGION": REGION,
           "AWS_CONFIG_FILE": "/nonexistent/aws-config", "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent/aws-credentials",
           "AWS_EC2_METADATA_DISABLED": "true", "LANG": "C.UTF-8"}
    if extra:
        env.update(extra)
    return env


def run_tool(bulkrunner, arguments, cwd, env=None, timeout=600):
    """Runs bulkrunner to completion: (status, stdout, stderr, seconds). Status 128+N when killed by signal N."""
    start = time.monotonic()
    try:
        done = subprocess.run([str(bulkrunner)] + arguments, cwd=cwd, env=env or tool_environment(),
                              capture_output=True, timeout=timeout)
        status = done.returncode if done.returncode >= 0 else 128 - done.returncode
        return status, done.stdout.decode("utf-8", "replace"), done.stderr.decode("utf-8", "replace"), time.monotonic() - start
    except subprocess.TimeoutExpired as timed_out:
        out = (timed_out.stdout or b"").decode("utf-8", "replace")
        err = (timed_out.stderr or b"").decode("utf-8", "replace")
        return -1, out, err + f"\n[timed out after {timeout} s]", time.monotonic() - start


# ---------------------------------------------------------------------------------------------
# The emulator


class Emulator:
    """`bulkrunner emulator --port 0 …` in a subprocess; stop() ends it (only this process)."""

    def __init__(self, bulkrunner, arguments, workdir):
        self.log_path = Path(workdir) / f"emulator-{os.getpid()}-{random.randrange(1 << 30)}.log"
        self.log_file = open(self.log_path, "wb")
        self.process = subprocess.Popen([str(bulkrunner), "emulator", "--port", "0"] + arguments,
                                        stdout=self.log_file, stderr=subprocess.STDOUT, env=tool_environment())
        self.url = None
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            text = self.log_path.read_text(errors="replace")
            found = re.search(r"listening on (http://127\.0\.0\.1:(\d+))", text)
            if found:
                self.url = found.group(1)
                self.port = int(found.group(2))
                break
            if self.process.poll() is not None:
                raise RuntimeError("the emulator exited before listening:\n" + text)
            time.sleep(0.05)
        if not self.url:
            self.stop()
            raise RuntimeError("the emulator printed no address within 60 s")

    def get(self, path):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            body = response.read()
            if response.status != 200:
                raise RuntimeError(f"GET {path}: HTTP {response.status}: {body[:200]!r}")
            return json.loads(body)
        finally:
            connection.close()

    def statistics(self):
        return self.get("/_emulator/statistics")

    def inventory(self):
        return self.get("/_emulator/inventory")

    def call(self, operation_path, body=None, method="POST", query=None, access=ACCESS_KEY, secret=SECRET_KEY, token=None):
        """A signed Catalog API call: (HTTP status, headers, parsed JSON body or None)."""
        return signed_request(self.port, method, operation_path, query or {}, body, access, secret, token)

    def alive(self):
        return self.process.poll() is None

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log_file.close()


# ---------------------------------------------------------------------------------------------
# SigV4 (for the scripts' own raw calls: a concurrent "locker", ListEntities by reseller)


def _hmac(key, text):
    return hmac.new(key, text.encode("utf-8"), hashlib.sha256).digest()


def signed_request(port, method, path, query, body, access, secret, token=None, now=None):
    payload = b"" if body is None else (body if isinstance(body, bytes) else json.dumps(body).encode())
    now = now or datetime.datetime.now(datetime.timezone.utc)
    amz_date = now.strftime("%Y%m%dT%H%M%SZ")
    day = amz_date[:8]
    host = f"127.0.0.1:{port}"
    payload_hash = hashlib.sha256(payload).hexdigest()
    headers = {"host": host, "x-amz-date": amz_date, "x-amz-content-sha256": payload_hash}
    if body is not None:
        headers["content-type"] = "application/json"
    if token:
        headers["x-amz-security-token"] = token
    quote = lambda s: urllib.parse.quote(s, safe="-_.~")
    canonical_query = "&".join(f"{quote(k)}={quote(v)}" for k, v in sorted(query.items()))
    signed = ";".join(sorted(headers))
    canonical_headers = "".join(f"{k}:{headers[k].strip()}\n" for k in sorted(headers))
    canonical = "\n".join([method, path, canonical_query, canonical_headers, signed, payload_hash])
    scope = f"{day}/{REGION}/aws-marketplace/aws4_request"
    to_sign = "\n".join(["AWS4-HMAC-SHA256", amz_date, scope, hashlib.sha256(canonical.encode()).hexdigest()])
    key = _hmac(("AWS4" + secret).encode(), day)
    for part in (REGION, "aws-marketplace", "aws4_request"):
        key = _hmac(key, part)
    signature = hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()
    headers["authorization"] = f"AWS4-HMAC-SHA256 Credential={access}/{scope}, SignedHeaders={signed}, Signature={signature}"
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        target = path + ("?" + canonical_query if canonical_query else "")
        connection.request(method, target, body=payload if body is not None else None,
                           headers={k: v for k, v in headers.items() if k != "host"})
        response = connection.getresponse()
        data = response.read()
        try:
            parsed = json.loads(data) if data else None
        except ValueError:
            parsed = None
        return response.status, dict(response.getheaders()), parsed
    finally:
        connection.close()


# ---------------------------------------------------------------------------------------------
# Sheets


def reseller_id(prefix, index):
    """A 12-digit reseller id: `prefix` (digits, not starting with 9) then the index."""
    text = f"{prefix}{index:0{12 - len(prefix)}d}"
    assert len(text) == 12 and text[0] != "9", text
    return text


class Row:
    """One generated grant row and what must become of it."""

    def __init__(self, index, product, name, reseller, dimension, price, kind):
        self.index = index
        self.product = product
        self.name = name
        self.reseller = reseller
        self.dimension = dimension
        self.price = price
        self.kind = kind  # good | bad-reseller | bad-product | invalid

    @property
    def expected_outcome(self):
        return {"good": "SUCCEEDED", "bad-reseller": "FAILED", "bad-product": "FAILED", "invalid": "INVALID"}[self.kind]

    @property
    def expected_error(self):
        return {"good": "", "bad-reseller": "INVALID_RESELLER_ACCOUNT", "bad-product": "ResourceNotFoundException",
                "invalid": None}[self.kind]

    def cells(self):
        return [self.product, self.name, self.reseller, self.dimension, self.price]


def grant_rows(count, prefix, seed=0, bad_resellers=3, bad_products=2, invalid=1):
    """`count` grant rows with unique resellers; a few deliberately bad rows at seeded positions."""
    rng = random.Random(seed)
    kinds = ["good"] * count
    positions = list(range(count))
    rng.shuffle(positions)
    bad = positions[: bad_resellers + bad_products + invalid]
    for i, position in enumerate(sorted(bad)):
        if i < bad_resellers:
            kinds[position] = "bad-reseller"
        elif i < bad_resellers + bad_products:
            kinds[position] = "bad-product"
        else:
            kinds[position] = "invalid"
    rows = []
    for i in range(count):
        kind = kinds[i]
        reseller = reseller_id(prefix, i)
        product = PRODUCT
        if kind == "bad-reseller":
            reseller = "9" + reseller[1:]
        elif kind == "bad-product":
            product = UNKNOWN_PRODUCT
        elif kind == "invalid":
            reseller = reseller[:11]  # 11 digits: INVALID before anything is sent
        rows.append(Row(i, product, f"Reliability {prefix} row {i}", reseller, DIMENSIONS[i % len(DIMENSIONS)],
                        f"{10 + (i % 90)}.{i % 100:02d}", kind))
    return rows


def write_grant_csv(path, rows):
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["PRODUCT_ID", "NAME", "RESELLER_ACCOUNT_ID", "DIMENSION_KEY", "PRICE"])
        for row in rows:
            writer.writerow(row.cells())


def read_results(path):
    with open(path, newline="", encoding="utf-8-sig") as handle:
        return list(csv.DictReader(handle))


# Product bugs found by these scripts and not yet fixed would be named here (see `known`); none now.


def leftovers(directory):
    """Temporary files a run may have left behind (results temp files, refresh temps)."""
    return sorted(p.name for p in Path(directory).iterdir()
                  if p.name.endswith(".tmp") or ".bulkrunner-" in p.name)


# ---------------------------------------------------------------------------------------------
# The checks every job run gets


def check_rows(checks, label, rows, results):
    """Every row ends with its true outcome and the right ErrorCode; nothing lost, nothing added."""
    checks.check(f"{label}: one result per input row", len(results) == len(rows), f"{len(results)} results for {len(rows)} rows")
    wrong = []
    for row, result in zip(rows, results):
        if result.get("RESELLER_ACCOUNT_ID") != row.reseller or result.get("NAME") != row.name:
            wrong.append(f"row {row.index}: cells changed or out of order")
            continue
        outcome = result.get("Outcome")
        if outcome != row.expected_outcome:
            wrong.append(f"row {row.index} ({row.kind}): {outcome} {result.get('ErrorCode')} {result.get('ErrorMessage', '')[:120]}")
            continue
        if row.expected_error is not None and result.get("ErrorCode", "") != row.expected_error:
            wrong.append(f"row {row.index} ({row.kind}): ErrorCode {result.get('ErrorCode')!r}, expected {row.expected_error!r}")
            continue
        if row.kind == "good" and not result.get("EntityId", "").startswith("resaleauthz-"):
            wrong.append(f"row {row.index}: SUCCEEDED without an EntityId")
    checks.check(f"{label}: every row has its true outcome and ErrorCode", not wrong,
                 "; ".join(wrong[:8]) + (f" … ({len(wrong)} rows)" if len(wrong) > 8 else "") if wrong else
                 f"{sum(r.kind == 'good' for r in rows)} SUCCEEDED, "
                 f"{sum(r.kind in ('bad-reseller', 'bad-product') for r in rows)} FAILED, "
                 f"{sum(r.kind == 'invalid' for r in rows)} INVALID")
    return not wrong


def authorizations_by_reseller(inventory):
    found = {}
    for authorization in inventory.get("ResaleAuthorizations", []):
        found.setdefault(authorization["ResellerAccountId"], []).append(authorization)
    return found


def check_inventory(checks, label, rows, results, inventory):
    """Exactly one authorization per granted row (Active, with its terms), none for refused rows. Returns duplicates."""
    by_reseller = authorizations_by_reseller(inventory)
    duplicates = 0
    problems = []
    for row, result in zip(rows, results):
        held = by_reseller.get(row.reseller, [])
        if row.kind == "good":
            if len(held) > 1:
                duplicates += len(held) - 1
                problems.append(f"row {row.index}: {len(held)} authorizations for reseller {row.reseller}: {[a['Id'] for a in held]}")
            elif not held:
                problems.append(f"row {row.index}: no authorization for reseller {row.reseller} (lost)")
            else:
                authorization = held[0]
                if authorization["Id"] != result.get("EntityId"):
                    problems.append(f"row {row.index}: results say {result.get('EntityId')}, the service holds {authorization['Id']}")
                if authorization["Status"] != "Active" or not authorization.get("HasMandatoryTerms"):
                    problems.append(f"row {row.index}: {authorization['Id']} is {authorization['Status']} "
                                    f"(terms: {authorization.get('HasMandatoryTerms')}), expected Active with its terms")
                if authorization.get("ProductId") != row.product:
                    problems.append(f"row {row.index}: {authorization['Id']} is for {authorization.get('ProductId')}")
        elif row.kind != "invalid" and held:
            problems.append(f"row {row.index} ({row.kind}): {len(held)} authorization(s) exist for a refused row")
    checks.check(f"{label}: exactly one authorization per granted row, none for refused rows", not problems,
                 "; ".join(problems[:8]) + (f" … ({len(problems)} problems)" if len(problems) > 8 else "") if problems else
                 f"{sum(r.kind == 'good' for r in rows)} authorizations, 0 duplicates")
    return duplicates, problems


def quota_figures(statistics):
    """Per operation with calls: (calls, peak calls in any 1 s window, quota, throttled, burst-throttled, internal errors)."""
    figures = {}
    for name, operation in sorted(statistics["operations"].items()):
        if operation["calls"]:
            figures[name] = operation
    return figures


def check_quotas(checks, label, statistics, known_issue=None):
    over = []
    parts = []
    for name, operation in quota_figures(statistics).items():
        quota = operation.get("quota")
        parts.append(f"{name} {operation['peakCallsInAnyWindow']}/{quota}")
        if quota is not None and operation["peakCallsInAnyWindow"] > quota:
            over.append(f"{name}: {operation['peakCallsInAnyWindow']} calls in one 1-s window, quota {quota}")
    name = f"{label}: no operation over its quota in any 1-s window"
    detail = "; ".join(over) if over else "peak/quota " + ", ".join(parts)
    if known_issue:
        checks.known(name, not over, detail, known_issue)
    else:
        checks.check(name, not over, detail)
    return over


def describe_statistics(statistics):
    lines = []
    for name, operation in quota_figures(statistics).items():
        lines.append(f"    {name:<22} calls {operation['calls']:>5}  peak/1s {operation['peakCallsInAnyWindow']:>3}/{operation['quota']}"
                     f"  throttled {operation['throttled']:>3}  burst-throttled {operation['burstThrottled']:>3}"
                     f"  internal {operation['internalErrors']:>3}  failed {operation['failed']:>3}")
    lines.append(f"    injected: {statistics['connectionResets']} connection resets, {statistics['lostAcknowledgements']} lost acks, "
                 f"{statistics['serverFaults']} SERVER_FAULT change sets; change sets {statistics['changeSetsByStatus']}")
    return "\n".join(lines)


def faults_injected(statistics):
    ops = statistics["operations"].values()
    return {"internal": sum(o["internalErrors"] for o in ops), "burst-throttled": sum(o["burstThrottled"] for o in ops),
            "throttled": sum(o["throttled"] for o in ops), "reset": statistics["connectionResets"],
            "lost-ack": statistics["lostAcknowledgements"], "server-fault": statistics["serverFaults"]}
