"""A rolling upgrade on a shared redis-server: the previous release and the current one side by side,
through the official Python gRPC client (grpcio from Debian).

The previous release is the commit in previous_release.txt (moved forward at each release). It is built
from a temporary `git worktree add --detach` of this clone, removed afterwards, unless
VERIFY_PREVIOUS_SERVER_DLL names a Verify.Server.dll already built from it. The current release is
VERIFY_SERVER_DLL, as for the other suites. One redis-server, one replica of each release on it, with
the same HMAC key (Verify:Hashing) and the same configuration; each has its own capture server (its SMS
provider), so a test reads the code the replica that sent it sent.

What changed on Redis between the two (git diff <previous> -- src/Verify.Engine/Storage): a code's
HMAC no longer binds the verification id. The current release stores 33 bytes (version byte 2 and the
HMAC), the previous one stored 32 bytes bound to the id, and so did its transaction fingerprint. A check
on the current release that meets a 32-byte hash hashes the typed code again the previous release's way
and checks once more. And a record of the current release can keep its number's wrong codes in a row and
lockout (two more fields, 27 where the previous release reads exactly 25): the current replica runs with
Verify:Redis:WrongCodesInRecord false (the default, set here explicitly), as README.md ("Upgrading") says to roll, so every record it writes
has the previous release's 25 fields and the count stays in the number's state. Key names and the number's
state (cooldown, send windows, wrong codes in a row, lockout) are the same.

Old to new, everything the previous release wrote is honoured by the current one: its codes approve
once (by id, by number and purpose, a payment's with its transaction), its attempts, wrong codes in a
row, lockouts, send windows and cooldowns hold, and a resend keeps the verification and its attempts.
No deploy hands out fresh quota.

New to old, the previous release cannot verify a code the current one sent: it hashes the typed code
with the id and compares 32 bytes with 33. The right code is answered as a wrong one (valid false, one
attempt used, one wrong code in a row counted), and a payment code, whose transaction fingerprint no
longer matches either, is burned (FAILED). That direction is safe, not available: such a code is never
approved by the previous release, never given more attempts than the policy's MaxAttempts, and the
current release still applies the attempts the previous one used. During the roll, the user of a
verification started on a new replica whose check lands on an old one is told the code is wrong and
can retry (or resend); README.md ("Upgrading") says so.

Needs redis-server on PATH, git, dotnet and VERIFY_SERVER_DLL (see test_verify_e2e.py)."""

import base64
import itertools
import os
import shutil
import subprocess
import sys
import tempfile
import time
import unittest

import grpc

import verify_e2e_support as support

TIMEOUT = 10  # seconds; every call is bounded
HERE = os.path.dirname(os.path.abspath(__file__))
PREVIOUS_RELEASE_FILE = os.path.join(HERE, "previous_release.txt")

MAX_ATTEMPTS = 3  # Verify:Policies:upattempts and :upback:MaxAttempts
LOCKOUT_FAILURES = 3  # Verify:Policies:uplock:Lockout:MaxFailures
LOCKOUT_SECONDS = 60  # Verify:Policies:uplock:Lockout:Duration
PHONE_LIMIT = 2  # Verify:Policies:upwindow:PhoneLimits, per hour
COOLDOWN = 60  # the default ResendCooldown (purpose upcool)
DEFAULT_MAX_ATTEMPTS = 5  # the default MaxAttempts (login, signup, payment, upresend, uplock)

ENV = {
    # One key for both releases (base64 of 32 random bytes per run), as replicas of one deployment.
    "Verify__Hashing__ActiveKeyId": "upgrade",
    "Verify__Hashing__Keys__upgrade": base64.b64encode(os.urandom(32)).decode(),
    "Verify__Health__ProbeInterval": "00:00:01",
    # As README.md ("Upgrading") says to roll: records the previous release reads (25 fields, wrong codes in a
    # row in the number's state only) until no replica of it serves. The previous release ignores the key.
    "Verify__Redis__WrongCodesInRecord": "false",
    # Likewise: the number's state per purpose shared by every caller, as the previous release keeps it.
    "Verify__Redis__StatePerCaller": "false",
    "Verify__Policies__upattempts__MaxAttempts": str(MAX_ATTEMPTS),
    "Verify__Policies__upattempts__ResendCooldown": "00:00:00",
    "Verify__Policies__upback__MaxAttempts": str(MAX_ATTEMPTS),
    "Verify__Policies__upback__ResendCooldown": "00:00:00",
    "Verify__Policies__uplock__Lockout__MaxFailures": str(LOCKOUT_FAILURES),
    "Verify__Policies__uplock__Lockout__Duration": "00:01:00",
    "Verify__Policies__uplock__ResendCooldown": "00:00:00",
    "Verify__Policies__upwindow__PhoneLimits__0__Window": "01:00:00",
    "Verify__Policies__upwindow__PhoneLimits__0__Max": str(PHONE_LIMIT),
    "Verify__Policies__upwindow__ResendCooldown": "00:00:00",
    "Verify__Policies__upresend__ResendCooldown": "00:00:00",
    "Verify__Policies__upcool__Enabled": "true",
    "Verify__Policies__upkeep__KeepPreviousCodeOnResend": "true",
    "Verify__Policies__upkeep__ResendCooldown": "00:00:00",
}

redis = None
old = None  # (capture, server) of the previous release
new = None  # (capture, server) of the current release
pb = None
_previous_build = None  # (git toplevel, temporary directory) to remove, when this module built the previous release
_numbers = itertools.count(1000)


def previous_release_commit():
    """The commit previous_release.txt names: its last line that is not a comment."""
    with open(PREVIOUS_RELEASE_FILE, encoding="utf-8") as f:
        lines = [line.strip() for line in f if line.strip() and not line.lstrip().startswith("#")]
    if not lines:
        raise RuntimeError(f"{PREVIOUS_RELEASE_FILE} names no commit.")
    return lines[-1]


def _git(toplevel, *arguments, check=True):
    return subprocess.run(["git", "-C", toplevel, *arguments], stdin=subprocess.DEVNULL, capture_output=True, text=True,
                          check=check)


def previous_release_dll():
    """VERIFY_PREVIOUS_SERVER_DLL, or the previous release built in a temporary worktree (about a minute)."""
    global _previous_build
    given = os.environ.get("VERIFY_PREVIOUS_SERVER_DLL")
    if given:
        if not os.path.isfile(given):
            raise RuntimeError(f"VERIFY_PREVIOUS_SERVER_DLL={given} does not exist.")
        print(f"\nprevious release: {given} (VERIFY_PREVIOUS_SERVER_DLL)", file=sys.stderr, flush=True)
        return given

    commit = previous_release_commit()
    found = _git(HERE, "rev-parse", "--show-toplevel", check=False)
    if found.returncode != 0:
        raise RuntimeError(f"{HERE} is not in a git clone, so the previous release {commit} cannot be built; "
                           "set VERIFY_PREVIOUS_SERVER_DLL to a Verify.Server.dll built from it.")
    toplevel = found.stdout.strip()
    if _git(toplevel, "cat-file", "-e", f"{commit}^{{commit}}", check=False).returncode != 0:
        shallow = _git(toplevel, "rev-parse", "--is-shallow-repository", check=False).stdout.strip() == "true"
        raise RuntimeError(
            f"The previous release {commit} (tests/interop/python/previous_release.txt) is not in this clone"
            + (" (a shallow clone)" if shallow else "") + ". Fetch the history first: `git fetch --unshallow` "
            f"(or `git fetch origin {commit}`), or set VERIFY_PREVIOUS_SERVER_DLL to a Verify.Server.dll built from it.")
    directory = tempfile.mkdtemp(prefix="verify-previous-")
    worktree = os.path.join(directory, "src")
    _previous_build = (toplevel, directory)
    _git(toplevel, "worktree", "add", "--detach", worktree, commit)
    started = time.monotonic()
    build = subprocess.run(["dotnet", "build", "src/Verify.Server", "-c", "Release", "-nologo", "-clp:ErrorsOnly", "-v:q"],
                           cwd=worktree, stdin=subprocess.DEVNULL, capture_output=True, text=True)
    elapsed = time.monotonic() - started
    if build.returncode != 0:
        raise RuntimeError(f"Building the previous release {commit} failed ({elapsed:.0f} s):\n"
                           f"{build.stdout[-4000:]}\n{build.stderr[-4000:]}")
    dll = os.path.join(worktree, "src", "Verify.Server", "bin", "Release", "net10.0", "Verify.Server.dll")
    if not os.path.isfile(dll):
        raise RuntimeError(f"Building the previous release {commit} made no {dll}.")
    print(f"\nprevious release {commit[:12]} built in {elapsed:.1f} s", file=sys.stderr, flush=True)
    return dll


def remove_previous_build():
    global _previous_build
    if _previous_build is None:
        return
    toplevel, directory = _previous_build
    _previous_build = None
    _git(toplevel, "worktree", "remove", "--force", os.path.join(directory, "src"), check=False)
    shutil.rmtree(directory, ignore_errors=True)
    _git(toplevel, "worktree", "prune", check=False)


def _start(dll, env):
    capture = support.CaptureServer()
    try:
        return capture, support.VerifyServer(dll, capture.url, env)
    except Exception:
        capture.stop()
        raise


def _stop(pair):
    if pair is not None:
        capture, server = pair
        try:
            server.stop()
        finally:
            capture.stop()


def setUpModule():
    global redis, old, new, pb
    pb = support.generate_modules()
    current = support.require_verify_server_dll()
    try:
        previous = previous_release_dll()
        redis = support.RedisServer("--maxmemory-policy", "noeviction")
        env = dict(ENV)
        env.update(support.redis_env(redis))
        old = _start(previous, env)
        new = _start(current, env)
    except Exception:
        tearDownModule()
        raise


def tearDownModule():
    global old, new, redis
    try:
        _stop(new)
        _stop(old)
        old = new = None
        if redis is not None:
            redis.stop()
            redis = None
    finally:
        remove_previous_build()


def new_number():
    """A Chinese mobile number no other test of this module uses: +86 139 nnnn 5678."""
    return f"+86139{next(_numbers):04d}5678"


wrong_code = support.wrong_code


class RollingUpgradeTests(unittest.TestCase):

    def setUp(self):
        self.v = pb.verify
        self.channels = [grpc.insecure_channel(server.address) for _, server in (old, new)]
        self.old, self.new = (support.NamedVerifyClient(name, channel, capture, pb.verify)
                              for name, channel, (capture, _) in zip(("old", "new"), self.channels, (old, new)))

    def tearDown(self):
        for channel in self.channels:
            channel.close()

    # --- helpers ---------------------------------------------------------------------------------

    def sms(self, number):
        return self.old.capture.to(number) + self.new.capture.to(number)

    def start(self, release, number, purpose="login", **fields):
        """Starts through release; returns (verification, the code its provider got for it)."""
        before = len(release.capture.to(number))
        fields.setdefault("client_ip", support.end_user_ip())
        request = self.v.StartVerificationRequest(phone_number=number, purpose=purpose, **fields)
        verification = release.start(request, timeout=TIMEOUT).verification
        sms = release.capture.to(number)[before:]
        self.assertEqual(1, len(sms), f"expected one SMS to {number} sent by the {release.name} release, got {len(sms)}")
        self.assertEqual(verification.id, sms[0]["verification_id"])
        return verification, sms[0].code

    def check(self, release, verification_id, code, **fields):
        return release.check(self.v.CheckVerificationRequest(verification_id=verification_id, code=code, **fields),
                             timeout=TIMEOUT)

    def get(self, release, verification_id):
        return release.get(self.v.GetVerificationRequest(verification_id=verification_id), timeout=TIMEOUT)

    def rpc_error(self, code, call, request):
        with self.assertRaises(grpc.RpcError) as raised:
            call(request, timeout=TIMEOUT)
        self.assertEqual(code, raised.exception.code(), raised.exception.details())
        return raised.exception

    def assert_quota_failure(self, error, subject, retry_between):
        details = support.unpack_details(error, pb)
        self.assertIn("QuotaFailure", details, f"no google.rpc.QuotaFailure in {error.details()!r}")
        self.assertEqual([subject], [v.subject for v in details["QuotaFailure"].violations])
        self.assertIn("RetryInfo", details, f"no google.rpc.RetryInfo in {error.details()!r}")
        delay = details["RetryInfo"].retry_delay.ToTimedelta().total_seconds()
        low, high = retry_between
        self.assertTrue(low <= delay <= high, f"retry_delay {delay} s not in [{low}, {high}]")

    def refused_start(self, release, number, purpose, subject, retry_between):
        error = self.rpc_error(grpc.StatusCode.RESOURCE_EXHAUSTED, release.start,
                               self.v.StartVerificationRequest(client_ip=support.end_user_ip(), phone_number=number, purpose=purpose))
        self.assert_quota_failure(error, subject, retry_between)

    def payment(self, amount="25.00", currency="EUR", payee="ACME"):
        return self.v.Transaction(amount=amount, currency=currency, payee=payee)

    # --- codes sent by the previous release ------------------------------------------------------

    def test_code_sent_by_old_approves_on_new_by_id_once(self):
        verification, code = self.start(self.old, new_number())
        response = self.check(self.new, verification.id, code)
        self.assertTrue(response.valid, "a code sent by the previous release was refused by the current one")
        self.assertEqual(self.v.VERIFICATION_STATUS_APPROVED, response.status)
        self.assertEqual(verification.id, response.verification.id)
        for release in (self.new, self.old):
            with self.subTest(second_check_on=release.name):
                self.rpc_error(grpc.StatusCode.NOT_FOUND, release.check,
                               self.v.CheckVerificationRequest(client_ip=support.end_user_ip(), verification_id=verification.id, code=code))

    def test_code_sent_by_old_approves_on_new_by_number_and_purpose_once(self):
        number = new_number()
        verification, code = self.start(self.old, number, "signup")
        request = self.v.CheckVerificationRequest(client_ip=support.end_user_ip(), phone_number=number, purpose="signup", code=code)
        response = self.new.check(request, timeout=TIMEOUT)
        self.assertTrue(response.valid, "a code sent by the previous release was refused by the current one")
        self.assertEqual(verification.id, response.verification.id)
        self.rpc_error(grpc.StatusCode.NOT_FOUND, self.new.check, request)
        self.rpc_error(grpc.StatusCode.NOT_FOUND, self.old.check, request)

    def test_wrong_codes_counted_by_old_count_on_new(self):
        verification, code = self.start(self.old, new_number(), "upattempts")
        answers = [self.check(self.old, verification.id, wrong_code(code, i)) for i in range(1, MAX_ATTEMPTS)]
        self.assertEqual(list(range(MAX_ATTEMPTS - 1, 0, -1)), [a.attempts_remaining for a in answers])
        last = self.check(self.new, verification.id, wrong_code(code, MAX_ATTEMPTS))
        self.assertEqual((False, 0, self.v.VERIFICATION_STATUS_MAX_ATTEMPTS_REACHED),
                         (last.valid, last.attempts_remaining, last.status),
                         "the current release did not continue the attempts the previous one counted")
        for release in (self.new, self.old):
            with self.subTest(right_code_on=release.name):
                right = self.check(release, verification.id, code)
                self.assertFalse(right.valid)
                self.assertEqual(self.v.VERIFICATION_STATUS_MAX_ATTEMPTS_REACHED, right.status)
        live = self.get(self.new, verification.id)
        self.assertEqual((self.v.VERIFICATION_STATUS_MAX_ATTEMPTS_REACHED, 0), (live.status, live.attempts_remaining))

    def test_lockout_set_by_old_refuses_checks_and_starts_on_new(self):
        number = new_number()
        verification, code = self.start(self.old, number, "uplock")
        for i in range(1, LOCKOUT_FAILURES + 1):
            self.assertFalse(self.check(self.old, verification.id, wrong_code(code, i)).valid)
        error = self.rpc_error(grpc.StatusCode.RESOURCE_EXHAUSTED, self.new.check,
                               self.v.CheckVerificationRequest(client_ip=support.end_user_ip(), verification_id=verification.id, code=code))
        self.assert_quota_failure(error, "phone:lockout", (LOCKOUT_SECONDS - 10, LOCKOUT_SECONDS))
        self.refused_start(self.new, number, "uplock", "phone:lockout", (LOCKOUT_SECONDS - 10, LOCKOUT_SECONDS))
        self.assertEqual([], self.new.capture.to(number), "the current release sent a code to a number locked out")
        # The refused check used no attempt: the lockout was checked first.
        live = self.get(self.new, verification.id)
        self.assertEqual((self.v.VERIFICATION_STATUS_PENDING, DEFAULT_MAX_ATTEMPTS - LOCKOUT_FAILURES),
                         (live.status, live.attempts_remaining))

    def test_wrong_codes_in_a_row_counted_by_old_lock_out_on_new(self):
        number = new_number()
        verification, code = self.start(self.old, number, "uplock")
        for i in range(1, LOCKOUT_FAILURES):
            self.assertFalse(self.check(self.old, verification.id, wrong_code(code, i)).valid)
        # The one more wrong code on the current release is the LOCKOUT_FAILURES-th in a row.
        self.assertFalse(self.check(self.new, verification.id, wrong_code(code, LOCKOUT_FAILURES)).valid)
        for release in (self.new, self.old):
            with self.subTest(right_code_on=release.name):
                error = self.rpc_error(grpc.StatusCode.RESOURCE_EXHAUSTED, release.check,
                                       self.v.CheckVerificationRequest(client_ip=support.end_user_ip(), verification_id=verification.id, code=code))
                self.assert_quota_failure(error, "phone:lockout", (LOCKOUT_SECONDS - 10, LOCKOUT_SECONDS))

    def test_send_window_counted_by_old_holds_on_new(self):
        number = new_number()
        for _ in range(PHONE_LIMIT):
            self.start(self.old, number, "upwindow")
        self.refused_start(self.new, number, "upwindow", "phone:1h", (3500, 3601))
        self.assertEqual(PHONE_LIMIT, len(self.sms(number)))

    def test_cooldown_started_by_old_holds_on_new(self):
        number = new_number()
        verification, _ = self.start(self.old, number, "upcool")
        self.refused_start(self.new, number, "upcool", "phone:cooldown", (COOLDOWN - 10, COOLDOWN + 1))
        self.assertEqual([], self.new.capture.to(number), "the current release resent during the cooldown")
        live = self.get(self.new, verification.id)
        self.assertEqual((1, self.v.VERIFICATION_STATUS_PENDING), (live.send_count, live.status))

    def test_resend_on_new_keeps_the_verification_and_its_attempts(self):
        number = new_number()
        first, first_code = self.start(self.old, number, "upresend")
        for i in (1, 2):
            self.assertFalse(self.check(self.old, first.id, wrong_code(first_code, i)).valid)
        resent, code = self.start(self.new, number, "upresend")
        self.assertEqual(first.id, resent.id, "a resend on the current release made a new verification")
        self.assertEqual((2, DEFAULT_MAX_ATTEMPTS - 2), (resent.send_count, resent.attempts_remaining))
        wrong = self.check(self.new, first.id, wrong_code(code, 3) if wrong_code(code, 3) != first_code else wrong_code(code, 4))
        self.assertEqual((False, DEFAULT_MAX_ATTEMPTS - 3), (wrong.valid, wrong.attempts_remaining),
                         "the failures counted by the previous release were not continued after the resend")
        right = self.check(self.new, first.id, code)
        self.assertTrue(right.valid, "the code the current release resent was refused")
        self.assertEqual(first.id, right.verification.id)
        self.rpc_error(grpc.StatusCode.NOT_FOUND, self.new.check,
                       self.v.CheckVerificationRequest(client_ip=support.end_user_ip(), verification_id=first.id, code=code))

    def test_resend_on_old_of_a_verification_started_on_new_approves_on_new(self):
        number = new_number()
        first, first_code = self.start(self.new, number, "upresend")
        self.assertFalse(self.check(self.new, first.id, wrong_code(first_code)).valid)
        resent, code = self.start(self.old, number, "upresend")
        self.assertEqual((first.id, 2, DEFAULT_MAX_ATTEMPTS - 1), (resent.id, resent.send_count, resent.attempts_remaining))
        right = self.check(self.new, first.id, code)
        self.assertTrue(right.valid, "the code the previous release resent was refused by the current one")

    def test_kept_previous_code_across_a_resend_on_new_still_approves(self):
        # KeepPreviousCodeOnResend: the code the previous release sent stays valid after a resend on the
        # current one (the record then holds a 33-byte code and a 32-byte previous code).
        number = new_number()
        first, first_code = self.start(self.old, number, "upkeep")
        resent, code = self.start(self.new, number, "upkeep")
        self.assertEqual(first.id, resent.id)
        if code == first_code:
            self.skipTest("both SMS carry the same code")
        previous = self.check(self.new, first.id, first_code)
        self.assertTrue(previous.valid,
                        "with KeepPreviousCodeOnResend, the code the previous release sent was refused after a resend on the current one: "
                        f"answered valid={previous.valid}, attempts_remaining={previous.attempts_remaining}")

    def test_kept_previous_code_across_a_resend_on_old_still_approves_on_new(self):
        # KeepPreviousCodeOnResend, the other way: a code the current release sent, then a resend on the
        # previous one (a 32-byte code and a 33-byte previous code); the current release accepts both.
        number = new_number()
        first, first_code = self.start(self.new, number, "upkeep")
        resent, code = self.start(self.old, number, "upkeep")
        self.assertEqual(first.id, resent.id)
        if code == first_code:
            self.skipTest("both SMS carry the same code")
        previous = self.check(self.new, first.id, first_code)
        self.assertTrue(previous.valid,
                        "with KeepPreviousCodeOnResend, the code the current release sent was refused after a resend on the previous one: "
                        f"answered valid={previous.valid}, attempts_remaining={previous.attempts_remaining}")
        self.rpc_error(grpc.StatusCode.NOT_FOUND, self.new.check,
                       self.v.CheckVerificationRequest(client_ip=support.end_user_ip(), verification_id=first.id, code=code))

    def test_payment_code_sent_by_old_approves_on_new_with_its_transaction(self):
        verification, code = self.start(self.old, new_number(), "payment", transaction=self.payment())
        response = self.check(self.new, verification.id, code, transaction=self.payment())
        self.assertTrue(response.valid, "a payment code sent by the previous release was refused with its transaction")
        self.assertEqual(self.v.VERIFICATION_STATUS_APPROVED, response.status)

    def test_payment_code_sent_by_old_is_burned_on_new_by_another_transaction(self):
        verification, code = self.start(self.old, new_number(), "payment", transaction=self.payment())
        changed = self.check(self.new, verification.id, code, transaction=self.payment(amount="25.01"))
        self.assertEqual((False, self.v.VERIFICATION_STATUS_FAILED), (changed.valid, changed.status))
        for release in (self.new, self.old):
            with self.subTest(original_transaction_on=release.name):
                original = self.check(release, verification.id, code, transaction=self.payment())
                self.assertEqual((False, self.v.VERIFICATION_STATUS_FAILED), (original.valid, original.status))

    # --- codes sent by the current release, checked by the previous one -------------------------

    def test_code_sent_by_new_is_never_approved_by_old_nor_given_more_attempts(self):
        number = new_number()
        verification, code = self.start(self.new, number, "upback")
        # The previous release hashes the typed code with the id (32 bytes); the record holds 33: the
        # right code is answered as a wrong one, each answer one attempt used.
        answers = [self.check(self.old, verification.id, code) for _ in range(MAX_ATTEMPTS + 2)]
        self.assertFalse(any(a.valid for a in answers), "the previous release approved a code of the current one")
        self.assertEqual([MAX_ATTEMPTS - i for i in range(1, MAX_ATTEMPTS + 1)] + [0, 0],
                         [a.attempts_remaining for a in answers])
        self.assertEqual([self.v.VERIFICATION_STATUS_PENDING] * (MAX_ATTEMPTS - 1)
                         + [self.v.VERIFICATION_STATUS_MAX_ATTEMPTS_REACHED] * 3, [a.status for a in answers])
        # The current release keeps what the previous one counted: locked, even for the right code.
        right = self.check(self.new, verification.id, code)
        self.assertEqual((False, self.v.VERIFICATION_STATUS_MAX_ATTEMPTS_REACHED, 0),
                         (right.valid, right.status, right.attempts_remaining))
        self.refused_start(self.new, number, "upback", "phone:attempts", (200, 301))

    def test_code_sent_by_new_then_checked_once_on_old_still_approves_on_new(self):
        verification, code = self.start(self.new, new_number(), "upback")
        on_old = self.check(self.old, verification.id, code)
        self.assertEqual((False, MAX_ATTEMPTS - 1), (on_old.valid, on_old.attempts_remaining))
        on_new = self.check(self.new, verification.id, code)
        self.assertTrue(on_new.valid, "the current release refused its own code after the previous one answered it wrong")

    def test_payment_code_sent_by_new_is_burned_by_old(self):
        verification, code = self.start(self.new, new_number(), "payment", transaction=self.payment())
        # The previous release's transaction fingerprint bound the id: it differs, as another transaction's would.
        on_old = self.check(self.old, verification.id, code, transaction=self.payment())
        self.assertEqual((False, self.v.VERIFICATION_STATUS_FAILED), (on_old.valid, on_old.status))
        on_new = self.check(self.new, verification.id, code, transaction=self.payment())
        self.assertEqual((False, self.v.VERIFICATION_STATUS_FAILED), (on_new.valid, on_new.status))


if __name__ == "__main__":
    unittest.main()
