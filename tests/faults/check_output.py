#!/usr/bin/env python3
"""Verifies an image output completely and prints what it holds.

  check_output.py oci DIR        -> one "TAG DIGEST" line per index.json entry
  check_output.py archive FILE   -> one "CONFIG-DIGEST TAG,TAG" line per image

Every blob an OCI layout references (index, manifests, configs, layers) must
exist with the size and SHA-256 its descriptor gives; every docker-archive
member the manifest names must exist, the config under its own hash and each
layer matching its diff_id. Exits 1 with one line on the first problem, so a
half-written output can never pass.
"""
import hashlib
import json
import os
import sys
import tarfile


def fail(msg):
    print(f"check_output: {msg}", file=sys.stderr)
    sys.exit(1)


def sha256_stream(f):
    h = hashlib.sha256()
    for chunk in iter(lambda: f.read(1 << 20), b""):
        h.update(chunk)
    return "sha256:" + h.hexdigest()


def check_oci(root):
    def blob(desc):
        digest = desc.get("digest", "")
        if not digest.startswith("sha256:"):
            fail(f"{root}: bad digest {digest!r}")
        path = os.path.join(root, "blobs", "sha256", digest[7:])
        if not os.path.isfile(path):
            fail(f"{root}: blob {digest} missing")
        if os.path.getsize(path) != desc.get("size"):
            fail(f"{root}: blob {digest} has the wrong size")
        with open(path, "rb") as f:
            if sha256_stream(f) != digest:
                fail(f"{root}: blob {digest} is corrupt")
        return path

    def walk(desc, depth=0):
        if depth > 4:
            fail(f"{root}: indexes nested too deeply")
        with open(blob(desc)) as f:
            doc = json.load(f)
        if "manifests" in doc:
            for m in doc["manifests"]:
                walk(m, depth + 1)
        else:
            blob(doc["config"])
            for layer in doc["layers"]:
                blob(layer)

    with open(os.path.join(root, "oci-layout")) as f:
        if json.load(f).get("imageLayoutVersion") != "1.0.0":
            fail(f"{root}: bad oci-layout")
    with open(os.path.join(root, "index.json")) as f:
        index = json.load(f)
    lines = []
    for m in index["manifests"]:
        walk(m)
        tag = m.get("annotations", {}).get("org.opencontainers.image.ref.name", "-")
        lines.append(f"{tag} {m['digest']}")
    return sorted(lines)


def check_archive(path):
    with tarfile.open(path) as tar:
        def member(name):
            try:
                return tar.extractfile(name)
            except KeyError:
                fail(f"{path}: member {name} missing")

        manifest = json.load(member("manifest.json"))
        lines = []
        for entry in manifest:
            raw = member(entry["Config"]).read()
            digest = "sha256:" + hashlib.sha256(raw).hexdigest()
            if os.path.basename(entry["Config"]) != digest[7:] + ".json":
                fail(f"{path}: config {entry['Config']} does not match its name")
            diff_ids = json.loads(raw)["rootfs"]["diff_ids"]
            if len(diff_ids) != len(entry["Layers"]):
                fail(f"{path}: {len(entry['Layers'])} layers but {len(diff_ids)} diff_ids")
            for name, diff_id in zip(entry["Layers"], diff_ids):
                if sha256_stream(member(name)) != diff_id:
                    fail(f"{path}: layer {name} does not match diff_id {diff_id}")
            lines.append(f"{digest} {','.join(entry.get('RepoTags') or [])}")
    return sorted(lines)


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in ("oci", "archive"):
        fail("usage: check_output.py oci DIR | archive FILE")
    kind, path = sys.argv[1:]
    try:
        lines = check_oci(path) if kind == "oci" else check_archive(path)
    except SystemExit:
        raise
    except Exception as e:  # missing file, bad JSON, truncated tar...
        fail(f"{path}: {type(e).__name__}: {e}")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
