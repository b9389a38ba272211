"""Verify's limits (docs/limits.md) through two replicas on one redis-server, called with the official
Python gRPC client (grpcio from Debian) with API keys.

Replicas A and B share one HMAC key and one redis-server (`--maxmemory-policy noeviction`); each has
its own capture server (its SMS provider), so a test can tell which replica sent what. Every limit is
shown to admit exactly N and refuse the next start, sequentially (alternating A and B) and under a
burst of 50 concurrent starts spread over both: exactly N pass, the rest are RESOURCE_EXHAUSTED with
the documented QuotaFailure subject and a RetryInfo, and exactly N SMS reach the providers. Then: a
refused start counts in no other limit (sequentially, and while a burst on one number is refused its
neighbours in the prefix still get codes), lockout across verifications, geo permissions, the pumping
guard (also when its block is set beside another refusal), the safe list, and the admin service
(verify.admin.v1.AdminService).

The limits across purposes (Verify:Limits) are global, so the tests keep out of each other's way:
every test has its own purposes, numbers, prefixes (CN numbers +86 139 PPPP XXXX, one prefix PPPP per
number unless a test means to share one), client IPs and callers. The pumping guard watches every
prefix: only the pumping tests and the prefix-limit tests send PUMP_MIN_SENDS or more codes to one
prefix, and the prefix-limit tests send them within far less than SETTLE_TIME. The global ceiling is proven in
test_limits_reload.py (it cannot be isolated on a shared server).

Needs redis-server on PATH and VERIFY_SERVER_DLL (see test_verify_e2e.py)."""

import base64
import collections
import hashlib
import itertools
import os
import re
import secrets
import time
import unittest
import urllib.request

import grpc

import country_numbers
import verify_e2e_support as support
import verify_interop

TIMEOUT = 10  # seconds; every call is bounded
BURST = 50  # concurrent starts per burst, spread over A and B

N_NUMBER = 3  # Verify:Limits:Number, per hour, across purposes
N_PHONE = 2  # Verify:Policies:lphone:PhoneLimits, per hour (under N_NUMBER, so that it refuses first)
COOLDOWN = 60  # seconds: the default Verify:Policies:<purpose>:ResendCooldown (purposes lcool, lcoolb)
N_PREFIX = 10  # Verify:Limits:Prefix, per hour
N_COUNTRY = 3  # Verify:Limits:Countries:GB and :IE, per hour
N_CALLER = 3  # Verify:Limits:Callers:capped-seq and :capped-conc, per hour
N_IP = 4  # Verify:Policies:lip:IpLimits, per hour
N_IP_COUNTRIES = 3  # Verify:Limits:CountriesPerIp:Max, per day
PUMP_MIN_SENDS = 5  # Verify:Limits:PumpingGuard:MinSends
SETTLE_TIME = 1.0  # Verify:Limits:PumpingGuard:SettleTime, seconds
BLOCK_FOR = 300  # Verify:Limits:PumpingGuard:BlockFor, seconds
LOCKOUT_FAILURES = 3  # Verify:Policies:llock:Lockout:MaxFailures
LOCKOUT_SECONDS = 60  # Verify:Policies:llock:Lockout:Duration
LOCK_TTL = 2.0  # Verify:Policies:llock:Ttl, seconds
SAFE_NUMBER, SAFE_CODE = "+8613800000000", "246810"
ADMIN_IP_LIMIT = 20  # the default IpLimits of a policy: 20 an hour
ADMIN_PHONE_LIMIT = 10  # Verify:Policies:ladmin:PhoneLimits

COOLDOWN_RETRY = (COOLDOWN - 10, COOLDOWN + 1)
# A refusal by a 1 h window says to retry when the oldest send leaves it. A replica reads its clock
# before the call reaches Redis, and the delay is rounded up to whole seconds, so it can be 3601.
HOUR_RETRY = (3500, 3601)
DAY_RETRY = (86400 - 100, 86401)

CALLERS = {
    # name: (purposes, admin)
    "limits-svc": (["*"], False),
    "admin-svc": ([], True),
    "capped-seq": (["lcaller"], False),
    "capped-conc": (["lcaller"], False),
    "metered": (["lrefund"], False),
}

HOUR = "01:00:00"


def _window(key, window, max_):
    return {f"{key}__Window": window, f"{key}__Max": str(max_)}


ENV = {
    "Verify__Hashing__ActiveKeyId": "k1",
    "Verify__Hashing__Keys__k1": base64.b64encode(os.urandom(32)).decode(),
    "Verify__Authentication__Enabled": "true",
    # The layout after a roll: the record keeps the number's wrong codes in a row (reset and GetCounters read it there).
    "Verify__Redis__WrongCodesInRecord": "true",
    # Limits across purposes.
    **_window("Verify__Limits__Number__0", HOUR, N_NUMBER),
    **_window("Verify__Limits__Prefix__0", HOUR, N_PREFIX),
    **_window("Verify__Limits__Countries__GB__0", HOUR, N_COUNTRY),
    **_window("Verify__Limits__Countries__IE__0", HOUR, N_COUNTRY),
    **_window("Verify__Limits__Callers__capped-seq__0", HOUR, N_CALLER),
    **_window("Verify__Limits__Callers__capped-conc__0", HOUR, N_CALLER),
    # Large: only there so that the caller has a counter to read.
    **_window("Verify__Limits__Callers__metered__0", HOUR, 1000),
    "Verify__Limits__CountriesPerIp__Window": "1.00:00:00",
    "Verify__Limits__CountriesPerIp__Max": str(N_IP_COUNTRIES),
    "Verify__Limits__PumpingGuard__Enabled": "true",
    "Verify__Limits__PumpingGuard__Window": HOUR,
    "Verify__Limits__PumpingGuard__SettleTime": "00:00:01",
    "Verify__Limits__PumpingGuard__MinSends": str(PUMP_MIN_SENDS),
    "Verify__Limits__PumpingGuard__MinConversion": "0.5",
    "Verify__Limits__PumpingGuard__BlockFor": "00:05:00",
    "Verify__Limits__PumpingGuard__Countries": "false",
    "Verify__SafeList__0__Number": SAFE_NUMBER,
    "Verify__SafeList__0__Code": SAFE_CODE,
    "Verify__SafeList__0__Purposes__0": "lsafe",
    "Verify__SafeList__0__Callers__0": "limits-svc",
    # Per purpose. lphone/lphoneb: one number's window in one purpose, no cooldown in the way.
    "Verify__Policies__lphone__ResendCooldown": "00:00:00",
    **_window("Verify__Policies__lphone__PhoneLimits__0", HOUR, N_PHONE),
    "Verify__Policies__lphoneb__ResendCooldown": "00:00:00",
    **_window("Verify__Policies__lphoneb__PhoneLimits__0", HOUR, N_PHONE),
    # lnum1/lnum2: resends at once, phone windows out of the way (the number limit is under test).
    "Verify__Policies__lnum1__ResendCooldown": "00:00:00",
    **_window("Verify__Policies__lnum1__PhoneLimits__0", HOUR, 100),
    "Verify__Policies__lnum2__ResendCooldown": "00:00:00",
    **_window("Verify__Policies__lnum2__PhoneLimits__0", HOUR, 100),
    **_window("Verify__Policies__lip__IpLimits__0", HOUR, N_IP),
    **_window("Verify__Policies__lipc__IpLimits__0", HOUR, 1000),
    **_window("Verify__Policies__lrefund__IpLimits__0", HOUR, 100),
    **_window("Verify__Policies__lside__IpLimits__0", HOUR, PUMP_MIN_SENDS),
    "Verify__Policies__llock__Lockout__MaxFailures": str(LOCKOUT_FAILURES),
    "Verify__Policies__llock__Lockout__Duration": "00:01:00",
    "Verify__Policies__llock__Ttl": "00:00:02",
    "Verify__Policies__llock__ResendCooldown": "00:00:00",
    "Verify__Policies__lgeo__Countries__Allow__0": "CN",
    "Verify__Policies__ladmin__ResendCooldown": "00:00:00",
    **_window("Verify__Policies__ladmin__PhoneLimits__0", HOUR, ADMIN_PHONE_LIMIT),
    "Verify__Policies__ladmin2__ResendCooldown": "00:00:00",
    **_window("Verify__Policies__ladmin2__PhoneLimits__0", HOUR, ADMIN_PHONE_LIMIT),
    # lcool, lcoolb, lprefix, lcountry, lcaller, lpump, lsafe, warm: the defaults (cooldown 60 s, 5 an hour per number).
    "Verify__Policies__lcool__Enabled": "true",
    "Verify__Policies__lcoolb__Enabled": "true",
    "Verify__Policies__lprefix__Enabled": "true",
    "Verify__Policies__lcountry__Enabled": "true",
    "Verify__Policies__lcaller__Enabled": "true",
    "Verify__Policies__lpump__Enabled": "true",
    "Verify__Policies__lsafe__Enabled": "true",
    "Verify__Policies__warm__Enabled": "true",
}

# The purposes of the number burst, one per start (defaults: a new number and purpose has no window in the way).
BURST_PURPOSES = [f"lnb{i:02d}" for i in range(BURST)]
ENV.update({f"Verify__Policies__{purpose}__Enabled": "true" for purpose in BURST_PURPOSES})

redis = None
replicas = []  # [(capture, server)] for A and B
pb = None
admin_pb = None
keys = {}
_prefixes = itertools.count(1000)
_gb_prefixes = itertools.count(1000)
_ie_prefixes = itertools.count(5000)  # +353 85: an Irish mobile range
_ips = itertools.count(1)
_country_sets = iter(range(2, 10))


def generate_admin_module():
    """verify.admin.v1 messages, generated the way generate_modules() does verify.v1."""
    protos = verify_interop.REPO_PROTOS_DIR
    verify_interop.generate_protos([os.path.join(protos, "verify", "admin", "v1", "admin.proto")], [protos, "/usr/include"])
    from verify.admin.v1 import admin_pb2
    return admin_pb2


def setUpModule():
    global redis, pb, admin_pb
    pb = support.generate_modules()
    admin_pb = generate_admin_module()
    dll = support.require_verify_server_dll()
    env = dict(ENV)
    for name, (purposes, admin) in CALLERS.items():
        keys[name] = f"vfk_{name}_{secrets.token_urlsafe(24)}"
        env[f"Verify__Callers__{name}__ApiKeyHashes__0"] = hashlib.sha256(keys[name].encode()).hexdigest()
        for i, purpose in enumerate(purposes):
            env[f"Verify__Callers__{name}__Purposes__{i}"] = purpose
        if purposes:
            env[f"Verify__Callers__{name}__Operations__0"] = "*"
        if admin:
            env[f"Verify__Callers__{name}__Admin"] = "true"
    try:
        redis = support.RedisServer("--maxmemory-policy", "noeviction")
        env.update(support.redis_env(redis))
        support.start_replicas(dll, env, replicas)
        _warm_up()
    except Exception:
        tearDownModule()
        raise


def tearDownModule():
    support.stop_replicas(replicas)
    if redis is not None:
        redis.stop()


def _warm_up():
    """A few calls on each replica, so the first burst does not meet a cold JIT."""
    for _, server in replicas:
        with grpc.insecure_channel(server.address) as channel:
            client = support.VerifyClient(channel, pb.verify)
            admin = AdminClient(channel)
            calls = [client.start.future(pb.verify.StartVerificationRequest(client_ip=support.end_user_ip(), phone_number=new_number(), purpose="warm"),
                                         timeout=TIMEOUT, metadata=bearer("limits-svc")) for _ in range(4)]
            for call in calls:
                call.result()
            admin.get_counters(admin_pb.GetCountersRequest(subject=admin_pb.Subject(prefix=new_prefix())),
                               timeout=TIMEOUT, metadata=bearer("admin-svc"))


def bearer(name):
    return (("authorization", f"Bearer {keys[name]}"),)


def new_prefix():
    """A CN prefix (a number less its last 4 digits) no other test uses: +86 139 PPPP."""
    return f"+86139{next(_prefixes):04d}"


def new_number():
    """A CN number alone in its prefix."""
    return new_prefix() + "4321"


def new_gb_number():
    """A GB mobile number alone in its prefix: +44 79PP PP 4321."""
    return f"+4479{next(_gb_prefixes):04d}4321"


def new_ie_number():
    """An IE mobile number alone in its prefix: +353 8PPPP 4321."""
    return f"+3538{next(_ie_prefixes):04d}4321"


def new_ip():
    return f"198.51.100.{next(_ips)}"


def numbers_of_countries(count, exclude=("GB", "IE")):
    """One valid mobile number in each of `count` distinct countries (not +1 or +7, nor the countries with a
    cap); each call's numbers are new (their prefixes too)."""
    lead = next(_country_sets)
    numbers = {region: country_numbers.with_lead(number, lead)
               for region, number in country_numbers.MOBILE_EXAMPLES.items() if region not in exclude}
    if len(numbers) < count:
        raise AssertionError(f"only {len(numbers)} countries in country_numbers.py")
    return dict(itertools.islice(numbers.items(), count))


def mask_unparsed(text):
    """PhoneMasking.Mask of a value that is not a number (a prefix): ≤ 3 first and ≤ 2 last characters
    shown, never more than a quarter of it at each end."""
    count = len(text)
    leading, trailing = min(3, count // 4), min(2, count // 4)
    hidden = count - leading - trailing
    return text[:leading] + "*" * min(hidden, 16) + (text[count - trailing:] if trailing else "")


def unpack_details(error):
    return support.unpack_details(error, pb)


class AdminClient:
    """Untyped stubs of verify.admin.v1.AdminService bound by path."""

    SERVICE = "verify.admin.v1.AdminService"

    def __init__(self, channel):
        def unary(method, request, response):
            return channel.unary_unary(f"/{self.SERVICE}/{method}", request_serializer=request.SerializeToString,
                                       response_deserializer=response.FromString)

        self.get_counters = unary("GetCounters", admin_pb.GetCountersRequest, admin_pb.GetCountersResponse)
        self.reset_counters = unary("ResetCounters", admin_pb.ResetCountersRequest, admin_pb.ResetCountersResponse)
        self.list_blocked = unary("ListBlocked", admin_pb.ListBlockedRequest, admin_pb.ListBlockedResponse)
        self.unblock = unary("Unblock", admin_pb.UnblockRequest, admin_pb.UnblockResponse)


class Replica(support.VerifyClient):
    """The stubs of one replica, with its name, its capture, its server and its admin stubs."""

    def __init__(self, name, channel, capture, server):
        super().__init__(channel, pb.verify)
        self.name = name
        self.capture = capture
        self.server = server
        self.admin = AdminClient(channel)

    def metrics(self):
        """{(name, frozenset of label pairs): value} from /metrics on the Management port."""
        url = f"http://127.0.0.1:{self.server.management_port}/metrics"
        with urllib.request.urlopen(url, timeout=TIMEOUT) as response:
            text = response.read().decode()
        samples = {}
        for line in text.splitlines():
            match = re.match(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)$', line)
            if match and not line.startswith("#"):
                labels = frozenset(re.findall(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"', match.group(2) or ""))
                samples[(match.group(1), labels)] = float(match.group(3))
        return samples


def metric(samples, name, **labels):
    """The sum of the samples of `name` whose labels include `labels`."""
    wanted = set(labels.items())
    return sum(value for (sample, sample_labels), value in samples.items() if sample == name and wanted <= sample_labels)


class LimitsTestCase(unittest.TestCase):

    maxDiff = None

    def setUp(self):
        self.v = pb.verify
        self.channels = [grpc.insecure_channel(server.address) for _, server in replicas]
        self.a, self.b = (Replica(name, channel, capture, server)
                          for name, channel, (capture, server) in zip("AB", self.channels, replicas))
        self.ab = (self.a, self.b)

    def tearDown(self):
        for channel in self.channels:
            channel.close()

    # --- helpers ---------------------------------------------------------------------------------

    def sms(self, number=None):
        """What both providers accepted, optionally only to number."""
        messages = self.a.capture.all() + self.b.capture.all()
        return [m for m in messages if number is None or m["to"] == number]

    def request(self, number, purpose, **fields):
        fields.setdefault("client_ip", support.end_user_ip())
        return self.v.StartVerificationRequest(phone_number=number, purpose=purpose, **fields)

    def start(self, client, number, purpose, caller="limits-svc", **fields):
        """A start that must pass; returns the verification and checks one more SMS went to number."""
        before = {id(m) for m in self.sms(number)}
        verification = client.start(self.request(number, purpose, **fields), timeout=TIMEOUT, metadata=bearer(caller)).verification
        sent = [m for m in self.sms(number) if id(m) not in before]
        self.assertEqual(1, len(sent), f"expected one SMS to {number} through {client.name}, got {len(sent)}")
        self.assertEqual(verification.id, sent[0]["verification_id"])
        return verification

    def code_of(self, verification_id):
        messages = [m for m in self.sms() if m["verification_id"] == verification_id]
        self.assertTrue(messages, f"no SMS for {verification_id}")
        return messages[-1].code

    def check(self, client, verification_id, code, caller="limits-svc"):
        return client.check(self.v.CheckVerificationRequest(verification_id=verification_id, code=code, client_ip=support.end_user_ip()),
                            timeout=TIMEOUT, metadata=bearer(caller))

    def rpc_error(self, call, request, metadata):
        with self.assertRaises(grpc.RpcError) as raised:
            call(request, timeout=TIMEOUT, metadata=metadata)
        return raised.exception

    def assert_quota_failure(self, error, subject, retry_between):
        self.assertEqual(grpc.StatusCode.RESOURCE_EXHAUSTED, error.code(), error.details())
        details = unpack_details(error)
        self.assertIn("QuotaFailure", details, f"no google.rpc.QuotaFailure in {error.details()!r}")
        self.assertEqual([subject], [v.subject for v in details["QuotaFailure"].violations], error.details())
        self.assertIn("RetryInfo", details, f"no google.rpc.RetryInfo in {error.details()!r}")
        delay = details["RetryInfo"].retry_delay.ToTimedelta().total_seconds()
        low, high = retry_between
        self.assertTrue(low <= delay <= high, f"{subject}: retry_delay {delay} s not in [{low}, {high}]")

    def refused(self, client, number, purpose, subject, retry_between, caller="limits-svc", **fields):
        """A start that must be refused by `subject`, sending nothing."""
        before = len(self.sms(number))
        error = self.rpc_error(client.start, self.request(number, purpose, **fields), bearer(caller))
        self.assert_quota_failure(error, subject, retry_between)
        self.assertEqual(before, len(self.sms(number)), f"a start refused by {subject} sent an SMS to {number}")
        return error

    def sequential(self, starts, subject, retry_between):
        """starts: N+1 (number, purpose, caller, fields) tuples. The first N pass, alternating A and B;
        the last is refused by both replicas."""
        *admitted, last = starts
        for i, (number, purpose, caller, fields) in enumerate(admitted):
            self.start(self.ab[i % 2], number, purpose, caller, **fields)
        number, purpose, caller, fields = last
        for client in (self.ab[len(admitted) % 2], self.ab[(len(admitted) + 1) % 2]):
            self.refused(client, number, purpose, subject, retry_between, caller, **fields)

    def burst(self, starts, admitted, subject, retry_between):
        """starts: (number, purpose, caller, fields) tuples, all sent at once over A and B. Exactly
        `admitted` pass, the rest are refused by `subject`; exactly `admitted` SMS go out.
        Returns the numbers that passed."""
        numbers = {number for number, _, _, _ in starts}
        sms_before = sum(len(self.sms(n)) for n in numbers)
        calls = []
        for i, (number, purpose, caller, fields) in enumerate(starts):
            client = self.ab[i % 2]
            calls.append((number, client, client.start.future(self.request(number, purpose, **fields), timeout=TIMEOUT,
                                                              metadata=bearer(caller))))
        passed, refused = [], []
        for number, client, call in calls:
            try:
                passed.append((number, call.result().verification))
            except grpc.RpcError as error:
                refused.append((number, client, error))
        answers = collections.Counter()
        for _, _, error in refused:
            violations = unpack_details(error).get("QuotaFailure")
            answers[(error.code().name, ",".join(v.subject for v in violations.violations) if violations else None)] += 1
        self.assertEqual(admitted, len(passed),
                         f"{len(passed)} of {len(starts)} concurrent starts passed, want {admitted} ({subject}); refused: {dict(answers)}")
        self.assertEqual({("RESOURCE_EXHAUSTED", subject): len(refused)}, dict(answers),
                         f"the {len(refused)} refused starts of the burst: (status, QuotaFailure subject) → count")
        for number, client, error in refused:
            with self.subTest(number=number, replica=client.name):
                self.assert_quota_failure(error, subject, retry_between)
        self.assertEqual(admitted, sum(len(self.sms(n)) for n in numbers) - sms_before, f"SMS sent by the burst ({subject})")
        for number, verification in passed:
            self.assertIn(verification.id, {m["verification_id"] for m in self.sms(number)})
        if len(numbers) == len(starts):
            for number, _, _ in refused:
                self.assertEqual([], self.sms(number), f"{number} was refused but got an SMS")
        return [number for number, _ in passed]

    # admin

    def counters(self, client=None, **subject):
        """{counter name: CounterState} of GetCounters for one subject (phone_number=, client_ip=, prefix=, country=)."""
        client = client or self.a
        response = client.admin.get_counters(admin_pb.GetCountersRequest(subject=admin_pb.Subject(**subject)),
                                             timeout=TIMEOUT, metadata=bearer("admin-svc"))
        states = {}
        for state in response.counters:
            self.assertNotIn(state.counter, states, f"counter {state.counter} listed twice")
            states[state.counter] = state
        return states

    @staticmethod
    def windows(state):
        return [(w.window, w.used, w.max) for w in state.windows]

    def wait_for(self, predicate, what, timeout=5.0):
        deadline = time.monotonic() + timeout
        while True:
            value = predicate()
            if value:
                return value
            if time.monotonic() > deadline:
                self.fail(f"{what}: not within {timeout} s")
            time.sleep(0.05)


class LimitTests(LimitsTestCase):
    """Each limit admits exactly N, sequentially and under concurrency, through both replicas."""

    # --- per number and purpose: the cooldown and the windows --------------------------------------

    def test_cooldown_sequential(self):
        number = new_number()
        self.sequential([(number, "lcool", "limits-svc", {})] * 2, "phone:cooldown", COOLDOWN_RETRY)
        self.assertEqual(1, len(self.sms(number)))
        # The cooldown is the purpose's: the same number starts another purpose at once.
        self.start(self.b, number, "lphone")

    def test_cooldown_under_concurrency(self):
        number = new_number()
        self.burst([(number, "lcoolb", "limits-svc", {})] * BURST, 1, "phone:cooldown", COOLDOWN_RETRY)
        self.assertEqual(1, len(self.sms(number)))

    def test_phone_window_sequential(self):
        # Without a cooldown, each start after the first resends the pending code: every send counts.
        number = new_number()
        self.sequential([(number, "lphone", "limits-svc", {})] * (N_PHONE + 1), "phone:1h", HOUR_RETRY)
        self.assertEqual(N_PHONE, len(self.sms(number)))
        self.assertEqual(1, len({m["verification_id"] for m in self.sms(number)}), "a resend started another verification")

    def test_phone_window_under_concurrency(self):
        number = new_number()
        self.burst([(number, "lphoneb", "limits-svc", {})] * BURST, N_PHONE, "phone:1h", HOUR_RETRY)
        self.assertEqual(N_PHONE, len(self.sms(number)))
        for client in self.ab:
            self.refused(client, number, "lphoneb", "phone:1h", HOUR_RETRY)

    # --- per number, across purposes -------------------------------------------------------------

    def test_number_limit_across_purposes_sequential(self):
        number = new_number()
        purposes = ["lnum1", "lnum2"] * N_NUMBER
        starts = [(number, purposes[i], "limits-svc", {}) for i in range(N_NUMBER + 1)]
        self.sequential(starts, "number:1h", HOUR_RETRY)
        self.assertEqual(N_NUMBER, len(self.sms(number)))
        # Nor does a third purpose get through: the limit is the number's, whatever the purpose.
        self.refused(self.a, number, "ladmin", "number:1h", HOUR_RETRY)

    def test_number_limit_under_concurrency(self):
        # One purpose per start: only the number's limit across purposes stands between them (no
        # resend of one verification, no per-purpose window or cooldown).
        number = new_number()
        starts = [(number, BURST_PURPOSES[i], "limits-svc", {}) for i in range(BURST)]
        self.burst(starts, N_NUMBER, "number:1h", HOUR_RETRY)
        self.assertEqual(N_NUMBER, len(self.sms(number)))
        for client in self.ab:
            self.refused(client, number, "lnum1", "number:1h", HOUR_RETRY)

    def test_burst_refused_by_one_numbers_limit_refuses_no_neighbour_in_its_prefix(self):
        # docs/limits.md: a refused start "leaves every other counter as it was", and a window admits
        # at most Max sends. While one number's burst is refused by its own limit, three other numbers
        # of its prefix (N_NUMBER + 3 sends in all, well under N_PREFIX) must get their codes.
        prefix = new_prefix()
        hammered = f"{prefix}0000"
        neighbours = [f"{prefix}{i:04d}" for i in (1, 2, 3)]
        requests = [(hammered, BURST_PURPOSES[i]) for i in range(BURST - len(neighbours))]
        for position, neighbour in zip((12, 25, 38), neighbours):
            requests.insert(position, (neighbour, "lprefix"))
        calls = [(number, self.ab[i % 2].start.future(self.request(number, purpose), timeout=TIMEOUT, metadata=bearer("limits-svc")))
                 for i, (number, purpose) in enumerate(requests)]
        answers = {}
        for number, call in calls:
            try:
                call.result()
                outcome = "sent"
            except grpc.RpcError as error:
                violations = unpack_details(error).get("QuotaFailure")
                outcome = ",".join(v.subject for v in violations.violations) if violations else error.code().name
            answers.setdefault(number, collections.Counter())[outcome] += 1
        self.assertEqual({n: {"sent": 1} for n in neighbours}, {n: dict(answers[n]) for n in neighbours},
                         f"the neighbours' answers; the prefix got {len([m for m in self.sms() if m['to'].startswith(prefix)])} "
                         f"SMS in all (limit {N_PREFIX}); the hammered number's answers: {dict(answers[hammered])}")
        self.assertEqual(N_NUMBER, answers[hammered]["sent"], f"the hammered number's answers: {dict(answers[hammered])}")
        self.assertEqual([("1h", N_NUMBER + len(neighbours), N_PREFIX)], self.windows(self.counters(prefix=prefix)["prefix"]))

    # --- per prefix ------------------------------------------------------------------------------

    def test_prefix_limit_sequential(self):
        prefix = new_prefix()
        starts = [(f"{prefix}{i:04d}", "lprefix", "limits-svc", {}) for i in range(N_PREFIX + 1)]
        self.sequential(starts, "prefix:1h", HOUR_RETRY)
        # Another prefix is not affected.
        self.start(self.b, new_number(), "lprefix")

    def test_prefix_limit_under_concurrency(self):
        prefix = new_prefix()
        starts = [(f"{prefix}{i:04d}", "lprefix", "limits-svc", {}) for i in range(BURST)]
        self.burst(starts, N_PREFIX, "prefix:1h", HOUR_RETRY)
        self.assertEqual(N_PREFIX, len([m for m in self.sms() if m["to"].startswith(prefix)]))
        for client in self.ab:
            self.refused(client, f"{prefix}9999", "lprefix", "prefix:1h", HOUR_RETRY)

    # --- per destination country (a per-country cap) ----------------------------------------------

    def test_country_cap_sequential(self):
        starts = [(new_gb_number(), "lcountry", "limits-svc", {}) for _ in range(N_COUNTRY + 1)]
        self.sequential(starts, "country:1h", HOUR_RETRY)
        # Only GB is capped: a CN number in the same purpose still gets its code.
        self.start(self.a, new_number(), "lcountry")

    def test_country_cap_under_concurrency(self):
        # IE has the same cap as GB, so that this burst does not share GB's counter with the test above.
        starts = [(new_ie_number(), "lcountry", "limits-svc", {}) for _ in range(BURST)]
        self.burst(starts, N_COUNTRY, "country:1h", HOUR_RETRY)
        for client in self.ab:
            self.refused(client, new_ie_number(), "lcountry", "country:1h", HOUR_RETRY)

    # --- per caller ------------------------------------------------------------------------------

    def test_caller_limit_sequential(self):
        starts = [(new_number(), "lcaller", "capped-seq", {}) for _ in range(N_CALLER + 1)]
        self.sequential(starts, "caller:1h", HOUR_RETRY)
        # The cap is the caller's: another caller starts the same purpose.
        self.start(self.b, new_number(), "lcaller", "limits-svc")

    def test_caller_limit_under_concurrency(self):
        starts = [(new_number(), "lcaller", "capped-conc", {}) for _ in range(BURST)]
        self.burst(starts, N_CALLER, "caller:1h", HOUR_RETRY)
        for client in self.ab:
            self.refused(client, new_number(), "lcaller", "caller:1h", HOUR_RETRY, "capped-conc")

    # --- per client IP ---------------------------------------------------------------------------

    def test_ip_limit_sequential(self):
        ip = new_ip()
        starts = [(new_number(), "lip", "limits-svc", {"client_ip": ip}) for _ in range(N_IP + 1)]
        self.sequential(starts, "ip:1h", HOUR_RETRY)
        # Another IP is not affected.
        self.start(self.a, new_number(), "lip", client_ip=new_ip())

    def test_ip_limit_under_concurrency(self):
        ip = new_ip()
        starts = [(new_number(), "lip", "limits-svc", {"client_ip": ip}) for _ in range(BURST)]
        self.burst(starts, N_IP, "ip:1h", HOUR_RETRY)
        for client in self.ab:
            self.refused(client, new_number(), "lip", "ip:1h", HOUR_RETRY, client_ip=ip)

    # --- distinct destination countries per client IP ---------------------------------------------

    def test_countries_per_ip_sequential(self):
        ip = new_ip()
        countries = numbers_of_countries(N_IP_COUNTRIES + 1)
        starts = [(number, "lipc", "limits-svc", {"client_ip": ip}) for number in countries.values()]
        self.sequential(starts, "ip:countries", DAY_RETRY)
        # A country already reached from this IP still gets codes.
        first = next(iter(countries.values()))
        self.start(self.b, first[:-4] + "2222", "lipc", client_ip=ip)
        self.assertEqual(sorted(list(countries)[:N_IP_COUNTRIES]), list(self.counters(client_ip=ip)["ip:countries"].countries))

    def test_countries_per_ip_under_concurrency(self):
        ip = new_ip()
        countries = numbers_of_countries(BURST)
        starts = [(number, "lipc", "limits-svc", {"client_ip": ip}) for number in countries.values()]
        passed = self.burst(starts, N_IP_COUNTRIES, "ip:countries", DAY_RETRY)
        reached = sorted(region for region, number in countries.items() if number in passed)
        self.assertEqual(reached, list(self.counters(self.b, client_ip=ip)["ip:countries"].countries))


class RefusalTests(LimitsTestCase):

    def test_refused_start_sends_nothing_and_counts_in_no_other_limit(self):
        ip = new_ip()
        prefix = new_prefix()
        for i in range(N_PREFIX):
            self.start(self.ab[i % 2], f"{prefix}{i:04d}", "lrefund", "metered", client_ip=ip)
        refused = f"{prefix}9999"
        for client in self.ab:
            self.refused(client, refused, "lrefund", "prefix:1h", HOUR_RETRY, "metered", client_ip=ip)
        self.assertEqual([], self.sms(refused))

        # The refused number: nothing for its purpose, nothing across purposes; its prefix holds the N sends.
        states = self.counters(self.b, phone_number=refused)
        self.assertEqual([("1h", 0, 5), ("1d", 0, 10)], self.windows(states["phone:lrefund"]))
        self.assertFalse(states["phone:lrefund"].HasField("cooldown_until"))
        self.assertEqual([("1h", 0, N_NUMBER)], self.windows(states["number"]))
        self.assertEqual([("1h", N_PREFIX, N_PREFIX)], self.windows(states["prefix"]))
        # The client IP and the caller hold only the N starts that passed.
        ip_states = self.counters(self.a, client_ip=ip)
        self.assertEqual([("1h", N_PREFIX, 100)], self.windows(ip_states["ip:lrefund"]))
        self.assertEqual(["CN"], list(ip_states["ip:countries"].countries))
        self.assertEqual(f":{N_PREFIX}", redis.command("ZCARD", "verify:{caller:metered}:s"),
                         "the caller's counter (the admin service has no caller subject: read from Redis)")

        # Refused by the number's own limit (step 4, the cooldown): the IP, caller, number and prefix
        # counters, which had admitted the start, give it back.
        number = new_number()
        self.start(self.a, number, "lrefund", "metered", client_ip=ip)
        self.refused(self.b, number, "lrefund", "phone:cooldown", (55, 60), "metered", client_ip=ip)
        self.assertEqual(1, len(self.sms(number)))
        states = self.counters(self.a, phone_number=number)
        self.assertEqual([("1h", 1, 5), ("1d", 1, 10)], self.windows(states["phone:lrefund"]))
        self.assertEqual([("1h", 1, N_NUMBER)], self.windows(states["number"]))
        self.assertEqual([("1h", 1, N_PREFIX)], self.windows(states["prefix"]))
        self.assertEqual([("1h", N_PREFIX + 1, 100)], self.windows(self.counters(self.b, client_ip=ip)["ip:lrefund"]))
        self.assertEqual(f":{N_PREFIX + 1}", redis.command("ZCARD", "verify:{caller:metered}:s"))

    # --- geo permissions ---------------------------------------------------------------------------

    def test_country_not_allowed_is_permission_denied_sends_nothing_and_counts_nothing(self):
        ip = new_ip()
        us_number = "+12125550123"  # New York (212): US
        for client in self.ab:
            error = self.rpc_error(client.start, self.request(us_number, "lgeo", client_ip=ip), bearer("limits-svc"))
            self.assertEqual(grpc.StatusCode.PERMISSION_DENIED, error.code(), error.details())
            info = unpack_details(error).get("ErrorInfo")
            self.assertIsNotNone(info, f"no google.rpc.ErrorInfo in {error.details()!r}")
            self.assertEqual("COUNTRY_NOT_ALLOWED", info.reason)
        self.assertEqual([], self.sms(us_number))
        states = self.counters(phone_number=us_number)
        self.assertEqual([("1h", 0, 5), ("1d", 0, 10)], self.windows(states["phone:lgeo"]))
        self.assertEqual([("1h", 0, N_NUMBER)], self.windows(states["number"]))
        self.assertEqual([("1h", 0, N_PREFIX)], self.windows(states["prefix"]))
        ip_states = self.counters(self.b, client_ip=ip)
        self.assertEqual([("1h", 0, ADMIN_IP_LIMIT)], self.windows(ip_states["ip:lgeo"]))
        self.assertEqual([], list(ip_states["ip:countries"].countries))
        # A number of an allowed country passes, and is counted for that IP.
        self.start(self.b, new_number(), "lgeo", client_ip=ip)
        self.assertEqual([("1h", 1, ADMIN_IP_LIMIT)], self.windows(self.counters(client_ip=ip)["ip:lgeo"]))

    # --- lockout across verifications ----------------------------------------------------------------

    def test_wrong_codes_over_two_verifications_lock_out_starts_and_checks(self):
        number = new_number()
        first = self.start(self.a, number, "llock")
        first_code = self.code_of(first.id)
        answers = [self.check(client, first.id, support.wrong_code(first_code, i)) for i, client in enumerate(self.ab, 1)]
        self.assertEqual([(False, 4), (False, 3)], [(a.valid, a.attempts_remaining) for a in answers])
        # Let the first verification expire (its Ttl): the next start is a new verification.
        def expired():
            try:
                self.a.get(self.v.GetVerificationRequest(verification_id=first.id), timeout=TIMEOUT, metadata=bearer("limits-svc"))
                return False
            except grpc.RpcError as error:
                self.assertEqual(grpc.StatusCode.NOT_FOUND, error.code(), error.details())
                return True
        self.wait_for(expired, "the first verification expiring", timeout=LOCK_TTL + 3)
        second = self.start(self.b, number, "llock")
        self.assertNotEqual(first.id, second.id)
        second_code = self.code_of(second.id)
        third = self.check(self.a, second.id, support.wrong_code(second_code))
        # A new verification has its own attempts; the wrong codes in a row are the number's.
        self.assertEqual((False, 4, self.v.VERIFICATION_STATUS_PENDING), (third.valid, third.attempts_remaining, third.status))

        # LOCKOUT_FAILURES wrong codes in a row: even the right code is refused, on either replica.
        for client in self.ab:
            with self.subTest(check_through=client.name):
                error = self.rpc_error(client.check, self.v.CheckVerificationRequest(client_ip=support.end_user_ip(), verification_id=second.id, code=second_code),
                                       bearer("limits-svc"))
                self.assert_quota_failure(error, "phone:lockout", (LOCKOUT_SECONDS - 10, LOCKOUT_SECONDS))
        for client in self.ab:
            with self.subTest(start_through=client.name):
                self.refused(client, number, "llock", "phone:lockout", (LOCKOUT_SECONDS - 10, LOCKOUT_SECONDS))
        self.assertEqual(2, len(self.sms(number)))
        state = self.counters(phone_number=number)["phone:llock"]
        self.assertEqual(LOCKOUT_FAILURES, state.wrong_codes_in_a_row)
        self.assertTrue(state.HasField("locked_out_until"))
        left = state.locked_out_until.ToDatetime().timestamp() - time.time()
        self.assertTrue(LOCKOUT_SECONDS - 15 <= left <= LOCKOUT_SECONDS + 2, f"locked out for {left} s more")
        # The lockout is this purpose's: the same number starts another purpose.
        self.start(self.a, number, "lnum1")

    def test_approval_resets_wrong_codes_in_a_row(self):
        number = new_number()
        first = self.start(self.a, number, "llock")
        code = self.code_of(first.id)
        for i, client in enumerate(self.ab, 1):
            self.assertFalse(self.check(client, first.id, support.wrong_code(code, i)).valid)
        self.assertTrue(self.check(self.a, first.id, code).valid)
        self.assertEqual(0, self.counters(phone_number=number)["phone:llock"].wrong_codes_in_a_row)

        # Without the reset the first wrong code below would be the third in a row and lock the number.
        second = self.start(self.b, number, "llock")
        code = self.code_of(second.id)
        for i, client in enumerate(self.ab, 1):
            answer = self.check(client, second.id, support.wrong_code(code, i))
            self.assertEqual((False, self.v.VERIFICATION_STATUS_PENDING), (answer.valid, answer.status))
        state = self.counters(self.b, phone_number=number)["phone:llock"]
        self.assertEqual(2, state.wrong_codes_in_a_row)
        self.assertFalse(state.HasField("locked_out_until"))
        self.assertTrue(self.check(self.b, second.id, code).valid)

    def test_reset_counters_lifts_a_lockout_on_the_live_verification(self):
        number = new_number()
        started = self.start(self.a, number, "llock")
        code = self.code_of(started.id)
        for i in range(LOCKOUT_FAILURES):
            self.assertFalse(self.check(self.ab[i % 2], started.id, support.wrong_code(code, i + 1)).valid)
        error = self.rpc_error(self.b.check, self.v.CheckVerificationRequest(client_ip=support.end_user_ip(), verification_id=started.id, code=code), bearer("limits-svc"))
        self.assert_quota_failure(error, "phone:lockout", (LOCKOUT_SECONDS - 10, LOCKOUT_SECONDS))
        state = self.counters(phone_number=number)["phone:llock"]
        self.assertEqual((LOCKOUT_FAILURES, True), (state.wrong_codes_in_a_row, state.HasField("locked_out_until")))

        reset = self.b.admin.reset_counters(admin_pb.ResetCountersRequest(subject=admin_pb.Subject(phone_number=number)),
                                            timeout=TIMEOUT, metadata=bearer("admin-svc"))
        self.assertIn("phone:llock", reset.reset)
        state = self.counters(self.a, phone_number=number)["phone:llock"]
        self.assertEqual((0, False), (state.wrong_codes_in_a_row, state.HasField("locked_out_until")))
        # The verification itself lives on with the attempts it has left; the right code now approves it.
        answer = self.check(self.a, started.id, code)
        self.assertEqual((True, self.v.VERIFICATION_STATUS_APPROVED), (answer.valid, answer.status))

    # --- pumping guard -------------------------------------------------------------------------------

    def test_pumping_guard_blocks_a_prefix_with_sends_and_no_checks(self):
        prefix = new_prefix()
        started = [self.start(self.ab[i % 2], f"{prefix}{i:04d}", "lpump") for i in range(PUMP_MIN_SENDS)]
        time.sleep(SETTLE_TIME + 0.3)  # every send settled: PUMP_MIN_SENDS sends, none approved

        blocked_at = time.time()
        self.refused(self.a, f"{prefix}0100", "lpump", "prefix:pumping", (BLOCK_FOR - 10, BLOCK_FOR))
        # Elsewhere codes still go out.
        self.start(self.b, new_number(), "lpump")
        self.start(self.a, new_number(), "lprefix")

        masked = mask_unparsed(prefix)
        blocks = [(b.scope, b.key, b.until.ToDatetime().timestamp())
                  for b in self.b.admin.list_blocked(admin_pb.ListBlockedRequest(), timeout=TIMEOUT, metadata=bearer("admin-svc")).blocked]
        ours = [b for b in blocks if b[:2] == ("prefix", masked)]
        self.assertEqual(1, len(ours), f"ListBlocked: {blocks}, want one prefix block {masked}")
        self.assertTrue(abs(ours[0][2] - (blocked_at + BLOCK_FOR)) < 15, f"blocked until {ours[0][2]}, now {blocked_at}")
        self.assertNotIn(prefix, str(blocks), "ListBlocked shows a prefix unmasked")
        state = self.counters(prefix=prefix)["prefix"]
        self.assertTrue(state.HasField("blocked_until"))
        self.assertEqual([("1h", PUMP_MIN_SENDS, N_PREFIX)], self.windows(state))

        self.assertGreaterEqual(sum(metric(c.metrics(), "verify_pumping_blocks_total", scope="prefix") for c in self.ab), 1)
        self.assertIn("Pumping guard: prefix:pumping blocked", self.a.server.log() + self.b.server.log())

        # The block holds even once codes are typed back; only Unblock lifts it.
        for verification in started[:3]:
            self.assertTrue(self.check(self.b, verification.id, self.code_of(verification.id)).valid)
        self.wait_for(lambda: self.counters(prefix=prefix)["prefix"].approvals == 3, "3 approvals counted for the prefix")
        self.refused(self.b, f"{prefix}0101", "lpump", "prefix:pumping", (BLOCK_FOR - 30, BLOCK_FOR))

        answer = self.a.admin.unblock(admin_pb.UnblockRequest(scope="prefix", key=prefix), timeout=TIMEOUT, metadata=bearer("admin-svc"))
        self.assertTrue(answer.was_blocked)
        blocks = self.a.admin.list_blocked(admin_pb.ListBlockedRequest(), timeout=TIMEOUT, metadata=bearer("admin-svc")).blocked
        self.assertEqual([], [b for b in blocks if (b.scope, b.key) == ("prefix", masked)])
        self.assertFalse(self.counters(self.b, prefix=prefix)["prefix"].HasField("blocked_until"))
        # 3 of 5 settled sends approved is over MinConversion (0.5): the prefix gets codes again.
        self.start(self.b, f"{prefix}0102", "lpump")
        self.assertFalse(self.b.admin.unblock(admin_pb.UnblockRequest(scope="prefix", key=prefix), timeout=TIMEOUT,
                                              metadata=bearer("admin-svc")).was_blocked)

    def test_pumping_block_set_beside_another_refusal_is_listed_logged_and_counted(self):
        # PUMP_MIN_SENDS sends to one prefix from one client IP, whose window they fill; none typed back.
        ip, prefix = new_ip(), new_prefix()
        for i in range(PUMP_MIN_SENDS):
            self.start(self.ab[i % 2], f"{prefix}{i:04d}", "lside", client_ip=ip)
        time.sleep(SETTLE_TIME + 0.3)  # every send settled
        blocks_before = sum(metric(c.metrics(), "verify_pumping_blocks_total", scope="prefix") for c in self.ab)
        log_before = sum(c.server.log().count("Pumping guard: prefix:pumping blocked") for c in self.ab)

        # The IP's window refuses this start (step 2, named first); beside it the prefix's counter finds
        # the pumping guard's condition met.
        self.refused(self.a, f"{prefix}0100", "lside", "ip:1h", HOUR_RETRY, client_ip=ip)
        # The next start to the prefix is refused by the pumping guard, whichever start set the block.
        self.refused(self.b, f"{prefix}0101", "lside", "prefix:pumping", (BLOCK_FOR - 10, BLOCK_FOR))

        state = self.counters(prefix=prefix)["prefix"]
        self.assertTrue(state.HasField("blocked_until"))
        blocks = self.a.admin.list_blocked(admin_pb.ListBlockedRequest(), timeout=TIMEOUT, metadata=bearer("admin-svc")).blocked
        self.assertIn(("prefix", mask_unparsed(prefix)), [(b.scope, b.key) for b in blocks],
                      f"the prefix is blocked until {state.blocked_until.ToDatetime()} but ListBlocked does not show it")
        blocks_after = sum(metric(c.metrics(), "verify_pumping_blocks_total", scope="prefix") for c in self.ab)
        log_after = sum(c.server.log().count("Pumping guard: prefix:pumping blocked") for c in self.ab)
        self.assertEqual((1, 1), (blocks_after - blocks_before, log_after - log_before),
                         "the new block: verify_pumping_blocks_total{scope=prefix} and 'Pumping guard: ... blocked' log lines added")

    # --- safe list -----------------------------------------------------------------------------------

    def test_safe_listed_number_skips_throttles_reaches_no_provider_and_has_its_fixed_code(self):
        # The number is an ordinary one for other purposes (the test below): only what this test starts is looked at.
        sent_before = len(self.sms(SAFE_NUMBER))
        number_before = self.windows(self.counters(phone_number=SAFE_NUMBER)["number"])
        ids = []
        # More starts than the number's limit (N_NUMBER), the policy's window (5 an hour) and its cooldown allow.
        for i in range(6):
            client = self.ab[i % 2]
            ids.append(client.start(self.request(SAFE_NUMBER, "lsafe"), timeout=TIMEOUT, metadata=bearer("limits-svc")).verification.id)
        self.assertEqual(sent_before, len(self.sms(SAFE_NUMBER)), "a safe-listed number reached a provider")
        self.assertEqual([], [m for m in self.a.capture.refused() + self.b.capture.refused() if m["to"] == SAFE_NUMBER])
        self.assertEqual(number_before, self.windows(self.counters(phone_number=SAFE_NUMBER)["number"]), "a safe start was counted")
        self.assertEqual("1h", number_before[0][0])
        answer = self.check(self.b, ids[-1], SAFE_CODE)
        self.assertTrue(answer.valid)
        self.assertEqual(self.v.VERIFICATION_STATUS_APPROVED, answer.status)

    def test_safe_listed_number_is_an_ordinary_number_for_a_purpose_it_does_not_name(self):
        verification = self.start(self.a, SAFE_NUMBER, "lphone")
        self.assertEqual(1, len(self.sms(SAFE_NUMBER)), "an SMS went out, with a code of its own")
        self.assertTrue(self.check(self.a, verification.id, self.code_of(verification.id)).valid)


class AdminTests(LimitsTestCase):

    def admin_error(self, call, request, metadata):
        with self.assertRaises(grpc.RpcError) as raised:
            call(request, timeout=TIMEOUT, metadata=metadata)
        return raised.exception

    def test_get_counters_shows_use_and_max_of_number_ip_and_prefix(self):
        number, ip = new_number(), new_ip()
        first = self.start(self.a, number, "ladmin", client_ip=ip)
        self.start(self.b, number, "ladmin2", client_ip=ip)

        states = self.counters(self.b, phone_number=number)
        for purpose in ("ladmin", "ladmin2", "login", "signup", "payment", "llock"):
            self.assertIn(f"phone:{purpose}", states)
        self.assertEqual([("1h", 1, ADMIN_PHONE_LIMIT)], self.windows(states["phone:ladmin"]))
        self.assertEqual([("1h", 1, ADMIN_PHONE_LIMIT)], self.windows(states["phone:ladmin2"]))
        self.assertEqual([("1h", 0, 5), ("1d", 0, 10)], self.windows(states["phone:login"]))
        self.assertEqual([("1h", 2, N_NUMBER)], self.windows(states["number"]))
        self.assertEqual([("1h", 2, N_PREFIX)], self.windows(states["prefix"]))
        for state in states.values():
            self.assertNotIn(number[3:], state.key, f"{state.counter} shows the number unmasked")

        ip_states = self.counters(self.a, client_ip=ip)
        self.assertEqual([("1h", 1, ADMIN_IP_LIMIT)], self.windows(ip_states["ip:ladmin"]))
        self.assertEqual([("1h", 1, ADMIN_IP_LIMIT)], self.windows(ip_states["ip:ladmin2"]))
        self.assertEqual([("1h", 0, ADMIN_IP_LIMIT)], self.windows(ip_states["ip:login"]))
        self.assertEqual(["CN"], list(ip_states["ip:countries"].countries))

        prefix = self.counters(self.b, prefix=number[:-4])["prefix"]
        self.assertEqual(([("1h", 2, N_PREFIX)], 0), (self.windows(prefix), prefix.approvals))
        self.assertTrue(self.check(self.a, first.id, self.code_of(first.id)).valid)
        self.wait_for(lambda: self.counters(prefix=number[:-4])["prefix"].approvals == 1, "the approval counted for the prefix")

    def test_full_window_shows_retry_after_and_reset_lets_the_number_start_again(self):
        number = new_number()
        purposes = ["ladmin", "ladmin2", "ladmin"]
        for i, purpose in enumerate(purposes):
            self.start(self.ab[i % 2], number, purpose)
        self.refused(self.b, number, "ladmin2", "number:1h", HOUR_RETRY)
        window = self.counters(phone_number=number)["number"].windows[0]
        self.assertEqual((N_NUMBER, N_NUMBER), (window.used, window.max))
        retry = window.retry_after.ToTimedelta().total_seconds()
        self.assertTrue(HOUR_RETRY[0] <= retry <= HOUR_RETRY[1], f"retry_after {retry} s")

        reset = self.b.admin.reset_counters(admin_pb.ResetCountersRequest(subject=admin_pb.Subject(phone_number=number)),
                                            timeout=TIMEOUT, metadata=bearer("admin-svc"))
        self.assertIn("number", reset.reset)
        self.assertIn("phone:ladmin", reset.reset)
        states = self.counters(phone_number=number)
        self.assertEqual([("1h", 0, N_NUMBER)], self.windows(states["number"]))
        self.assertEqual([("1h", 0, ADMIN_PHONE_LIMIT)], self.windows(states["phone:ladmin"]))
        self.start(self.a, number, "ladmin2")
        self.assertEqual(N_NUMBER + 1, len(self.sms(number)))
        self.assertIn("audit admin.reset_counters caller=admin-svc", self.b.server.log())

    def test_reset_counters_of_an_ip_and_a_prefix(self):
        ip, prefix = new_ip(), new_prefix()
        self.start(self.a, f"{prefix}0001", "lip", client_ip=ip)
        self.start(self.b, f"{prefix}0002", "lip", client_ip=ip)
        self.assertEqual([("1h", 2, N_IP)], self.windows(self.counters(client_ip=ip)["ip:lip"]))

        reset = self.a.admin.reset_counters(admin_pb.ResetCountersRequest(subject=admin_pb.Subject(client_ip=ip)),
                                            timeout=TIMEOUT, metadata=bearer("admin-svc"))
        self.assertIn("ip:lip", reset.reset)
        self.assertIn("ip:countries", reset.reset)
        ip_states = self.counters(self.b, client_ip=ip)
        self.assertEqual([("1h", 0, N_IP)], self.windows(ip_states["ip:lip"]))
        self.assertEqual([], list(ip_states["ip:countries"].countries))

        self.assertEqual([("1h", 2, N_PREFIX)], self.windows(self.counters(prefix=prefix)["prefix"]))
        reset = self.b.admin.reset_counters(admin_pb.ResetCountersRequest(subject=admin_pb.Subject(prefix=prefix)),
                                            timeout=TIMEOUT, metadata=bearer("admin-svc"))
        self.assertEqual(["prefix"], list(reset.reset))
        self.assertEqual([("1h", 0, N_PREFIX)], self.windows(self.counters(self.a, prefix=prefix)["prefix"]))

    def test_non_admin_is_permission_denied_and_no_credentials_unauthenticated(self):
        number = new_number()
        self.start(self.a, number, "ladmin")
        subject = admin_pb.Subject(phone_number=number)
        calls = [
            (self.a.admin.get_counters, admin_pb.GetCountersRequest(subject=subject)),
            (self.b.admin.reset_counters, admin_pb.ResetCountersRequest(subject=subject)),
            (self.a.admin.list_blocked, admin_pb.ListBlockedRequest()),
            (self.b.admin.unblock, admin_pb.UnblockRequest(scope="prefix", key=number[:-4])),
        ]
        for call, request in calls:
            with self.subTest(method=call._method if hasattr(call, "_method") else str(call)):
                self.assertEqual(grpc.StatusCode.PERMISSION_DENIED, self.admin_error(call, request, bearer("limits-svc")).code())
                self.assertEqual(grpc.StatusCode.UNAUTHENTICATED, self.admin_error(call, request, ()).code())
                self.assertEqual(grpc.StatusCode.UNAUTHENTICATED,
                                 self.admin_error(call, request, (("authorization", "Bearer vfk_not_a_key"),)).code())
        # The refused reset changed nothing.
        self.assertEqual([("1h", 1, N_NUMBER)], self.windows(self.counters(phone_number=number)["number"]))


if __name__ == "__main__":
    unittest.main()
