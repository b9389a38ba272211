"""Who may call, and nothing leaks: caller authentication (API keys, mutual TLS), authorization
(caller × purpose × operation, ownership), network allow-lists, revocation by reload, the Grpc
endpoint's certificate reloaded from its files, uniform answers (status and timing), and no code or
key material in Redis or in the logs. One Verify.Server over TLS on a real redis-server, called
with the official Python client (grpcio)."""

import base64
import hashlib
import os
import re
import secrets
import shutil
import socket
import ssl
import statistics
import tempfile
import time
import unittest

import grpc

import security_support as certs
import verify_e2e_support as support

TIMEOUT = 10
HMAC_KEY = secrets.token_bytes(32)

# name → purposes, operations, networks. Each also gets an API key (its hash is a secret file).
CALLERS = {
    "login-svc": (["login", "timing", "timingexp"], ["*"], []),
    "signup-svc": (["signup"], ["start", "check"], []),
    "payments-svc": (["payment"], ["*"], []),
    "login-2": (["login", "timing", "timingexp"], ["check", "get", "cancel"], []),
    "netlimited": (["login"], ["*"], ["10.0.0.0/8"]),
    "revokable": (["login"], ["*"], []),
}
OWNER_OF = {"login": "login-svc", "signup": "signup-svc", "payment": "payments-svc"}
TRANSACTION = {"amount": "25.00", "currency": "EUR", "payee": "Example Shop"}

pb = None
capture = None
server = None
redis = None
work = None
keys = {}
pki = {}
_numbers = iter(range(3000, 9999))


def new_number():
    return f"+86139{next(_numbers):04d}5678"


def api_key_file(name):
    return os.path.join(work, "secrets", f"Verify__Callers__{name}__ApiKeyHashes__0")


def setUpModule():
    global pb, capture, server, redis, work
    pb = support.generate_modules()
    work = tempfile.mkdtemp(prefix="verify-security-")
    os.makedirs(os.path.join(work, "secrets"))
    pki["server_ca"] = certs.authority("Verify test server CA")
    pki["client_ca"] = certs.authority("Verify test client CA")
    pki["other_ca"] = certs.authority("Someone else's CA")
    pki["server"] = certs.issue(pki["server_ca"], "localhost", server=True)
    pki["server"].write(work, "server")
    with open(os.path.join(work, "client-ca.pem"), "wb") as f:
        f.write(pki["client_ca"].cert_pem)

    env = {
        "Kestrel__Endpoints__Grpc__Certificate__Path": os.path.join(work, "server.pem"),
        "Kestrel__Endpoints__Grpc__Certificate__KeyPath": os.path.join(work, "server.key"),
        "Verify__Authentication__Enabled": "true",
        "Verify__Authentication__ClientCertificateAuthorityPath": os.path.join(work, "client-ca.pem"),
        "Verify__SecretsPath": os.path.join(work, "secrets"),
        "Verify__Hashing__ActiveKeyId": "k1",
        "Verify__Policies__timing__MaxAttempts": "10",
        "Verify__Policies__timing__ResendCooldown": "00:00:00",
        "Verify__Policies__timingexp__Ttl": "00:00:01",
        "Verify__Policies__timingexp__ResendCooldown": "00:00:00",
    }
    with open(os.path.join(work, "secrets", "Verify__Hashing__Keys__k1"), "w") as f:
        f.write(base64.b64encode(HMAC_KEY).decode())
    for name, (purposes, operations, networks) in CALLERS.items():
        keys[name] = f"vfk_{name}_{secrets.token_urlsafe(24)}"
        with open(api_key_file(name), "w") as f:
            f.write(hashlib.sha256(keys[name].encode()).hexdigest())
        for i, purpose in enumerate(purposes):
            env[f"Verify__Callers__{name}__Purposes__{i}"] = purpose
        for i, operation in enumerate(operations):
            env[f"Verify__Callers__{name}__Operations__{i}"] = operation
        for i, network in enumerate(networks):
            env[f"Verify__Callers__{name}__Networks__{i}"] = network

    redis = support.RedisServer("--maxmemory-policy", "noeviction", "--appendonly", "yes", "--appendfsync", "always")
    env.update(support.redis_env(redis))
    capture, server = support.start_capture_and_server(env, grpc_scheme="https")


def tearDownModule():
    for part in (server, capture, redis):
        if part is not None:
            part.stop()
    if work:
        shutil.rmtree(work, ignore_errors=True)


def channel(client=None):
    """A TLS channel to Verify trusting the test server CA, optionally with a client certificate."""
    credentials = grpc.ssl_channel_credentials(
        root_certificates=pki["server_ca"].cert_pem,
        private_key=client.key_pem if client else None,
        certificate_chain=client.cert_pem if client else None)
    return grpc.secure_channel(server.address, credentials, options=[("grpc.ssl_target_name_override", "localhost")])


def bearer(name):
    return (("authorization", f"Bearer {keys[name]}"),)


class SecurityTestCase(unittest.TestCase):

    def setUp(self):
        self.channel = channel()
        self.client = support.VerifyClient(self.channel, pb.verify)
        self.v = pb.verify

    def tearDown(self):
        self.channel.close()

    def start_as(self, caller, number, purpose):
        fields = {"transaction": self.v.Transaction(**TRANSACTION)} if purpose == "payment" else {}
        request = self.v.StartVerificationRequest(phone_number=number, purpose=purpose, client_ip=support.end_user_ip(), **fields)
        return self.client.start(request, timeout=TIMEOUT, metadata=bearer(caller)).verification

    def code_of(self, verification_id):
        messages = [m for m in capture.all() if m["verification_id"] == verification_id]
        self.assertTrue(messages, f"no SMS for {verification_id}")
        return messages[-1].code

    def rpc_error(self, call, request, metadata=()):
        with self.assertRaises(grpc.RpcError) as raised:
            call(request, timeout=TIMEOUT, metadata=metadata)
        return raised.exception


class ApiKeyTests(SecurityTestCase):

    def test_no_credentials_is_unauthenticated_and_sends_nothing(self):
        number = new_number()
        error = self.rpc_error(self.client.start, self.v.StartVerificationRequest(client_ip=support.end_user_ip(), phone_number=number, purpose="login"))
        self.assertEqual(grpc.StatusCode.UNAUTHENTICATED, error.code(), error.details())
        self.assertEqual([], capture.to(number))

    def test_wrong_api_key_is_unauthenticated(self):
        error = self.rpc_error(self.client.start, self.v.StartVerificationRequest(client_ip=support.end_user_ip(), phone_number=new_number(), purpose="login"),
                               (("authorization", "Bearer vfk_not_a_key"),))
        self.assertEqual(grpc.StatusCode.UNAUTHENTICATED, error.code())
        self.assertIn("API key", error.details())

    def test_malformed_authorization_is_unauthenticated(self):
        error = self.rpc_error(self.client.start, self.v.StartVerificationRequest(client_ip=support.end_user_ip(), phone_number=new_number(), purpose="login"),
                               (("authorization", keys["login-svc"]),))
        self.assertEqual(grpc.StatusCode.UNAUTHENTICATED, error.code())

    def test_right_api_key_starts_and_checks(self):
        verification = self.start_as("login-svc", new_number(), "login")
        result = self.client.check(self.v.CheckVerificationRequest(client_ip=support.end_user_ip(), verification_id=verification.id, code=self.code_of(verification.id)),
                                   timeout=TIMEOUT, metadata=bearer("login-svc"))
        self.assertTrue(result.valid)

    def test_caller_outside_its_networks_is_permission_denied(self):
        number = new_number()
        error = self.rpc_error(self.client.start, self.v.StartVerificationRequest(client_ip=support.end_user_ip(), phone_number=number, purpose="login"),
                               bearer("netlimited"))
        self.assertEqual(grpc.StatusCode.PERMISSION_DENIED, error.code(), error.details())
        self.assertEqual([], capture.to(number))

    def test_revoked_key_stops_working_after_reload_without_restart(self):
        self.start_as("revokable", new_number(), "login")
        os.remove(api_key_file("revokable"))
        deadline = time.monotonic() + 15
        code = None
        while time.monotonic() < deadline:
            try:
                self.start_as("revokable", new_number(), "login")
            except grpc.RpcError as error:
                code = error.code()
                break
            time.sleep(0.2)
        self.assertEqual(grpc.StatusCode.UNAUTHENTICATED, code, "the revoked key still worked after 15 s")


class ClientCertificateTests(SecurityTestCase):

    def start_with(self, client):
        with channel(client) as ch:
            stub = support.VerifyClient(ch, pb.verify)
            return stub.start(self.v.StartVerificationRequest(client_ip=support.end_user_ip(), phone_number=new_number(), purpose="login"), timeout=TIMEOUT)

    def assert_refused(self, client, reason):
        with self.assertRaises(grpc.RpcError) as raised:
            self.start_with(client)
        self.assertEqual(grpc.StatusCode.UNAUTHENTICATED, raised.exception.code(), raised.exception.details())
        self.assertIn(reason, raised.exception.details())

    def test_certificate_of_a_configured_caller_starts(self):
        self.assertTrue(self.start_with(certs.issue(pki["client_ca"], "login-svc")).verification.id)

    def test_certificate_from_another_authority_is_unauthenticated(self):
        self.assert_refused(certs.issue(pki["other_ca"], "login-svc"), "trusted authority")

    def test_expired_certificate_is_unauthenticated(self):
        self.assert_refused(certs.expired(pki["client_ca"], "login-svc"), "expired")

    def test_certificate_of_an_unknown_caller_is_unauthenticated(self):
        self.assert_refused(certs.issue(pki["client_ca"], "stranger"), "not a configured caller")

    def test_server_certificate_is_reloaded_when_its_files_change(self):
        renewed = certs.issue(pki["server_ca"], "localhost", server=True)
        renewed.write(work, "server")
        deadline = time.monotonic() + 20
        served = None
        while time.monotonic() < deadline:
            context = ssl.create_default_context(cadata=pki["server_ca"].cert_pem.decode())
            context.set_alpn_protocols(["h2"])
            with socket.create_connection(("127.0.0.1", server.grpc_port), timeout=5) as raw:
                with context.wrap_socket(raw, server_hostname="localhost") as tls:
                    served = tls.getpeercert(binary_form=True)
            if served == renewed.der:
                break
            time.sleep(0.5)
        self.assertEqual(renewed.der, served, "the renewed certificate was not served within 20 s")
        # And calls keep working over it.
        self.assertTrue(self.start_as("login-svc", new_number(), "login").id)


class AuthorizationMatrixTests(SecurityTestCase):
    """Every caller × purpose × operation: allowed, PERMISSION_DENIED, or (someone else's) NOT_FOUND."""

    def expected(self, caller, purpose, operation, by_id):
        purposes, operations, _ = CALLERS[caller]
        may_operate = "*" in operations or operation in operations
        if not may_operate:
            return grpc.StatusCode.PERMISSION_DENIED
        if by_id:
            return grpc.StatusCode.OK if OWNER_OF[purpose] == caller else grpc.StatusCode.NOT_FOUND
        return grpc.StatusCode.OK if purpose in purposes else grpc.StatusCode.PERMISSION_DENIED

    def outcome(self, call, request, caller):
        try:
            call(request, timeout=TIMEOUT, metadata=bearer(caller))
            return grpc.StatusCode.OK
        except grpc.RpcError as error:
            return error.code()

    def test_every_caller_purpose_and_operation(self):
        mismatches = []
        for caller in ("login-svc", "signup-svc", "payments-svc", "login-2"):
            for purpose in ("login", "signup", "payment"):
                number = new_number()
                fields = {"transaction": self.v.Transaction(**TRANSACTION)} if purpose == "payment" else {}
                start = self.outcome(self.client.start, self.v.StartVerificationRequest(phone_number=number, purpose=purpose, **fields), caller)
                if start != self.expected(caller, purpose, "start", by_id=False):
                    mismatches.append((caller, purpose, "start", start))
                # By number: a number never started here, so an allowed check finds nothing.
                by_phone = self.outcome(self.client.check, self.v.CheckVerificationRequest(client_ip=support.end_user_ip(),
                    phone_number=new_number(), purpose=purpose, code="123456", **fields), caller)
                expected = self.expected(caller, purpose, "check", by_id=False)
                if by_phone != (grpc.StatusCode.NOT_FOUND if expected == grpc.StatusCode.OK else expected):
                    mismatches.append((caller, purpose, "check by number", by_phone))
                for operation in ("check", "get", "cancel"):
                    target = self.start_as(OWNER_OF[purpose], new_number(), purpose)
                    if operation == "check":
                        got = self.outcome(self.client.check, self.v.CheckVerificationRequest(client_ip=support.end_user_ip(),
                            verification_id=target.id, code=self.code_of(target.id), **fields), caller)
                    elif operation == "get":
                        got = self.outcome(self.client.get, self.v.GetVerificationRequest(verification_id=target.id), caller)
                    else:
                        got = self.outcome(self.client.cancel, self.v.CancelVerificationRequest(verification_id=target.id), caller)
                    if got != self.expected(caller, purpose, operation, by_id=True):
                        mismatches.append((caller, purpose, operation, got))
        self.assertEqual([], mismatches)

    def test_other_callers_check_counts_no_attempt_on_the_owners_verification(self):
        target = self.start_as("login-svc", new_number(), "login")
        for _ in range(3):
            error = self.rpc_error(self.client.check, self.v.CheckVerificationRequest(client_ip=support.end_user_ip(), verification_id=target.id, code="000000"),
                                   bearer("login-2"))
            self.assertEqual(grpc.StatusCode.NOT_FOUND, error.code())
        owner_view = self.client.get(self.v.GetVerificationRequest(verification_id=target.id), timeout=TIMEOUT,
                                     metadata=bearer("login-svc"))
        self.assertEqual(5, owner_view.attempts_remaining)


class UniformAnswerTests(SecurityTestCase):
    """Wrong code, unknown number, another caller's verification and an expired one: the three
    "nothing here" cases answer identically and take the same time (ASVS 6.3.8); a wrong code within a
    few milliseconds of them."""

    CALLS = 1000

    def test_no_live_verification_answers_are_identical_and_all_cases_take_the_same_time(self):
        pending = [self.start_as("login-svc", new_number(), "timing") for _ in range(self.CALLS // 5)]
        expired = [self.start_as("login-svc", new_number(), "timingexp") for _ in range(50)]
        time.sleep(1.5)
        wrong = lambda i: ("login-svc", self.v.CheckVerificationRequest(client_ip=support.end_user_ip(),
            verification_id=pending[i % len(pending)].id, code=f"{(int(self.code_of(pending[i % len(pending)].id)) + 1) % 10**6:06d}"))
        unknown = lambda i: ("login-svc", self.v.CheckVerificationRequest(client_ip=support.end_user_ip(), phone_number=new_number_for_timing(i), purpose="timing", code="123456"))
        other = lambda i: ("login-2", self.v.CheckVerificationRequest(client_ip=support.end_user_ip(), verification_id=pending[i % len(pending)].id, code="123456"))
        gone = lambda i: ("login-svc", self.v.CheckVerificationRequest(client_ip=support.end_user_ip(), verification_id=expired[i % len(expired)].id, code="123456"))
        cases = {"wrong code": wrong, "unknown number": unknown, "another caller's": other, "expired": gone}
        prepared = {name: [make(i) for i in range(self.CALLS)] for name, make in cases.items()}
        timings = {name: [] for name in cases}
        answers = {name: set() for name in cases}
        for i in range(self.CALLS):
            for name in cases:  # interleaved, so drift on the machine hits every case alike
                caller, request = prepared[name][i]
                started = time.perf_counter()
                try:
                    response = self.client.check(request, timeout=TIMEOUT, metadata=bearer(caller))
                    answers[name].add(("OK", response.valid))
                except grpc.RpcError as error:
                    answers[name].add((error.code().name, error.details()))
                timings[name].append(time.perf_counter() - started)
        medians = {name: statistics.median(values) * 1000 for name, values in timings.items()}
        print(f"\nmedian check time over {self.CALLS} calls each (ms): "
              + ", ".join(f"{name} {value:.3f}" for name, value in medians.items()))
        self.assertEqual({("OK", False)}, answers["wrong code"])
        not_found = {("NOT_FOUND", "No live verification matches the request.")}
        for name in ("unknown number", "another caller's", "expired"):
            self.assertEqual(not_found, answers[name], name)
        # The three "nothing here" answers are one answer, so they must take one time. A wrong code answers
        # differently (valid=false) and, with Verify:Limits:WrongCodesPerIp on, skips the round trip that gives a
        # guess back to its IP's count: it is compared more loosely, as the baseline of a live verification.
        not_found_medians = [medians[name] for name in ("unknown number", "another caller's", "expired")]
        self.assertLess(max(not_found_medians) - min(not_found_medians), 1.0, medians)
        self.assertLess(max(medians.values()) - min(medians.values()), 3.0, medians)


def new_number_for_timing(i):
    return f"+86137{i:04d}5678"


class NothingLeaksTests(SecurityTestCase):

    def test_redis_holds_no_code_and_no_key_material(self):
        started = [self.start_as("login-svc", new_number(), "login") for _ in range(5)]
        codes = {self.code_of(v.id) for v in started}
        forms = [HMAC_KEY, base64.b64encode(HMAC_KEY), HMAC_KEY.hex().encode(), HMAC_KEY.hex().upper().encode()]
        blobs = []
        cursor = "0"
        for _ in range(1000):
            reply = redis_keys(cursor)
            cursor, batch = reply
            blobs.extend(redis_get(k) for k in batch)
            if cursor == "0":
                break
        aof = b""
        for root, _, files in os.walk(redis.directory):
            for name in files:
                with open(os.path.join(root, name), "rb") as f:
                    aof += f.read()
        self.assertTrue(blobs and aof)
        everything = b"\n".join(blobs) + aof
        self.assertTrue(any(v.id.encode() in everything for v in started), "the dump does not hold the verifications")
        for code in codes:
            self.assertNotIn(code.encode(), b"\n".join(blobs), "a code is readable in a Redis value")
            self.assertIsNone(re.search(rb"(?<![0-9])" + code.encode() + rb"(?![0-9])", aof), "a code is readable in the AOF")
        for form in forms:
            self.assertNotIn(form, everything, "HMAC key material is in Redis")

    def test_log_holds_no_code_and_no_full_number(self):
        number = new_number()
        verification = self.start_as("login-svc", number, "login")
        code = self.code_of(verification.id)
        self.client.check(self.v.CheckVerificationRequest(verification_id=verification.id, code=code, client_ip="2001:DB8:0:0::7"),
                          timeout=TIMEOUT, metadata=bearer("login-svc"))
        # The end user's address in its canonical form: the one an operator greps for.
        expected = (f"audit check caller=login-svc purpose=login phone=+86 139****5678 ip=2001:db8::7 "
                    f"verification={verification.id} outcome=approved")
        # The console logger writes on its own thread: wait (bounded) for the check's audit line.
        deadline = time.monotonic() + 5
        while expected not in server.log() and time.monotonic() < deadline:
            time.sleep(0.05)
        log = server.log()
        self.assertIn(expected, log)
        sent = capture.all()
        leaked = sorted({m.code for m in sent if re.search(rf"(?<![0-9A-Za-z]){m.code}(?![0-9A-Za-z])", log)})
        self.assertEqual([], leaked, "codes found in the server log")
        self.assertNotIn(number, log)
        self.assertNotIn(number[1:], log)
        for key in keys.values():
            self.assertNotIn(key, log)
        self.assertNotIn(base64.b64encode(HMAC_KEY).decode(), log)


def redis_keys(cursor):
    """SCAN: (next cursor, [keys])."""
    next_cursor, found = redis_call("SCAN", cursor, "COUNT", "1000")
    return next_cursor.decode(), [k.decode() for k in found]


def redis_get(key):
    """Everything a key holds, whatever its type, as bytes (records and states are strings; counters
    are sorted sets and hashes)."""
    kind = redis_call("TYPE", key)
    if kind == "string":
        return redis_call("GET", key) or b""
    if kind == "zset":
        return b"\n".join(redis_call("ZRANGE", key, "0", "-1", "WITHSCORES"))
    if kind == "hash":
        return b"\n".join(redis_call("HGETALL", key))
    return b""


def redis_call(*words):
    """One command; the reply parsed from RESP (bulk strings as bytes, arrays as lists)."""
    request = f"*{len(words)}\r\n".encode() + b"".join(f"${len(w.encode())}\r\n".encode() + w.encode() + b"\r\n" for w in words)
    with socket.create_connection(("127.0.0.1", redis.port), timeout=5) as connection:
        connection.sendall(request)
        reader = connection.makefile("rb")
        return read_resp(reader)


def read_resp(reader):
    line = reader.readline().rstrip(b"\r\n")
    kind, rest = line[:1], line[1:]
    if kind == b"$":
        length = int(rest)
        if length < 0:
            return None
        data = reader.read(length + 2)
        return data[:length]
    if kind == b"*":
        return [read_resp(reader) for _ in range(int(rest))]
    if kind == b":":
        return int(rest)
    if kind == b"-":
        raise RuntimeError(rest.decode())
    return rest.decode() if kind == b"+" else rest


if __name__ == "__main__":
    unittest.main()
