"""Settings for the test suite: the project's own, in development mode unless the environment says otherwise."""

import os

os.environ.setdefault("DEBUG", "1")

from newsroom.settings import *  # noqa: F403
