"""Is the configuration file a single-file bind mount? Then edits on the host never arrive.

`docker run -v /etc/oncall/oncall.yaml:/etc/oncall/oncall.yaml` (or a Kubernetes `subPath`) binds
the file's inode, not its name. Editors and `git pull` save by writing a new file and renaming it
over the old one, so the host's name points at a new inode while the container keeps the old one
for as long as it runs: the service reads the old configuration and never sees a change. Mounting
the directory instead binds the name lookup, and every save is seen.

The kernel lists every mount point of the process in /proc/self/mountinfo (field 5, with spaces
and other bytes escaped as octal `\\040`); a file that is itself a mount point is such a bind.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

MOUNTINFO = Path("/proc/self/mountinfo")  # absent outside Linux: nothing is detected there
_OCTAL = re.compile(r"\\([0-7]{3})")


def mount_points(mountinfo: str) -> set[str]:
    """The mount points listed in the text of a /proc/<pid>/mountinfo file, unescaped."""
    points = set()
    for line in mountinfo.splitlines():
        fields = line.split(" ")
        if len(fields) > 4:
            points.add(_OCTAL.sub(lambda m: chr(int(m[1], 8)), fields[4]))
    return points


def is_single_file_mount(path: Path, mountinfo: str) -> bool:
    """Whether `path` is a file that is a mount point of its own (by its absolute or real path)."""
    if not path.is_file():
        return False
    points = mount_points(mountinfo)
    return os.path.abspath(path) in points or os.path.realpath(path) in points


def single_file_mount_warning(path: Path, mountinfo_file: Path | None = None) -> str | None:
    """A warning naming the fix when `path` is a single-file bind mount, else None."""
    try:
        mountinfo = (mountinfo_file or MOUNTINFO).read_text(errors="replace")
    except OSError:
        return None
    if not is_single_file_mount(path, mountinfo):
        return None
    folder = os.path.dirname(os.path.abspath(path))
    return (
        f"configuration file {path} is mounted on its own (a single-file bind mount): edits on the"
        " host replace the file, and this process keeps reading the old one until it restarts."
        f" Mount the directory instead (docker run -v HOST_DIR:{folder}:ro) and keep ONCALL_CONFIG"
        " pointing at the file in it"
    )
