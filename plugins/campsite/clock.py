"""The build's "now", which never comes from the build machine's clock.

Whether an edition is upcoming or past depends on a present moment. Taking
it from the clock would make two builds of one commit differ; campsite takes
it, in this order, from:

1. an explicit `--now` (setting CAMPSITE_NOW), e.g. for a nightly rebuild;
2. SOURCE_DATE_EPOCH, the reproducible-builds convention;
3. the time of the last git commit of the content;
4. the newest modification time of a content file (no git).
"""

from __future__ import annotations

import os
import subprocess
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo


def parse_now(text: str, zone: ZoneInfo) -> datetime:
    """An ISO datetime; a naive one is read in `zone`; 'now' is the clock."""
    if text.strip().lower() == "now":
        return datetime.now(UTC)
    moment = datetime.fromisoformat(text.strip())
    return moment if moment.tzinfo else moment.replace(tzinfo=zone)


def reference_now(content: Path, explicit: str | None, zone: ZoneInfo) -> datetime:
    if explicit:
        return parse_now(explicit, zone)
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), UTC)
    return _last_commit_time(content) or _newest_mtime(content)


def _last_commit_time(content: Path) -> datetime | None:
    try:
        result = subprocess.run(
            ["git", "log", "-1", "--format=%ct", "--", "."],
            cwd=content,
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    stamp = result.stdout.strip()
    if result.returncode != 0 or not stamp.isdigit():
        return None
    return datetime.fromtimestamp(int(stamp), UTC)


def _newest_mtime(content: Path) -> datetime:
    newest = max(
        (p.stat().st_mtime for p in content.rglob("*") if p.is_file()),
        default=0.0,
    )
    return datetime.fromtimestamp(int(newest), UTC)
