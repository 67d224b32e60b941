"""Fail when an XML file given on the command line is not well-formed."""

import sys
import xml.etree.ElementTree as ET


def main(paths):
    bad = 0
    for path in paths:
        try:
            ET.parse(path)
        except ET.ParseError as exc:
            print(f"{path}: {exc}")
            bad += 1
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
