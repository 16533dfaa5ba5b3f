"""Prints the zipped size of each Lambda asset in cdk.out (what Lambda stores)."""

import io
import json
import pathlib
import zipfile

manifest = json.loads(pathlib.Path("cdk.out/ScimConnectStack.assets.json").read_text())
for asset in manifest["files"].values():
    path = pathlib.Path("cdk.out") / asset["source"]["path"]
    if asset["source"].get("packaging") != "zip" or not (path / "bootstrap").is_file():
        continue
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for f in sorted(path.rglob("*")):
            z.write(f, f.relative_to(path))
    size = (path / "bootstrap").stat().st_size
    print(f"Lambda asset {asset.get('displayName', path.name)}: {size / 1e6:.2f} MB, {len(buffer.getvalue()) / 1e6:.2f} MB zipped")
