"""The gRPC transport as a client sees it: the official Python client (grpcio from Debian) and a raw
HTTP/2 client (nghttp, Debian nghttp2-client) against a real Verify.Server (VERIFY_SERVER_DLL) on
loopback — deadlines and cancellation, gzip both ways, metadata and API keys, error trailers, the
64 KiB receive limit, UNIMPLEMENTED, HTTP/1.1, health Check and Watch, reflection v1 and v1alpha,
and 1,000 concurrent calls on one channel.

Verify's webhook sender points at a sink this module runs (verify_e2e_support.CaptureServer), so a
test can hold a start in flight for as long as it wants. Health Watch runs against a second Verify on
a real redis-server that the test stops and starts again.

The rich error details of each business error (BadRequest, RetryInfo + QuotaFailure, ErrorInfo,
PreconditionFailure) are asserted where those errors are made: test_verify_e2e.py (BadRequest,
RetryInfo, QuotaFailure), test_security.py (UNAUTHENTICATED / PERMISSION_DENIED ErrorInfo),
test_limits.py and test_redis_faults.py (RATE_LIMITED, STORE_UNAVAILABLE). Here only the transport's
part: the trailer decodes to a google.rpc.Status whose code and message are the call's.

The cases of the former interop host that needed a test service are listed, with why they were
dropped, in tests/interop/README.md."""

import hashlib
import os
import shutil
import socket
import subprocess
import tempfile
import time
import unittest
import uuid

import grpc

import verify_e2e_support as support
import verify_interop

TIMEOUT = 10  # seconds; every call is bounded
SERVICE = "verify.v1.VerificationService"
ADMIN_SERVICE = "verify.admin.v1.AdminService"
HEALTH = "grpc.health.v1.Health"
REFLECTION_V1 = "grpc.reflection.v1.ServerReflection"
REFLECTION_V1ALPHA = "grpc.reflection.v1alpha.ServerReflection"
MAX_RECEIVE = 64 * 1024
API_KEY = "vfk_interop_" + uuid.uuid4().hex
AUTH = (("authorization", f"Bearer {API_KEY}"),)
UNKNOWN_ID = "VE" + "0" * 32  # the right shape, never started

pb = None
capture = None
server = None
_numbers = iter(range(1000, 9999))


def new_number():
    """A Chinese mobile number no other test of this module uses."""
    return f"+86137{next(_numbers):04d}5678"


def setUpModule():
    global pb, capture, server
    pb = support.generate_modules()
    env = {
        "Verify__Authentication__Enabled": "true",
        "Verify__Callers__interop__ApiKeyHashes__0": hashlib.sha256(API_KEY.encode()).hexdigest(),
        "Verify__Callers__interop__Purposes__0": "*",
        "Verify__Callers__interop__Operations__0": "*",
        # A sink that holds a request longer than any deadline below must not count as a failed send first.
        "Verify__Delivery__Webhook__Timeout": "00:00:20",
    }
    capture, server = support.start_capture_and_server(env)
    # One start first, so no timing below includes Verify's first send (JIT, the webhook's connection).
    with grpc.insecure_channel(server.address) as channel:
        support.VerifyClient(channel, pb.verify).start(
            pb.verify.StartVerificationRequest(client_ip=support.end_user_ip(), phone_number=new_number(), purpose="login"), timeout=30, metadata=AUTH)


def tearDownModule():
    for part in (server, capture):
        if part is not None:
            part.stop()


def rich_status(error):
    return support.rich_status(error, pb)


def nghttp(address, path, message, compress=False, headers=(), timeout=15):
    """One gRPC call made by nghttp (a raw HTTP/2 client: it shows every header and trailer as sent).
    message: the serialized request. Returns (response headers, trailers), each a dict; in a
    Trailers-Only answer the headers hold the status and the trailers are empty."""
    import gzip
    payload = gzip.compress(message) if compress else message
    frame = bytes([1 if compress else 0]) + len(payload).to_bytes(4, "big") + payload
    with tempfile.NamedTemporaryFile(prefix="grpc-body-", delete=False) as f:
        f.write(frame)
    try:
        command = ["nghttp", "-nv", "-d", f.name, "-H", "content-type: application/grpc", "-H", "te: trailers",
                   "-H", "grpc-accept-encoding: identity,gzip"]
        if compress:
            command += ["-H", "grpc-encoding: gzip"]
        for header in headers:
            command += ["-H", header]
        command.append(f"http://{address}{path}")
        output = subprocess.run(command, capture_output=True, text=True, timeout=timeout).stdout
    finally:
        os.unlink(f.name)
    blocks, current = [], {}
    for line in output.splitlines():
        if "] recv (stream_id=" in line:
            name, _, value = line.split(") ", 1)[1].partition(": ")
            current[name] = value
        elif "] recv HEADERS frame" in line:
            blocks.append(current)
            current = {}
    if not blocks:
        raise AssertionError(f"nghttp got no response headers:\n{output}")
    return blocks[0], (blocks[1] if len(blocks) > 1 else {})


def http1_post(port, path, body=b"\x00\x00\x00\x00\x00"):
    """An HTTP/1.1 POST shaped like a gRPC call; returns the first bytes of the answer."""
    request = (f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/grpc\r\n"
               f"TE: trailers\r\nContent-Length: {len(body)}\r\n\r\n").encode() + body
    answer = b""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as connection:
        connection.sendall(request)
        try:
            while len(answer) < 4096:
                chunk = connection.recv(4096)
                if not chunk:
                    break
                answer += chunk
                if b"\r\n\r\n" in answer:
                    break
        except socket.timeout:
            pass
    return answer


class InteropTestCase(unittest.TestCase):

    def setUp(self):
        self.channel = grpc.insecure_channel(server.address)
        self.client = support.VerifyClient(self.channel, pb.verify)
        self.v = pb.verify

    def tearDown(self):
        self.channel.close()

    def assert_rpc_error(self, code, call, request, **kwargs):
        kwargs.setdefault("timeout", TIMEOUT)
        kwargs.setdefault("metadata", AUTH)
        with self.assertRaises(grpc.RpcError) as raised:
            call(request, **kwargs)
        self.assertEqual(code, raised.exception.code(), raised.exception.details())
        return raised.exception

    def start_request(self, **fields):
        fields.setdefault("phone_number", new_number())
        fields.setdefault("purpose", "login")
        return self.v.StartVerificationRequest(**fields)

    def unary(self, service, method, request_type, response_type):
        return self.channel.unary_unary(f"/{service}/{method}", request_serializer=request_type.SerializeToString,
                                        response_deserializer=response_type.FromString)


class DeadlineTests(InteropTestCase):

    def tearDown(self):
        capture.delay = 0
        super().tearDown()

    def test_start_slower_than_the_deadline_is_deadline_exceeded(self):
        capture.delay = 5  # the SMS provider holds the request
        received = capture.received()
        started = time.monotonic()
        self.assert_rpc_error(grpc.StatusCode.DEADLINE_EXCEEDED, self.client.start, self.start_request(), timeout=1)
        self.assertLess(time.monotonic() - started, 3)
        self.assertEqual(received + 1, capture.received(), "Verify was not waiting on the provider")
        capture.delay = 0
        # The channel and Verify stay usable.
        self.assertTrue(self.client.start(self.start_request(), timeout=TIMEOUT, metadata=AUTH).verification.id)

    def test_server_ends_a_call_past_its_grpc_timeout_itself(self):
        # nghttp has no deadline of its own: the DEADLINE_EXCEEDED it reads was decided by Verify.
        capture.delay = 5
        started = time.monotonic()
        headers, trailers = nghttp(server.address, f"/{SERVICE}/StartVerification",
                                   self.start_request().SerializeToString(),
                                   headers=["grpc-timeout: 300m", f"authorization: Bearer {API_KEY}"])
        elapsed = time.monotonic() - started
        status = {**headers, **trailers}
        self.assertEqual("4", status.get("grpc-status"), status)
        self.assertLess(elapsed, 3, f"Verify answered after {elapsed:.1f} s, not at the 300 ms deadline")

    def test_cancelled_call_is_cancelled(self):
        capture.delay = 5
        received = capture.received()
        future = self.client.start.future(self.start_request(), timeout=TIMEOUT, metadata=AUTH)
        self.assertTrue(verify_interop.wait_until(lambda: capture.received() > received, timeout=5),
                        "the start never reached the provider")
        self.assertTrue(future.cancel())
        self.assertTrue(future.cancelled())
        self.assertEqual(grpc.StatusCode.CANCELLED, future.code())
        with self.assertRaises(grpc.FutureCancelledError):
            future.result(timeout=TIMEOUT)


class CompressionTests(InteropTestCase):

    def test_gzip_request_is_processed_and_gzip_on_the_wire(self):
        # grpc core sends a message uncompressed when gzip would not make it smaller: a long idempotency
        # key makes this one compressible. grpcio hides grpc-encoding from its metadata, so the bytes are
        # read through a recording relay.
        number = new_number()
        request = self.start_request(phone_number=number, idempotency_key="gzip-" + "a" * 120)
        with verify_interop.RecordingTcpProxy(server.grpc_port) as proxy:
            with grpc.insecure_channel(proxy.address) as channel:
                client = support.VerifyClient(channel, pb.verify)
                response = client.start(request, timeout=TIMEOUT, metadata=AUTH, compression=grpc.Compression.Gzip)
            requests = [self.v.StartVerificationRequest.FromString(m)
                        for m in verify_interop.find_compressed_grpc_messages(proxy.client_to_server())]
        self.assertIn(number, [r.phone_number for r in requests], "the request was not gzip-compressed")
        self.assertEqual(self.v.VERIFICATION_STATUS_PENDING, response.verification.status)
        self.assertEqual([response.verification.id], [m["verification_id"] for m in capture.to(number)])

    def test_response_to_gzip_request_is_gzip(self):
        """Verify mirrors the request's encoding (README, issue 10). At bd34470 it did not: CallerInterceptor
        read grpc-encoding from ServerCallContext.RequestHeaders, from which Grpc.AspNetCore leaves that
        reserved header out, so every answer went uncompressed and without grpc-encoding; this test found it."""
        # On the wire, as a raw HTTP/2 client reads it ...
        headers, trailers = nghttp(server.address, f"/{SERVICE}/StartVerification",
                                   self.start_request().SerializeToString(), compress=True,
                                   headers=[f"authorization: Bearer {API_KEY}"])
        self.assertEqual("0", trailers.get("grpc-status"), (headers, trailers))
        # ... and in the bytes grpcio received (a compressible request, so grpc core really sends it gzip).
        number = new_number()
        request = self.start_request(phone_number=number, idempotency_key="gzip-" + "b" * 120)
        with verify_interop.RecordingTcpProxy(server.grpc_port) as proxy:
            with grpc.insecure_channel(proxy.address) as channel:
                client = support.VerifyClient(channel, pb.verify)
                response = client.start(request, timeout=TIMEOUT, metadata=AUTH, compression=grpc.Compression.Gzip)
            sent = verify_interop.find_compressed_grpc_messages(proxy.client_to_server())
            received = [self.v.StartVerificationResponse.FromString(m)
                        for m in verify_interop.find_compressed_grpc_messages(proxy.server_to_client())]
        self.assertTrue(sent, "grpcio did not send the request gzip-compressed")
        self.assertEqual(
            ("gzip", True),
            (headers.get("grpc-encoding"), response.verification.id in [r.verification.id for r in received]),
            f"(grpc-encoding of the answer to nghttp, grpcio's answer gzip-compressed); nghttp's headers: {headers}")

    def test_plain_request_gets_an_uncompressed_answer(self):
        headers, trailers = nghttp(server.address, f"/{SERVICE}/StartVerification",
                                   self.start_request().SerializeToString(),
                                   headers=[f"authorization: Bearer {API_KEY}"])
        self.assertEqual("0", trailers.get("grpc-status"), (headers, trailers))
        self.assertIn(headers.get("grpc-encoding", "identity"), ("identity",), headers)
        # grpcio offers gzip in grpc-accept-encoding; Verify still answers a plain request plainly.
        with verify_interop.RecordingTcpProxy(server.grpc_port) as proxy:
            with grpc.insecure_channel(proxy.address) as channel:
                client = support.VerifyClient(channel, pb.verify)
                response = client.start(self.start_request(), timeout=TIMEOUT, metadata=AUTH)
            self.assertTrue(response.verification.id)
            self.assertEqual([], verify_interop.find_compressed_grpc_messages(proxy.server_to_client()))


class MetadataTests(InteropTestCase):

    def test_custom_text_and_binary_metadata_pass(self):
        binary = bytes(range(256))
        response, call = self.client.start.with_call(
            self.start_request(), timeout=TIMEOUT,
            metadata=AUTH + (("x-request-note", "hello world"), ("x-trace-bin", binary), ("x-empty-bin", b"")))
        self.assertTrue(response.verification.id)
        self.assertEqual(grpc.StatusCode.OK, call.code())

    def test_bearer_key_authenticates_and_a_bad_key_is_unauthenticated(self):
        request = self.v.GetVerificationRequest(verification_id=UNKNOWN_ID)
        # The right key gets as far as the lookup.
        self.assert_rpc_error(grpc.StatusCode.NOT_FOUND, self.client.get, request)
        for metadata in ((("authorization", "Bearer vfk_not_a_key"),), (("authorization", f"Basic {API_KEY}"),), ()):
            with self.subTest(metadata=metadata):
                self.assert_rpc_error(grpc.StatusCode.UNAUTHENTICATED, self.client.get, request, metadata=metadata)

    def test_error_trailers_decode_to_a_status_equal_to_the_call(self):
        # NOT_FOUND is left out: Verify sends it bare, one text whatever the reason (VerifyErrors.NotFound,
        # as before the move to Grpc.AspNetCore), and so is the transport's own 64 KiB RESOURCE_EXHAUSTED.
        v = self.v
        number = new_number()
        self.client.start(self.start_request(phone_number=number), timeout=TIMEOUT, metadata=AUTH)
        cases = {
            "unauthenticated": (grpc.StatusCode.UNAUTHENTICATED, self.client.get,
                                v.GetVerificationRequest(verification_id=UNKNOWN_ID), (("authorization", "Bearer nope"),)),
            "invalid_argument": (grpc.StatusCode.INVALID_ARGUMENT, self.client.get,
                                 v.GetVerificationRequest(verification_id="not-an-id"), AUTH),
            "resource_exhausted": (grpc.StatusCode.RESOURCE_EXHAUSTED, self.client.start,
                                   v.StartVerificationRequest(client_ip=support.end_user_ip(), phone_number=number, purpose="login"), AUTH),
        }
        for name, (code, call, request, metadata) in cases.items():
            with self.subTest(name):
                error = self.assert_rpc_error(code, call, request, metadata=metadata)
                status = rich_status(error)
                self.assertIsNotNone(status, "no grpc-status-details-bin trailer")
                self.assertEqual(code.value[0], status.code)
                self.assertEqual(error.details(), status.message)


class RichDetailTests(InteropTestCase):
    """The one business error no other interop suite makes; the rest are pointed to in the module docstring."""

    def test_cancel_of_a_locked_verification_is_failed_precondition_with_precondition_failure(self):
        number = new_number()
        verification = self.client.start(self.start_request(phone_number=number), timeout=TIMEOUT, metadata=AUTH).verification
        [sms] = capture.to(number)
        for offset in range(1, 6):  # the built-in login policy allows 5 attempts
            answer = self.client.check(self.v.CheckVerificationRequest(client_ip=support.end_user_ip(),
                verification_id=verification.id, code=support.wrong_code(sms.code, offset)), timeout=TIMEOUT, metadata=AUTH)
            self.assertFalse(answer.valid)
        self.assertEqual(self.v.VERIFICATION_STATUS_MAX_ATTEMPTS_REACHED, answer.status)
        error = self.assert_rpc_error(grpc.StatusCode.FAILED_PRECONDITION, self.client.cancel,
                                      self.v.CancelVerificationRequest(verification_id=verification.id))
        status = rich_status(error)
        self.assertEqual((grpc.StatusCode.FAILED_PRECONDITION.value[0], error.details()), (status.code, status.message))
        violations = support.unpack_details(error, pb)["PreconditionFailure"].violations
        self.assertEqual([("VERIFICATION_STATE", verification.id)], [(v.type, v.subject) for v in violations])


class LimitTests(InteropTestCase):

    def request_of_size(self, size, field="idempotency_key"):
        """A StartVerificationRequest whose serialized size is exactly `size` bytes."""
        request = self.start_request(**{field: ""})
        length = size - request.ByteSize()
        for _ in range(4):  # the length prefix of the string grows with it
            setattr(request, field, "k" * length)
            length += size - request.ByteSize()
        self.assertEqual(size, request.ByteSize())
        return request

    def test_request_over_64_kib_is_resource_exhausted(self):
        for field in ("idempotency_key", "locale"):
            with self.subTest(field=field):
                self.assert_rpc_error(grpc.StatusCode.RESOURCE_EXHAUSTED, self.client.start,
                                      self.request_of_size(MAX_RECEIVE + 1, field))
        # The channel stays usable afterwards.
        self.assertTrue(self.client.start(self.start_request(), timeout=TIMEOUT, metadata=AUTH).verification.id)

    def test_request_of_exactly_64_kib_is_processed(self):
        # Read and validated: the silly field is INVALID_ARGUMENT, naming it.
        for field in ("idempotency_key", "locale"):
            with self.subTest(field=field):
                error = self.assert_rpc_error(grpc.StatusCode.INVALID_ARGUMENT, self.client.start,
                                              self.request_of_size(MAX_RECEIVE, field))
                violations = support.unpack_details(error, pb)["BadRequest"].field_violations
                self.assertEqual([field], [v.field for v in violations])

    def test_gzip_request_inflating_past_64_kib_is_resource_exhausted(self):
        # A few hundred bytes on the wire, 70,000 once inflated: the limit is on the message, not the frame.
        self.assert_rpc_error(grpc.StatusCode.RESOURCE_EXHAUSTED, self.client.start,
                              self.request_of_size(70_000), compression=grpc.Compression.Gzip)


class RoutingTests(InteropTestCase):

    def test_unknown_method_is_unimplemented(self):
        call = self.unary(SERVICE, "NoSuchMethod", self.v.GetVerificationRequest, self.v.Verification)
        self.assert_rpc_error(grpc.StatusCode.UNIMPLEMENTED, call, self.v.GetVerificationRequest())

    def test_unknown_service_is_unimplemented(self):
        call = self.unary("verify.v1.NoSuchService", "GetVerification", self.v.GetVerificationRequest, self.v.Verification)
        self.assert_rpc_error(grpc.StatusCode.UNIMPLEMENTED, call, self.v.GetVerificationRequest())

    def test_http1_post_to_a_grpc_path_is_not_served_as_grpc(self):
        for name, port in (("grpc endpoint", server.grpc_port), ("http endpoint", server.http_port),
                           ("management endpoint", server.management_port)):
            with self.subTest(name):
                answer = http1_post(port, f"/{HEALTH}/Check")
                status_line = answer.split(b"\r\n", 1)[0]
                self.assertTrue(answer.startswith(b"HTTP/1.1 "), answer[:200])
                self.assertNotEqual(b"200", status_line.split(b" ")[1], answer[:400])
                self.assertNotIn(b"grpc-status: 0", answer.lower())


class HealthCheckTests(InteropTestCase):

    def check(self):
        return self.unary(HEALTH, "Check", pb.health.HealthCheckRequest, pb.health.HealthCheckResponse)

    def test_check_of_the_server_and_the_verification_service_is_serving(self):
        for service in ("", SERVICE):
            with self.subTest(service=service):
                response = self.check()(pb.health.HealthCheckRequest(service=service), timeout=TIMEOUT)
                self.assertEqual(pb.health.HealthCheckResponse.SERVING, response.status)

    def test_check_of_an_unknown_service_is_not_found(self):
        self.assert_rpc_error(grpc.StatusCode.NOT_FOUND, self.check(), pb.health.HealthCheckRequest(service="no.such.Service"),
                              metadata=())


class HealthWatchTests(unittest.TestCase):
    """Watch on a Verify whose store is a real redis-server the test stops and starts again."""

    PROBE_INTERVAL = 1.0
    # The publisher's period, its probe's timeout (Verify:Health:ProbeTimeout, 1 s) and slack for a busy machine.
    WITHIN = PROBE_INTERVAL + 1 + 3

    @classmethod
    def setUpClass(cls):
        cls.redis = support.RedisServer()
        env = dict(support.redis_env(cls.redis))
        env["Verify__Health__ProbeInterval"] = "00:00:01"
        try:
            cls.capture, cls.server = support.start_capture_and_server(env)
        except Exception:
            cls.redis.stop()
            raise

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        cls.capture.stop()
        cls.redis.stop()

    def test_watch_streams_serving_then_not_serving_while_the_store_is_gone_then_serving(self):
        Status = pb.health.HealthCheckResponse
        with grpc.insecure_channel(self.server.address) as channel:
            watch = channel.unary_stream(f"/{HEALTH}/Watch", request_serializer=pb.health.HealthCheckRequest.SerializeToString,
                                         response_deserializer=Status.FromString)
            check = channel.unary_unary(f"/{HEALTH}/Check", request_serializer=pb.health.HealthCheckRequest.SerializeToString,
                                        response_deserializer=Status.FromString)
            responses = watch(pb.health.HealthCheckRequest(service=""), timeout=60)
            try:
                self.assertEqual(Status.SERVING, next(responses).status)
                self.redis.kill()
                gone = time.monotonic()
                self.assertEqual(Status.NOT_SERVING, next(responses).status)
                self.assertLess(time.monotonic() - gone, self.WITHIN)
                # Check asks the store now.
                self.assertEqual(Status.NOT_SERVING, check(pb.health.HealthCheckRequest(service=SERVICE), timeout=TIMEOUT).status)
                self.redis.restart()
                back = time.monotonic()
                self.assertEqual(Status.SERVING, next(responses).status)
                self.assertLess(time.monotonic() - back, self.WITHIN)
            finally:
                responses.cancel()
            self.assertEqual(grpc.StatusCode.CANCELLED, responses.code())

    def test_sub_second_probe_interval_is_served_or_refused_by_name_never_a_crash(self):
        """SERVER BUG at bd34470: Verify:Health:ProbeInterval was documented as 100 ms – 1 min
        (StoreHealthOptions), but it becomes HealthCheckPublisherOptions.Period, which throws under 1 s ("The
        Period must be greater than or equal to one second"): Verify died at start with an unhandled
        ArgumentException that does not name the setting. Either outcome below is fine for an operator
        (the lead's working tree after bd34470 refuses it by name: "must be between 00:00:01 and 00:01:00")."""
        redis = support.RedisServer()
        try:
            env = dict(support.redis_env(redis))
            env["Verify__Health__ProbeInterval"] = "00:00:00.200"
            try:
                capture_, server_ = support.start_capture_and_server(env)
            except RuntimeError as refused:
                output = str(refused)
                self.assertIn("exited", output)
                # Verify's refusal of a bad setting names it (the old crash spoke of a "Period" nobody configures).
                self.assertIn("Verify:Health:ProbeInterval", output, "refused without naming the setting")
            else:
                server_.stop()
                capture_.stop()
        finally:
            redis.stop()


class ReflectionTests(InteropTestCase):

    SERVICES = {SERVICE, ADMIN_SERVICE, HEALTH, REFLECTION_V1, REFLECTION_V1ALPHA}
    ERROR_TYPES = {
        "google.rpc.Status": "google/rpc/status.proto",
        "google.rpc.BadRequest": "google/rpc/error_details.proto",
        "google.rpc.RetryInfo": "google/rpc/error_details.proto",
        "google.rpc.QuotaFailure": "google/rpc/error_details.proto",
        "google.rpc.ErrorInfo": "google/rpc/error_details.proto",
        "google.rpc.PreconditionFailure": "google/rpc/error_details.proto",
    }

    def reflect(self, service, *requests):
        """The responses to requests on one ServerReflectionInfo stream. v1alpha's messages are v1's with
        another package (same names and field numbers), so v1's generated classes serve both."""
        r = pb.reflection
        info = self.channel.stream_stream(f"/{service}/ServerReflectionInfo",
                                          request_serializer=r.ServerReflectionRequest.SerializeToString,
                                          response_deserializer=r.ServerReflectionResponse.FromString)
        responses = info(iter(requests), timeout=TIMEOUT)
        answers = list(responses)
        self.assertEqual(grpc.StatusCode.OK, responses.code())
        self.assertEqual(len(requests), len(answers))
        return answers

    @staticmethod
    def files(response):
        from google.protobuf import descriptor_pb2
        return {d.name: d for d in (descriptor_pb2.FileDescriptorProto.FromString(raw)
                                    for raw in response.file_descriptor_response.file_descriptor_proto)}

    def test_list_services_names_every_service(self):
        for service in (REFLECTION_V1, REFLECTION_V1ALPHA):
            with self.subTest(service):
                [listed] = self.reflect(service, pb.reflection.ServerReflectionRequest(list_services=""))
                self.assertEqual("list_services_response", listed.WhichOneof("message_response"))
                self.assertEqual(self.SERVICES, {s.name for s in listed.list_services_response.service})

    def test_file_containing_the_verification_service_describes_it(self):
        for service in (REFLECTION_V1, REFLECTION_V1ALPHA):
            with self.subTest(service):
                [answer] = self.reflect(service, pb.reflection.ServerReflectionRequest(file_containing_symbol=SERVICE))
                self.assertEqual("file_descriptor_response", answer.WhichOneof("message_response"), answer)
                files = self.files(answer)
                verify = [d for d in files.values() if d.package == "verify.v1" and d.service]
                self.assertEqual(1, len(verify), sorted(files))
                methods = {m.name for s in verify[0].service if s.name == "VerificationService" for m in s.method}
                self.assertEqual({"StartVerification", "CheckVerification", "GetVerification", "CancelVerification"}, methods)
                # Its imports come along, so a client can build the descriptors with nothing else.
                for dependency in verify[0].dependency:
                    self.assertIn(dependency, files)

    def test_error_detail_types_resolve(self):
        requests = [pb.reflection.ServerReflectionRequest(file_containing_symbol=s) for s in self.ERROR_TYPES]
        for service in (REFLECTION_V1, REFLECTION_V1ALPHA):
            for (symbol, file_name), answer in zip(self.ERROR_TYPES.items(), self.reflect(service, *requests)):
                with self.subTest(service=service, symbol=symbol):
                    self.assertEqual("file_descriptor_response", answer.WhichOneof("message_response"), answer)
                    files = self.files(answer)
                    self.assertIn(file_name, files)
                    self.assertEqual("google.rpc", files[file_name].package)
                    self.assertIn(symbol.rsplit(".", 1)[1], {m.name for m in files[file_name].message_type})

    def test_unknown_symbol_is_an_error_response(self):
        [answer] = self.reflect(REFLECTION_V1, pb.reflection.ServerReflectionRequest(file_containing_symbol="no.such.Symbol"))
        self.assertEqual("error_response", answer.WhichOneof("message_response"))
        self.assertEqual(grpc.StatusCode.NOT_FOUND.value[0], answer.error_response.error_code)


class LoadTests(InteropTestCase):

    def test_thousand_concurrent_unary_calls_on_one_channel_all_succeed(self):
        # Each is a whole call through authentication, validation and the store: NOT_FOUND, the answer for
        # a verification nobody started.
        request = self.v.GetVerificationRequest(verification_id=UNKNOWN_ID)
        futures = [self.client.get.future(request, timeout=60, metadata=AUTH) for _ in range(1000)]
        codes = {}
        for future in futures:
            future.exception(timeout=60)  # waits for the call to end
            code = future.code()
            codes[code] = codes.get(code, 0) + 1
        self.assertEqual({grpc.StatusCode.NOT_FOUND: 1000}, codes)


if __name__ == "__main__":
    unittest.main()
