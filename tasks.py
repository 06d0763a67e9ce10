"""invoke tasks with pelican-quickstart's names, delegating to `campsite`.

    invoke --list
"""

import shlex
import shutil
import sys
from pathlib import Path

from invoke import task

ROOT = Path(__file__).parent
BIN = Path(sys.executable).parent
SETTINGS = {"base": "pelicanconf.py", "publish": "publishconf.py"}
OUTPUT = ROOT / "output"


def _campsite(c, args, **options):
    return c.run(f"{shlex.quote(str(BIN / 'campsite'))} {args}", pty=False, **options)


@task
def clean(c):
    """Remove the generated output."""
    shutil.rmtree(OUTPUT, ignore_errors=True)


@task
def build(c, now=None):
    """Build the site into output/ (`invoke build --now now` for the clock)."""
    _campsite(c, f"build -s {SETTINGS['base']}" + (f" --now {shlex.quote(now)}" if now else ""))


@task(pre=[clean])
def rebuild(c):
    """Remove output/, then build."""
    build(c)


@task
def check(c):
    """Check the content and list every problem."""
    _campsite(c, f"check -s {SETTINGS['base']}")


@task
def regenerate(c):
    """Rebuild on every change, without serving (Pelican's autoreload)."""
    c.run(f"{shlex.quote(str(BIN / 'pelican'))} -r -s {SETTINGS['base']}")


@task
def serve(c, port=8000, bind="127.0.0.1"):
    """Serve on http://127.0.0.1:8000/, rebuilding and reloading on every change."""
    _campsite(c, f"serve -s {SETTINGS['base']} --port {int(port)} --bind {shlex.quote(bind)}")


@task
def reserve(c, port=8000):
    """Build from scratch, then serve."""
    rebuild(c)
    serve(c, port=port)


@task
def livereload(c, port=8000):
    """The same as serve: pages reload in the browser after each rebuild."""
    serve(c, port=port)


@task
def preview(c):
    """Build with publishconf.py, to look at the published site."""
    _campsite(c, f"build -s {SETTINGS['publish']}")


@task
def publish(c, now=None):
    """Build the site for publishing (publishconf.py)."""
    _campsite(c, f"publish -s {SETTINGS['publish']}" + (f" --now {shlex.quote(now)}" if now else ""))


@task
def gh_pages(c):
    """Publish, then push output/ to the gh-pages branch (needs ghp-import)."""
    publish(c)
    try:
        import ghp_import  # noqa: F401 -- only this task needs it
    except ImportError:
        sys.exit("gh-pages needs ghp-import: .venv/bin/pip install ghp-import")
    c.run(f"{shlex.quote(str(BIN / 'ghp-import'))} -b gh-pages -m 'Publish site' -p -f {shlex.quote(str(OUTPUT))}")


@task
def bench(c, sizes="small medium large xlarge", runs=3, extra=""):
    """Run the benchmark (docs/benchmark.md), about half an hour: `invoke bench`,
    or `invoke bench --sizes small --runs 1 --extra "--no-write --no-serve"`."""
    c.run(f"{shlex.quote(str(BIN / 'python'))} benchmarks/run.py {sizes} --runs={int(runs)} {extra}", pty=False)


@task
def schema(c):
    """Regenerate the JSON Schemas in schemas/."""
    _campsite(c, "schema")


@task
def settings_docs(c):
    """Regenerate the tables of docs/settings.md from campsite's settings table."""
    from campsite.settings_docs import PAGE, write_settings_docs

    write_settings_docs()
    print(f"{PAGE.relative_to(ROOT)}: written")


DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def _ensure_debian_packages(c):
    """Chromium for the browser tests, Java for the HTML checker, DejaVu for
    card images, calcurse and ConfClerk (with Xvfb and xdotool to drive it)
    for tests/test_real_apps.py, ZBar to scan the QR codes: installed from Debian's packages when
    missing (as root, as CI runs); without them those tests skip and say
    why, and this says why they could not be installed rather than let them
    skip in silence."""
    wanted = {"chromium": "chromium", "java": "default-jre-headless", "calcurse": "calcurse",
              "confclerk": "confclerk", "Xvfb": "xvfb", "xdotool": "xdotool",
              "zbarimg": "zbar-tools"}
    missing = [package for command, package in wanted.items() if not shutil.which(command)]
    if not DEJAVU.is_file():
        missing.append("fonts-dejavu-core")
    if not LIBICAL_HEADER.is_file():  # tests/test_calendar_readers.py's libical reader
        missing.append("libical-dev")
    if not (shutil.which("cc") or shutil.which("gcc")):
        missing.append("gcc")
    if not missing:
        return
    readers = [package for package in READER_PACKAGES if package in missing]
    if not shutil.which("apt-get"):
        _not_installed(missing, "no apt-get here")
        _reader_status({package: "no apt-get here" for package in readers})
        return
    c.run("apt-get update -qq", warn=True, hide=True)  # offline, the install may still find them cached
    install = c.run(f"DEBIAN_FRONTEND=noninteractive apt-get install -y -qq {' '.join(missing)}",
                    warn=True, hide=True)
    if install.failed:
        _not_installed(missing, f"apt-get install failed: {_last_line(install)}")
        _reader_status({package: f"apt-get install {package} failed: {_last_line(install)}" for package in readers})
    else:
        _reader_status({package: None for package in READER_PACKAGES})


# Debian packages whose tests skip with the reason an install failed, kept in
# tests/readers/.install-status.json: libical-dev (tests/test_calendar_readers.py),
# calcurse, confclerk, xvfb and xdotool (tests/test_real_apps.py).
READER_PACKAGES = ("libical-dev", "calcurse", "confclerk", "xvfb", "xdotool")


LIBICAL_HEADER = Path("/usr/include/libical/ical.h")
READERS = ROOT / "tests" / "readers"  # the calendar readers of tests/test_calendar_readers.py
NODE_READERS = ("ical.js", "node-ical")  # npm packages, in tests/readers/package.json


def _ensure_node_readers(c):
    """ical.js and node-ical into tests/readers/node_modules (git-ignored),
    with npm, once; a failure is said here and kept for the tests' skip reasons."""
    if all((READERS / "node_modules" / name / "package.json").is_file() for name in NODE_READERS):
        return
    if not (shutil.which("node") and shutil.which("npm")):
        why = "node and npm are needed (Debian: apt-get install nodejs npm)"
        _not_installed(NODE_READERS, why)
        _reader_status({"npm": why})
        return
    install = c.run(f"npm install --prefix {shlex.quote(str(READERS))} --no-package-lock --no-audit --no-fund",
                    warn=True, hide=True)
    if install.failed:
        said = [line for line in (install.stderr or "").splitlines()
                if line.startswith("npm error") and "complete log" not in line]
        why = said[0].removeprefix("npm error").strip() if said else _last_line(install)
        _not_installed(NODE_READERS, f"npm install failed: {why}")
        _reader_status({"npm": why})
    else:
        _reader_status({"npm": None})


def _reader_status(changes):
    """tests/readers/.install-status.json: why a reader could not be installed, by name."""
    import json

    path = READERS / ".install-status.json"
    try:
        status = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        status = {}
    status.update(changes)
    status = {name: why for name, why in status.items() if why}
    if status:
        path.write_text(json.dumps(status, indent=1) + "\n", encoding="utf-8")
    else:
        path.unlink(missing_ok=True)


def _not_installed(packages, why):
    print(f"invoke test: {', '.join(packages)} not installed ({why}): their tests will be skipped",
          file=sys.stderr, flush=True)


def _last_line(result):
    """What a failed command said last (apt-get's error comes last), or its status."""
    lines = [line.strip() for line in (result.stderr or result.stdout).splitlines() if line.strip()]
    return lines[-1] if lines else f"exit status {result.exited}"


@task
def test(c):
    """Run the whole test suite (installs Chromium, libical, calcurse and the
    npm calendar readers first if they are missing)."""
    _ensure_debian_packages(c)
    _ensure_node_readers(c)
    c.run(f"{shlex.quote(str(BIN / 'python'))} -m pytest", pty=False)


@task
def messages(c):
    """Update the catalogues of campsite's messages (plugins/campsite/locale)."""
    from campsite.translating import update

    for lang in ("fr",):
        path, waiting = update(lang)
        print(f"{path.relative_to(ROOT)}: {waiting} message(s) to translate")
