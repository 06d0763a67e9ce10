"""invoke tasks, in the style of pelican-quickstart's: `invoke --list`."""

import shlex
import shutil
import sys
from pathlib import Path

from invoke import task

ROOT = Path(__file__).parent
BIN = Path(sys.executable).parent
SETTINGS = {"base": "pelicanconf.py", "publish": "publishconf.py"}


def _campsite(c, args):
    c.run(f"{shlex.quote(str(BIN / 'campsite'))} {args}", pty=False)


@task
def build(c, now=None):
    """Build the example site into output/ (`invoke build --now now`)."""
    _campsite(c, f"build -s {SETTINGS['base']}" + (f" --now {shlex.quote(now)}" if now else ""))


@task
def check(c):
    """Check the content and list every problem."""
    _campsite(c, f"check -s {SETTINGS['base']}")


@task
def clean(c):
    """Remove the generated output."""
    shutil.rmtree(ROOT / "output", ignore_errors=True)


@task(pre=[build])
def serve(c, port=8000):
    """Build, then serve output/ on http://127.0.0.1:PORT/."""
    c.run(f"{shlex.quote(str(BIN / 'pelican'))} --listen --bind 127.0.0.1 --port {int(port)} -s {SETTINGS['base']}")


@task
def publish(c):
    """Build with publishconf.py (absolute URLs) into output/."""
    _campsite(c, f"build -s {SETTINGS['publish']}")


@task
def schema(c):
    """Regenerate the JSON Schemas in schemas/."""
    _campsite(c, "schema")


@task
def test(c):
    """Run the whole test suite."""
    c.run(f"{shlex.quote(str(BIN / 'python'))} -m pytest", pty=False)
