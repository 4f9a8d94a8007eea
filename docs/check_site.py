"""Open the built docs in headless Chromium, offline, and check what a reader sees.

Usage (after a build into ``docs/_build/html``)::

    python docs/check_site.py [HTML_DIR] [--screenshots DIR]

For the theory page and every tutorial page it loads the ``file://`` URL in
Debian's ``chromium`` with all name resolution disabled (so nothing can come
from the network), lets MathJax typeset (a virtual-time budget), dumps the
DOM and checks that

* the page has typeset formulas (``mjx-container`` elements), no MathJax
  error (``mjx-merror``) and no raw ``\\(``, ``\\[`` or ``$$`` left in its text;
* every ``<img>`` of the page has loaded (``naturalWidth`` > 0), and a
  tutorial page has at least one figure.

With ``--screenshots DIR`` it also writes a PNG of each page (scrolled to
the first figure of a notebook's output, if any): look at them. ``tests/test_docs.py`` runs :func:`check_page` on the pages of
its build and skips when ``chromium`` is not installed (``.ci/run`` installs
it). Exit status 0 when every page passes, 1 otherwise.
"""

import argparse
import html as html_lib
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
         "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync",
         "--disable-extensions", "--allow-file-access-from-files",
         # offline: no host name resolves, so no CDN could be used
         "--host-resolver-rules=MAP * ~NOTFOUND"]

# Runs after MathJax: report what the reader sees in one DOM attribute.
PROBE = """
<script>
window.addEventListener('load', function () {
  function report() {
    var imgs = Array.prototype.slice.call(document.images);
    var s = {
      mjx: document.querySelectorAll('mjx-container').length,
      merror: document.querySelectorAll('mjx-merror').length,
      images: imgs.length,
      broken: imgs.filter(function (i) { return !(i.naturalWidth > 0); })
                  .map(function (i) { return i.getAttribute('src').slice(0, 60); }),
    };
    // where the first figure of a notebook's output is (for the screenshot)
    var fig = document.querySelector('.cell_output img');
    s.figtop = fig ? fig.getBoundingClientRect().top + window.scrollY : 0;
    s.height = document.documentElement.scrollHeight;
    document.documentElement.setAttribute('data-check', JSON.stringify(s));
  }
  if (window.MathJax && MathJax.startup && MathJax.startup.promise) {
    MathJax.startup.promise.then(report, report);
  } else { report(); }
});
</script>
"""


def chromium():
    """Path of the Chromium binary, or None."""
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


def _run(args, profile, timeout=120):
    return subprocess.run(
        [chromium(), *FLAGS, f"--user-data-dir={profile}", *args],
        capture_output=True, text=True, timeout=timeout)


def render(page, budget_ms=15000):
    """DOM of ``page`` (a built .html file) after scripts ran, as text.

    The page is loaded from a probe copy next to it (same folder, so every
    relative link resolves) with a script that records, once MathJax has
    finished, the counts checked by :func:`check_page`.
    """
    with open(page, encoding="utf-8") as f:
        text = f.read()
    probe = os.path.join(os.path.dirname(page),
                         "._check_" + os.path.basename(page))
    with open(probe, "w", encoding="utf-8") as f:
        f.write(text.replace("</body>", PROBE + "</body>", 1))
    url = "file://" + os.path.abspath(probe)
    try:
        with tempfile.TemporaryDirectory() as profile:
            return _run([f"--virtual-time-budget={budget_ms}", "--dump-dom",
                         url], profile).stdout
    finally:
        os.remove(probe)


def screenshot(page, out, top=0, height=1400, budget_ms=15000):
    """PNG ``out``: 1200 x ``height`` px of ``page`` from y = ``top``."""
    from PIL import Image

    url = "file://" + os.path.abspath(page)
    full = out + ".full.png"
    with tempfile.TemporaryDirectory() as profile:
        _run([f"--virtual-time-budget={budget_ms}", "--hide-scrollbars",
              f"--window-size=1200,{int(top + height)}",
              f"--screenshot={os.path.abspath(full)}", url], profile)
    with Image.open(full) as im:
        im.crop((0, int(top), 1200, int(top + height))).save(out)
    os.remove(full)


def check_page(page, tutorial=False, shot=None):
    """Problems found on one built page and the counts it saw.

    Returns ``(problems, state)``: a list of strings (empty when the page is
    fine) and a dict with ``mjx`` (typeset formulas), ``merror``, ``images``
    and ``broken`` (images that did not load).
    """
    import json

    dom = render(page)
    name = os.path.basename(page)
    found = re.search(r'data-check="([^"]*)"', dom)
    if not found:
        return ([f"{name}: the page did not finish loading"],
                {"mjx": 0, "images": 0})
    state = json.loads(html_lib.unescape(found.group(1)))
    problems = []
    with open(page, encoding="utf-8") as f:
        has_math = "math notranslate" in f.read()
    if has_math and state["mjx"] == 0:
        problems.append(f"{name}: no typeset formula (MathJax did not run)")
    if state["merror"]:
        problems.append(f"{name}: {state['merror']} MathJax errors")
    # raw TeX left in the visible text (scripts, code and MathJax's own
    # assistive copies removed)
    visible = re.sub(r"<(script|style|pre|code|mjx-assistive-mml)\b.*?</\1>",
                     "", dom, flags=re.S)
    raw = re.findall(r"\\\(|\\\[|\$\$", re.sub(r"<[^>]+>", "", visible))
    if raw:
        problems.append(f"{name}: {len(raw)} raw TeX delimiters left")
    if state["broken"]:
        problems.append(f"{name}: images not loaded: {state['broken']}")
    if tutorial and state["images"] == 0:
        problems.append(f"{name}: no figure")
    if shot:   # from the first figure of a notebook, else the top
        screenshot(page, shot, top=max(0, state["figtop"] - 400))
    return problems, state


def pages(html_dir):
    """The theory page and every tutorial page of a build: [(path, is_tutorial)]."""
    out = [(os.path.join(html_dir, "theory.html"), False)]
    folder = os.path.join(html_dir, "tutorials")
    out += [(os.path.join(folder, f), True) for f in sorted(os.listdir(folder))
            if f.endswith(".html") and f != "index.html"
            and not f.startswith(".")]
    return out


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("html_dir", nargs="?",
                        default=os.path.join(HERE, "_build", "html"))
    parser.add_argument("--screenshots", metavar="DIR")
    args = parser.parse_args(argv)
    if chromium() is None:
        print("chromium not found (Debian: apt-get install chromium)")
        return 1
    if args.screenshots:
        os.makedirs(args.screenshots, exist_ok=True)
    failed = False
    for page, tutorial in pages(args.html_dir):
        shot = None
        if args.screenshots:
            shot = os.path.join(args.screenshots, os.path.basename(page)
                                .replace(".html", ".png"))
        problems, state = check_page(page, tutorial, shot)
        print(f"{os.path.relpath(page, args.html_dir)}: {state['mjx']} formulas, "
              f"{state['images']} images" + (f", screenshot {shot}" if shot else ""))
        for p in problems:
            print("  FAIL", p)
        failed |= bool(problems)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
