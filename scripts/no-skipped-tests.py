"""Fails when a test was skipped, apart from those that skip for the machine (named below).

  /usr/bin/python3 scripts/no-skipped-tests.py engine/target/surefire-reports viewer/... app/...

The reference-parity tests skip where their reference folders are not set (a developer's quick
`mvn test` without .ci/run); in CI every one is set, so a skip there means a renamed variable or
a generator that wrote nothing, and CI would pass with the check gone. This turns that into a
failure naming the tests.
"""
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

# tests that skip for a reason of the machine, not of CI's set-up: class name, method name
MACHINE_DEPENDENT = {
    ("org.layerlens.app.CliTest", "outputsToADeviceOrThroughALinkAreWrittenWhereTheyPoint"),  # no /dev/null
    ("org.layerlens.viewer.VideoViewModelTest", "aMissingCameraIsOneLine"),  # a camera 7 is there
}


def main():
    skipped = []
    reports = 0
    for folder in sys.argv[1:]:
        for f in sorted(Path(folder).glob("TEST-*.xml")):
            reports += 1
            for case in ET.parse(f).getroot().iter("testcase"):
                if case.find("skipped") is not None:
                    skipped.append((case.get("classname"), case.get("name")))
    if reports == 0:
        sys.exit("no surefire reports found in " + " ".join(sys.argv[1:]))
    unexpected = [s for s in skipped if (s[0], s[1].split("(")[0].split("[")[0]) not in MACHINE_DEPENDENT]
    for c, m in skipped:
        print(f"skipped: {c}.{m}")
    if unexpected:
        sys.exit(f"{len(unexpected)} test(s) skipped in CI, where every reference is made: "
                 + ", ".join(f"{c}.{m}" for c, m in unexpected))
    print(f"{reports} surefire reports, {len(skipped)} test(s) skipped (machine-dependent ones only)")


if __name__ == "__main__":
    main()
