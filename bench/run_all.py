"""Run every benchmark in this folder, one after the other, and print their tables (`make bench`)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

for script in sorted(HERE.glob("*.py")):
    if script.name == Path(__file__).name:
        continue
    print(f"\n== {script.name}", flush=True)
    subprocess.run([sys.executable, str(script)], check=False, cwd=HERE.parent)
