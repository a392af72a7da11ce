"""The build, with one step before setuptools' own: the browser assets vendored from the npm
registry (web/package.json) into api/web/vendor, so GraphiQL and the dashboard load nothing
from a CDN at run time. Metadata lives in pyproject.toml."""

import hashlib
import json
import shutil
import subprocess
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
WEB = ROOT / "web"
VENDOR = ROOT / "api" / "web" / "vendor"
# What the vendored files were made from; a match skips npm (a re-install, or an image
# whose build stage vendored them already).
STAMP = VENDOR / ".made-from"


def vendor() -> None:
    manifest, lock = WEB / "package.json", WEB / "package-lock.json"
    made_from = hashlib.sha256(manifest.read_bytes() + lock.read_bytes()).hexdigest()
    if STAMP.is_file() and STAMP.read_text() == made_from:
        return
    npm = shutil.which("npm")
    if npm is None:
        raise SystemExit(
            "Building Pacesetter needs Node.js and npm: GraphiQL and the dashboard's scripts "
            "are installed from the npm registry (web/package.json)."
        )
    subprocess.run([npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund"], cwd=WEB, check=True)
    shutil.rmtree(VENDOR, ignore_errors=True)
    VENDOR.mkdir(parents=True)
    for name, source in json.loads(manifest.read_text())["vendor"].items():
        shutil.copyfile(WEB / "node_modules" / source, VENDOR / name)
    STAMP.write_text(made_from)


class VendoredBuild(build_py):
    def run(self) -> None:
        vendor()
        super().run()


setup(cmdclass={"build_py": VendoredBuild})
