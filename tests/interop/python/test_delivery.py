"""Delivery through several providers (docs/delivery.md), end to end: a real Verify.Server whose
providers are webhooks pointed at capture servers in this process, called with the official Python
gRPC client (grpcio from Debian).

Each purpose has its own route, so the scenarios keep out of each other's way:
  dfail  → pfail (answers 500 to everything), then backup
  dhang  → phang (holds every answer 5 s; its timeout is 0.5 s), then backup
  dbreak → pbreak (fails on cue; its breaker opens after 3 failures and lets a trial through after 1 s), then backup
  dall   → pfail only
  calls  → twilio (a Twilio provider pointed at FakeTwilio, an HTTP server in this process that
           answers as Twilio's REST API does)
  others → backup
Receipts: the webhook provider "backup" takes signed receipts at /delivery/receipts/backup; the
Twilio provider takes status callbacks signed with X-Twilio-Signature for the public URL Verify
told Twilio (Verify:Delivery:PublicBaseUrl, an ingress address: the test posts to the real port).

With E2E_STORE=redis, Verify keeps its state on a real redis-server. Needs VERIFY_SERVER_DLL (see
test_verify_e2e.py)."""

import base64
import hashlib
import hmac
import http.server
import itertools
import json
import os
import re
import threading
import time
import unittest
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree

import grpc

import verify_e2e_support as support

TIMEOUT = 10  # seconds; every call is bounded
HANG_TIMEOUT = 0.5  # Verify:Delivery:Providers:phang:Timeout
BREAK_SECONDS = 1.0  # Verify:Delivery:Providers:pbreak:Breaker:BreakDuration
BREAKER_THROUGHPUT = 3  # Verify:Delivery:Providers:pbreak:Breaker:MinimumThroughput
PUBLIC_BASE_URL = "https://verify.example.test/"
TWILIO_SID = "AC" + "0123456789abcdef" * 2
TWILIO_TOKEN = "twilio-auth-token-for-tests"
TWILIO_VOICE_FROM = "+15005550006"

captures = {}
twilio = None
server = None
pb = None
redis = None  # E2E_STORE=redis: Verify on a real redis-server (tests/run-all.sh runs both)
_numbers = itertools.count(1000)


def provider_env(name, capture, **settings):
    env = {
        f"Verify__Delivery__Providers__{name}__Type": "webhook",
        f"Verify__Delivery__Providers__{name}__Url": capture.url,
        f"Verify__Delivery__Providers__{name}__SigningSecret": support.SIGNING_SECRET,
    }
    env.update({f"Verify__Delivery__Providers__{name}__{key}": value for key, value in settings.items()})
    return env


def route_env(index, providers, purpose=None):
    env = {f"Verify__Delivery__Routes__{index}__Providers__{i}": name for i, name in enumerate(providers)}
    if purpose:
        env[f"Verify__Delivery__Routes__{index}__Purposes__0"] = purpose
    return env


class FakeTwilio:
    """Answers POST /2010-04-01/Accounts/{sid}/Calls.json (and Messages.json) as Twilio does: 201 with
    the new resource's sid, after checking HTTP Basic auth; keeps every form it took."""

    def __init__(self):
        self._lock = threading.Lock()
        self.requests = []  # (path, {field: value})
        fake = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
                expected = "Basic " + base64.b64encode(f"{TWILIO_SID}:{TWILIO_TOKEN}".encode()).decode()
                if self.headers.get("Authorization") != expected:
                    return self._answer(401, {"code": 20003, "message": "Authenticate", "status": 401})
                form = dict(urllib.parse.parse_qsl(body, keep_blank_values=True))
                kind = "CA" if self.path.endswith("/Calls.json") else "SM"
                with fake._lock:
                    sid = f"{kind}{len(fake.requests):032x}"
                    fake.requests.append((self.path, form))
                self._answer(201, {"sid": sid, "status": "queued"})

            def _answer(self, status, payload):
                body = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
        self._thread.start()

    def calls_to(self, number):
        with self._lock:
            return [form for path, form in self.requests if path.endswith("/Calls.json") and form.get("To") == number]

    def sid_of_call(self, number):
        """The sid this server gave the last call to number."""
        with self._lock:
            index = [i for i, (path, form) in enumerate(self.requests) if path.endswith("/Calls.json") and form.get("To") == number][-1]
        return f"CA{index:032x}"

    def stop(self):
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


def twilio_signature(url, params):
    """X-Twilio-Signature as Twilio computes it: Base64(HMAC-SHA1(auth token, URL + each POST
    parameter's name and value, sorted by name))."""
    data = url + "".join(name + params[name] for name in sorted(params))
    return base64.b64encode(hmac.new(TWILIO_TOKEN.encode(), data.encode(), hashlib.sha1).digest()).decode()


def setUpModule():
    global server, pb, redis, twilio
    pb = support.generate_modules()
    dll = support.require_verify_server_dll()
    try:
        env = {}
        if os.environ.get("E2E_STORE") == "redis":
            redis = support.RedisServer("--maxmemory-policy", "noeviction")
            env.update(support.redis_env(redis))
        for name in ("pfail", "phang", "pbreak", "backup"):
            captures[name] = support.CaptureServer()
        captures["pfail"].fail_all = True
        captures["phang"].delay = 5.0
        env.update(provider_env("pfail", captures["pfail"]))
        env.update(provider_env("phang", captures["phang"], Timeout="00:00:00.5"))
        env.update(provider_env("pbreak", captures["pbreak"], **{
            "Breaker__MinimumThroughput": str(BREAKER_THROUGHPUT), "Breaker__FailureRatio": "0.5",
            "Breaker__SamplingDuration": "00:00:30", "Breaker__BreakDuration": "00:00:01"}))
        env.update(provider_env("backup", captures["backup"]))
        env.update(route_env(0, ["pfail", "backup"], "dfail"))
        env.update(route_env(1, ["phang", "backup"], "dhang"))
        env.update(route_env(2, ["pbreak", "backup"], "dbreak"))
        env.update(route_env(3, ["pfail"], "dall"))
        env.update(route_env(4, ["backup"]))
        twilio = FakeTwilio()
        env.update({
            "Verify__Delivery__PublicBaseUrl": PUBLIC_BASE_URL,
            "Verify__Delivery__Providers__twilio__Type": "twilio",
            "Verify__Delivery__Providers__twilio__BaseUrl": twilio.url,
            "Verify__Delivery__Providers__twilio__AccountSid": TWILIO_SID,
            "Verify__Delivery__Providers__twilio__AuthToken": TWILIO_TOKEN,
            "Verify__Delivery__Providers__twilio__From": TWILIO_VOICE_FROM,
            "Verify__Delivery__Providers__twilio__VoiceFrom": TWILIO_VOICE_FROM,
            "Verify__Delivery__Routes__5__Channel": "voice",
            "Verify__Delivery__Routes__5__Countries__0": "US",
            "Verify__Delivery__Routes__5__Providers__0": "twilio",
        })
        for purpose in ("dfail", "dhang", "dbreak", "dall"):
            env[f"Verify__Policies__{purpose}__Enabled"] = "true"
        server = support.VerifyServer(dll, captures["backup"].url, env)
    except Exception:
        tearDownModule()
        raise


def tearDownModule():
    if server is not None:
        server.stop()
    for capture in captures.values():
        capture.stop()
    if twilio is not None:
        twilio.stop()
    if redis is not None:
        redis.stop()


def new_number():
    """A Chinese mobile number no other test of this module uses: +86 136 nnnn 2468."""
    return f"+86136{next(_numbers):04d}2468"


class DeliveryTests(unittest.TestCase):

    def setUp(self):
        self.v = pb.verify
        self.channel = grpc.insecure_channel(server.address)
        self.client = support.VerifyClient(self.channel, self.v)

    def tearDown(self):
        self.channel.close()

    def start(self, number, purpose, **fields):
        fields.setdefault("client_ip", support.end_user_ip())
        return self.client.start(self.v.StartVerificationRequest(phone_number=number, purpose=purpose, **fields), timeout=TIMEOUT).verification

    def metrics(self):
        with urllib.request.urlopen(f"http://127.0.0.1:{server.management_port}/metrics", timeout=TIMEOUT) as response:
            return response.read().decode()

    def metric(self, name, **labels):
        """The value of the one sample of `name` whose labels include `labels` (0 when there is none)."""
        total = 0.0
        for line in self.metrics().splitlines():
            match = re.match(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)$', line)
            if not match or match.group(1) != name:
                continue
            sample = dict(re.findall(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"', match.group(2) or ""))
            if all(sample.get(k) == v for k, v in labels.items()):
                total += float(match.group(3))
        return total

    def test_refusing_provider_fails_over_to_the_next_which_sends_the_code(self):
        number = new_number()
        refused_before = len(captures["pfail"].refused(number))

        verification = self.start(number, "dfail")

        # pfail was tried first: once and its two retries (webhook Retries default 2), one Idempotency-Key.
        tried = captures["pfail"].refused(number)[refused_before:]
        self.assertEqual(3, len(tried), "pfail was not tried first")
        self.assertEqual(1, len({m.headers.get("Idempotency-Key") for m in tried}))
        sent = captures["backup"].to(number)
        self.assertEqual([verification.id], [m["verification_id"] for m in sent])
        self.assertEqual(self.v.DELIVERY_STATUS_SENT, verification.delivery_status)

    def test_hanging_provider_is_given_up_after_its_timeout_and_the_next_sends(self):
        number = new_number()
        began = time.monotonic()

        verification = self.start(number, "dhang")

        elapsed = time.monotonic() - began
        self.assertEqual(1, len([m for m in captures["phang"].all() if m["to"] == number]), "phang was not tried first")
        self.assertEqual([verification.id], [m["verification_id"] for m in captures["backup"].to(number)])
        # Not before phang's timeout, and long before phang would have answered (5 s).
        self.assertGreaterEqual(elapsed, HANG_TIMEOUT - 0.05)
        self.assertLess(elapsed, 4.0)

    def test_breaker_opens_after_repeated_failures_skips_the_provider_then_a_trial_closes_it(self):
        pbreak = captures["pbreak"]
        pbreak.fail_all = True
        try:
            for _ in range(BREAKER_THROUGHPUT):
                number = new_number()
                self.start(number, "dbreak")
                self.assertEqual(1, len(captures["backup"].to(number)))
            tried = pbreak.received()

            number = new_number()
            self.start(number, "dbreak")
            self.assertEqual(tried, pbreak.received(), "the open breaker let a send through to pbreak")
            self.assertEqual(1, len(captures["backup"].to(number)))
            self.assertEqual(1, self.metric("verify_delivery_breaker_total", provider="pbreak", state="opened"))
            self.assertGreaterEqual(self.metric("verify_delivery_attempts_total", provider="pbreak", result="open"), 1)
        finally:
            pbreak.fail_all = False

        time.sleep(BREAK_SECONDS + 0.3)
        number = new_number()
        verification = self.start(number, "dbreak")
        self.assertEqual([verification.id], [m["verification_id"] for m in pbreak.to(number)], "the trial send did not go to pbreak")
        self.assertEqual([], captures["backup"].to(number))
        self.assertEqual(1, self.metric("verify_delivery_breaker_total", provider="pbreak", state="closed"))

    def test_every_provider_failing_is_unavailable_and_counts_nothing(self):
        number = new_number()
        with self.assertRaises(grpc.RpcError) as raised:
            self.start(number, "dall")
        self.assertEqual(grpc.StatusCode.UNAVAILABLE, raised.exception.code())
        self.assertEqual("DELIVERY_FAILED", support.unpack_details(raised.exception, pb)["ErrorInfo"].reason)
        # The send was refunded: no cooldown stands in the way of the next start.
        with self.assertRaises(grpc.RpcError) as again:
            self.start(number, "dall")
        self.assertEqual(grpc.StatusCode.UNAVAILABLE, again.exception.code())
        # Two sends, each tried once with its two retries, each under its own Idempotency-Key.
        refused = captures["pfail"].refused(number)
        self.assertEqual(6, len(refused))
        self.assertEqual(2, len({m.headers.get("Idempotency-Key") for m in refused}))

    def test_voice_without_a_provider_that_calls_is_invalid_argument_and_sends_nothing(self):
        number = new_number()
        with self.assertRaises(grpc.RpcError) as raised:
            self.start(number, "login", channel=self.v.CHANNEL_VOICE)
        error = raised.exception
        self.assertEqual(grpc.StatusCode.INVALID_ARGUMENT, error.code())
        violations = support.unpack_details(error, pb)["BadRequest"].field_violations
        self.assertEqual(["channel"], [v.field for v in violations])
        self.assertIn("no provider is configured to call numbers in CN", violations[0].description)
        self.assertEqual(0, sum(len(c.to(number)) + len(c.refused(number)) for c in captures.values()))
        # Nothing was counted: a text goes out at once.
        self.start(number, "login")

    def post_receipt(self, provider, receipts, secret=support.SIGNING_SECRET, timestamp=None):
        """POSTs receipts to Verify as the receiver of the webhook would, signed with secret; returns the HTTP status."""
        body = json.dumps(receipts).encode()
        t = str(int(timestamp if timestamp is not None else time.time()))
        signature = hmac.new(secret.encode(), t.encode() + b"." + body, hashlib.sha256).hexdigest()
        request = urllib.request.Request(
            f"http://127.0.0.1:{server.http_port}/delivery/receipts/{provider}", data=body, method="POST",
            headers={"Content-Type": "application/json", support.SIGNATURE_HEADER: f"t={t},v1={signature}"})
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    def get(self, verification_id):
        return self.client.get(self.v.GetVerificationRequest(verification_id=verification_id), timeout=TIMEOUT)

    def test_signed_receipt_moves_delivery_status_to_delivered_and_is_counted(self):
        number = new_number()
        verification = self.start(number, "login")
        message = captures["backup"].to(number)[0]
        delivered_before = self.metric("verify_delivery_receipts_total", provider="backup", country="CN", status="delivered")

        status = self.post_receipt("backup", {"message_id": message.message_id, "status": "delivered"})

        self.assertEqual(204, status)
        self.assertEqual(self.v.DELIVERY_STATUS_DELIVERED, self.get(verification.id).delivery_status)
        self.assertEqual(delivered_before + 1, self.metric("verify_delivery_receipts_total", provider="backup", country="CN", status="delivered"))
        self.assertGreaterEqual(self.metric("verify_delivery_latency_seconds_count", provider="backup", country="CN"), 1)
        # A late "sent" does not take it back.
        self.assertEqual(204, self.post_receipt("backup", {"message_id": message.message_id, "status": "sent"}))
        self.assertEqual(self.v.DELIVERY_STATUS_DELIVERED, self.get(verification.id).delivery_status)

    def test_undelivered_receipt_shows_undelivered(self):
        number = new_number()
        verification = self.start(number, "login")
        message = captures["backup"].to(number)[0]

        self.assertEqual(204, self.post_receipt("backup", [{"message_id": message.message_id, "status": "undelivered", "error_code": "30003"}]))

        self.assertEqual(self.v.DELIVERY_STATUS_UNDELIVERED, self.get(verification.id).delivery_status)

    def test_forged_or_replayed_receipt_is_refused_and_changes_nothing(self):
        number = new_number()
        verification = self.start(number, "login")
        message = captures["backup"].to(number)[0]
        receipt = {"message_id": message.message_id, "status": "undelivered"}

        self.assertEqual(401, self.post_receipt("backup", receipt, secret="someone-elses-secret-123"))
        self.assertEqual(401, self.post_receipt("backup", receipt, timestamp=time.time() - 3600))

        self.assertEqual(self.v.DELIVERY_STATUS_SENT, self.get(verification.id).delivery_status)

    def post_twilio_callback(self, params, signature=None):
        url = PUBLIC_BASE_URL + "delivery/receipts/twilio"
        request = urllib.request.Request(
            f"http://127.0.0.1:{server.http_port}/delivery/receipts/twilio", data=urllib.parse.urlencode(params).encode(), method="POST",
            headers={"Content-Type": "application/x-www-form-urlencoded", "X-Twilio-Signature": signature or twilio_signature(url, params)})
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    def test_voice_call_speaks_the_code_which_checks_and_its_completed_callback_shows_delivered(self):
        number = "+12025550143"

        verification = self.start(number, "login", channel=self.v.CHANNEL_VOICE)

        self.assertEqual(self.v.CHANNEL_VOICE, verification.channel)
        call = twilio.calls_to(number)
        self.assertEqual(1, len(call), "no call was placed through Twilio")
        form = call[0]
        self.assertEqual(TWILIO_VOICE_FROM, form["From"])
        self.assertEqual(PUBLIC_BASE_URL + "delivery/receipts/twilio", form["StatusCallback"])
        says = [say.text for say in xml.etree.ElementTree.fromstring(form["Twiml"]).iter("Say")]
        self.assertEqual(2, len(says), form["Twiml"])
        spoken = re.search(r"is ((?:\d, )+\d)\.$", says[0]).group(1)
        code = spoken.replace(", ", "")
        self.assertTrue(says[1].endswith(spoken + "."), says[1])
        # No text message went anywhere.
        self.assertEqual(0, sum(len(c.to(number)) for c in captures.values()))

        callback = {"CallSid": twilio.sid_of_call(number), "AccountSid": TWILIO_SID, "CallStatus": "completed", "To": number}
        self.assertEqual(403, self.post_twilio_callback(callback, signature="bm90IGEgc2lnbmF0dXJl"))
        self.assertEqual(self.v.DELIVERY_STATUS_SENT, self.get(verification.id).delivery_status)
        self.assertEqual(204, self.post_twilio_callback(callback))
        got = self.get(verification.id)
        self.assertEqual(self.v.DELIVERY_STATUS_DELIVERED, got.delivery_status)
        self.assertEqual(self.v.CHANNEL_VOICE, got.channel)

        checked = self.client.check(self.v.CheckVerificationRequest(client_ip=support.end_user_ip(), verification_id=verification.id, code=code), timeout=TIMEOUT)
        self.assertTrue(checked.valid)


    def test_oversized_receipt_body_is_refused_unread(self):
        body = json.dumps([{"message_id": "x" * 100, "status": "delivered"}] * 3000).encode()
        self.assertGreater(len(body), 256 * 1024)
        request = urllib.request.Request(f"http://127.0.0.1:{server.http_port}/delivery/receipts/backup", data=body, method="POST",
                                         headers={"Content-Type": "application/json", support.SIGNATURE_HEADER: "t=1,v1=00"})
        with self.assertRaises(urllib.error.HTTPError) as raised:
            urllib.request.urlopen(request, timeout=TIMEOUT)
        self.assertEqual(413, raised.exception.code)

    def test_receipts_for_an_unknown_provider_are_not_found(self):
        request = urllib.request.Request(f"http://127.0.0.1:{server.http_port}/delivery/receipts/nobody", data=b"[]", method="POST")
        with self.assertRaises(urllib.error.HTTPError) as raised:
            urllib.request.urlopen(request, timeout=TIMEOUT)
        self.assertEqual(404, raised.exception.code)

    def test_attempts_are_counted_per_provider_and_result(self):
        self.start(new_number(), "dfail")
        self.assertGreaterEqual(self.metric("verify_delivery_attempts_total", provider="pfail", result="failed"), 1)
        self.assertGreaterEqual(self.metric("verify_delivery_attempts_total", provider="backup", result="accepted"), 1)
        self.assertGreaterEqual(self.metric("verify_sms_sent_total", sender="backup", result="ok"), 1)


if __name__ == "__main__":
    unittest.main()
