"""Install Debian's Chromium for the browser tests when it is missing (needs root and apt).

Never fails the build: when it cannot install, the browser tests skip and say why.
"""

import os
import shutil
import subprocess
import sys

from chromium import CHROMIUM

if os.path.exists(CHROMIUM):
    sys.exit(0)
if shutil.which("apt-get") is None or os.geteuid() != 0:
    print("Chromium is missing and cannot be installed here (needs root and apt-get).")
    sys.exit(0)
print("Installing Debian's chromium for the browser tests...")
env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
for command in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", "chromium"]):
    if subprocess.run(command, env=env, check=False).returncode != 0:  # noqa: S603
        print(f"`{' '.join(command)}` failed; browser tests will skip.")
        sys.exit(0)
