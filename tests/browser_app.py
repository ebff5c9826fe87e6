#!/usr/bin/env python3
"""End-to-end test of examples/browser-app in headless Chromium.

Serves the built app from 127.0.0.1 (python's static server), drives Chromium through chromedriver's
W3C WebDriver protocol (no npm needed), waits until the page says it is done, and checks the lines
it wrote to the page and to the console. Usage: browser_app.py APP_DIR HTTP_PORT DRIVER_PORT
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

APP_DIR, HTTP_PORT, DRIVER_PORT = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
CHROMIUM = os.environ.get("CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("CHROMEDRIVER", shutil.which("chromedriver") or "/usr/bin/chromedriver")
DRIVER = f"http://127.0.0.1:{DRIVER_PORT}"
FLAGS = json.load(open(os.path.join(os.path.dirname(__file__), "js", "webdriver.json")))[
    "goog:chromeOptions"
]["args"]


def call(method, path, body=None, timeout=60):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(DRIVER + path, data=data, method=method,
                                 headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return json.load(r)["value"]
    except urllib.error.HTTPError as e:
        raise SystemExit(f"FAIL: webdriver {method} {path}: {e.code} {e.read()[:500]!r}")


def wait_for_port(port, what, proc):
    import socket
    for _ in range(200):
        if proc.poll() is not None:
            raise SystemExit(f"FAIL: {what} exited with {proc.returncode}")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise SystemExit(f"FAIL: {what} did not listen on 127.0.0.1:{port}")


def main():
    procs = []
    profile = tempfile.mkdtemp(prefix="wasio-browser-app-")
    session = None
    try:
        server = subprocess.Popen(
            [sys.executable, "-m", "http.server", str(HTTP_PORT), "--bind", "127.0.0.1",
             "--directory", APP_DIR],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        procs.append(server)
        driver = subprocess.Popen([CHROMEDRIVER, f"--port={DRIVER_PORT}"],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        procs.append(driver)
        wait_for_port(HTTP_PORT, "the static server", server)
        wait_for_port(DRIVER_PORT, "chromedriver", driver)

        caps = {"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {"binary": CHROMIUM,
                                   "args": FLAGS + [f"--user-data-dir={profile}"]},
            "goog:loggingPrefs": {"browser": "ALL"},
        }}}
        session = call("POST", "/session", caps)["sessionId"]
        call("POST", f"/session/{session}/url", {"url": f"http://127.0.0.1:{HTTP_PORT}/"})

        script = ("return [document.getElementById('status').textContent,"
                  " [...document.querySelectorAll('#out li')].map(li => li.textContent)]")
        deadline = time.time() + 60
        while True:
            status, lines = call("POST", f"/session/{session}/execute/sync",
                                 {"script": script, "args": []})
            finished = status != "loading" and status != "running" and any(
                l.startswith("double_later") for l in lines)
            if finished or status.startswith("failed") or time.time() > deadline:
                break
            time.sleep(0.1)
        console = [e["message"] for e in call("POST", f"/session/{session}/se/log",
                                               {"type": "browser"})]
        print("page status:", status)
        print("page lines:", *lines, sep="\n  ")

        failures = []
        if status != "done":
            failures.append(f"status is {status!r}, not 'done'")
        want = ["tick 1", "tick 2", "tick 3", "all 6 jobs done",
                "fetched data.txt: hello from a relative URL", "double_later(21) = 42"]
        for w in want:
            if w not in lines:
                failures.append(f"the page lacks {w!r}")
        consumers = [l for l in lines if l.startswith("consumer ")]
        done = sum(int(l.split()[3]) for l in consumers)
        if len(consumers) != 3 or done != 6:
            failures.append(f"three consumers should share six jobs: {consumers}")
        for w in ["tick 3", "fetched data.txt: hello from a relative URL"]:
            if not any(w in m for m in console):
                failures.append(f"the console lacks {w!r}: {console}")
        if failures:
            raise SystemExit("FAIL: " + "; ".join(failures))
        print("ok: examples/browser-app wrote its output to the page and the console in Chromium")
    finally:
        if session:
            try:
                call("DELETE", f"/session/{session}", timeout=20)
            except BaseException:
                pass
        for p in procs:
            p.terminate()
            try:
                p.wait(10)
            except subprocess.TimeoutExpired:
                p.kill()
        shutil.rmtree(profile, ignore_errors=True)


main()
