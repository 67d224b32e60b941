"""Write each addon's README.rst from its readme/ fragments (as OCA's tooling does)."""

import ast
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SECTIONS = (("DESCRIPTION", None), ("CONFIGURE", "Configuration"), ("USAGE", "Usage"))


def render(addon):
    manifest = ast.literal_eval((addon / "__manifest__.py").read_text().split("\n", 2)[2])
    lines = [manifest["name"], "=" * len(manifest["name"]), ""]
    for fragment, title in SECTIONS:
        path = addon / "readme" / f"{fragment}.md"
        if not path.exists():
            continue
        if title:
            lines += [title, "-" * len(title), ""]
        lines += [path.read_text().strip(), ""]
    lines += ["Credits", "-------", ""]
    lines += [f"Authors: {manifest['author']}. License: {manifest['license']}.", ""]
    return "\n".join(lines)


def main(check=False):
    stale = []
    for manifest in sorted(REPO.glob("aftersales_*/__manifest__.py")):
        addon = manifest.parent
        text = render(addon)
        target = addon / "README.rst"
        if target.exists() and target.read_text() == text:
            continue
        stale.append(str(target.relative_to(REPO)))
        if not check:
            target.write_text(text)
    if check and stale:
        print("out of date (run python scripts/gen_addon_readme.py):", *stale)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(check="--check" in sys.argv))
