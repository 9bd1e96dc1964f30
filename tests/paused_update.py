"""A test-only entry point: `govreq update` that stands still at one stage, for the crash-safety tests.

    python tests/paused_update.py --stage after_document --marker PATH --seconds 30 -- \
        --mirror ../shared/corpus --only meta --data-dir DATA

Runs govreq.update.update with an on_stage hook that, at the first call for --stage, writes the stage's name to
--marker and sleeps --seconds (the test kills the process meanwhile, or starts a concurrent update). Production
code reads no test setting: the pause exists only in this file.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from govreq.update import update


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--stage", required=True, choices=("before_load", "after_document"))
    ap.add_argument("--marker", required=True, type=Path)
    ap.add_argument("--seconds", type=float, default=30)
    ap.add_argument("--mirror", type=Path)
    ap.add_argument("--only")
    ap.add_argument("--data-dir", required=True, type=Path)
    args = ap.parse_args()

    def pause(stage: str) -> None:
        if stage == args.stage and not args.marker.exists():
            args.marker.write_text(stage)
            time.sleep(args.seconds)

    update(args.data_dir, mirror=args.mirror, only=args.only.split(",") if args.only else None, on_stage=pause)


if __name__ == "__main__":
    main()
