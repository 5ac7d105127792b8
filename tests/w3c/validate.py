#!/usr/bin/env python3
"""Validates a W3C Web Annotation collection (dossier's /annotations.jsonld) against the JSON
schemas of the W3C web-annotation-tests suite (draft-04).

usage: validate.py TESTS_DIR ANNOTATIONS_JSONLD

The collection is checked against every assertion of collections/collectionMusts.test; each
annotation (with the collection's @context, as a standalone serialization carries it) against
every assertion of annotations/annotationMusts.test, every "must" assertion of
annotations/specificResource, and the assertions that detect the TextQuoteSelector (with prefix
and suffix) and TextPositionSelector it uses. References are resolved by schema id, not by file
name: some ids differ from their file names.
"""
import glob
import json
import os
import sys
import warnings

from jsonschema import Draft4Validator

warnings.filterwarnings("ignore", category=DeprecationWarning)
from jsonschema import RefResolver  # noqa: E402  (deprecated, still the simplest store-by-id resolver)

tests_dir, document = sys.argv[1], sys.argv[2]

store = {}
for path in glob.glob(os.path.join(tests_dir, "**", "*.json"), recursive=True):
    with open(path, encoding="utf-8") as f:
        schema = json.load(f)
    if isinstance(schema, dict):
        store[os.path.basename(path)] = schema
        if "id" in schema:
            store[schema["id"]] = schema


def assertions(test_file):
    with open(os.path.join(tests_dir, test_file), encoding="utf-8") as f:
        return json.load(f)["assertions"]


validators = {}


def validator(assertion):
    """The assertion's schema and its validator, built once: building one (and its resolver's
    caches) costs far more than validating an annotation with it."""
    if assertion not in validators:
        with open(os.path.join(tests_dir, assertion), encoding="utf-8") as f:
            schema = json.load(f)
        resolver = RefResolver(base_uri=schema.get("id", ""), referrer=schema, store=store)
        validators[assertion] = (schema, Draft4Validator(schema, resolver=resolver))
    return validators[assertion]


def check(instance, assertion, label, failures):
    schema, compiled = validator(assertion)
    errors = list(compiled.iter_errors(instance))
    expected_valid = schema.get("expectedResult", "valid") == "valid"
    if bool(errors) == expected_valid:
        detail = errors[0].message if errors else "valid, but the assertion expects it to fail"
        failures.append(f"{label}: {assertion}: {schema.get('errorMessage', '')} ({detail[:200]})")


with open(document, encoding="utf-8") as f:
    collection = json.load(f)

failures = []
if collection.get("@context") != "http://www.w3.org/ns/anno.jsonld":
    failures.append("collection: @context must be exactly http://www.w3.org/ns/anno.jsonld")
for assertion in assertions("collections/collectionMusts.test"):
    check(collection, assertion, "collection", failures)

specific_musts = []
for path in sorted(glob.glob(os.path.join(tests_dir, "annotations", "specificResource", "*.json"))):
    with open(path, encoding="utf-8") as f:
        if json.load(f).get("assertionType") == "must":
            specific_musts.append(os.path.relpath(path, tests_dir))
used_features = [
    "annotations/specificResource/4.2-selectorFound.json",
    "annotations/specificResource/4.2.4-textQuoteSelector.json",
    "annotations/specificResource/4.2.4-prefix.json",
    "annotations/specificResource/4.2.4-suffix.json",
    "annotations/specificResource/4.2.5-textPositionSelector.json",
]
items = collection.get("first", {}).get("items", [])
if not items:
    failures.append("collection: no annotations in first.items")
for item in items:
    annotation = dict(item)
    annotation["@context"] = collection["@context"]
    for assertion in assertions("annotations/annotationMusts.test") + specific_musts + used_features:
        check(annotation, assertion, item.get("id", "?"), failures)

if failures:
    print(f"{len(failures)} failure(s):")
    for failure in failures:
        print("  " + failure)
    sys.exit(1)
print(f"valid: 1 collection, {len(items)} annotations")
