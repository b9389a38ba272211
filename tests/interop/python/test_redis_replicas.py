"""Two Verify.Server replicas on one redis-server behave as one service, through the official Python
gRPC client (grpcio from Debian).

Each replica has its own capture server (its SMS provider), so a test can tell which replica sent
what. Both share one HMAC key (Verify:Hashing), as replicas of one deployment must: a code hashed by
one is checked by the other. Needs redis-server on PATH and VERIFY_SERVER_DLL (see test_verify_e2e.py)."""

import base64
import itertools
import os
import unittest

import grpc

import verify_e2e_support as support

TIMEOUT = 10  # seconds; every call is bounded

IP_LIMIT = 10
CONCURRENT_STARTS = 40
# The longest retry_delay a refused start may carry for a 1 h window. A replica reads its clock when a
# call arrives, before the call reaches Redis, so under concurrency a refused call's clock can be a few
# ms older than the newest entry of the window, and the delay, rounded up to whole seconds, can be 3601.
HOUR_RETRY_MAX = 3601

ENV = {
    # One key for both replicas (base64 of 32 random bytes per run).
    "Verify__Hashing__ActiveKeyId": "replicas",
    "Verify__Hashing__Keys__replicas": base64.b64encode(os.urandom(32)).decode(),
    # At most IP_LIMIT sends an hour from one client IP; no cooldown (every number is new anyway).
    "Verify__Policies__replip__ResendCooldown": "00:00:00",
    "Verify__Policies__replip__IpLimits__0__Window": "01:00:00",
    "Verify__Policies__replip__IpLimits__0__Max": str(IP_LIMIT),
    # No cooldown, so a resend can go through the other replica at once.
    "Verify__Policies__replresend__ResendCooldown": "00:00:00",
    "Verify__Health__ProbeInterval": "00:00:01",
}

redis = None
replicas = []  # [(capture, server)] for A and B
pb = None
_numbers = itertools.count(1000)


def setUpModule():
    global redis, pb
    pb = support.generate_modules()
    dll = support.require_verify_server_dll()
    try:
        redis = support.RedisServer("--maxmemory-policy", "noeviction")
        env = dict(ENV)
        env.update(support.redis_env(redis))
        support.start_replicas(dll, env, replicas)
    except Exception:
        tearDownModule()
        raise


def tearDownModule():
    support.stop_replicas(replicas)
    if redis is not None:
        redis.stop()


def new_number():
    """A Chinese mobile number no other test of this module uses: +86 139 nnnn 4321."""
    return f"+86139{next(_numbers):04d}4321"


wrong_code = support.wrong_code


def rich_status(error):
    return support.rich_status(error, pb)


def unpack_details(error):
    return support.unpack_details(error, pb)


class RedisReplicaTests(unittest.TestCase):

    def setUp(self):
        self.v = pb.verify
        self.channels = [grpc.insecure_channel(server.address) for _, server in replicas]
        self.a, self.b = (support.NamedVerifyClient(name, channel, capture, pb.verify)
                          for name, channel, (capture, _) in zip("AB", self.channels, replicas))

    def tearDown(self):
        for channel in self.channels:
            channel.close()

    # --- helpers ---------------------------------------------------------------------------------

    def all_sms(self, number=None):
        """What both providers accepted, optionally only to number."""
        messages = self.a.capture.all() + self.b.capture.all()
        return [m for m in messages if number is None or m["to"] == number]

    def start_and_read_sms(self, client, number, purpose="login", **fields):
        """Starts through client; returns (verification, the one SMS that replica's provider got for it)."""
        before = len(client.capture.to(number))
        fields.setdefault("client_ip", support.end_user_ip())
        request = self.v.StartVerificationRequest(phone_number=number, purpose=purpose, **fields)
        verification = client.start(request, timeout=TIMEOUT).verification
        sms = client.capture.to(number)[before:]
        self.assertEqual(1, len(sms), f"expected one SMS to {number} through replica {client.name}, got {len(sms)}")
        self.assertEqual(verification.id, sms[0]["verification_id"])
        return verification, sms[0]

    def check(self, client, verification_id, code):
        request = self.v.CheckVerificationRequest(verification_id=verification_id, code=code, client_ip=support.end_user_ip())
        return client.check(request, timeout=TIMEOUT)

    def assert_rpc_error(self, code, call, request):
        with self.assertRaises(grpc.RpcError) as raised:
            call(request, timeout=TIMEOUT)
        self.assertEqual(code, raised.exception.code(), raised.exception.details())
        return raised.exception

    def assert_quota_failure(self, error, subject, retry_between):
        details = unpack_details(error)
        self.assertIn("QuotaFailure", details, f"no google.rpc.QuotaFailure in {error.details()!r}")
        self.assertEqual([subject], [v.subject for v in details["QuotaFailure"].violations])
        self.assertIn("RetryInfo", details, f"no google.rpc.RetryInfo in {error.details()!r}")
        delay = details["RetryInfo"].retry_delay.ToTimedelta().total_seconds()
        low, high = retry_between
        self.assertTrue(low <= delay <= high, f"retry_delay {delay} s not in [{low}, {high}]")

    def not_found(self, client, verification_id, code):
        self.assert_rpc_error(grpc.StatusCode.NOT_FOUND, client.check,
                              self.v.CheckVerificationRequest(client_ip=support.end_user_ip(), verification_id=verification_id, code=code))

    # --- cooldown --------------------------------------------------------------------------------

    def test_cooldown_started_on_a_is_enforced_by_b_which_sends_nothing(self):
        number = new_number()
        verification, _ = self.start_and_read_sms(self.a, number)
        error = self.assert_rpc_error(grpc.StatusCode.RESOURCE_EXHAUSTED, self.b.start,
                                      self.v.StartVerificationRequest(client_ip=support.end_user_ip(), phone_number=number, purpose="login"))
        self.assert_quota_failure(error, "phone:cooldown", (55, 60))
        self.assertEqual([], self.b.capture.to(number), "replica B sent an SMS during A's cooldown")
        self.assertEqual(1, len(self.all_sms(number)))
        # B sees the verification A made, unchanged by the refused start.
        live = self.b.get(self.v.GetVerificationRequest(verification_id=verification.id), timeout=TIMEOUT)
        self.assertEqual((1, self.v.VERIFICATION_STATUS_PENDING), (live.send_count, live.status))

    def test_resend_through_b_is_the_same_verification_with_a_new_code(self):
        number = new_number()
        first, first_sms = self.start_and_read_sms(self.a, number, "replresend")
        resent, resent_sms = self.start_and_read_sms(self.b, number, "replresend")
        self.assertEqual(first.id, resent.id)
        self.assertEqual(2, resent.send_count)
        # The resend replaced the code (KeepPreviousCodeOnResend is off): the first SMS no longer works,
        # unless both SMS happen to carry the same code.
        if first_sms.code != resent_sms.code:
            stale = self.check(self.a, first.id, first_sms.code)
            self.assertFalse(stale.valid)
        self.assertTrue(self.check(self.a, first.id, resent_sms.code).valid)

    # --- per-IP window -----------------------------------------------------------------------------

    def test_concurrent_starts_from_one_ip_over_both_replicas_admit_exactly_the_limit(self):
        ip = "203.0.113.77"
        numbers = [new_number() for _ in range(CONCURRENT_STARTS)]
        sms_before = len(self.all_sms())
        clients = [self.a if i % 2 == 0 else self.b for i in range(CONCURRENT_STARTS)]
        calls = [client.start.future(self.v.StartVerificationRequest(phone_number=number, purpose="replip", client_ip=ip),
                                     timeout=TIMEOUT)
                 for client, number in zip(clients, numbers)]
        started, throttled = {}, []
        for number, client, call in zip(numbers, clients, calls):
            try:
                started[number] = (client.name, call.result().verification)
            except grpc.RpcError as error:
                self.assertEqual(grpc.StatusCode.RESOURCE_EXHAUSTED, error.code(), f"{number} via {client.name}: {error.details()}")
                self.assert_quota_failure(error, "ip:1h", (3500, HOUR_RETRY_MAX))
                throttled.append(number)

        self.assertEqual((IP_LIMIT, CONCURRENT_STARTS - IP_LIMIT), (len(started), len(throttled)))
        # Each replica got half of the calls, so with a window per replica up to 2 * IP_LIMIT would pass.
        self.assertEqual(IP_LIMIT, len(self.all_sms()) - sms_before, "SMS sent for the starts of one IP")
        for number, (name, verification) in started.items():
            sms = self.all_sms(number)
            self.assertEqual(1, len(sms), number)
            self.assertEqual(verification.id, sms[0]["verification_id"])
        for number in throttled:
            self.assertEqual([], self.all_sms(number), f"{number} was refused but got an SMS")
        # The window is shared after the burst too: neither replica admits one more.
        for client in (self.a, self.b):
            error = self.assert_rpc_error(grpc.StatusCode.RESOURCE_EXHAUSTED, client.start,
                                          self.v.StartVerificationRequest(phone_number=new_number(), purpose="replip", client_ip=ip))
            self.assert_quota_failure(error, "ip:1h", (3500, HOUR_RETRY_MAX))

    # --- one code, one approval --------------------------------------------------------------------

    def test_code_sent_by_a_checks_valid_on_b_exactly_once(self):
        verification, sms = self.start_and_read_sms(self.a, new_number())
        response = self.check(self.b, verification.id, sms.code)
        self.assertTrue(response.valid)
        self.assertEqual(self.v.VERIFICATION_STATUS_APPROVED, response.status)
        self.assertEqual(verification.id, response.verification.id)
        self.not_found(self.a, verification.id, sms.code)
        self.not_found(self.b, verification.id, sms.code)

    def test_code_sent_by_a_checks_by_phone_and_purpose_on_b(self):
        number = new_number()
        verification, sms = self.start_and_read_sms(self.a, number, "signup")
        response = self.b.check(self.v.CheckVerificationRequest(client_ip=support.end_user_ip(), phone_number=number, purpose="signup", code=sms.code),
                                timeout=TIMEOUT)
        self.assertTrue(response.valid)
        self.assertEqual(verification.id, response.verification.id)
        self.assert_rpc_error(grpc.StatusCode.NOT_FOUND, self.a.check,
                              self.v.CheckVerificationRequest(client_ip=support.end_user_ip(), phone_number=number, purpose="signup", code=sms.code))

    def test_concurrent_right_codes_over_both_replicas_approve_exactly_once(self):
        verification, sms = self.start_and_read_sms(self.b, new_number())
        request = self.v.CheckVerificationRequest(client_ip=support.end_user_ip(), verification_id=verification.id, code=sms.code)
        calls = [(self.a if i % 2 == 0 else self.b).check.future(request, timeout=TIMEOUT) for i in range(40)]
        valid = 0
        for call in calls:
            try:
                response = call.result()
            except grpc.RpcError as error:
                self.assertEqual(grpc.StatusCode.NOT_FOUND, error.code(), error.details())
                continue
            if response.valid:
                valid += 1
                self.assertEqual(self.v.VERIFICATION_STATUS_APPROVED, response.status)
        self.assertEqual(1, valid)

    # --- one attempt counter -----------------------------------------------------------------------

    def test_wrong_codes_alternating_replicas_share_one_attempt_counter(self):
        number = new_number()
        verification, sms = self.start_and_read_sms(self.a, number)
        clients = [self.a, self.b, self.a, self.b, self.a]
        answers = [self.check(client, verification.id, wrong_code(sms.code, i)) for i, client in enumerate(clients, 1)]
        self.assertEqual([4, 3, 2, 1, 0], [a.attempts_remaining for a in answers])
        self.assertEqual([self.v.VERIFICATION_STATUS_PENDING] * 4 + [self.v.VERIFICATION_STATUS_MAX_ATTEMPTS_REACHED],
                         [a.status for a in answers])
        self.assertFalse(any(a.valid for a in answers))

        for client in (self.a, self.b):
            with self.subTest(replica=client.name):
                right = self.check(client, verification.id, sms.code)
                self.assertFalse(right.valid)
                self.assertEqual(self.v.VERIFICATION_STATUS_MAX_ATTEMPTS_REACHED, right.status)
                live = client.get(self.v.GetVerificationRequest(verification_id=verification.id), timeout=TIMEOUT)
                self.assertEqual((self.v.VERIFICATION_STATUS_MAX_ATTEMPTS_REACHED, 0), (live.status, live.attempts_remaining))
        # A locked verification blocks a new start for the number on the other replica too.
        error = self.assert_rpc_error(grpc.StatusCode.RESOURCE_EXHAUSTED, self.b.start,
                                      self.v.StartVerificationRequest(client_ip=support.end_user_ip(), phone_number=number, purpose="login"))
        self.assertEqual(["phone:attempts"], [v.subject for v in unpack_details(error)["QuotaFailure"].violations])
        self.assertEqual(1, len(self.all_sms(number)))

    def test_concurrent_wrong_codes_over_both_replicas_lock_after_max_attempts(self):
        verification, sms = self.start_and_read_sms(self.b, new_number())
        calls = [(self.a if i % 2 == 0 else self.b).check.future(
            self.v.CheckVerificationRequest(client_ip=support.end_user_ip(), verification_id=verification.id, code=wrong_code(sms.code, i)), timeout=TIMEOUT)
            for i in range(1, 61)]
        answers = [call.result() for call in calls]
        self.assertFalse(any(a.valid for a in answers))
        pending = sorted(a.attempts_remaining for a in answers if a.status == self.v.VERIFICATION_STATUS_PENDING)
        # Exactly four wrong codes left attempts, whichever replica took them; every other answer says locked.
        self.assertEqual([1, 2, 3, 4], pending)
        self.assertEqual(56, sum(a.status == self.v.VERIFICATION_STATUS_MAX_ATTEMPTS_REACHED for a in answers))
        for client in (self.a, self.b):
            right = self.check(client, verification.id, sms.code)
            self.assertFalse(right.valid)
            self.assertEqual(self.v.VERIFICATION_STATUS_MAX_ATTEMPTS_REACHED, right.status)


if __name__ == "__main__":
    unittest.main()
