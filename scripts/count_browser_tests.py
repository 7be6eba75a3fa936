"""Print how many browser tests each JUnit report ran; fail if one was skipped or none ran."""

import sys
import xml.etree.ElementTree as ET

failed = False
for path in sys.argv[1:]:
    cases = [c for c in ET.parse(path).iter("testcase") if ".browser." in c.get("classname", "")]
    skipped = [c for c in cases if c.find("skipped") is not None]
    ran = len(cases) - len(skipped)
    print(f"{path}: {ran} browser tests executed, {len(skipped)} skipped")
    failed = failed or ran == 0 or bool(skipped)
sys.exit(1 if failed else 0)
