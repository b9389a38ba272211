"""Verify's limits change while it runs (docs/limits.md): one Verify.Server on a redis-server whose
configuration lives in an appsettings.json this test writes and rewrites, through the official Python
gRPC client (grpcio from Debian).

Verify.Server runs with `--contentRoot <folder>` (and its working directory there), where
`<folder>/appsettings.json` is a copy of src/Verify.Server/appsettings.json plus a Verify:Limits
section with a Global ceiling. ASP.NET Core reloads that file on change. The ceiling is the one limit
a shared server cannot isolate (test_limits.py proves the others), so it is proven here: exactly N
starts, then refused as `global:1h`; raised in the file, the next start passes without a restart; an
invalid value is refused with a log line naming its key, and the last good ceiling stays in force.
Every file is written atomically (a temporary file renamed over it); a watcher may still fire twice
for one write, which no assertion minds.

The tests are steps of one story and run in order (test_1_..., test_2_...): each step leaves the
ceiling where the next expects it. Needs redis-server on PATH and VERIFY_SERVER_DLL (see test_verify_e2e.py)."""

import base64
import copy
import itertools
import json
import os
import re
import shutil
import tempfile
import time
import unittest
import urllib.request

import grpc

import verify_e2e_support as support
import verify_interop

TIMEOUT = 10  # seconds; every call is bounded
RELOAD_WAIT = 15.0  # seconds; a change to the file takes effect within this
CEILING = 3  # the Global ceiling at start, per hour
RAISED = 5  # the ceiling after the first change
HOUR_RETRY = (3500, 3601)

BASE_SETTINGS = os.path.join(verify_interop.REPO_ROOT, "src", "Verify.Server", "appsettings.json")
REFUSED_LINE = "Configuration reload refused, the previous limits stay in force:"

ENV = {
    "Verify__Hashing__ActiveKeyId": "k1",
    "Verify__Hashing__Keys__k1": base64.b64encode(os.urandom(32)).decode(),
}

pb = None
redis = None
capture = None
server = None
folder = None
_prefixes = itertools.count(1000)


def settings_with(global_windows):
    """src/Verify.Server/appsettings.json plus Verify:Limits:Global = global_windows."""
    with open(BASE_SETTINGS, encoding="utf-8") as f:
        settings = json.load(f)
    settings = copy.deepcopy(settings)
    settings.setdefault("Verify", {})["Limits"] = {"Global": global_windows}
    return settings


def write_settings(settings):
    """Writes <folder>/appsettings.json atomically: a temporary file in the folder, renamed over it."""
    path = os.path.join(folder, "appsettings.json")
    temporary = os.path.join(folder, ".appsettings.json.tmp")
    with open(temporary, "w", encoding="utf-8") as f:
        json.dump(settings, f, indent=2)
        f.flush()
        os.fsync(f.fileno())
    os.replace(temporary, path)


def ceiling(max_, window="01:00:00"):
    return [{"Window": window, "Max": max_}]


def setUpModule():
    global pb, redis, capture, server, folder
    pb = support.generate_modules()
    dll = support.require_verify_server_dll()
    folder = tempfile.mkdtemp(prefix="verify-limits-reload-")
    try:
        write_settings(settings_with(ceiling(CEILING)))
        redis = support.RedisServer("--maxmemory-policy", "noeviction")
        env = dict(ENV)
        env.update(support.redis_env(redis))
        capture = support.CaptureServer()
        server = support.VerifyServer(dll, capture.url, env, args=("--contentRoot", folder), cwd=folder)
    except Exception:
        tearDownModule()
        raise


def tearDownModule():
    for part in (server, capture, redis):
        if part is not None:
            part.stop()
    if folder:
        shutil.rmtree(folder, ignore_errors=True)


def new_number():
    """A CN number alone in its prefix (the prefix and number limits stay out of the way)."""
    return f"+86139{next(_prefixes):04d}4321"


class GlobalCeilingReloadTests(unittest.TestCase):

    def setUp(self):
        self.v = pb.verify
        self.channel = grpc.insecure_channel(server.address)
        self.client = support.VerifyClient(self.channel, self.v)

    def tearDown(self):
        self.channel.close()

    # --- helpers ---------------------------------------------------------------------------------

    def start(self, number):
        return self.client.start(self.v.StartVerificationRequest(phone_number=number, purpose="signup"), timeout=TIMEOUT)

    def assert_started(self, number):
        verification = self.start(number).verification
        self.assertEqual([verification.id], [m["verification_id"] for m in capture.to(number)])

    def assert_ceiling_refuses(self):
        number = new_number()
        with self.assertRaises(grpc.RpcError) as raised:
            self.start(number)
        error = raised.exception
        self.assertEqual(grpc.StatusCode.RESOURCE_EXHAUSTED, error.code(), error.details())
        details = support.unpack_details(error, pb)
        self.assertEqual(["global:1h"], [v.subject for v in details["QuotaFailure"].violations], error.details())
        delay = details["RetryInfo"].retry_delay.ToTimedelta().total_seconds()
        self.assertTrue(HOUR_RETRY[0] <= delay <= HOUR_RETRY[1], f"retry_delay {delay} s")
        self.assertEqual([], capture.to(number), "a start refused by the ceiling sent an SMS")

    def sent(self):
        return len(capture.all())

    def wait_for_log(self, text, after):
        """The log lines containing text that appeared after the first `after` characters of the log."""
        deadline = time.monotonic() + RELOAD_WAIT
        while time.monotonic() < deadline:
            lines = [line for line in server.log()[after:].splitlines() if text in line]
            if lines:
                return lines
            time.sleep(0.1)
        self.fail(f"no log line with {text!r} within {RELOAD_WAIT} s; log since:\n{server.log()[after:]}")

    def metrics(self):
        url = f"http://127.0.0.1:{server.http_port}/metrics"
        with urllib.request.urlopen(url, timeout=TIMEOUT) as response:
            text = response.read().decode()
        samples = []
        for line in text.splitlines():
            match = re.match(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)$', line)
            if match and not line.startswith("#"):
                labels = dict(re.findall(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"', match.group(2) or ""))
                samples.append((match.group(1), labels, float(match.group(3))))
        return samples

    def reloads(self, result):
        return sum(value for name, labels, value in self.metrics()
                   if name == "verify_config_reloads_total" and labels.get("section") == "limits" and labels.get("result") == result)

    # --- the story -------------------------------------------------------------------------------

    def test_1_global_ceiling_allows_exactly_n_starts(self):
        for _ in range(CEILING):
            self.assert_started(new_number())
        self.assert_ceiling_refuses()
        self.assertEqual(CEILING, self.sent())

    def test_2_raised_ceiling_applies_without_a_restart(self):
        self.assertEqual(CEILING, self.sent(), "step 1 did not leave the ceiling full")
        accepted_before = self.reloads("accepted")
        log_mark = len(server.log())
        write_settings(settings_with(ceiling(RAISED)))

        # Bounded: until the new ceiling is in force, each start is refused and counts nothing.
        deadline = time.monotonic() + RELOAD_WAIT
        while True:
            number = new_number()
            try:
                self.start(number)
                break
            except grpc.RpcError as error:
                self.assertEqual(grpc.StatusCode.RESOURCE_EXHAUSTED, error.code(), error.details())
                self.assertEqual([], capture.to(number))
                if time.monotonic() > deadline:
                    self.fail(f"the raised ceiling was not in force within {RELOAD_WAIT} s; log:\n{server.log()[log_mark:]}")
                time.sleep(0.2)
        self.assertEqual(1, len(capture.to(number)))
        for _ in range(RAISED - CEILING - 1):
            self.assert_started(new_number())
        self.assert_ceiling_refuses()
        self.assertEqual(RAISED, self.sent())
        self.wait_for_log("limits reloaded", log_mark)
        self.assertGreater(self.reloads("accepted"), accepted_before)

    def test_3_invalid_window_is_refused_and_the_old_ceiling_stays(self):
        self.assertEqual(RAISED, self.sent(), "step 2 did not leave the raised ceiling full")
        refused_before = self.reloads("refused")
        log_mark = len(server.log())
        # Were this applied, a window of zero would let every start through (nothing is ever in it).
        write_settings(settings_with(ceiling(1000, window="00:00:00")))
        self.wait_for_log(REFUSED_LINE, log_mark)
        time.sleep(0.5)  # a second change event of the same write, if any, is handled too
        self.assert_ceiling_refuses()
        self.assertEqual(RAISED, self.sent())
        self.assertGreater(self.reloads("refused"), refused_before)

    def test_4_invalid_max_is_refused_and_the_old_ceiling_stays(self):
        self.assertEqual(RAISED, self.sent(), "step 3 did not leave the raised ceiling full")
        log_mark = len(server.log())
        write_settings(settings_with(ceiling(0)))
        self.wait_for_log(REFUSED_LINE, log_mark)
        self.assert_ceiling_refuses()
        self.assertEqual(RAISED, self.sent())

    def test_5_refusal_log_lines_name_the_keys(self):
        # docs/limits.md: "An invalid change is refused with one log line per problem, each naming its
        # key, e.g. `... in force: Verify:Limits:Prefix:0:Max: …`". Steps 3 and 4 made two such changes.
        lines = [line for line in server.log().splitlines() if REFUSED_LINE in line]
        self.assertTrue(lines, "no refused reload was logged (steps 3 and 4)")
        for key in ("Verify:Limits:Global:0:Window", "Verify:Limits:Global:0:Max"):
            with self.subTest(key=key):
                self.assertTrue(any(f"{REFUSED_LINE} {key}:" in line for line in lines),
                                f"no refusal line names {key}; the refusal lines:\n" + "\n".join(lines))

    def test_6_metrics_count_accepted_and_refused_limit_reloads(self):
        self.assertGreaterEqual(self.reloads("accepted"), 1)
        self.assertGreaterEqual(self.reloads("refused"), 1)
        names = [(name, labels) for name, labels, _ in self.metrics() if name == "verify_config_reloads_total"]
        self.assertIn(("verify_config_reloads_total", {"result": "accepted", "section": "limits"}), names)
        self.assertIn(("verify_config_reloads_total", {"result": "refused", "section": "limits"}), names)


if __name__ == "__main__":
    unittest.main()
