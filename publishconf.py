"""Settings for publishing: pelicanconf.py plus the public address."""

import os
import sys

sys.path.append(os.curdir)
from pelicanconf import *  # noqa: E402,F403

SITEURL = os.environ.get("CAMPSITE_SITEURL", "https://campsite.example.org")
RELATIVE_URLS = False
