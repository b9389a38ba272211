"""Verify's limits change while they run (docs/limits.md): two Verify.Server replicas on one
redis-server, whose configuration lives in one appsettings.json this test writes and rewrites, through
the official Python gRPC client (grpcio from Debian).

Each replica runs with `--contentRoot <folder>` (and its working directory there), where
`<folder>/appsettings.json` is a copy of src/Verify.Server/appsettings.json plus a Verify:Limits
section with a Global ceiling. ASP.NET Core reloads that file on change. The ceiling is the one limit
a shared server cannot isolate (test_limits.py proves the others), so it is proven here: of 50
concurrent starts over both replicas exactly N pass, the rest refused as `global:1h`; raised in the file, the next start passes without a restart; an
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
BURST = 50  # concurrent starts over both replicas
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
server = None  # replica A: its log and metrics are read
server_b = None
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
    global pb, redis, capture, server, server_b, folder
    pb = support.generate_modules()
    dll = support.require_verify_server_dll()
    folder = tempfile.mkdtemp(prefix="verify-limits-reload-")
    try:
        write_settings(settings_with(ceiling(CEILING)))
        redis = support.RedisServer("--maxmemory-policy", "noeviction")
        env = dict(ENV)
        env.update(support.redis_env(redis))
        capture = support.CaptureServer()
        # One capture server is both replicas' SMS provider: what either sends is counted once.
        server = support.VerifyServer(dll, capture.url, env, args=("--contentRoot", folder), cwd=folder)
        server_b = support.VerifyServer(dll, capture.url, env, args=("--contentRoot", folder), cwd=folder)
    except Exception:
        tearDownModule()
        raise


def tearDownModule():
    for part in (server_b, server, capture, redis):
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
        self.channels = [grpc.insecure_channel(replica.address) for replica in (server, server_b)]
        self.clients = [support.VerifyClient(channel, self.v) for channel in self.channels]

    def tearDown(self):
        for channel in self.channels:
            channel.close()

    # --- helpers ---------------------------------------------------------------------------------

    def request(self, number):
        return self.v.StartVerificationRequest(phone_number=number, purpose="signup", client_ip=support.end_user_ip())

    def start(self, number, replica=0):
        return self.clients[replica].start(self.request(number), timeout=TIMEOUT)

    def assert_started(self, number, replica=0):
        verification = self.start(number, replica).verification
        self.assertEqual([verification.id], [m["verification_id"] for m in capture.to(number)])

    def assert_ceiling_refuses(self):
        """A new number is refused by global:1h on each replica, and gets no SMS."""
        for replica in (0, 1):
            with self.subTest(replica="AB"[replica]):
                number = new_number()
                self.assert_refused(self.rpc_error(number, replica), number)

    def rpc_error(self, number, replica):
        with self.assertRaises(grpc.RpcError) as raised:
            self.start(number, replica)
        return raised.exception

    def assert_refused(self, error, number=None):
        self.assertEqual(grpc.StatusCode.RESOURCE_EXHAUSTED, error.code(), error.details())
        details = support.unpack_details(error, pb)
        self.assertEqual(["global:1h"], [v.subject for v in details["QuotaFailure"].violations], error.details())
        delay = details["RetryInfo"].retry_delay.ToTimedelta().total_seconds()
        self.assertTrue(HOUR_RETRY[0] <= delay <= HOUR_RETRY[1], f"retry_delay {delay} s")
        if number is not None:
            self.assertEqual([], capture.to(number), "a start refused by the ceiling sent an SMS")

    def sent(self):
        return len(capture.all())

    def wait_for_log(self, text, after, replica=None):
        """The log lines of replica (A by default) containing text that appeared after the first
        `after` characters of its log."""
        replica = replica or server
        deadline = time.monotonic() + RELOAD_WAIT
        while time.monotonic() < deadline:
            lines = [line for line in replica.log()[after:].splitlines() if text in line]
            if lines:
                return lines
            time.sleep(0.1)
        self.fail(f"no log line with {text!r} within {RELOAD_WAIT} s; log since:\n{replica.log()[after:]}")

    def log_marks(self):
        return [len(replica.log()) for replica in (server, server_b)]

    def wait_for_both(self, text, marks):
        for replica, mark in zip((server, server_b), marks):
            self.wait_for_log(text, mark, replica)

    def metrics(self):
        url = f"http://127.0.0.1:{server.management_port}/metrics"
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

    def test_1_global_ceiling_admits_exactly_n_of_a_concurrent_burst_over_both_replicas(self):
        numbers = [new_number() for _ in range(BURST)]
        calls = [(number, self.clients[i % 2].start.future(self.request(number), timeout=TIMEOUT))
                 for i, number in enumerate(numbers)]
        passed, refused = [], []
        for number, call in calls:
            try:
                passed.append((number, call.result().verification.id))
            except grpc.RpcError as error:
                refused.append((number, error))
        self.assertEqual(CEILING, len(passed), f"{len(passed)} of {BURST} concurrent starts passed; refused: "
                         + repr(sorted({(e.code().name, e.details()) for _, e in refused})))
        for number, error in refused:
            self.assert_refused(error, number)
        for number, verification_id in passed:
            self.assertEqual([verification_id], [m["verification_id"] for m in capture.to(number)])
        self.assertEqual(CEILING, self.sent())
        self.assert_ceiling_refuses()

    def test_2_raised_ceiling_applies_without_a_restart(self):
        self.assertEqual(CEILING, self.sent(), "step 1 did not leave the ceiling full")
        accepted_before = self.reloads("accepted")
        marks = self.log_marks()
        write_settings(settings_with(ceiling(RAISED)))

        # Bounded: until the new ceiling is in force, each start is refused and counts nothing.
        deadline = time.monotonic() + RELOAD_WAIT
        while True:
            number = new_number()
            try:
                self.start(number, replica=1)
                break
            except grpc.RpcError as error:
                self.assertEqual(grpc.StatusCode.RESOURCE_EXHAUSTED, error.code(), error.details())
                self.assertEqual([], capture.to(number))
                if time.monotonic() > deadline:
                    self.fail(f"the raised ceiling was not in force within {RELOAD_WAIT} s; B's log:\n{server_b.log()[marks[1]:]}")
                time.sleep(0.2)
        self.assertEqual(1, len(capture.to(number)))
        self.wait_for_both("limits reloaded", marks)
        # The sequential form: up to the raised ceiling, alternating replicas, then both refuse.
        for i in range(RAISED - CEILING - 1):
            self.assert_started(new_number(), replica=i % 2)
        self.assert_ceiling_refuses()
        self.assertEqual(RAISED, self.sent())
        self.assertGreater(self.reloads("accepted"), accepted_before)

    def test_3_invalid_window_is_refused_and_the_old_ceiling_stays(self):
        self.assertEqual(RAISED, self.sent(), "step 2 did not leave the raised ceiling full")
        refused_before = self.reloads("refused")
        marks = self.log_marks()
        # Were this applied, a window of zero would let every start through (nothing is ever in it).
        write_settings(settings_with(ceiling(1000, window="00:00:00")))
        self.wait_for_both(REFUSED_LINE, marks)
        time.sleep(0.5)  # a second change event of the same write, if any, is handled too
        self.assert_ceiling_refuses()
        self.assertEqual(RAISED, self.sent())
        self.assertGreater(self.reloads("refused"), refused_before)

    def test_4_invalid_max_is_refused_and_the_old_ceiling_stays(self):
        self.assertEqual(RAISED, self.sent(), "step 3 did not leave the raised ceiling full")
        marks = self.log_marks()
        write_settings(settings_with(ceiling(0)))
        self.wait_for_both(REFUSED_LINE, marks)
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
