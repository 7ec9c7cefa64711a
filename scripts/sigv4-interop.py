#!/usr/bin/env python3
"""SigV4 interoperability check: our Swift signer against botocore's SigV4Auth.

Generates randomised requests (seeded, so a run can be repeated), signs each with
botocore's `SigV4Auth` for the Catalog API's signing name `aws-marketplace`, writes
them with botocore's `Authorization` header to a JSON file, and runs the Swift test
`SigV4InteropTests`, which signs every request with `SigV4Signer` and compares the
`Authorization` headers byte for byte (and checks that `SigV4Verifier` accepts the
botocore-signed request). Prints "N/N identical".

The requests cover: random regions, methods (also lower case), hosts (with default
and other ports, upper case, loopback IPv4/IPv6 over http), paths with dot segments,
repeated slashes, sub-delimiters, percent-escapes (also lower-case and `%2F`) and
UTF-8; query strings encoded the way botocore encodes them (repeated keys, empty
values, keys without `=`, UTF-8); headers with repeated names in mixed case, extra
inner/outer whitespace and tabs, headers that must not be signed (User-Agent,
Expect, Connection, X-Amzn-Trace-Id...), stale Authorization/X-Amz-Date/
X-Amz-Security-Token headers, explicit Host headers, X-Amz-Content-SHA256; empty,
JSON and binary bodies; credentials with and without a session token.

Deliberately not generated (documented differences, not bugs): a `Date` header
(botocore then rewrites `Date` and sends no `X-Amz-Date`), and query strings that
botocore itself would never produce (raw sub-delimiters or `+`: botocore signs the
query string as is, we canonicalise it as the SigV4 documentation says).

Usage (from the repository root, Python 3 with botocore installed):

    scripts/sigv4-interop.py                      # 1000 cases, run the Swift test, print N/N identical
    scripts/sigv4-interop.py --count 5000 --seed 7
    scripts/sigv4-interop.py --package-path ../dev/sandbox   # run `swift test` in another package
    scripts/sigv4-interop.py --write-fixture      # regenerate the committed fixtures: 200 cases in
                                                  # Tests/CatalogClientTests/SigV4/botocore-interop.json
                                                  # and Tests/CatalogClientTests/RestJSON/botocore-serialization.json
    scripts/sigv4-interop.py --out cases.json --no-run       # only write the cases

The Swift test reads the file named by the environment variable
SIGV4_INTEROP_FILE, or else the committed fixture (and is skipped when neither exists).

SDK agreement (same run): botocore's own `marketplace-catalog` client serialises a
set of requests for all seven operations (captured at `before-send`, never sent);
the Swift test `CatalogSDKAgreementTests` builds the same requests with
`CatalogHTTPClient` and compares method, URL (path and query, byte for byte) and the
JSON body (as parsed JSON), printing "SDK agreement: N/N identical". Its committed
fixture is Tests/CatalogClientTests/RestJSON/botocore-serialization.json
(environment variable CATALOG_SDK_FILE for a fresh one).

Exit status: 0 when every case is identical, 1 otherwise, 2 on a setup problem.
"""

import argparse
import base64
import datetime
import json
import os
import random
import re
import string
import subprocess
import sys
import tempfile
from urllib.parse import quote

try:
    import botocore
    import botocore.auth
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials
    from botocore.utils import percent_encode
except ImportError:  # pragma: no cover
    sys.stderr.write("botocore is required: pip install botocore\n")
    sys.exit(2)

SERVICE = "aws-marketplace"
REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURE = os.path.join(REPO_ROOT, "Tests", "CatalogClientTests", "SigV4", "botocore-interop.json")
SDK_FIXTURE = os.path.join(REPO_ROOT, "Tests", "CatalogClientTests", "RestJSON", "botocore-serialization.json")

REGIONS = [
    "us-east-1", "us-east-2", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-2",
    "ap-northeast-1", "sa-east-1", "ca-central-1", "me-south-1", "af-south-1", "us-gov-west-1",
    "cn-north-1", "il-central-1", "xx-test-9",
]
OPERATION_PATHS = [
    "/StartChangeSet", "/DescribeChangeSet", "/ListChangeSets", "/CancelChangeSet",
    "/DescribeEntity", "/ListEntities", "/BatchDescribeEntities", "/", "",
]
SEGMENT_ALPHABET = (
    string.ascii_letters + string.digits + "-._~" * 3 + "!$&'()*+,;=:@" + " " * 2 + "%"
)
UNICODE_PIECES = ["é", "ü", "ሴ", "日本", "😀", "\u00a0", "ß", "Ω", "中文", "🇫🇷"]
HEADER_NAMES = [
    "X-Custom-Header", "x-custom-header", "X-CUSTOM-HEADER", "Content-Type", "My-Header1",
    "Accept", "X-Amz-Meta-Thing", "X-Amz-Target", "Cache-Control", "If-None-Match",
    "X-Forwarded-For", "amz-sdk-invocation-id", "amz-sdk-request",
]
UNSIGNED_HEADER_NAMES = [
    "User-Agent", "X-Amzn-Trace-Id", "Expect", "Connection", "Keep-Alive", "TE",
    "Transfer-Encoding", "Upgrade", "Proxy-Authorization", "Trailer",
]
VALUE_ALPHABET = string.ascii_letters + string.digits + " -_.,;:=/\"'()[]{}<>?!@#$%^&*+~`|\\"


def random_text(rng, alphabet, low, high):
    return "".join(rng.choice(alphabet) for _ in range(rng.randint(low, high)))


def random_segment(rng):
    kind = rng.random()
    if kind < 0.08:
        return "."
    if kind < 0.16:
        return ".."
    if kind < 0.22:
        return ""
    text = random_text(rng, SEGMENT_ALPHABET, 1, 12)
    if rng.random() < 0.3:
        text += rng.choice(UNICODE_PIECES)
    # Encode as a client would put it on the wire: everything but unreserved, and
    # sometimes leave sub-delimiters raw (legal in a path).
    safe = rng.choice(["", "!$&'()*+,;=:@", "~"])
    encoded = quote(text, safe=safe)
    if rng.random() < 0.1:
        encoded += rng.choice(["%2F", "%2f", "%7e", "%41", "%25"])
    return encoded


def random_path(rng):
    if rng.random() < 0.35:
        return rng.choice(OPERATION_PATHS)
    segments = [random_segment(rng) for _ in range(rng.randint(1, 5))]
    path = "/" + "/".join(segments)
    if rng.random() < 0.2:
        path += "/"
    if rng.random() < 0.05:
        path = "/" + path
    return path


def random_query_text(rng):
    text = random_text(rng, SEGMENT_ALPHABET + "=&#?/", 0, 10)
    if rng.random() < 0.25:
        text += rng.choice(UNICODE_PIECES)
    return text


def random_query(rng):
    roll = rng.random()
    if roll < 0.35:
        return ""
    parts = []
    for _ in range(rng.randint(1, 6)):
        style = rng.random()
        name = rng.choice(["catalog", "entityId", "changeSetId", "X-Amz-Thing", "a", "A", "b"]) \
            if rng.random() < 0.5 else random_query_text(rng)
        if not name:
            name = "k"
        if style < 0.1:
            parts.append(percent_encode(name))  # no '=' at all
        elif style < 0.2:
            parts.append(percent_encode(name) + "=")  # empty value
        else:
            parts.append(percent_encode(name) + "=" + percent_encode(random_query_text(rng)))
        if rng.random() < 0.15:  # repeated key with another value
            parts.append(percent_encode(name) + "=" + percent_encode(random_query_text(rng)))
    rng.shuffle(parts)
    return "&".join(parts)


def random_header_value(rng):
    value = random_text(rng, VALUE_ALPHABET, 0, 20)
    roll = rng.random()
    if roll < 0.2:
        value = "  " + value + "   "
    elif roll < 0.4:
        value = value.replace(" ", rng.choice(["   ", "\t", " \t "]))
    elif roll < 0.5:
        value = "\t" + value + "\t"
    return value


def random_host(rng, region):
    roll = rng.random()
    host = f"catalog.marketplace.{region}.amazonaws.com"
    if roll < 0.6:
        return "https", host
    if roll < 0.7:
        return "https", host + ":443"
    if roll < 0.78:
        return "https", host.upper().replace("AMAZONAWS", "AmazonAWS")
    if roll < 0.84:
        return "https", host + ":8443"
    if roll < 0.9:
        return "http", "127.0.0.1:" + str(rng.randint(1024, 65535))
    if roll < 0.95:
        return "http", "localhost:" + str(rng.randint(1024, 65535))
    return "http", "[::1]:" + str(rng.randint(1024, 65535))


def random_body(rng):
    roll = rng.random()
    if roll < 0.35:
        return b""
    if roll < 0.8:
        document = {
            "Catalog": "AWSMarketplace",
            "ClientRequestToken": "".join(rng.choice(string.ascii_letters) for _ in range(12)),
            "ChangeSetName": random_text(rng, string.ascii_letters + " é日本", 1, 20),
        }
        return json.dumps(document, ensure_ascii=rng.random() < 0.5).encode("utf-8")
    return bytes(rng.randrange(256) for _ in range(rng.randint(1, 120)))


def random_credentials(rng):
    access_key = rng.choice(["AKIA", "ASIA"]) + random_text(rng, string.ascii_uppercase + "234567", 16, 16)
    secret = random_text(rng, string.ascii_letters + string.digits + "+/", 40, 40)
    roll = rng.random()
    if roll < 0.45:
        token = None
    elif roll < 0.5:
        token = ""
    else:
        token = random_text(rng, string.ascii_letters + string.digits + "+/", 40, 300) + "=="
    return access_key, secret, token


def make_case(rng, index):
    region = rng.choice(REGIONS)
    scheme, host = random_host(rng, region)
    path = random_path(rng)
    query = random_query(rng)
    url = f"{scheme}://{host}{path}" + (f"?{query}" if query else "")
    method = rng.choice(["GET", "POST", "POST", "PATCH", "PUT", "DELETE", "HEAD", "OPTIONS"])
    if rng.random() < 0.05:
        method = method.lower()
    access_key, secret, token = random_credentials(rng)
    body = random_body(rng)
    headers = []
    if rng.random() < 0.15:
        headers.append(("Host", rng.choice([host.lower(), " " + host.lower() + " ", "Example.COM"])))
    for _ in range(rng.randint(0, 6)):
        headers.append((rng.choice(HEADER_NAMES), random_header_value(rng)))
    if rng.random() < 0.3:
        headers.append((rng.choice(UNSIGNED_HEADER_NAMES), random_header_value(rng)))
    if rng.random() < 0.1:
        headers.append(("Authorization", "AWS4-HMAC-SHA256 Credential=stale"))
    if rng.random() < 0.1:
        headers.append(("X-Amz-Date", "19990101T000000Z"))
    if rng.random() < 0.1:
        headers.append(("X-Amz-Security-Token", "stale-token"))
    if rng.random() < 0.05:
        headers.append(("X-Amz-Content-SHA256", rng.choice(["UNSIGNED-PAYLOAD", "0" * 64])))
    if body and rng.random() < 0.5:
        headers.append(("Content-Type", rng.choice(["application/json", "application/x-amz-json-1.1", "text/plain; charset=utf-8"])))
    rng.shuffle(headers)
    # Whole seconds between 2015 and 2035.
    epoch = rng.randint(1_420_070_400, 2_051_222_400)
    return {
        "index": index,
        "method": method,
        "url": url,
        "headers": [list(h) for h in headers],
        "body_base64": base64.b64encode(body).decode("ascii"),
        "region": region,
        "access_key_id": access_key,
        "secret_access_key": secret,
        "session_token": token,
        "epoch": epoch,
    }


def sign_with_botocore(case, keep_details):
    request = AWSRequest(method=case["method"], url=case["url"], data=base64.b64decode(case["body_base64"]))
    for name, value in case["headers"]:
        request.headers[name] = value  # appends: repeated headers are kept in order
    moment = datetime.datetime.fromtimestamp(case["epoch"], tz=datetime.timezone.utc).replace(tzinfo=None)
    botocore.auth.get_current_datetime = lambda: moment
    auth = SigV4Auth(Credentials(case["access_key_id"], case["secret_access_key"], case["session_token"]),
                     SERVICE, case["region"])
    captured = {}
    original = auth.canonical_request

    def capture(req):
        captured["canonical_request"] = original(req)
        return captured["canonical_request"]

    auth.canonical_request = capture
    auth.add_auth(request)
    case["authorization"] = request.headers["Authorization"]
    case["amz_date"] = request.headers["X-Amz-Date"]
    if keep_details:  # left out of the committed fixture to keep it small
        case["signed_headers"] = [list(h) for h in request.headers.items()]
        case["canonical_request"] = captured["canonical_request"]
    return case


def generate(count, seed, keep_details=True):
    rng = random.Random(seed)
    cases = [sign_with_botocore(make_case(rng, i), keep_details) for i in range(count)]
    return {
        "about": "Requests signed by botocore SigV4Auth for service aws-marketplace; generated by "
                 "scripts/sigv4-interop.py. Each case: request, credentials, epoch (signing time), and "
                 "botocore's Authorization header and X-Amz-Date (and, except in the committed fixture, "
                 "botocore's final headers and canonical request).",
        "botocore_version": botocore.__version__,
        "service": SERVICE,
        "seed": seed,
        "count": count,
        "cases": cases,
    }


# --- SDK agreement: botocore's marketplace-catalog serializer ------------------------

def sdk_inputs():
    """Requests for every operation, with characters that need encoding."""
    tricky_ids = ["cs-1a2b3c4d5e6f", "cs 1/é?&=#+%", "ሴ-😀", "a~b.c_d-e", "UPPER lower"]
    details = {"Name": "Resale é 日本 \"quoted\" <b>", "Description": "Line1\nLine2\ttab \\ slash /",
               "ResellerAccountId": "123456789012", "Nested": {"List": [1, 2.5, True, None, "x"], "Empty": {}},
               "Emoji": "😀"}
    cases = [
        ("StartChangeSet", {"Catalog": "AWSMarketplace", "ChangeSet": [
            {"ChangeType": "CreateResaleAuthorization", "Entity": {"Type": "ResaleAuthorization@1.0"},
             "DetailsDocument": details, "ChangeName": "CreateRA1"},
            {"ChangeType": "ReleaseResaleAuthorization",
             "Entity": {"Type": "ResaleAuthorization@1.0", "Identifier": "$CreateRA1.Entity.Identifier"},
             "DetailsDocument": {}}],
         "ChangeSetName": "bulkrunner run-1 row 2", "ClientRequestToken": "tok-0123456789abcdef"}),
        ("StartChangeSet", {"Catalog": "AWSMarketplace", "ChangeSet": [
            {"ChangeType": "UpdateInformation", "Entity": {"Type": "Offer@1.0", "Identifier": "offer-abc"},
             "Details": "{\"Name\": \"x\"}", "EntityTags": [{"Key": "k", "Value": "v é"}]}],
         "ClientRequestToken": "t", "ChangeSetTags": [{"Key": "team", "Value": "channel"}], "Intent": "VALIDATE"}),
        ("ListChangeSets", {"Catalog": "AWSMarketplace"}),
        ("ListChangeSets", {"Catalog": "AWSMarketplace",
                            "FilterList": [{"Name": "ChangeSetName", "ValueList": ["a b", "é"]},
                                           {"Name": "Status", "ValueList": ["PREPARING", "APPLYING"]}],
                            "Sort": {"SortBy": "StartTime", "SortOrder": "DESCENDING"},
                            "MaxResults": 20, "NextToken": "tok/+=="}),
        ("ListEntities", {"Catalog": "AWSMarketplace", "EntityType": "ResaleAuthorization", "MaxResults": 50}),
        ("ListEntities", {"Catalog": "AWSMarketplace", "EntityType": "ResaleAuthorization",
                          "EntityTypeFilters": {"ResaleAuthorizationFilters": {
                              "ResellerAccountID": {"ValueList": ["123456789012"]},
                              "Status": {"ValueList": ["Draft", "Active"]},
                              "CreatedDate": {"DateRange": {"AfterValue": "2024-01-01T00:00:00Z"}}}},
                          "EntityTypeSort": {"ResaleAuthorizationSort": {"SortBy": "CreatedDate", "SortOrder": "ASCENDING"}},
                          "OwnershipType": "SELF", "NextToken": "n"}),
        ("BatchDescribeEntities", {"EntityRequestList": [
            {"Catalog": "AWSMarketplace", "EntityId": "resaleauthz-1"},
            {"Catalog": "AWSMarketplace", "EntityId": "offer-é 1"}]}),
    ]
    for identifier in tricky_ids:
        cases.append(("DescribeChangeSet", {"Catalog": "AWSMarketplace", "ChangeSetId": identifier}))
        cases.append(("CancelChangeSet", {"Catalog": "AWSMarketplace", "ChangeSetId": identifier}))
        cases.append(("DescribeEntity", {"Catalog": "AWSMarketplace", "EntityId": identifier}))
    return cases


def generate_sdk(endpoint="https://catalog.marketplace.us-east-1.amazonaws.com"):
    import botocore.session

    session = botocore.session.get_session()
    client = session.create_client("marketplace-catalog", region_name="us-east-1", aws_access_key_id="AKIDEXAMPLE",
                                   aws_secret_access_key="secret", endpoint_url=endpoint)
    captured = []

    class Captured(Exception):
        pass

    def before_send(request, **_):
        captured.append(request)
        raise Captured()

    client.meta.events.register("before-send", before_send)
    cases = []
    for operation, params in sdk_inputs():
        method_name = re.sub(r"(?<!^)(?=[A-Z])", "_", operation).lower()
        try:
            getattr(client, method_name)(**params)
        except Captured:
            pass
        request = captured.pop()
        body = request.body
        if isinstance(body, bytes):
            body = body.decode("utf-8")
        headers = {k.lower(): (v.decode() if isinstance(v, bytes) else v) for k, v in request.headers.items()}
        cases.append({"operation": operation, "input": params, "method": request.method, "url": request.url,
                      "body": body or None, "content_type": headers.get("content-type")})
    return {"about": "Requests serialised by botocore's marketplace-catalog client (captured at before-send, "
                     "never sent); generated by scripts/sigv4-interop.py.",
            "botocore_version": botocore.__version__, "endpoint": endpoint, "count": len(cases), "cases": cases}


def run_swift(path, sdk_path, package_path):
    env = dict(os.environ, SIGV4_INTEROP_FILE=path, CATALOG_SDK_FILE=sdk_path)
    command = ["swift", "test", "--package-path", package_path, "--filter", "SigV4InteropTests|CatalogSDKAgreementTests"]
    print("running:", " ".join(command), file=sys.stderr)
    process = subprocess.run(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    output = process.stdout
    match = re.search(r"SigV4 interop: (\d+)/(\d+) identical", output)
    if not match:
        sys.stderr.write(output[-6000:])
        sys.stderr.write("\nThe Swift test did not report a result (exit %d).\n" % process.returncode)
        return 2
    for line in output.splitlines():
        if "SigV4 interop" in line or "SDK agreement" in line or "mismatch" in line.lower() or "✘" in line:
            print(line)
    identical, total = int(match.group(1)), int(match.group(2))
    sdk = re.search(r"SDK agreement: (\d+)/(\d+) identical", output)
    print(f"SigV4: {identical}/{total} identical")
    if sdk:
        print(f"SDK serialisation: {sdk.group(1)}/{sdk.group(2)} identical")
    all_good = identical == total and sdk is not None and sdk.group(1) == sdk.group(2)
    return 0 if all_good and process.returncode == 0 else 1


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=None, help="number of cases (1000; 200 for --write-fixture)")
    parser.add_argument("--seed", type=int, default=20150830, help="random seed (default 20150830)")
    parser.add_argument("--out", help="write the cases here instead of a temporary file")
    parser.add_argument("--no-run", action="store_true", help="only write the cases")
    parser.add_argument("--write-fixture", action="store_true", help=f"write {os.path.relpath(FIXTURE, REPO_ROOT)}")
    parser.add_argument("--package-path", default=REPO_ROOT, help="the Swift package to test (default: this repository)")
    args = parser.parse_args()

    if args.write_fixture:
        document = generate(args.count or 200, args.seed, keep_details=False)
        with open(FIXTURE, "w", encoding="utf-8") as handle:
            json.dump(document, handle, ensure_ascii=False, indent=None, separators=(",", ":"))
            handle.write("\n")
        print(f"wrote {document['count']} cases to {FIXTURE} ({os.path.getsize(FIXTURE)} bytes)")
        sdk_document = generate_sdk()
        with open(SDK_FIXTURE, "w", encoding="utf-8") as handle:
            json.dump(sdk_document, handle, ensure_ascii=False, indent=1)
            handle.write("\n")
        print(f"wrote {sdk_document['count']} cases to {SDK_FIXTURE} ({os.path.getsize(SDK_FIXTURE)} bytes)")
        return 0

    document = generate(args.count or 1000, args.seed)
    if args.out:
        path = args.out
    else:
        handle, path = tempfile.mkstemp(prefix="sigv4-interop-", suffix=".json")
        os.close(handle)
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(document, handle, ensure_ascii=False)
    print(f"wrote {document['count']} cases (seed {args.seed}, botocore {botocore.__version__}) to {path}",
          file=sys.stderr)
    sdk_handle, sdk_path = tempfile.mkstemp(prefix="catalog-sdk-", suffix=".json")
    os.close(sdk_handle)
    with open(sdk_path, "w", encoding="utf-8") as handle:
        json.dump(generate_sdk(), handle, ensure_ascii=False)
    if args.no_run:
        os.unlink(sdk_path)
        return 0
    try:
        return run_swift(path, sdk_path, args.package_path)
    finally:
        os.unlink(sdk_path)
        if not args.out:
            os.unlink(path)


if __name__ == "__main__":
    sys.exit(main())
