"""Verify.Server replicas on a redis-server that fails: killed under load, restarted from its AOF,
its script cache flushed, stalled. Through the official Python gRPC client (grpcio from Debian).

Redis runs with `--appendonly yes --appendfsync always`, so every write Redis acknowledged is on disk
before the reply: what a caller was told happened survives a SIGKILL. Two replicas (A and B, each with
its own capture server and one shared HMAC key) run for the whole module and are never restarted:
they must find Redis again by themselves. Every test leaves Redis running and both replicas ready.
Needs redis-server on PATH and VERIFY_SERVER_DLL (see test_verify_e2e.py)."""

import base64
import itertools
import os
import signal
import threading
import time
import unittest
import urllib.error
import urllib.request

import grpc

import verify_e2e_support as support

TIMEOUT = 10  # seconds; every call is bounded

OPERATION_TIMEOUT = 1.0  # Verify:Redis:OperationTimeout, seconds
OUTAGE_ANSWER_BOUND = 3.0  # every answer while Redis is down or stalled comes within this, seconds
HEALTH_REACTION_BOUND = 5.0  # /readyz and gRPC health follow Redis within this, seconds
RECOVERY_BOUND = 20.0  # both replicas ready again after Redis is back within this, seconds

ENV = {
    "Verify__Hashing__ActiveKeyId": "faults",
    "Verify__Hashing__Keys__faults": base64.b64encode(os.urandom(32)).decode(),
    "Verify__Redis__OperationTimeout": "00:00:01",
    "Verify__Health__ProbeInterval": "00:00:01",
    # The load: every start is a new number; client IPs are many but the window must not get in the way.
    "Verify__Policies__fault__ResendCooldown": "00:00:00",
    "Verify__Policies__fault__IpLimits__0__Window": "01:00:00",
    "Verify__Policies__fault__IpLimits__0__Max": "100000",
    # A small IP window whose state must survive a crash.
    "Verify__Policies__faultip__IpLimits__0__Window": "01:00:00",
    "Verify__Policies__faultip__IpLimits__0__Max": "2",
}

# The load under which Redis is killed: bounded in threads, iterations and wall-clock time.
LOAD_THREADS = 6
LOAD_MAX_ITERATIONS = 400  # per thread
LOAD_WALL_CLOCK_CAP = 20.0  # seconds, from the first call
LOAD_APPROVALS_BEFORE_KILL = 20
OUTAGE_LOAD_SECONDS = 1.5  # at least this long of load after the kill is confirmed
HELD = 4  # verifications started before the kill whose right codes the load sends during the outage

redis = None
replicas = []  # [(capture, server)] for A and B
pb = None
_numbers = itertools.count(1000)
_numbers_lock = threading.Lock()


def setUpModule():
    global redis, pb
    pb = support.generate_modules()
    dll = support.require_verify_server_dll()
    try:
        redis = support.RedisServer("--appendonly", "yes", "--appendfsync", "always", "--maxmemory-policy", "noeviction")
        env = dict(ENV)
        env.update(support.redis_env(redis))
        support.start_replicas(dll, env, replicas)
    except Exception:
        tearDownModule()
        raise


def tearDownModule():
    if redis is not None and redis.process is not None and redis.process.poll() is None:
        redis.process.send_signal(signal.SIGCONT)  # a stalled redis-server must be able to die
    support.stop_replicas(replicas)
    if redis is not None:
        redis.stop()


def new_number():
    """A Chinese mobile number no other test of this module uses: +86 137 nnnn 2468 (thread-safe)."""
    with _numbers_lock:
        n = next(_numbers)
    return f"+86137{n:04d}2468"


wrong_code = support.wrong_code


def rich_status(error):
    return support.rich_status(error, pb)


def unpack_details(error):
    return support.unpack_details(error, pb)


def error_reason(error):
    """The google.rpc.ErrorInfo reason of an error, or None."""
    info = unpack_details(error).get("ErrorInfo")
    return info.reason if info is not None else None


def readyz(server):
    """The HTTP status of the replica's /readyz, or None when it does not answer."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{server.management_port}/readyz", timeout=3) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except (urllib.error.URLError, ConnectionError, OSError):
        return None


def wait_for(condition, bound, interval=0.05):
    """Polls condition() until it is truthy or bound seconds pass; (value, seconds waited)."""
    began = time.monotonic()
    while True:
        value = condition()
        if value or time.monotonic() - began >= bound:
            return value, time.monotonic() - began
        time.sleep(interval)


def redis_stalled():
    """True while redis-server is stopped (SIGSTOP): state T in /proc."""
    try:
        with open(f"/proc/{redis.process.pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] == "T"
    except OSError:
        return False


class VerifyClient(support.VerifyClient):
    """The stubs, with the replica's name, capture and server, and its gRPC health check."""

    def __init__(self, name, channel, capture, server):
        super().__init__(channel, pb.verify)
        self.name = name
        self.capture = capture
        self.server = server
        self.health = channel.unary_unary("/grpc.health.v1.Health/Check",
                                          request_serializer=pb.health.HealthCheckRequest.SerializeToString,
                                          response_deserializer=pb.health.HealthCheckResponse.FromString)

    def health_status(self):
        try:
            return self.health(pb.health.HealthCheckRequest(service=""), timeout=3).status
        except grpc.RpcError as error:
            return error.code()


class Call:
    """One call the load made: what, to which replica, when it was sent and answered, and the answer."""

    def __init__(self, kind, replica, target, sent):
        self.kind = kind  # "start", "check-fresh" (a code just sent), "check-held", "check-held-wrong"
        self.replica = replica
        self.target = target  # the number for a start, the verification id for a check
        self.sent = sent
        self.answered = None
        self.response = None
        self.error = None

    @property
    def elapsed(self):
        return self.answered - self.sent

    @property
    def valid(self):
        return self.response is not None and getattr(self.response, "valid", False)

    def describe(self):
        answer = (f"{self.error.code().name} ({error_reason(self.error)}): {self.error.details()}"
                  if self.error is not None else ("valid" if self.valid else "ok"))
        return f"{self.kind} via {self.replica} of {self.target}, {self.elapsed:.2f} s: {answer}"


class RedisFaultTests(unittest.TestCase):

    def setUp(self):
        self.v = pb.verify
        self.channels = [grpc.insecure_channel(server.address) for _, server in replicas]
        self.a, self.b = (VerifyClient(name, channel, capture, server)
                          for name, channel, (capture, server) in zip("AB", self.channels, replicas))
        self.clients = (self.a, self.b)
        # A previous test that failed half way may have left Redis down: every test starts healthy.
        self.ensure_redis_running()

    def tearDown(self):
        try:
            self.ensure_redis_running()
        finally:
            for channel in self.channels:
                channel.close()

    # --- helpers ---------------------------------------------------------------------------------

    def ensure_redis_running(self):
        if redis.process.poll() is None:
            redis.process.send_signal(signal.SIGCONT)
        else:
            redis.restart()
        self.wait_ready()

    def wait_ready(self):
        """Both replicas answer 200 on /readyz and SERVING on gRPC health; the seconds that took."""
        ready, waited = wait_for(lambda: all(readyz(c.server) == 200 for c in self.clients), RECOVERY_BOUND, 0.1)
        self.assertTrue(ready, f"replicas not ready {RECOVERY_BOUND} s after Redis came back: "
                               f"{[readyz(c.server) for c in self.clients]}\n{self.logs()}")
        serving, _ = wait_for(lambda: all(c.health_status() == pb.health.HealthCheckResponse.SERVING for c in self.clients),
                              HEALTH_REACTION_BOUND, 0.1)
        self.assertTrue(serving, f"gRPC health not SERVING: {[c.health_status() for c in self.clients]}")
        return waited

    def assert_not_ready(self, since):
        """Both replicas report the store gone (/readyz non-200, health NOT_SERVING) within the bound of `since`."""
        not_serving = pb.health.HealthCheckResponse.NOT_SERVING
        for client in self.clients:
            def unready(client=client):
                status = readyz(client.server)
                return status if status not in (200, None) else None
            answer, _ = wait_for(unready, HEALTH_REACTION_BOUND - (time.monotonic() - since))
            self.assertIsNotNone(answer, f"/readyz of {client.name} still {readyz(client.server)} with Redis gone")
            self.assertIn(answer, range(500, 600), f"/readyz of {client.name} with Redis gone")
            status, _ = wait_for(lambda: client.health_status() == not_serving, HEALTH_REACTION_BOUND - (time.monotonic() - since))
            self.assertTrue(status, f"gRPC health of {client.name} is {client.health_status()} with Redis gone")
        self.assertLess(time.monotonic() - since, HEALTH_REACTION_BOUND + 0.5)

    def logs(self):
        return "\n".join(f"--- replica {c.name} (last lines)\n" + "\n".join(c.server.log().splitlines()[-15:]) for c in self.clients)

    def all_sms(self, number):
        return self.a.capture.to(number) + self.b.capture.to(number)

    def start(self, client, number, purpose="login", **fields):
        fields.setdefault("client_ip", support.end_user_ip())
        request = self.v.StartVerificationRequest(phone_number=number, purpose=purpose, **fields)
        return client.start(request, timeout=TIMEOUT).verification

    def start_and_read_sms(self, client, number, purpose="login", **fields):
        """Starts through client; (verification, the code of the one SMS that replica's provider got)."""
        before = len(client.capture.to(number))
        verification = self.start(client, number, purpose, **fields)
        sms = client.capture.to(number)[before:]
        self.assertEqual(1, len(sms), f"expected one SMS to {number} through replica {client.name}, got {len(sms)}")
        self.assertEqual(verification.id, sms[0]["verification_id"])
        return verification, sms[0].code

    def check(self, client, verification_id, code):
        return client.check(self.v.CheckVerificationRequest(verification_id=verification_id, code=code, client_ip=support.end_user_ip()),
                            timeout=TIMEOUT)

    def get(self, client, verification_id):
        return client.get(self.v.GetVerificationRequest(verification_id=verification_id), timeout=TIMEOUT)

    def assert_rpc_error(self, code, call, request, timeout=TIMEOUT):
        with self.assertRaises(grpc.RpcError) as raised:
            call(request, timeout=timeout)
        self.assertEqual(code, raised.exception.code(), raised.exception.details())
        return raised.exception

    def assert_store_unavailable(self, error, what=""):
        self.assertEqual(grpc.StatusCode.UNAVAILABLE, error.code(), f"{what}: {error.details()}")
        self.assertEqual("STORE_UNAVAILABLE", error_reason(error), f"{what}: {error.details()}")

    def assert_subject(self, error, subject):
        details = unpack_details(error)
        self.assertIn("QuotaFailure", details, error.details())
        self.assertEqual([subject], [v.subject for v in details["QuotaFailure"].violations])

    def assert_not_found(self, client, verification_id, code):
        self.assert_rpc_error(grpc.StatusCode.NOT_FOUND, client.check,
                              self.v.CheckVerificationRequest(client_ip=support.end_user_ip(), verification_id=verification_id, code=code))

    def assert_round_trips(self):
        """A start through each replica whose code checks valid through the other, on the first try."""
        for sender, checker in ((self.a, self.b), (self.b, self.a)):
            verification, code = self.start_and_read_sms(sender, new_number(), "fault")
            response = self.check(checker, verification.id, code)
            self.assertTrue(response.valid, f"started on {sender.name}, checked on {checker.name}")
            self.assertEqual(self.v.VERIFICATION_STATUS_APPROVED, response.status)

    # --- killed under load, then restarted -----------------------------------------------------------

    def test_redis_killed_under_load_fails_closed_and_restart_resumes_without_restarting_verify(self):
        held = [self.start_and_read_sms(self.clients[i % 2], new_number(), "fault") for i in range(HELD)]
        calls, calls_lock, failures = [], threading.Lock(), []
        kill_confirmed, stop = threading.Event(), threading.Event()
        began = time.monotonic()

        def call(kind, client, target, invoke):
            record = Call(kind, client.name, target, time.monotonic())
            try:
                record.response = invoke()
            except grpc.RpcError as error:
                record.error = error
            record.answered = time.monotonic()
            with calls_lock:
                calls.append(record)
            return record

        def worker(index):
            try:
                for i in range(LOAD_MAX_ITERATIONS):
                    if stop.is_set() or time.monotonic() - began > LOAD_WALL_CLOCK_CAP:
                        return
                    client, other = (self.a, self.b) if (index + i) % 2 == 0 else (self.b, self.a)
                    number = new_number()
                    request = self.v.StartVerificationRequest(phone_number=number, purpose="fault",
                                                              client_ip=f"198.51.100.{index + 1}")
                    started = call("start", client, number, lambda: client.start(request, timeout=TIMEOUT))
                    if started.error is None:
                        sms = client.capture.to(number)
                        if len(sms) != 1:
                            failures.append(f"start of {number} via {client.name} answered OK with {len(sms)} SMS")
                            return
                        verification_id, code = started.response.verification.id, sms[0].code
                        call("check-fresh", other, verification_id, lambda: self.check(other, verification_id, code))
                    if kill_confirmed.is_set():
                        # The outage: right and wrong codes of verifications started before the kill.
                        verification, code = held[(index + i) % HELD]
                        call("check-held", other, verification.id, lambda: self.check(other, verification.id, code))
                        call("check-held-wrong", client, verification.id,
                             lambda: self.check(client, verification.id, wrong_code(code, 1 + i % 9)))
                        time.sleep(0.02)  # the outage answers fast; do not spin
            except Exception as exception:  # noqa: BLE001 - reported by the test thread
                failures.append(f"worker {index}: {exception!r}")

        threads = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(LOAD_THREADS)]
        for thread in threads:
            thread.start()
        try:
            def approvals():
                with calls_lock:
                    return sum(c.kind == "check-fresh" and c.valid for c in calls) >= LOAD_APPROVALS_BEFORE_KILL
            warmed, _ = wait_for(approvals, 10.0)
            self.assertTrue(warmed, f"the load made fewer than {LOAD_APPROVALS_BEFORE_KILL} approvals in 10 s: {failures}")

            kill_begun_at = time.monotonic()
            redis.kill()  # SIGKILL, and waits until the process is gone
            confirmed_at = time.monotonic()
            kill_confirmed.set()

            self.assert_not_ready(confirmed_at)
            remaining = OUTAGE_LOAD_SECONDS - (time.monotonic() - confirmed_at)
            if remaining > 0:
                time.sleep(remaining)
        finally:
            stop.set()
            for thread in threads:
                thread.join(timeout=2 * TIMEOUT)
        self.assertFalse(any(t.is_alive() for t in threads), "a load thread did not finish")
        outage_ended_at = time.monotonic()
        self.assertEqual([], failures)

        with calls_lock:
            calls = list(calls)
        # Answered before the kill began / sent after Redis was confirmed gone / the rest raced the kill.
        before = [c for c in calls if c.answered < kill_begun_at]
        outage = [c for c in calls if c.sent >= confirmed_at]
        racing = [c for c in calls if c.answered >= kill_begun_at and c.sent < confirmed_at]
        self.assertGreaterEqual(sum(c.kind == "check-fresh" and c.valid for c in before), LOAD_APPROVALS_BEFORE_KILL)
        self.assertGreaterEqual(len(outage), 20, "too few calls during the outage for the test to mean anything")
        held_checked = {c.target for c in outage if c.kind == "check-held"}
        self.assertEqual({v.id for v, _ in held}, held_checked, "a held verification was not checked during the outage")

        # Before the kill everything worked.
        self.assertEqual([], [c.describe() for c in before if c.error is not None or (c.kind == "check-fresh" and not c.valid)])
        # A call that raced the kill may have worked (Redis answered before it died) or failed closed.
        for c in racing:
            if c.error is not None:
                self.assert_store_unavailable(c.error, c.describe())
        # After the kill was confirmed: UNAVAILABLE (STORE_UNAVAILABLE), never valid, always within the bound.
        self.assertEqual([], [c.describe() for c in outage if c.valid])
        for c in outage:
            self.assertIsNotNone(c.error, c.describe())
            self.assert_store_unavailable(c.error, c.describe())
        slow = [c.describe() for c in calls if c.answered >= kill_begun_at and c.elapsed >= OUTAGE_ANSWER_BOUND]
        self.assertEqual([], slow, f"answers slower than {OUTAGE_ANSWER_BOUND} s during the outage")
        # A start answered UNAVAILABLE sent nothing; no start sent during the outage sent anything.
        unavailable_starts = [c for c in calls if c.kind == "start" and c.error is not None]
        self.assertGreater(len(unavailable_starts), 0)
        self.assertEqual([], [c.describe() for c in unavailable_starts if self.all_sms(c.target)],
                         "SMS captured for a start answered UNAVAILABLE")
        self.assertEqual([], [c.target for c in outage if c.kind == "start" and self.all_sms(c.target)])

        # Redis comes back on the same port (from its AOF); Verify finds it without a restart.
        redis.restart()
        waited = self.wait_ready()
        self.assertTrue(all(c.server.process.poll() is None for c in self.clients))
        self.assert_round_trips()

        # The outage changed nothing: the held codes were neither consumed nor charged an attempt...
        for i, (verification, code) in enumerate(held):
            client = self.clients[i % 2]
            live = self.get(client, verification.id)
            self.assertEqual((self.v.VERIFICATION_STATUS_PENDING, 5), (live.status, live.attempts_remaining),
                             f"held verification {verification.id} after the outage")
            self.assertTrue(self.check(client, verification.id, code).valid)
        # ... and codes approved before the kill stay consumed.
        for c in [c for c in before if c.kind == "check-fresh" and c.valid][:10]:
            self.assert_rpc_error(grpc.StatusCode.NOT_FOUND, self.a.get, self.v.GetVerificationRequest(verification_id=c.target))
        self.assertLess(outage_ended_at - began, LOAD_WALL_CLOCK_CAP + 2 * TIMEOUT)
        self.assertLess(waited, RECOVERY_BOUND)

    # --- AOF: what was acknowledged survives a crash --------------------------------------------------

    def test_state_acknowledged_before_a_crash_survives_redis_restart_from_aof(self):
        pending, pending_code = self.start_and_read_sms(self.a, new_number())
        consumed, consumed_code = self.start_and_read_sms(self.a, new_number())
        self.assertTrue(self.check(self.b, consumed.id, consumed_code).valid)
        attempted_number = new_number()
        attempted, attempted_code = self.start_and_read_sms(self.b, attempted_number)
        self.assertEqual(4, self.check(self.a, attempted.id, wrong_code(attempted_code)).attempts_remaining)
        ip = "192.0.2.45"
        for client in self.clients:
            self.start_and_read_sms(client, new_number(), "faultip", client_ip=ip)

        redis.kill()
        self.assert_not_ready(time.monotonic())
        redis.restart()
        self.wait_ready()

        # A code issued before the crash still works, on either replica, once.
        response = self.check(self.b, pending.id, pending_code)
        self.assertTrue(response.valid)
        self.assert_not_found(self.a, pending.id, pending_code)
        # A code approved before the crash stays consumed.
        self.assert_not_found(self.a, consumed.id, consumed_code)
        self.assert_not_found(self.b, consumed.id, consumed_code)
        # The attempt counter, the cooldown and the IP window carried over.
        self.assertEqual(4, self.get(self.a, attempted.id).attempts_remaining)
        error = self.assert_rpc_error(grpc.StatusCode.RESOURCE_EXHAUSTED, self.a.start,
                                      self.v.StartVerificationRequest(client_ip=support.end_user_ip(), phone_number=attempted_number, purpose="login"))
        self.assert_subject(error, "phone:cooldown")
        self.assertEqual(1, len(self.all_sms(attempted_number)))
        refused_number = new_number()
        error = self.assert_rpc_error(grpc.StatusCode.RESOURCE_EXHAUSTED, self.b.start,
                                      self.v.StartVerificationRequest(phone_number=refused_number, purpose="faultip", client_ip=ip))
        self.assert_subject(error, "ip:1h")
        self.assertEqual([], self.all_sms(refused_number))
        self.assertEqual(3, self.check(self.b, attempted.id, wrong_code(attempted_code, 2)).attempts_remaining)
        self.assertTrue(self.check(self.a, attempted.id, attempted_code).valid)

    # --- SCRIPT FLUSH --------------------------------------------------------------------------------

    def test_script_flush_while_running_scripts_are_reloaded(self):
        self.assert_round_trips()  # every script the calls use is cached by both replicas now
        self.assertEqual("+OK", redis.command("SCRIPT", "FLUSH"))
        # The next calls, one at a time: start (IP window, pending id, start), check, through both replicas.
        for sender, checker in ((self.a, self.b), (self.b, self.a)):
            verification, code = self.start_and_read_sms(sender, new_number(), "login", client_ip="192.0.2.99")
            self.assertTrue(self.check(checker, verification.id, code).valid)

        # Flushed again under a burst: every concurrent call still works.
        self.assertEqual("+OK", redis.command("SCRIPT", "FLUSH"))
        numbers = [new_number() for _ in range(20)]
        starts = [self.clients[i % 2].start.future(
            self.v.StartVerificationRequest(phone_number=number, purpose="fault", client_ip="192.0.2.100"), timeout=TIMEOUT)
            for i, number in enumerate(numbers)]
        verifications = [future.result().verification for future in starts]
        self.assertEqual("+OK", redis.command("SCRIPT", "FLUSH"))
        checks = [self.clients[(i + 1) % 2].check.future(
            self.v.CheckVerificationRequest(client_ip=support.end_user_ip(), verification_id=v.id, code=self.all_sms(n)[0].code), timeout=TIMEOUT)
            for i, (v, n) in enumerate(zip(verifications, numbers))]
        self.assertEqual([True] * len(numbers), [future.result().valid for future in checks])

    # --- stalled Redis (SIGSTOP): slow, not gone ---------------------------------------------------------
    #
    # A stalled Redis still holds the commands a replica sent before giving up on them, and runs them when
    # it resumes. Verify gives each state-changing script a deadline on Redis's clock (its RedisClock
    # estimates the offset with TIME, lazily, at most every 5 s), after which the script changes nothing.
    # The tests of that guarantee use a replica of their own whose clock was sampled while Redis was
    # healthy, so that a stall in an earlier test cannot have skewed it.

    def stalled(self):
        """Context: redis-server stopped with SIGSTOP; continued (SIGCONT) on the way out, whatever happens."""
        test = self

        class Stalled:
            def __enter__(self):
                redis.process.send_signal(signal.SIGSTOP)
                ok, _ = wait_for(redis_stalled, 2.0, 0.01)
                test.assertTrue(ok, "redis-server did not stop")
                return self

            def __exit__(self, *exc):
                redis.process.send_signal(signal.SIGCONT)
                return False

        return Stalled()

    def hold_stall_until(self, since, seconds):
        """Keeps Redis stalled until `seconds` after `since`: past every deadline the calls were given."""
        remaining = seconds - (time.monotonic() - since)
        if remaining > 0:
            time.sleep(remaining)

    def fresh_replica(self, name="C"):
        """A third replica (same Redis, same HMAC key, its own capture) that no call has used yet; stopped at cleanup."""
        capture = support.CaptureServer()
        self.addCleanup(capture.stop)
        env = dict(ENV)
        env.update(support.redis_env(redis))
        server = support.VerifyServer(support.require_verify_server_dll(), capture.url, env)
        self.addCleanup(server.stop)
        channel = grpc.insecure_channel(server.address)
        self.addCleanup(channel.close)
        return VerifyClient(name, channel, capture, server)

    def sample_clock(self, client):
        """Makes the replica run one guarded script (a check of an id nobody has) while Redis is healthy, so it
        samples Redis's clock, and gives the sample time to come back."""
        self.assert_rpc_error(grpc.StatusCode.NOT_FOUND, client.check,
                              self.v.CheckVerificationRequest(client_ip=support.end_user_ip(), verification_id="VE" + os.urandom(16).hex(), code="123456"))
        time.sleep(0.3)

    def test_stalled_redis_is_unavailable_within_the_operation_timeout(self):
        held, code = self.start_and_read_sms(self.a, new_number(), "fault")
        numbers = [new_number() for _ in range(6)]
        with self.stalled():
            stalled_at = time.monotonic()
            calls = []
            for i, number in enumerate(numbers):
                client = self.clients[i % 2]
                calls.append(("start", number, time.monotonic(), client.start.future(
                    self.v.StartVerificationRequest(client_ip=support.end_user_ip(), phone_number=number, purpose="fault"), timeout=TIMEOUT)))
                calls.append(("check", held.id, time.monotonic(), client.check.future(
                    self.v.CheckVerificationRequest(client_ip=support.end_user_ip(), verification_id=held.id, code=wrong_code(code, 1 + i)), timeout=TIMEOUT)))
            answers = []
            for kind, target, sent, future in calls:
                error = future.exception(timeout=TIMEOUT)
                answers.append((kind, target, time.monotonic() - sent, error))
            self.assert_not_ready(stalled_at)
        for kind, target, elapsed, error in answers:
            what = f"{kind} of {target} while Redis is stalled ({elapsed:.2f} s)"
            self.assertIsNotNone(error, f"{what} answered OK")
            self.assert_store_unavailable(error, what)
            self.assertLess(elapsed, OUTAGE_ANSWER_BOUND, what)
            self.assertGreaterEqual(elapsed, OPERATION_TIMEOUT * 0.5, f"{what}: answered before Redis could have")
        self.assertEqual([], [n for n in numbers if self.all_sms(n)], "SMS sent while the store was stalled")
        self.wait_ready()
        self.assert_round_trips()

    def test_check_answered_unavailable_while_redis_is_stalled_is_not_applied_later(self):
        replica = self.fresh_replica()
        self.sample_clock(replica)
        right, right_code = self.start_and_read_sms(self.a, new_number(), "fault")
        wrong, wrong_sms_code = self.start_and_read_sms(self.b, new_number(), "fault")
        with self.stalled():
            began = time.monotonic()
            for verification, code in ((right, right_code), (wrong, wrong_code(wrong_sms_code))):
                error = self.assert_rpc_error(grpc.StatusCode.UNAVAILABLE, replica.check,
                                              self.v.CheckVerificationRequest(client_ip=support.end_user_ip(), verification_id=verification.id, code=code))
                self.assert_store_unavailable(error, "check while Redis is stalled")
                self.assertIn("nothing was accepted", error.details())
            self.hold_stall_until(began, 2 * OPERATION_TIMEOUT + 0.5)
        self.wait_ready()
        # Told nothing was accepted: the wrong code was not counted, and the user's retry of the right code works.
        self.assertEqual(5, self.get(self.a, wrong.id).attempts_remaining, "the check answered UNAVAILABLE counted an attempt")
        try:
            response = self.check(self.b, right.id, right_code)
        except grpc.RpcError as error:
            self.fail(f"the retry of the right code answered {error.code().name} ({error.details()}): "
                      "the check answered UNAVAILABLE was applied when Redis resumed")
        self.assertTrue(response.valid)

    def test_start_answered_unavailable_while_redis_is_stalled_leaves_the_ip_window_uncharged(self):
        replica = self.fresh_replica()
        self.sample_clock(replica)
        ip = "192.0.2.201"
        numbers = [new_number() for _ in range(2)]  # as many as faultip admits an hour from one IP
        with self.stalled():
            began = time.monotonic()
            for number in numbers:
                error = self.assert_rpc_error(grpc.StatusCode.UNAVAILABLE, replica.start, self.v.StartVerificationRequest(
                    phone_number=number, purpose="faultip", client_ip=ip))
                self.assert_store_unavailable(error, "start while Redis is stalled")
            self.hold_stall_until(began, 2 * OPERATION_TIMEOUT + 0.5)
        self.wait_ready()
        self.assertEqual([], [n for n in numbers if self.all_sms(n) or replica.capture.to(n)])
        # Nothing was sent for this IP, so its window must still admit as many starts.
        for client in self.clients:
            try:
                self.start_and_read_sms(client, new_number(), "faultip", client_ip=ip)
            except grpc.RpcError as error:
                self.fail(f"start via {client.name} answered {error.code().name} ({error.details()}) "
                          "though no SMS was ever sent for this IP")

    def test_unused_replica_check_answered_unavailable_while_stalled_is_not_applied_later(self):
        """A replica that has not read Redis's clock yet cannot give a script a deadline: its first state
        change waits for a clock sample instead, so a check it answers UNAVAILABLE during a stall is never
        sent, and the user's retry of the right code is still valid once Redis resumes."""
        replica = self.fresh_replica()  # its clock never sampled
        verification, code = self.start_and_read_sms(self.a, new_number(), "fault")
        with self.stalled():
            began = time.monotonic()
            error = self.assert_rpc_error(grpc.StatusCode.UNAVAILABLE, replica.check,
                                          self.v.CheckVerificationRequest(client_ip=support.end_user_ip(), verification_id=verification.id, code=code))
            self.assert_store_unavailable(error, "check while Redis is stalled")
            self.hold_stall_until(began, 2 * OPERATION_TIMEOUT + 0.5)
        self.wait_ready()
        try:
            response = self.check(self.a, verification.id, code)
        except grpc.RpcError as error:
            self.fail(f"the retry of the right code answered {error.code().name} ({error.details()}): "
                      "the check answered UNAVAILABLE was applied when Redis resumed")
        self.assertTrue(response.valid)

    def test_clock_sampled_during_a_stall_does_not_stretch_the_deadline(self):
        """A clock sample is taken at the midpoint of its round trip, so one that waited out a stall would
        be off by half the stall and make every later deadline that late. Slow samples are thrown away:
        after a 5 s stall, a check answered UNAVAILABLE in a second, 2 s stall still changes nothing."""
        replica = self.fresh_replica()
        first_stall = 5.0
        with self.stalled():
            began = time.monotonic()
            # The replica's first guarded call: its first clock sample waits out the stall.
            self.assert_rpc_error(grpc.StatusCode.UNAVAILABLE, replica.check,
                                  self.v.CheckVerificationRequest(client_ip=support.end_user_ip(), verification_id="VE" + os.urandom(16).hex(), code="123456"))
            self.hold_stall_until(began, first_stall)
        self.wait_ready()
        self.sample_clock(replica)  # healthy now; within 5 s of the last sample, so it is not taken again

        verification, code = self.start_and_read_sms(self.a, new_number(), "fault")
        with self.stalled():
            began = time.monotonic()
            error = self.assert_rpc_error(grpc.StatusCode.UNAVAILABLE, replica.check,
                                          self.v.CheckVerificationRequest(client_ip=support.end_user_ip(), verification_id=verification.id, code=code))
            self.assert_store_unavailable(error, "check while Redis is stalled")
            # Past the 1 s deadline by a second, well inside the 1 s + 2.5 s of the skewed clock.
            self.hold_stall_until(began, 2 * OPERATION_TIMEOUT)
        self.wait_ready()
        try:
            response = self.check(self.a, verification.id, code)
        except grpc.RpcError as error:
            self.fail(f"the retry of the right code answered {error.code().name} ({error.details()}): "
                      "the check answered UNAVAILABLE was applied when Redis resumed")
        self.assertTrue(response.valid)


if __name__ == "__main__":
    unittest.main()
