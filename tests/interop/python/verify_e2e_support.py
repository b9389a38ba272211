"""Plumbing for the end-to-end tests of Verify.Server through the official Python gRPC client: the
generated message modules, a webhook capture server standing in for the SMS provider, and the real
Verify.Server process on loopback. The generic parts (protoc, wire helpers) come from verify_interop."""

import atexit
import base64
import hashlib
import hmac
import itertools
import http.server
import json
import os
import shutil
import signal
import socket
import subprocess
import threading
import time
import types
import urllib.error
import urllib.request

import verify_interop

_end_users = itertools.count(1)


def end_user_ip():
    """A new end user's address, as a caller passes client_ip: a distinct one per call from 198.18.0.0/15
    (RFC 2544, for tests). Without one, every call of a caller shares one per-IP bucket."""
    n = next(_end_users) % (1 << 17)
    return f"198.{18 + (n >> 16)}.{(n >> 8) & 255}.{n & 255}"


SIGNING_SECRET = "e2e-signing-secret-0123456789"
SIGNATURE_HEADER = "X-Verify-Signature"
READY_TIMEOUT = 60.0
STOP_TIMEOUT = 10.0


def require_verify_server_dll():
    """The Verify.Server.dll that VERIFY_SERVER_DLL names; fails saying how to set it."""
    path = os.environ.get("VERIFY_SERVER_DLL")
    if not path:
        raise RuntimeError("Environment variable VERIFY_SERVER_DLL is not set; build src/Verify.Server and point it at "
                           "the built Verify.Server.dll (tests/run-all.sh sets it).")
    if not os.path.isfile(path):
        raise RuntimeError(f"VERIFY_SERVER_DLL={path} does not exist; build src/Verify.Server first.")
    return path


def generate_modules():
    """protoc-generated modules: verify.v1, google.rpc status/details, health and reflection."""
    protos = verify_interop.REPO_PROTOS_DIR
    google = verify_interop.GOOGLE_PROTO_FILES_DIR
    verify_interop.generate_protos([os.path.join(protos, "verify", "v1", "verify.proto")], [protos, "/usr/include"])
    verify_interop.generate_protos(
        [os.path.join(google, "google", "rpc", "status.proto"), os.path.join(google, "google", "rpc", "error_details.proto")],
        [google])
    # Each from its own folder so the module names never clash with the installed `grpc` package.
    health_dir = os.path.join(verify_interop.TEST_PROTOS_DIR, "grpc", "health", "v1")
    reflection_dir = os.path.join(verify_interop.TEST_PROTOS_DIR, "grpc", "reflection", "v1")
    verify_interop.generate_protos([os.path.join(health_dir, "health.proto")], [health_dir])
    verify_interop.generate_protos([os.path.join(reflection_dir, "reflection.proto")], [reflection_dir])

    import health_pb2
    import reflection_pb2
    from google.rpc import error_details_pb2, status_pb2
    from verify.v1 import verify_pb2

    return types.SimpleNamespace(verify=verify_pb2, status=status_pb2, details=error_details_pb2,
                                 health=health_pb2, reflection=reflection_pb2)


class VerifyClient:
    """Untyped stubs of verify.v1.VerificationService bound by path: Debian ships no grpc_tools to
    generate service stubs. `messages` is generate_modules().verify."""

    SERVICE = "verify.v1.VerificationService"

    def __init__(self, channel, messages):
        def unary(method, request, response):
            return channel.unary_unary(f"/{self.SERVICE}/{method}", request_serializer=request.SerializeToString,
                                       response_deserializer=response.FromString)

        self.start = unary("StartVerification", messages.StartVerificationRequest, messages.StartVerificationResponse)
        self.check = unary("CheckVerification", messages.CheckVerificationRequest, messages.CheckVerificationResponse)
        self.get = unary("GetVerification", messages.GetVerificationRequest, messages.Verification)
        self.cancel = unary("CancelVerification", messages.CancelVerificationRequest, messages.Verification)


class NamedVerifyClient(VerifyClient):
    """The stubs of one replica, with its name and its capture server (its SMS provider)."""

    def __init__(self, name, channel, capture, modules):
        super().__init__(channel, modules)
        self.name = name
        self.capture = capture


def wrong_code(code, offset=1):
    """A code of the right shape that is not `code`."""
    return f"{(int(code) + offset) % 10 ** len(code):0{len(code)}d}"


def rich_status(error, modules):
    """The google.rpc.Status from the grpc-status-details-bin trailer, or None. `modules` is generate_modules()."""
    for key, value in error.trailing_metadata() or ():
        if key == "grpc-status-details-bin":
            return modules.status.Status.FromString(value)
    return None


def unpack_details(error, modules):
    """{type name: message} of the google.rpc details the error carries."""
    status = rich_status(error, modules)
    if status is None:
        return {}
    details = {}
    for any_detail in status.details:
        name = any_detail.type_url.rsplit("/", 1)[-1]
        message_type = getattr(modules.details, name.rsplit(".", 1)[-1], None)
        if message_type is not None and name.startswith("google.rpc."):
            details[name.rsplit(".", 1)[-1]] = message_type.FromString(any_detail.value)
    return details


def free_port():
    """A loopback port nobody listens on right now (bind to 0, read, close)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def verify_signature(header, body, secret=SIGNING_SECRET, tolerance=300):
    """True if header is `t=<unix>,v1=<hex HMAC-SHA256(secret, t + "." + body)>` and t is recent."""
    parts = dict(part.split("=", 1) for part in header.split(",") if "=" in part)
    if set(parts) != {"t", "v1"} or not parts["t"].isdigit():
        return False
    expected = hmac.new(secret.encode(), parts["t"].encode() + b"." + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, parts["v1"]) and abs(time.time() - int(parts["t"])) <= tolerance


class CapturedSms:
    def __init__(self, raw, headers):
        self.raw = raw
        self.headers = headers
        self.message_id = None
        self.json = json.loads(raw.decode("utf-8"))

    def __getitem__(self, key):
        return self.json[key]

    @property
    def code(self):
        return self.json["template_params"]["code"]

    @property
    def signature(self):
        return self.headers.get(SIGNATURE_HEADER)


class CaptureServer:
    """The SMS provider: records every POSTed JSON body with its headers and answers 200 with
    {"message_id": "cap-<n>"}, or 500 for the numbers put in `failing` (or for every message while
    `fail_all` is set). `delay` (seconds, bounded) holds each answer back, as a provider that hangs."""

    def __init__(self):
        self._lock = threading.Lock()
        self._messages = []
        self._refused = []
        self._received = 0
        self.failing = set()
        self.fail_all = False
        self.delay = 0.0
        capture = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def handle(self):
                try:
                    super().handle()
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the sender gave up waiting and closed the connection

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                try:
                    message = CapturedSms(raw, {k: v for k, v in self.headers.items()})
                except ValueError:
                    self._answer(400)
                    return
                with capture._lock:
                    capture._received += 1
                    message.message_id = f"cap-{capture._received}"
                    fail = capture.fail_all or message.json.get("to") in capture.failing
                    (capture._refused if fail else capture._messages).append(message)
                    delay = capture.delay
                if delay:
                    time.sleep(min(delay, 30))
                if fail:
                    self._answer(500)
                else:
                    self._answer(200, json.dumps({"message_id": message.message_id}).encode())

            def _answer(self, status, body=b""):
                try:
                    self.send_response(status)
                    if body:
                        self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the sender gave up waiting (a provider that hung)

            def log_message(self, *args):
                pass

        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
        self._thread.start()

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}/sms"

    def all(self):
        with self._lock:
            return list(self._messages)

    def to(self, number):
        """The messages to number that were accepted (answered 200)."""
        return [m for m in self.all() if m["to"] == number]

    def received(self):
        """Every message that reached this provider, taken or refused."""
        with self._lock:
            return self._received

    def refused(self, number=None):
        """The messages answered 500, optionally only those to number."""
        with self._lock:
            return [m for m in self._refused if number is None or m["to"] == number]

    def stop(self):
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


class VerifyServer:
    """`dotnet Verify.Server.dll` on three free loopback ports (Grpc, Http for receipts, Management for
    /healthz, /readyz and /metrics), with every log line kept."""

    def __init__(self, dll, webhook_url, extra_env=None, grpc_scheme="http", args=(), cwd=None):
        """args: extra command-line arguments after the dll (e.g. ("--contentRoot", folder)); cwd: the
        working directory, by default the dll's folder."""
        dotnet = shutil.which("dotnet")
        if dotnet is None:
            raise RuntimeError("dotnet not found on PATH.")
        self.grpc_port, self.http_port, self.management_port = free_port(), free_port(), free_port()
        while self.http_port == self.grpc_port:
            self.http_port = free_port()
        while self.management_port in (self.grpc_port, self.http_port):
            self.management_port = free_port()
        env = dict(os.environ)
        env.update({
            "ASPNETCORE_ENVIRONMENT": "Development",
            "Kestrel__Endpoints__Grpc__Url": f"{grpc_scheme}://127.0.0.1:{self.grpc_port}",
            "Kestrel__Endpoints__Http__Url": f"http://127.0.0.1:{self.http_port}",
            "Kestrel__Endpoints__Management__Url": f"http://127.0.0.1:{self.management_port}",
            "Verify__Delivery__Webhook__Url": webhook_url,
            "Verify__Delivery__Webhook__SigningSecret": SIGNING_SECRET,
        })
        env.pop("ASPNETCORE_URLS", None)
        env.update(extra_env or {})
        command = [dotnet, dll, *args]
        setpriv = shutil.which("setpriv")
        if setpriv is not None:
            # The kernel sends the server SIGTERM if the test process dies in any way.
            command = [setpriv, "--pdeathsig", "TERM", *command]
        self._lines = []
        self._lock = threading.Lock()
        self.process = subprocess.Popen(
            command, cwd=cwd or os.path.dirname(os.path.abspath(dll)), env=env, stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, encoding="utf-8", errors="replace")
        atexit.register(lambda: self.process.poll() is None and self.process.kill())
        self._drain = threading.Thread(target=self._read_output, daemon=True)
        self._drain.start()
        try:
            self._wait_ready()
        except Exception:
            self.stop()
            raise

    @property
    def address(self):
        return f"127.0.0.1:{self.grpc_port}"

    def _read_output(self):
        for line in self.process.stdout:
            with self._lock:
                self._lines.append(line.rstrip("\n"))

    def log(self):
        with self._lock:
            return "\n".join(self._lines)

    def _wait_ready(self):
        deadline = time.monotonic() + READY_TIMEOUT
        url = f"http://127.0.0.1:{self.management_port}/readyz"
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"Verify.Server exited with code {self.process.returncode} before it was ready:\n{self.log()}")
            try:
                with urllib.request.urlopen(url, timeout=2) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, OSError):
                pass
            time.sleep(0.2)
        raise RuntimeError(f"Verify.Server did not answer 200 on {url} within {READY_TIMEOUT} s:\n{self.log()}")

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=STOP_TIMEOUT)
        self._drain.join(timeout=5)
        return self.process.returncode


class RedisServer:
    """A real redis-server on a free loopback port in its own temporary directory. kill() is a crash
    (SIGKILL, no save); restart() starts it again on the same port and directory, so an AOF is read back."""

    def __init__(self, *arguments):
        if shutil.which("redis-server") is None:
            raise RuntimeError("redis-server not found on PATH (tests/run-all.sh installs it).")
        import tempfile
        self.directory = tempfile.mkdtemp(prefix="verify-redis-")
        self.port = free_port()
        self.arguments = list(arguments)
        self.process = None
        self.restart()

    @property
    def address(self):
        return f"127.0.0.1:{self.port}"

    def restart(self):
        command = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--dir", self.directory,
                   "--save", "", "--daemonize", "no", *self.arguments]
        setpriv = shutil.which("setpriv")
        if setpriv is not None:
            command = [setpriv, "--pdeathsig", "KILL", *command]
        self.process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        atexit.register(lambda process=self.process: process.poll() is None and process.kill())
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"redis-server exited with {self.process.returncode} on port {self.port}")
            if self.command("PING") == "+PONG":
                return
            time.sleep(0.05)
        raise RuntimeError(f"redis-server did not answer on port {self.port} within 10 s")

    def command(self, *words):
        """One command (RESP); the first line of the reply, or None when nothing answers."""
        request = f"*{len(words)}\r\n" + "".join(f"${len(w.encode())}\r\n{w}\r\n" for w in words)
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=2) as connection:
                connection.sendall(request.encode())
                return connection.recv(65536).decode(errors="replace").split("\r\n")[0]
        except OSError:
            return None

    def kill(self):
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)

    def stop(self):
        self.kill()
        shutil.rmtree(self.directory, ignore_errors=True)


# One HMAC key for every process on one Redis: Verify refuses a shared store with a per-process key, even in
# Development (a code hashed by one replica would not match on another).
SHARED_REDIS_KEY = base64.b64encode(os.urandom(32)).decode()


def redis_env(redis):
    """The settings that point a Verify.Server at redis, with the key every process on it shares."""
    return {
        "Verify__Redis__Configuration": redis.address,
        "Verify__Hashing__ActiveKeyId": "shared",
        "Verify__Hashing__Keys__shared": SHARED_REDIS_KEY,
    }


def start_capture_and_server(extra_env=None, grpc_scheme="http"):
    """A capture server and a Verify.Server whose webhook points at it; stops the capture if the server fails.
    grpc_scheme "https" serves the Grpc endpoint over TLS (give its certificate in extra_env)."""
    dll = require_verify_server_dll()
    capture = CaptureServer()
    try:
        return capture, VerifyServer(dll, capture.url, extra_env, grpc_scheme)
    except Exception:
        capture.stop()
        raise


def start_replicas(dll, env, replicas, count=2):
    """Starts count Verify.Servers (each with its own capture server) sharing env, appending
    (capture, server) pairs to replicas as they come up, so stop_replicas can stop a partial start."""
    for _ in range(count):
        capture = CaptureServer()
        try:
            replicas.append((capture, VerifyServer(dll, capture.url, env)))
        except Exception:
            capture.stop()
            raise


def stop_replicas(replicas):
    """Stops every replica started by start_replicas, emptying the list."""
    while replicas:
        capture, server = replicas.pop()
        try:
            server.stop()
        finally:
            capture.stop()
