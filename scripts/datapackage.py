"""Write datapackage.json (the Frictionless descriptor of data/) from utils/schema.py.

Run after changing the schema: python scripts/datapackage.py; then
frictionless validate datapackage.json.
"""

from pathlib import Path

from utils.datapackage import ROOT, descriptor_text

if __name__ == "__main__":
    path = ROOT / "datapackage.json"
    path.write_text(descriptor_text(), encoding="utf-8")
    print(f"wrote {path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path}")
