#!/usr/bin/env python3
"""Synthetic data for the assessment benchmark (bench/assess.sh).

Writes into OUT (default target/bench-assess):
  set.json  the embedded advisory set (from `sign_set bundle`) plus N synthetic OSV records
            (default 5,000) for Maven packages org.bench.g<G>:artifact-<A>, each with one to
            three ranges, CVSS vectors and praxcheck annotations, version bumped by one;
  doc.json  a praxcheck document of one machine with C components (default 100,000):
            Maven archives under /opt/bench/app-<k>/lib, a quarter of them from packages the
            set knows (so matching, judging and findings are exercised), the rest unknown.
Deterministic (seeded), so every run measures the same input.
"""
import hashlib, json, random, struct, sys, os

out = sys.argv[1] if len(sys.argv) > 1 else "target/bench-assess"
n_records = int(sys.argv[2]) if len(sys.argv) > 2 else 5000
n_comps = int(sys.argv[3]) if len(sys.argv) > 3 else 100000
base = sys.argv[4] if len(sys.argv) > 4 else os.path.join(out, "embedded.json")
rng = random.Random(20261129)
os.makedirs(out, exist_ok=True)

def short_hash(parts):
    h = hashlib.sha256()
    for p in parts:
        b = p.encode(); h.update(struct.pack("<Q", len(b))); h.update(b)
    return h.hexdigest()[:16]

known = [f"org.bench.g{i % 997}:artifact-{i}" for i in range(n_records)]
vectors = ["CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:N/A:N",
           "CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:L/I:L/A:N"]
records = []
for i, pkg in enumerate(known):
    ranges = []
    lo = 0
    for _ in range(rng.randint(1, 3)):
        a = lo + rng.randint(0, 3); b = a + rng.randint(1, 4)
        ranges.append({"type": "ECOSYSTEM", "events": [{"introduced": f"{a}.0"}, {"fixed": f"{b}.{rng.randint(0,9)}.0"}]})
        lo = b + 1
    records.append({
        "schema_version": "1.4.0", "id": f"BENCH-{i:05d}", "modified": "2026-11-29T00:00:00Z",
        "aliases": [f"CVE-2099-{i:05d}"], "summary": f"synthetic flaw {i}",
        "severity": [{"type": "CVSS_V3", "score": vectors[i % 3]}],
        "affected": [{"package": {"ecosystem": "Maven", "name": pkg}, "ranges": ranges}],
        "database_specific": {"praxcheck": {
            "title": {"de": f"Synthetische Lücke {i}", "en": f"Synthetic flaw {i}"},
            "remediation": {"de": "Aktualisieren.", "en": "Update."}, "effort": "medium"}},
    })
s = json.load(open(base))
s["version"] = s["version"] + 1
s["expires"] = "2099-12-31"
s["records"] = s["records"] + records
json.dump(s, open(os.path.join(out, "set.json"), "w"))

comps = []
for i in range(n_comps):
    if i % 4 == 0:
        name = known[rng.randrange(n_records)]
    else:
        name = f"org.other.g{rng.randrange(5000)}:lib-{rng.randrange(20000)}"
    g, a = name.split(":")
    v = f"{rng.randint(0, 12)}.{rng.randint(0, 9)}.{rng.randint(0, 9)}"
    path = f"/opt/bench/app-{i // 50}/lib/{a}-{v}.jar"
    comps.append({
        "id": short_hash(["java_archive", name, path, ""]), "kind": "java_archive", "ecosystem": "Maven",
        "name": name, "version": v, "version_source": "pom_properties",
        "purl": f"pkg:maven/{g}/{a}@{v}",
        "location": {"chain": [path], "display": path}, "placement": "installed",
        "evidence": [{"kind": "pom_properties", "path": f"META-INF/maven/{g}/{a}/pom.properties", "detail": f"version={v}"}],
    })
doc = {"schema_version": 1, "tool": {"name": "praxcheck", "version": "0.1.0"},
       "scan": {"hostname": "bench", "os": "linux", "started_at": "2026-11-29T08:00:00Z", "finished_at": "2026-11-29T08:01:00Z",
                "duration_ms": 60000, "roots": ["/opt"], "collectors": ["java"],
                "stats": {"files_seen": n_comps, "dirs_seen": n_comps // 50, "archives_opened": n_comps, "entries_listed": 0,
                          "bytes_read": 0, "dirs_denied": 0, "duplicates_skipped": 0}, "complete": True},
       "advisory_set": {"id": "praxcheck-default", "version": 1, "published": "2026-11-29", "source": "embedded"},
       "inventory": {"components": comps}, "findings": [], "unreadable": []}
json.dump(doc, open(os.path.join(out, "doc.json"), "w"))
print(f"{out}: {len(s['records'])} OSV records ({n_records} synthetic), {n_comps} components")
