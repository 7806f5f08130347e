#!/usr/bin/env python3
"""Checks that every Swift target of Package.swift declares exactly the modules its files import.

SwiftPM lets a target import any module that its dependencies depend on (a plugin could import
Optimization through LawfitCore), and `swift build --explicit-target-dependency-import-check error`
does not catch that on Linux with Swift 6.3, so the layers of Docs/Architecture.md are checked here:
an import of a module the target does not declare, and a declared module no file imports, are both
errors (exit 1). `make test` runs it.

Usage (from the repository root): scripts/check-imports.py
"""
import json
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# Modules of the toolchain and the system, never declared in Package.swift.
SYSTEM = {"Foundation", "FoundationEssentials", "Dispatch", "Glibc", "Darwin", "Musl", "Testing", "XCTest",
          "Synchronization", "_Concurrency", "Swift"}
# The modules each package product provides.
PRODUCTS = {"Numerics": {"Numerics", "RealModule", "ComplexModule"}, "ArgumentParser": {"ArgumentParser"}}
# Declared for what they build, not imported: the CLI tests run the `lawfit` executable.
BUILT_NOT_IMPORTED = {("LawfitCLITests", "lawfit")}
IMPORT = re.compile(r"^\s*(?:@testable\s+|@_implementationOnly\s+|public\s+|internal\s+)*import\s+(?:(?:struct|class|enum|protocol|func|var|let|typealias)\s+)?(\w+)", re.M)


def main():
    manifest = json.loads(subprocess.run(["swift", "package", "dump-package"], cwd=ROOT, check=True,
                                         capture_output=True, text=True).stdout)
    failures = []
    for target in manifest["targets"]:
        if target["type"] not in ("regular", "executable", "test"):
            continue
        name = target["name"]
        default = "Tests" if target["type"] == "test" else "Sources"
        folder = os.path.join(ROOT, target.get("path") or os.path.join(default, name))
        files = [os.path.join(d, f) for d, _, fs in os.walk(folder) for f in fs if f.endswith(".swift")]
        if not files:
            continue  # a C target: its dependencies are headers
        imported = set()
        for path in files:
            with open(path, encoding="utf-8") as handle:
                imported |= set(IMPORT.findall(handle.read()))
        imported -= SYSTEM
        declared = {}
        for dependency in target["dependencies"]:
            kind, value = next(iter(dependency.items()))
            module = value[0]
            declared[module] = PRODUCTS.get(module, {module}) if kind == "product" else {module}
        provided = set().union(*declared.values()) if declared else set()
        for module in sorted(imported - provided):
            failures.append(f"{name}: imports {module}, which Package.swift does not declare for it")
        for module, modules in sorted(declared.items()):
            if not (modules & imported) and (name, module) not in BUILT_NOT_IMPORTED:
                failures.append(f"{name}: declares {module}, which none of its files imports")
    for failure in failures:
        print(failure, file=sys.stderr)
    if failures:
        return 1
    print("every target declares exactly the modules it imports")
    return 0


if __name__ == "__main__":
    sys.exit(main())
