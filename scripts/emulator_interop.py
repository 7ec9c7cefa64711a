#!/usr/bin/env python3
"""Interoperability checks of the BulkRunner Catalog emulator with boto3 and the AWS CLI.

Run by scripts/emulator-interop against a running `bulkrunner emulator`; usable alone:
    python3 scripts/emulator_interop.py --endpoint http://127.0.0.1:PORT
Each check prints PASS or FAIL; the last line is "N passed, M failed"; the exit status is
non-zero when any check failed.
"""
import argparse
import json
import os
import subprocess
import sys
import time
import urllib.request

import boto3
import botocore.exceptions
from botocore.config import Config

ACCESS_KEY = "AKIDEXAMPLE"
SECRET_KEY = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
REGION = "us-east-1"

results = {"passed": 0, "failed": 0}

# The published per-operation quotas (BatchDescribeEntities: the emulator's 10/s).
QUOTAS = {"StartChangeSet": 5, "DescribeChangeSet": 10, "ListChangeSets": 5, "CancelChangeSet": 5,
          "ListEntities": 10, "DescribeEntity": 20, "BatchDescribeEntities": 10}


class QuotaKeeper:
    """A client-side sliding-window limiter: never more than N sends of an operation within any
    second (plus a small margin for loopback jitter), the way a well-behaved client respects quotas."""

    def __init__(self, margin=0.03):
        self.sent = {}
        self.margin = margin

    def __call__(self, event_name=None, **kwargs):
        operation = (event_name or "").rsplit(".", 1)[-1]
        quota = QUOTAS.get(operation)
        if not quota:
            return None
        window = [t for t in self.sent.get(operation, []) if t > time.monotonic() - 1 - self.margin]
        if len(window) >= quota:
            time.sleep(max(0.0, window[-quota] + 1 + self.margin - time.monotonic()))
        window.append(time.monotonic())
        self.sent[operation] = window[-quota:]
        return None


def check(name):
    """Decorator: runs the function as one named check, counting PASS/FAIL."""
    def run(function):
        try:
            detail = function()
            results["passed"] += 1
            print(f"PASS {name}" + (f": {detail}" if detail else ""))
        except Exception as error:  # noqa: BLE001 - every failure is reported, not raised
            results["failed"] += 1
            print(f"FAIL {name}: {type(error).__name__}: {error}")
        return function
    return run


def expect(condition, message):
    if not condition:
        raise AssertionError(message)


def client(endpoint, access_key=ACCESS_KEY, secret_key=SECRET_KEY, retries=3, polite=False):
    made = boto3.client(
        "marketplace-catalog", endpoint_url=endpoint, region_name=REGION,
        aws_access_key_id=access_key, aws_secret_access_key=secret_key,
        config=Config(retries={"max_attempts": retries, "mode": "standard"}))
    if polite:
        made.meta.events.register("before-send.marketplace-catalog", QuotaKeeper())
    return made


def wait_final(catalog, change_set_id, timeout=30):
    deadline = time.time() + timeout
    while True:
        described = catalog.describe_change_set(Catalog="AWSMarketplace", ChangeSetId=change_set_id)
        if described["Status"] in ("SUCCEEDED", "FAILED", "CANCELLED"):
            return described
        if time.time() > deadline:
            raise AssertionError(f"change set {change_set_id} still {described['Status']} after {timeout} s")
        time.sleep(0.25)


def ra_changes(product_id, reseller, name="Interop authorization"):
    ref = "$RA.Entity.Identifier"
    return [
        {"ChangeType": "CreateResaleAuthorization", "ChangeName": "RA", "Entity": {"Type": "ResaleAuthorization@1.0"},
         "DetailsDocument": {"ProductId": product_id, "Name": name, "Description": "interop", "ResellerAccountId": reseller}},
        {"ChangeType": "ReleaseResaleAuthorization", "Entity": {"Type": "ResaleAuthorization@1.0", "Identifier": ref},
         "DetailsDocument": {}},
        {"ChangeType": "UpdatePricingTerms", "Entity": {"Type": "ResaleAuthorization@1.0", "Identifier": ref},
         "DetailsDocument": {"PricingModel": "Contract", "Terms": [{
             "Type": "ResaleConfigurableUpfrontPricingTerm", "CurrencyCode": "USD",
             "RateCards": [{"Selector": {"Type": "Duration", "Value": "P12M"},
                            "RateCard": [{"DimensionKey": "BasicService", "Price": "150"}],
                            "Constraints": {"MultipleDimensionSelection": "Allowed", "QuantityConfiguration": "Allowed"}}]}]}},
        {"ChangeType": "UpdateLegalTerms", "Entity": {"Type": "ResaleAuthorization@1.0", "Identifier": ref},
         "Details": json.dumps({"Terms": [{"Type": "BuyerLegalTerm",
                                           "Documents": [{"Type": "StandardEula", "Version": "2022-07-14"}]}]})},
    ]


def restrict_change(ra_id):
    return [{"ChangeType": "RestrictResaleAuthorization",
             "Entity": {"Type": "ResaleAuthorization@1.0", "Identifier": ra_id}, "DetailsDocument": {}}]


def cli(endpoint, *arguments, expect_failure=False):
    """Runs `aws marketplace-catalog …` against the emulator; returns parsed JSON (or stderr on failure)."""
    environment = dict(os.environ)
    environment.update({
        "AWS_ACCESS_KEY_ID": ACCESS_KEY, "AWS_SECRET_ACCESS_KEY": SECRET_KEY, "AWS_DEFAULT_REGION": REGION,
        "AWS_CONFIG_FILE": "/nonexistent/aws-config", "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent/aws-credentials",
        "AWS_EC2_METADATA_DISABLED": "true", "AWS_PAGER": "",
    })
    environment.pop("AWS_PROFILE", None)
    environment.pop("AWS_SESSION_TOKEN", None)
    command = ["aws", "marketplace-catalog", *arguments, "--endpoint-url", endpoint, "--region", REGION, "--output", "json"]
    done = subprocess.run(command, capture_output=True, text=True, env=environment, timeout=120)
    if expect_failure:
        expect(done.returncode != 0, f"expected the CLI to fail, it printed {done.stdout[:200]}")
        return done.stderr
    expect(done.returncode == 0, f"aws exited {done.returncode}: {done.stderr.strip()[:300]}")
    return json.loads(done.stdout) if done.stdout.strip() else {}


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--endpoint", required=True, help="http://127.0.0.1:PORT of a running bulkrunner emulator")
    parser.add_argument("--verbose", action="store_true")
    arguments = parser.parse_args()
    endpoint = arguments.endpoint.rstrip("/")
    catalog = client(endpoint, polite=True)
    state = {}

    @check("boto3 lists the seeded SaaS products")
    def products():
        listed = catalog.list_entities(Catalog="AWSMarketplace", EntityType="SaaSProduct")["EntitySummaryList"]
        expect(len(listed) >= 1, "no SaaS product")
        state["product"] = listed[0]["EntityId"]
        return state["product"]

    @check("boto3 pages through ListEntities (paginator, page size 7)")
    def paging():
        paginator = catalog.get_paginator("list_entities")
        pages = list(paginator.paginate(Catalog="AWSMarketplace", EntityType="ResaleAuthorization",
                                        PaginationConfig={"PageSize": 7}))
        ids = [e["EntityId"] for page in pages for e in page["EntitySummaryList"]]
        expect(len(pages) >= 4, f"only {len(pages)} pages")
        expect(len(ids) == len(set(ids)) == 25, f"{len(ids)} entities, {len(set(ids))} unique; expected 25 seeded")
        expect(all(p.get("NextToken") for p in pages[:-1]) and not pages[-1].get("NextToken"), "NextToken chain broken")
        state["authorizations"] = ids
        return f"{len(ids)} authorizations in {len(pages)} pages"

    @check("boto3 filters ListEntities by status and reseller")
    def filters():
        drafts = catalog.list_entities(
            Catalog="AWSMarketplace", EntityType="ResaleAuthorization", MaxResults=50,
            EntityTypeFilters={"ResaleAuthorizationFilters": {"Status": {"ValueList": ["Draft"]}}})["EntitySummaryList"]
        expect(drafts and all(e["ResaleAuthorizationSummary"]["Status"] == "Draft" for e in drafts), "status filter")
        state["draft"] = drafts[0]["EntityId"]
        reseller = drafts[0]["ResaleAuthorizationSummary"]["ResellerAccountID"]
        same = catalog.list_entities(
            Catalog="AWSMarketplace", EntityType="ResaleAuthorization",
            EntityTypeFilters={"ResaleAuthorizationFilters": {"ResellerAccountID": {"ValueList": [reseller]}}},
            EntityTypeSort={"ResaleAuthorizationSort": {"SortBy": "CreatedDate", "SortOrder": "DESCENDING"}})["EntitySummaryList"]
        expect(any(e["EntityId"] == state["draft"] for e in same), "reseller filter")
        return f"{len(drafts)} drafts"

    @check("boto3 creates and releases a resale authorization (release listed second, applied last)")
    def create_release():
        started = catalog.start_change_set(Catalog="AWSMarketplace", ChangeSet=ra_changes(state["product"], "111111111111"),
                                           ChangeSetName="interop-grant", ClientRequestToken="interop-grant-1")
        described = wait_final(catalog, started["ChangeSetId"])
        expect(described["Status"] == "SUCCEEDED", f"{described['Status']}: {described.get('FailureDescription')}")
        identifier = described["ChangeSet"][0]["Entity"]["Identifier"]
        expect(identifier.startswith("resaleauthz-") and identifier.endswith("@1"), identifier)
        state["ra"] = identifier.split("@")[0]
        state["grant"] = started["ChangeSetId"]
        entity = catalog.describe_entity(Catalog="AWSMarketplace", EntityId=state["ra"])
        expect(entity["DetailsDocument"]["Status"] == "Active", entity["DetailsDocument"]["Status"])
        expect(json.loads(entity["Details"])["Status"] == "Active", "Details string")
        return state["ra"]

    @check("boto3 replays the same ClientRequestToken idempotently")
    def idempotent():
        again = catalog.start_change_set(Catalog="AWSMarketplace", ChangeSet=ra_changes(state["product"], "111111111111"),
                                         ChangeSetName="interop-grant", ClientRequestToken="interop-grant-1")
        expect(again["ChangeSetId"] == state["grant"], f"{again['ChangeSetId']} != {state['grant']}")
        try:
            catalog.start_change_set(Catalog="AWSMarketplace", ChangeSet=ra_changes(state["product"], "222222222222"),
                                     ClientRequestToken="interop-grant-1")
            raise AssertionError("a different request with the same token was accepted")
        except catalog.exceptions.ValidationException:
            pass

    @check("boto3 restricts the resale authorization")
    def restrict():
        started = catalog.start_change_set(Catalog="AWSMarketplace", ChangeSet=restrict_change(state["ra"]))
        described = wait_final(catalog, started["ChangeSetId"])
        expect(described["Status"] == "SUCCEEDED", described.get("FailureDescription"))
        status = catalog.describe_entity(Catalog="AWSMarketplace", EntityId=state["ra"])["DetailsDocument"]["Status"]
        expect(status == "Restricted", status)

    @check("an unknown reseller fails the change set with INVALID_RESELLER_ACCOUNT")
    def invalid_reseller():
        started = catalog.start_change_set(Catalog="AWSMarketplace",
                                           ChangeSet=ra_changes(state["product"], "912345678901")[:1])
        described = wait_final(catalog, started["ChangeSetId"])
        expect(described["Status"] == "FAILED" and described["FailureCode"] == "CLIENT_ERROR", described["Status"])
        code = described["ChangeSet"][0]["ErrorDetailList"][0]["ErrorCode"]
        expect(code == "INVALID_RESELLER_ACCOUNT", code)

    @check("ValidationException for a bad catalog and a special character in a name")
    def validation():
        for bad in [dict(Catalog="Other", ChangeSet=ra_changes(state["product"], "111111111111")),
                    dict(Catalog="AWSMarketplace", ChangeSet=ra_changes(state["product"], "111111111111", name="Bad <name>"))]:
            try:
                catalog.start_change_set(**bad)
                raise AssertionError("accepted")
            except catalog.exceptions.ValidationException as error:
                expect(error.response["ResponseMetadata"]["HTTPStatusCode"] == 422, "status")

    @check("ResourceNotFoundException for an unknown product")
    def not_found():
        try:
            catalog.start_change_set(Catalog="AWSMarketplace", ChangeSet=ra_changes("prod-doesnotexist1", "111111111111"))
            raise AssertionError("accepted")
        except catalog.exceptions.ResourceNotFoundException:
            pass

    @check("ResourceInUseException while another change set holds the entity")
    def in_use():
        update = [{"ChangeType": "UpdateInformation", "Entity": {"Type": "ResaleAuthorization@1.0", "Identifier": state["draft"]},
                   "DetailsDocument": {"Description": "first"}}]
        first = catalog.start_change_set(Catalog="AWSMarketplace", ChangeSet=update)
        try:
            update[0]["DetailsDocument"] = {"Description": "second"}
            catalog.start_change_set(Catalog="AWSMarketplace", ChangeSet=update)
            raise AssertionError("accepted")
        except catalog.exceptions.ResourceInUseException as error:
            expect(error.response["ResponseMetadata"]["HTTPStatusCode"] == 423, "status")
        state["open"] = first["ChangeSetId"]

    @check("CancelChangeSet while PREPARING")
    def cancel():
        product = state["product"]
        started = catalog.start_change_set(Catalog="AWSMarketplace", ChangeSet=ra_changes(product, "333333333333")[:1])
        cancelled = catalog.cancel_change_set(Catalog="AWSMarketplace", ChangeSetId=started["ChangeSetId"])
        expect(cancelled["ChangeSetId"] == started["ChangeSetId"], "id")
        status = catalog.describe_change_set(Catalog="AWSMarketplace", ChangeSetId=started["ChangeSetId"])["Status"]
        expect(status == "CANCELLED", status)

    @check("ListChangeSets filters by name and status")
    def list_change_sets():
        listed = catalog.list_change_sets(Catalog="AWSMarketplace", FilterList=[
            {"Name": "ChangeSetName", "ValueList": ["interop-grant"]}, {"Name": "Status", "ValueList": ["SUCCEEDED"]}])
        summaries = listed["ChangeSetSummaryList"]
        expect(len(summaries) == 1 and summaries[0]["ChangeSetId"] == state["grant"], summaries)
        expect(summaries[0]["EntityIdList"] == [state["ra"]], summaries[0]["EntityIdList"])

    @check("BatchDescribeEntities with a per-entity error")
    def batch():
        answer = catalog.batch_describe_entities(EntityRequestList=[
            {"Catalog": "AWSMarketplace", "EntityId": state["ra"]}, {"Catalog": "AWSMarketplace", "EntityId": "offer-missing"}])
        expect(state["ra"] in answer["EntityDetails"], "details")
        expect(answer["Errors"]["offer-missing"]["ErrorCode"] == "ResourceNotFoundException", answer["Errors"])

    @check("the statistics show this quota-respecting client never exceeded a quota")
    def statistics():
        data = json.loads(urllib.request.urlopen(endpoint + "/_emulator/statistics", timeout=10).read())
        over = [name for name, op in data["operations"].items()
                if op["quota"] is not None and op["peakCallsInAnyWindow"] > op["quota"]]
        expect(not over, f"over quota: {over}")
        return f"{sum(op['calls'] for op in data['operations'].values())} calls"

    @check("ThrottlingException when calling faster than the quota (retries off)")
    def throttling():
        eager = client(endpoint, retries=1)
        for attempt in range(30):
            try:
                eager.list_change_sets(Catalog="AWSMarketplace")
            except eager.exceptions.ThrottlingException as error:
                expect(error.response["ResponseMetadata"]["HTTPStatusCode"] == 429, "status")
                return f"throttled at call {attempt + 1}"
        raise AssertionError("30 calls without a ThrottlingException")

    @check("InvalidSignatureException with a wrong secret key")
    def bad_signature():
        time.sleep(1.1)  # out of the throttling window
        try:
            client(endpoint, secret_key="not-the-secret").list_entities(Catalog="AWSMarketplace", EntityType="Offer")
            raise AssertionError("accepted")
        except botocore.exceptions.ClientError as error:
            code = error.response["Error"]["Code"]
            expect(code == "InvalidSignatureException", code)
            expect(error.response["ResponseMetadata"]["HTTPStatusCode"] == 403, "status")

    @check("UnrecognizedClientException with an unknown access key")
    def unknown_key():
        try:
            client(endpoint, access_key="AKIDUNKNOWN").list_entities(Catalog="AWSMarketplace", EntityType="Offer")
            raise AssertionError("accepted")
        except botocore.exceptions.ClientError as error:
            code = error.response["Error"]["Code"]
            expect(code == "UnrecognizedClientException", code)

    @check("AWS CLI pages through list-entities")
    def cli_list():
        listed = cli(endpoint, "list-entities", "--catalog", "AWSMarketplace", "--entity-type", "ResaleAuthorization",
                     "--page-size", "6")
        ids = [e["EntityId"] for e in listed["EntitySummaryList"]]
        expect(len(ids) == len(set(ids)) and set(ids) >= set(state["authorizations"]), f"{len(ids)} entities")
        return f"{len(ids)} authorizations"

    @check("AWS CLI creates, releases and restricts a resale authorization")
    def cli_lifecycle():
        started = cli(endpoint, "start-change-set", "--catalog", "AWSMarketplace", "--change-set-name", "interop-cli",
                      "--change-set", json.dumps(ra_changes(state["product"], "444444444444", name="CLI authorization")))
        deadline = time.time() + 30
        while True:
            described = cli(endpoint, "describe-change-set", "--catalog", "AWSMarketplace", "--change-set-id", started["ChangeSetId"])
            if described["Status"] in ("SUCCEEDED", "FAILED") or time.time() > deadline:
                break
            time.sleep(0.3)
        expect(described["Status"] == "SUCCEEDED", described.get("FailureDescription"))
        ra = described["ChangeSet"][0]["Entity"]["Identifier"].split("@")[0]
        entity = cli(endpoint, "describe-entity", "--catalog", "AWSMarketplace", "--entity-id", ra)
        expect(entity["DetailsDocument"]["Status"] == "Active", entity["DetailsDocument"]["Status"])
        restricted = cli(endpoint, "start-change-set", "--catalog", "AWSMarketplace", "--change-set", json.dumps(restrict_change(ra)))
        final = wait_final(catalog, restricted["ChangeSetId"])
        expect(final["Status"] == "SUCCEEDED", final.get("FailureDescription"))
        status = cli(endpoint, "describe-entity", "--catalog", "AWSMarketplace", "--entity-id", ra)["DetailsDocument"]["Status"]
        expect(status == "Restricted", status)
        return ra

    @check("AWS CLI reports ValidationException")
    def cli_validation():
        stderr = cli(endpoint, "start-change-set", "--catalog", "Other", "--change-set",
                     json.dumps(ra_changes(state["product"], "111111111111")), expect_failure=True)
        expect("ValidationException" in stderr, stderr.strip()[:200])

    print(f"{results['passed']} passed, {results['failed']} failed")
    return 1 if results["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
