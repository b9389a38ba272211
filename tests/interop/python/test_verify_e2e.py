"""End-to-end tests of Verify.Server through the official Python gRPC client (grpcio from Debian).

A real Verify.Server process (VERIFY_SERVER_DLL) runs on loopback with its webhook SMS sender pointed at
a capture server in this process, so each test reads the code the way a user would: from the SMS.
Needs `npm ci` done in tests/interop/node (the google/rpc protos come from google-proto-files)."""

import datetime
import itertools
import os
import re
import time
import unittest
import uuid

import grpc

import verify_e2e_support as support

TIMEOUT = 10  # seconds; every call is bounded
SERVICE = "verify.v1.VerificationService"

# Purposes this module adds to the built-in login, signup and payment.
POLICY_ENV = {
    # A code that dies after a second.
    "Verify__Policies__e2ettl__Ttl": "00:00:01",
    # No cooldown and at most 3 sends an hour to one number.
    "Verify__Policies__e2ephone__ResendCooldown": "00:00:00",
    "Verify__Policies__e2ephone__PhoneLimits__0__Window": "01:00:00",
    "Verify__Policies__e2ephone__PhoneLimits__0__Max": "3",
    # At most 3 sends an hour from one client IP.
    "Verify__Policies__e2eip__IpLimits__0__Window": "01:00:00",
    "Verify__Policies__e2eip__IpLimits__0__Max": "3",
    # Texts to mobiles only: a US number (fixed line or mobile, the metadata cannot tell) is refused.
    "Verify__Policies__e2emobile__LineTypes__Sms__0": "Mobile",
}

capture = None
server = None
pb = None
_numbers = itertools.count(1000)


# E2E_STORE=redis runs the whole suite against a real redis-server instead of the embedded store
# (tests/run-all.sh runs it both ways).
redis = None


def setUpModule():
    global capture, server, pb, redis
    pb = support.generate_modules()
    env = dict(POLICY_ENV)
    if os.environ.get("E2E_STORE") == "redis":
        redis = support.RedisServer("--maxmemory-policy", "noeviction")
        env.update(support.redis_env(redis))
    capture, server = support.start_capture_and_server(env)


def tearDownModule():
    if server is not None:
        server.stop()
    if capture is not None:
        capture.stop()
    if redis is not None:
        redis.stop()


def new_number():
    """A Chinese mobile number no other test uses: +86 138 nnnn 5678, masked "+86 138****5678"."""
    return f"+86138{next(_numbers):04d}5678"


wrong_code = support.wrong_code


def rich_status(error):
    return support.rich_status(error, pb)


def unpack_details(error):
    return support.unpack_details(error, pb)


def VerifyClient(channel):
    return support.VerifyClient(channel, pb.verify)


class VerifyE2ETests(unittest.TestCase):

    def setUp(self):
        self.channel = grpc.insecure_channel(server.address)
        self.client = VerifyClient(self.channel)
        self.v = pb.verify

    def tearDown(self):
        self.channel.close()

    # --- helpers ---------------------------------------------------------------------------------

    def start(self, number, purpose="login", **fields):
        fields.setdefault("client_ip", support.end_user_ip())
        request = self.v.StartVerificationRequest(phone_number=number, purpose=purpose, **fields)
        return self.client.start(request, timeout=TIMEOUT).verification

    def start_and_read_sms(self, number, purpose="login", **fields):
        """Starts and returns (verification, the one SMS the provider got for it)."""
        before = len(capture.to(number))
        verification = self.start(number, purpose, **fields)
        sms = capture.to(number)[before:]
        self.assertEqual(1, len(sms), f"expected one SMS to {number}, got {len(sms)}")
        self.assertEqual(verification.id, sms[0]["verification_id"])
        self.assertRegex(sms[0].code, r"^[0-9]{6}$")
        self.assertIn(sms[0].code, sms[0]["text"])
        return verification, sms[0]

    def check(self, verification_id, code, **fields):
        fields.setdefault("client_ip", support.end_user_ip())
        request = self.v.CheckVerificationRequest(verification_id=verification_id, code=code, **fields)
        return self.client.check(request, timeout=TIMEOUT)

    def get(self, verification_id):
        return self.client.get(self.v.GetVerificationRequest(verification_id=verification_id), timeout=TIMEOUT)

    def assert_rpc_error(self, code, call, request):
        with self.assertRaises(grpc.RpcError) as raised:
            call(request, timeout=TIMEOUT)
        self.assertEqual(code, raised.exception.code(), raised.exception.details())
        return raised.exception

    def assert_field_violations(self, error, *fields):
        details = unpack_details(error)
        self.assertIn("BadRequest", details, f"no google.rpc.BadRequest in {error.details()!r}")
        violated = [v.field for v in details["BadRequest"].field_violations]
        self.assertEqual(sorted(fields), sorted(violated), [(v.field, v.description) for v in details["BadRequest"].field_violations])
        self.assertTrue(all(v.description for v in details["BadRequest"].field_violations))

    def assert_quota_failure(self, error, subject, retry_between):
        details = unpack_details(error)
        self.assertIn("QuotaFailure", details, f"no google.rpc.QuotaFailure in {error.details()!r}")
        self.assertEqual([subject], [v.subject for v in details["QuotaFailure"].violations])
        self.assertIn("RetryInfo", details, f"no google.rpc.RetryInfo in {error.details()!r}")
        delay = details["RetryInfo"].retry_delay.ToTimedelta().total_seconds()
        low, high = retry_between
        self.assertTrue(low <= delay <= high, f"retry_delay {delay} s not in [{low}, {high}]")

    def not_found(self, verification_id, code="123456"):
        """The NOT_FOUND answer of a check for verification_id: (code, message, details trailer)."""
        error = self.assert_rpc_error(grpc.StatusCode.NOT_FOUND, self.client.check,
                                      self.v.CheckVerificationRequest(client_ip=support.end_user_ip(), verification_id=verification_id, code=code))
        return error.code(), error.details(), rich_status(error)

    def payment(self, amount="25.00", currency="EUR", payee="ACME"):
        return self.v.Transaction(amount=amount, currency=currency, payee=payee)

    # --- the flow ----------------------------------------------------------------------------------

    def test_start_then_check_right_code_approves(self):
        number = new_number()
        before = datetime.datetime.now(datetime.timezone.utc)
        verification, sms = self.start_and_read_sms(number)
        after = datetime.datetime.now(datetime.timezone.utc)

        self.assertRegex(verification.id, r"^VE[0-9a-f]{32}$")
        self.assertEqual("+86 138****5678", verification.masked_phone_number)
        self.assertEqual("login", verification.purpose)
        self.assertEqual(self.v.VERIFICATION_STATUS_PENDING, verification.status)
        self.assertEqual(self.v.DELIVERY_STATUS_SENT, verification.delivery_status)
        self.assertEqual(self.v.CHANNEL_SMS, verification.channel)
        self.assertEqual(5, verification.attempts_remaining)
        self.assertEqual(1, verification.send_count)
        expires = verification.expires_at.ToDatetime(tzinfo=datetime.timezone.utc)
        self.assertGreaterEqual(expires, before + datetime.timedelta(minutes=5, seconds=-2))
        self.assertLessEqual(expires, after + datetime.timedelta(minutes=5, seconds=2))
        next_send = verification.next_send_at.ToDatetime(tzinfo=datetime.timezone.utc)
        self.assertGreaterEqual(next_send, before + datetime.timedelta(seconds=58))
        self.assertLessEqual(next_send, after + datetime.timedelta(seconds=62))

        self.assertEqual(number, sms["to"])
        self.assertEqual("login", sms["purpose"])
        self.assertEqual("en", sms["locale"])
        self.assertTrue(sms["send_id"])

        response = self.check(verification.id, sms.code)
        self.assertTrue(response.valid)
        self.assertEqual(self.v.VERIFICATION_STATUS_APPROVED, response.status)
        self.assertEqual(self.v.VERIFICATION_STATUS_APPROVED, response.verification.status)
        self.assertEqual(verification.id, response.verification.id)

    def test_check_by_phone_and_purpose_approves(self):
        number = new_number()
        verification, sms = self.start_and_read_sms(number, "signup")
        response = self.client.check(self.v.CheckVerificationRequest(client_ip=support.end_user_ip(), phone_number=number, purpose="signup", code=sms.code),
                                     timeout=TIMEOUT)
        self.assertTrue(response.valid)
        self.assertEqual(verification.id, response.verification.id)

    def test_check_wrong_code_is_not_valid_and_counts_an_attempt(self):
        verification, sms = self.start_and_read_sms(new_number())
        response = self.check(verification.id, wrong_code(sms.code))
        self.assertFalse(response.valid)
        self.assertEqual(self.v.VERIFICATION_STATUS_PENDING, response.status)
        self.assertEqual(4, response.attempts_remaining)
        # The right code still works after one wrong one.
        self.assertTrue(self.check(verification.id, sms.code).valid)

    def test_check_fifth_wrong_code_locks_even_the_right_code(self):
        verification, sms = self.start_and_read_sms(new_number())
        answers = [self.check(verification.id, wrong_code(sms.code, i)) for i in range(1, 6)]
        self.assertEqual([4, 3, 2, 1, 0], [a.attempts_remaining for a in answers])
        self.assertEqual([self.v.VERIFICATION_STATUS_PENDING] * 4 + [self.v.VERIFICATION_STATUS_MAX_ATTEMPTS_REACHED],
                         [a.status for a in answers])
        self.assertFalse(any(a.valid for a in answers))

        right = self.check(verification.id, sms.code)
        self.assertFalse(right.valid)
        self.assertEqual(self.v.VERIFICATION_STATUS_MAX_ATTEMPTS_REACHED, right.status)

    def test_check_approved_code_again_is_not_found(self):
        verification, sms = self.start_and_read_sms(new_number())
        self.assertTrue(self.check(verification.id, sms.code).valid)
        self.not_found(verification.id, sms.code)
        self.assert_rpc_error(grpc.StatusCode.NOT_FOUND, self.client.get,
                              self.v.GetVerificationRequest(verification_id=verification.id))

    def test_cancel_then_check_and_get_are_not_found(self):
        verification, sms = self.start_and_read_sms(new_number())
        canceled = self.client.cancel(self.v.CancelVerificationRequest(verification_id=verification.id), timeout=TIMEOUT)
        self.assertEqual(verification.id, canceled.id)
        self.assertEqual(self.v.VERIFICATION_STATUS_CANCELED, canceled.status)
        self.not_found(verification.id, sms.code)
        self.assert_rpc_error(grpc.StatusCode.NOT_FOUND, self.client.get,
                              self.v.GetVerificationRequest(verification_id=verification.id))

    def test_check_after_ttl_is_not_found(self):
        verification, sms = self.start_and_read_sms(new_number(), "e2ettl")
        time.sleep(1.5)
        self.not_found(verification.id, sms.code)

    def test_not_found_is_the_same_whatever_the_reason(self):
        never = self.not_found("VE" + uuid.uuid4().hex)

        approved, sms = self.start_and_read_sms(new_number())
        self.assertTrue(self.check(approved.id, sms.code).valid)
        after_approval = self.not_found(approved.id, sms.code)

        canceled, sms = self.start_and_read_sms(new_number())
        self.client.cancel(self.v.CancelVerificationRequest(verification_id=canceled.id), timeout=TIMEOUT)
        after_cancel = self.not_found(canceled.id, sms.code)

        expired, sms = self.start_and_read_sms(new_number(), "e2ettl")
        time.sleep(1.5)
        after_expiry = self.not_found(expired.id, sms.code)

        self.assertEqual(grpc.StatusCode.NOT_FOUND, never[0])
        self.assertTrue(never[1])
        for other in (after_approval, after_cancel, after_expiry):
            self.assertEqual(never, other)

    def test_get_live_verification_shows_sends_and_attempts(self):
        number = new_number()
        verification, sms = self.start_and_read_sms(number, "e2ephone")
        live = self.get(verification.id)
        self.assertEqual((verification.id, 1, 5, self.v.VERIFICATION_STATUS_PENDING),
                         (live.id, live.send_count, live.attempts_remaining, live.status))
        self.assertEqual("+86 138****5678", live.masked_phone_number)
        self.assertEqual("e2ephone", live.purpose)

        self.check(verification.id, wrong_code(sms.code))
        self.assertEqual(4, self.get(verification.id).attempts_remaining)

        # A resend is the same verification with a new code; the failed attempt is not forgiven.
        resent, new_sms = self.start_and_read_sms(number, "e2ephone")
        self.assertEqual(verification.id, resent.id)
        live = self.get(verification.id)
        self.assertEqual((2, 4, self.v.VERIFICATION_STATUS_PENDING),
                         (live.send_count, live.attempts_remaining, live.status))
        self.assertTrue(self.check(verification.id, new_sms.code).valid)

    # --- throttles ---------------------------------------------------------------------------------

    def test_start_again_within_cooldown_is_resource_exhausted_and_sends_nothing(self):
        number = new_number()
        self.start_and_read_sms(number)
        error = self.assert_rpc_error(grpc.StatusCode.RESOURCE_EXHAUSTED, self.client.start,
                                      self.v.StartVerificationRequest(client_ip=support.end_user_ip(), phone_number=number, purpose="login"))
        self.assert_quota_failure(error, "phone:cooldown", (55, 60))
        self.assertEqual(1, len(capture.to(number)))

    def test_start_fourth_time_within_phone_window_is_resource_exhausted(self):
        number = new_number()
        for _ in range(3):
            self.start_and_read_sms(number, "e2ephone")
        error = self.assert_rpc_error(grpc.StatusCode.RESOURCE_EXHAUSTED, self.client.start,
                                      self.v.StartVerificationRequest(client_ip=support.end_user_ip(), phone_number=number, purpose="e2ephone"))
        self.assert_quota_failure(error, "phone:1h", (3590, 3600))
        self.assertEqual(3, len(capture.to(number)))

    def test_start_fourth_number_from_one_ip_is_resource_exhausted(self):
        ip = "198.51.100.23"
        numbers = [new_number() for _ in range(4)]
        for number in numbers[:3]:
            self.start_and_read_sms(number, "e2eip", client_ip=ip)
        error = self.assert_rpc_error(grpc.StatusCode.RESOURCE_EXHAUSTED, self.client.start,
                                      self.v.StartVerificationRequest(phone_number=numbers[3], purpose="e2eip", client_ip=ip))
        self.assert_quota_failure(error, "ip:1h", (3590, 3600))
        self.assertEqual([], capture.to(numbers[3]))
        # Another IP is not affected.
        self.start_and_read_sms(numbers[3], "e2eip", client_ip="198.51.100.24")

    # --- concurrency -------------------------------------------------------------------------------

    def test_fifty_concurrent_right_codes_approve_exactly_once(self):
        verification, sms = self.start_and_read_sms(new_number())
        request = self.v.CheckVerificationRequest(client_ip=support.end_user_ip(), verification_id=verification.id, code=sms.code)
        calls = [self.client.check.future(request, timeout=TIMEOUT) for _ in range(50)]
        valid, refused = 0, 0
        for call in calls:
            try:
                response = call.result()
            except grpc.RpcError as error:
                self.assertEqual(grpc.StatusCode.NOT_FOUND, error.code(), error.details())
                refused += 1
                continue
            if response.valid:
                valid += 1
                self.assertEqual(self.v.VERIFICATION_STATUS_APPROVED, response.status)
            else:
                refused += 1
        self.assertEqual((1, 49), (valid, refused))

    def test_hundred_concurrent_wrong_codes_lock_after_max_attempts(self):
        verification, sms = self.start_and_read_sms(new_number())
        calls = [self.client.check.future(
            self.v.CheckVerificationRequest(client_ip=support.end_user_ip(), verification_id=verification.id, code=wrong_code(sms.code, i)), timeout=TIMEOUT)
            for i in range(1, 101)]
        answers = [call.result() for call in calls]
        self.assertFalse(any(a.valid for a in answers))
        pending = sorted(a.attempts_remaining for a in answers if a.status == self.v.VERIFICATION_STATUS_PENDING)
        # Exactly the first four wrong codes left attempts; every other answer says locked.
        self.assertEqual([1, 2, 3, 4], pending)
        self.assertEqual(96, sum(a.status == self.v.VERIFICATION_STATUS_MAX_ATTEMPTS_REACHED for a in answers))

        live = self.get(verification.id)
        self.assertEqual(self.v.VERIFICATION_STATUS_MAX_ATTEMPTS_REACHED, live.status)
        self.assertEqual(0, live.attempts_remaining)
        right = self.check(verification.id, sms.code)
        self.assertFalse(right.valid)
        self.assertEqual(self.v.VERIFICATION_STATUS_MAX_ATTEMPTS_REACHED, right.status)

    # --- payment (PSD2 dynamic linking) ------------------------------------------------------------

    def test_payment_checked_with_other_amount_is_burned(self):
        verification, sms = self.start_and_read_sms(new_number(), "payment", transaction=self.payment())
        self.assertIn("25.00", sms["text"])
        self.assertIn("EUR", sms["text"])
        self.assertIn("ACME", sms["text"])

        changed = self.check(verification.id, sms.code, transaction=self.payment(amount="25.01"))
        self.assertFalse(changed.valid)
        self.assertEqual(self.v.VERIFICATION_STATUS_FAILED, changed.status)

        original = self.check(verification.id, sms.code, transaction=self.payment())
        self.assertFalse(original.valid)
        self.assertEqual(self.v.VERIFICATION_STATUS_FAILED, original.status)

    def test_payment_checked_with_same_amount_spelled_differently_approves(self):
        verification, sms = self.start_and_read_sms(new_number(), "payment", transaction=self.payment())
        response = self.check(verification.id, sms.code, transaction=self.payment(amount="25.0"))
        self.assertTrue(response.valid)
        self.assertEqual(self.v.VERIFICATION_STATUS_APPROVED, response.status)

    def test_payment_without_transaction_is_invalid_argument_and_sends_nothing(self):
        number = new_number()
        error = self.assert_rpc_error(grpc.StatusCode.INVALID_ARGUMENT, self.client.start,
                                      self.v.StartVerificationRequest(client_ip=support.end_user_ip(), phone_number=number, purpose="payment"))
        self.assert_field_violations(error, "transaction")
        self.assertEqual([], capture.to(number))

    # --- bad input -------------------------------------------------------------------------------

    def test_invalid_phone_numbers_are_invalid_argument_and_send_nothing(self):
        for number in ("8613812345678", "+86 138 1234 5678", "+999123456789", "+８６１３８１２３４５６７８"):
            with self.subTest(number=number):
                before = len(capture.all()) + len(capture.refused())
                error = self.assert_rpc_error(grpc.StatusCode.INVALID_ARGUMENT, self.client.start,
                                              self.v.StartVerificationRequest(client_ip=support.end_user_ip(), phone_number=number, purpose="login"))
                self.assert_field_violations(error, "phone_number")
                self.assertEqual(before, len(capture.all()) + len(capture.refused()))

    def test_unknown_purpose_is_invalid_argument_and_sends_nothing(self):
        number = new_number()
        error = self.assert_rpc_error(grpc.StatusCode.INVALID_ARGUMENT, self.client.start,
                                      self.v.StartVerificationRequest(client_ip=support.end_user_ip(), phone_number=number, purpose="no-such-purpose"))
        self.assert_field_violations(error, "purpose")
        self.assertEqual([], capture.to(number))

    def test_bad_number_and_unknown_purpose_name_both_fields(self):
        error = self.assert_rpc_error(grpc.StatusCode.INVALID_ARGUMENT, self.client.start,
                                      self.v.StartVerificationRequest(client_ip=support.end_user_ip(), phone_number="12345", purpose="nope"))
        self.assert_field_violations(error, "phone_number", "purpose")

    # --- line types --------------------------------------------------------------------------------

    def assert_line_type_refused(self, number, purpose, line_type):
        before = len(capture.all()) + len(capture.refused())
        error = self.assert_rpc_error(grpc.StatusCode.PERMISSION_DENIED, self.client.start,
                                      self.v.StartVerificationRequest(client_ip=support.end_user_ip(), phone_number=number, purpose=purpose))
        info = unpack_details(error).get("ErrorInfo")
        self.assertIsNotNone(info, f"no google.rpc.ErrorInfo in {error.details()!r}")
        self.assertEqual(("LINE_TYPE_NOT_ALLOWED", "verify.v1", line_type),
                         (info.reason, info.domain, info.metadata["line_type"]))
        self.assertNotIn(number[-8:], error.details())
        self.assertEqual(before, len(capture.all()) + len(capture.refused()))
        # Nothing was stored: a check by number and purpose finds no verification.
        self.assert_rpc_error(grpc.StatusCode.NOT_FOUND, self.client.check,
                              self.v.CheckVerificationRequest(client_ip=support.end_user_ip(), phone_number=number, purpose=purpose, code="123456"))

    def test_premium_rate_number_is_permission_denied_line_type_not_allowed_and_sends_nothing(self):
        self.assert_line_type_refused("+449012345678", "login", "PremiumRate")  # UK 09: premium rate

    def test_policy_texting_mobiles_only_refuses_a_us_number_and_texts_a_mobile(self):
        self.assert_line_type_refused("+12125550143", "e2emobile", "FixedLineOrMobile")
        self.start_and_read_sms(new_number(), "e2emobile")

    # --- delivery ------------------------------------------------------------------------------

    def test_webhook_failure_is_unavailable_and_retry_after_fix_succeeds(self):
        number = new_number()
        capture.failing.add(number)
        try:
            error = self.assert_rpc_error(grpc.StatusCode.UNAVAILABLE, self.client.start,
                                          self.v.StartVerificationRequest(client_ip=support.end_user_ip(), phone_number=number, purpose="login"))
            refused = capture.refused(number)
            # One send, retried by the webhook sender (Verify:Delivery:Webhook:Retries, default 2) with
            # one Idempotency-Key, so a receiver that took it once would not text twice.
            self.assertEqual(3, len(refused), "the webhook was not called once and retried twice")
            self.assertEqual(1, len({m.headers.get("Idempotency-Key") for m in refused}))
        finally:
            capture.failing.discard(number)
        self.assertTrue(error.details())
        # Fails closed: the code of the message the provider refused does not work.
        self.not_found(refused[0]["verification_id"], refused[0].code)
        # The failed send started no cooldown: an immediate retry goes through.
        verification, sms = self.start_and_read_sms(number)
        self.assertEqual(1, verification.send_count)
        self.assertTrue(self.check(verification.id, sms.code).valid)

    def test_webhook_request_is_signed_with_the_secret(self):
        _, sms = self.start_and_read_sms(new_number())
        self.assertIsNotNone(sms.signature, f"no {support.SIGNATURE_HEADER} header")
        self.assertRegex(sms.signature, r"^t=[0-9]+,v1=[0-9a-f]{64}$")
        self.assertTrue(support.verify_signature(sms.signature, sms.raw))
        self.assertFalse(support.verify_signature(sms.signature, sms.raw + b" "))
        self.assertFalse(support.verify_signature(sms.signature, sms.raw, secret="another-secret-0123456789"))

    def test_repeated_idempotency_key_returns_same_verification_and_sends_once(self):
        number = new_number()
        key = "order-" + uuid.uuid4().hex
        first, _ = self.start_and_read_sms(number, idempotency_key=key)
        again = self.start(number, idempotency_key=key)
        self.assertEqual(first.id, again.id)
        self.assertEqual(1, len(capture.to(number)))

    def test_locale_zh_cn_sends_chinese_text_with_the_code(self):
        verification, sms = self.start_and_read_sms(new_number(), locale="zh-CN")
        self.assertTrue(sms["text"].startswith("【"), sms["text"])
        self.assertIn(sms.code, sms["text"])
        self.assertEqual("zh-CN", sms["locale"])
        self.assertEqual("zh-CN", verification.locale)

    # --- health and reflection ---------------------------------------------------------------------

    def test_health_check_is_serving(self):
        check = self.channel.unary_unary("/grpc.health.v1.Health/Check",
                                         request_serializer=pb.health.HealthCheckRequest.SerializeToString,
                                         response_deserializer=pb.health.HealthCheckResponse.FromString)
        for service in ("", SERVICE):
            with self.subTest(service=service):
                response = check(pb.health.HealthCheckRequest(service=service), timeout=TIMEOUT)
                self.assertEqual(pb.health.HealthCheckResponse.SERVING, response.status)

    def test_reflection_lists_verification_service(self):
        r = pb.reflection
        info = self.channel.stream_stream("/grpc.reflection.v1.ServerReflection/ServerReflectionInfo",
                                          request_serializer=r.ServerReflectionRequest.SerializeToString,
                                          response_deserializer=r.ServerReflectionResponse.FromString)
        responses = list(info(iter([r.ServerReflectionRequest(list_services="")]), timeout=TIMEOUT))
        self.assertEqual(1, len(responses))
        names = {s.name for s in responses[0].list_services_response.service}
        self.assertIn(SERVICE, names)
        self.assertIn("grpc.health.v1.Health", names)


class VerifyE2EZLogTests(unittest.TestCase):
    """Runs after VerifyE2ETests (classes load in name order): the server log of the whole module."""

    def test_log_never_contains_a_sent_code(self):
        # One start of its own, so the test means something even when run alone.
        channel = grpc.insecure_channel(server.address)
        try:
            VerifyClient(channel).start(pb.verify.StartVerificationRequest(client_ip=support.end_user_ip(), phone_number=new_number(), purpose="login"),
                                        timeout=TIMEOUT)
        finally:
            channel.close()
        sent = capture.all() + capture.refused()
        server.stop()  # flushes the log
        log = server.log()
        # The log is really captured: it names the verifications it sent.
        self.assertIn(sent[0]["verification_id"], log)
        leaked = sorted({m.code for m in sent if re.search(rf"(?<![0-9A-Za-z]){m.code}(?![0-9A-Za-z])", log)})
        self.assertEqual([], leaked, "codes found in the server log")


if __name__ == "__main__":
    unittest.main()
