"""The official Python gRPC client (grpcio from Debian) against a real Verify.Grpc host on loopback.

Needs INTEROP_HOST_DLL (the built Verify.Grpc.InteropHost.dll) and `npm ci` done in tests/interop/node
(googleapis' google/rpc protos come from the google-proto-files package)."""

import os
import queue
import time
import unittest

import grpc

import verify_interop

PROTOS_DIR = os.path.join(verify_interop.REPO_ROOT, "tests", "Verify.Grpc.InteropHost", "Protos")
GOOGLE = verify_interop.GOOGLE_PROTO_FILES_DIR
HEALTH_DIR = os.path.join(verify_interop.REPO_PROTOS_DIR, "grpc", "health", "v1")
REFLECTION_DIR = os.path.join(verify_interop.REPO_PROTOS_DIR, "grpc", "reflection", "v1")

SERVICE = "verify.interop.v1.InteropService"
TIMEOUT = 10  # seconds; every call is bounded
SECRET = "internal-secret-do-not-leak"
STATUS_BY_NUMBER = {code.value[0]: code for code in grpc.StatusCode}

host = None
pb = None  # the generated modules, filled by setUpModule


class _Modules:
    pass


def setUpModule():
    global host, pb
    dll = verify_interop.require_file_from_env("INTEROP_HOST_DLL")
    # Each proto is generated from its own folder so the module names (interop_pb2, health_pb2,
    # reflection_pb2) never clash with the installed `grpc` package.
    verify_interop.generate_protos([os.path.join(PROTOS_DIR, "interop.proto")], [PROTOS_DIR, "/usr/include"])
    verify_interop.generate_protos(
        [os.path.join(GOOGLE, "google", "rpc", "status.proto"), os.path.join(GOOGLE, "google", "rpc", "error_details.proto")],
        [GOOGLE])
    verify_interop.generate_protos([os.path.join(HEALTH_DIR, "health.proto")], [HEALTH_DIR])
    verify_interop.generate_protos([os.path.join(REFLECTION_DIR, "reflection.proto")], [REFLECTION_DIR])

    import health_pb2
    import interop_pb2
    import reflection_pb2
    from google.protobuf import descriptor_pb2, empty_pb2
    from google.rpc import error_details_pb2, status_pb2

    pb = _Modules()
    pb.interop, pb.health, pb.reflection = interop_pb2, health_pb2, reflection_pb2
    pb.status, pb.details, pb.descriptor, pb.empty = status_pb2, error_details_pb2, descriptor_pb2, empty_pb2
    host = verify_interop.start_dotnet_host(dll)


def tearDownModule():
    if host is not None:
        host.stop()


def unary(channel, method, request_type, response_type, service=SERVICE):
    return channel.unary_unary(f"/{service}/{method}",
                               request_serializer=request_type.SerializeToString,
                               response_deserializer=response_type.FromString)


class InteropClient:
    """Untyped stubs: Debian ships no grpc_tools, so the methods are bound by path."""

    def __init__(self, channel):
        i, e = pb.interop, pb.empty.Empty
        self.echo = unary(channel, "Echo", i.EchoRequest, i.EchoResponse)
        self.fail = unary(channel, "Fail", i.FailRequest, e)
        self.sleep = unary(channel, "Sleep", i.SleepRequest, e)
        self.get_stats = unary(channel, "GetStats", e, i.Stats)
        self.set_health = unary(channel, "SetHealth", i.SetHealthRequest, e)
        self.empty = unary(channel, "Empty", e, e)
        self.server_stream = channel.unary_stream(f"/{SERVICE}/ServerStream",
                                                  request_serializer=i.StreamRequest.SerializeToString,
                                                  response_deserializer=i.EchoResponse.FromString)
        self.bidi = channel.stream_stream(f"/{SERVICE}/Bidi",
                                          request_serializer=i.EchoRequest.SerializeToString,
                                          response_deserializer=i.EchoResponse.FromString)
        self.client_stream = channel.stream_unary(f"/{SERVICE}/ClientStream",
                                                  request_serializer=i.EchoRequest.SerializeToString,
                                                  response_deserializer=i.EchoResponse.FromString)


class RequestQueue:
    """A request iterator the test feeds one message at a time, so a stream is really interleaved."""

    _END = object()

    def __init__(self):
        self._queue = queue.Queue()

    def send(self, message):
        self._queue.put(message)

    def close(self):
        self._queue.put(self._END)

    def __iter__(self):
        while True:
            try:
                item = self._queue.get(timeout=TIMEOUT)
            except queue.Empty:
                return  # bounded: a forgotten close() ends the stream instead of hanging
            if item is self._END:
                return
            yield item


def rich_status(error):
    """The google.rpc.Status the server put in grpc-status-details-bin, read through grpcio's trailers."""
    for key, value in error.trailing_metadata() or ():
        if key == "grpc-status-details-bin":
            status = pb.status.Status()
            status.ParseFromString(value)
            return status
    return None


class GrpcInteropTests(unittest.TestCase):

    def setUp(self):
        self.channel = grpc.insecure_channel(host.address)
        self.client = InteropClient(self.channel)

    def tearDown(self):
        self.channel.close()

    def stats(self):
        return self.client.get_stats(pb.empty.Empty(), timeout=TIMEOUT)

    def assert_rpc_error(self, code, call, *args, **kwargs):
        with self.assertRaises(grpc.RpcError) as raised:
            call(*args, timeout=TIMEOUT, **kwargs)
        self.assertEqual(code, raised.exception.code(), raised.exception.details())
        return raised.exception

    # --- unary ---------------------------------------------------------------------------------

    def test_echo_unary_returns_message_and_payload(self):
        response, call = self.client.echo.with_call(
            pb.interop.EchoRequest(message="hello", payload=b"\x00\x01\xff"), timeout=TIMEOUT)
        self.assertEqual("hello", response.message)
        self.assertEqual(b"\x00\x01\xff", response.payload)
        self.assertEqual(grpc.StatusCode.OK, call.code())

    def test_empty_unary_returns_empty(self):
        response = self.client.empty(pb.empty.Empty(), timeout=TIMEOUT)
        self.assertEqual(pb.empty.Empty(), response)

    def test_client_stream_joins_messages(self):
        requests = iter([pb.interop.EchoRequest(message=m) for m in ("a", "b", "c")])
        self.assertEqual("a,b,c", self.client.client_stream(requests, timeout=TIMEOUT).message)

    # --- errors with google.rpc details ----------------------------------------------------------

    def test_fail_each_detail_kind_is_decoded_from_trailers(self):
        checks = {
            "bad_request": (3, pb.details.BadRequest, lambda d: (
                [(v.field, v.description) for v in d.field_violations], [("phone_number", "must be E.164")])),
            "retry_info": (8, pb.details.RetryInfo, lambda d: (
                (d.retry_delay.seconds, d.retry_delay.nanos), (42, 0))),
            "quota_failure": (8, pb.details.QuotaFailure, lambda d: (
                [(v.subject, v.description) for v in d.violations], [("phone:hour", "5 per hour")])),
            "error_info": (7, pb.details.ErrorInfo, lambda d: (
                (d.reason, d.domain, dict(d.metadata)), ("TEST_REASON", "verify.test", {"k": "v"}))),
            "precondition_failure": (9, pb.details.PreconditionFailure, lambda d: (
                [(v.type, v.subject, v.description) for v in d.violations], [("TOS", "verify.test", "locked")])),
        }
        for kind, (code, detail_type, extract) in checks.items():
            with self.subTest(kind=kind):
                message = f"failed with {kind}"
                error = self.assert_rpc_error(
                    STATUS_BY_NUMBER[code], self.client.fail,
                    pb.interop.FailRequest(code=code, message=message, details=[kind]))
                self.assertEqual(message, error.details())
                status = rich_status(error)
                self.assertIsNotNone(status, "grpc-status-details-bin trailer missing")
                self.assertEqual(code, status.code)
                self.assertEqual(message, status.message)
                self.assertEqual(1, len(status.details))
                detail = detail_type()
                self.assertTrue(status.details[0].Unpack(detail),
                                f"detail is {status.details[0].type_url}, not {detail_type.DESCRIPTOR.full_name}")
                actual, expected = extract(detail)
                self.assertEqual(expected, actual)

    def test_fail_all_detail_kinds_keep_their_order(self):
        kinds = ["bad_request", "retry_info", "quota_failure", "error_info", "precondition_failure"]
        error = self.assert_rpc_error(grpc.StatusCode.RESOURCE_EXHAUSTED, self.client.fail,
                                      pb.interop.FailRequest(code=8, message="slow down", details=kinds))
        status = rich_status(error)
        self.assertEqual(
            ["type.googleapis.com/google.rpc." + name for name in
             ("BadRequest", "RetryInfo", "QuotaFailure", "ErrorInfo", "PreconditionFailure")],
            [any_detail.type_url for any_detail in status.details])

    def test_fail_non_ascii_message_round_trips(self):
        message = "Código inválido: ünïcödé ✓ 日本語 🚀 100% done\tand%20not-decoded"
        error = self.assert_rpc_error(grpc.StatusCode.INVALID_ARGUMENT, self.client.fail,
                                      pb.interop.FailRequest(code=3, message=message, details=["bad_request"]))
        self.assertEqual(message, error.details())
        self.assertEqual(message, rich_status(error).message)

    def test_fail_without_details_has_status_only(self):
        error = self.assert_rpc_error(grpc.StatusCode.NOT_FOUND, self.client.fail,
                                      pb.interop.FailRequest(code=5, message="no such thing"))
        self.assertEqual("no such thing", error.details())

    def test_fail_unexpected_exception_is_unknown_without_secret(self):
        error = self.assert_rpc_error(grpc.StatusCode.UNKNOWN, self.client.fail,
                                      pb.interop.FailRequest(code=2, message="ignored", throw_unexpected=True))
        self.assertEqual("Exception was thrown by handler.", error.details())
        everything = [error.details(), str(error.debug_error_string())]
        for key, value in list(error.initial_metadata() or ()) + list(error.trailing_metadata() or ()):
            everything.append(f"{key}={value!r}")
        self.assertNotIn(SECRET, "\n".join(everything))

    # --- deadlines and cancellation --------------------------------------------------------------

    def wait_for_cancellations(self, expected):
        observed = verify_interop.wait_until(lambda: self.stats().cancellations_observed >= expected, timeout=5)
        self.assertTrue(observed, f"server never observed the cancellation (expected >= {expected}, "
                                  f"got {self.stats().cancellations_observed})")

    def test_sleep_past_deadline_is_deadline_exceeded_and_server_observes_it(self):
        before = self.stats()
        started = time.monotonic()
        with self.assertRaises(grpc.RpcError) as raised:
            self.client.sleep(pb.interop.SleepRequest(milliseconds=5000), timeout=0.2)
        self.assertEqual(grpc.StatusCode.DEADLINE_EXCEEDED, raised.exception.code())
        self.assertLess(time.monotonic() - started, 3)
        self.wait_for_cancellations(before.cancellations_observed + 1)
        self.assertEqual(before.sleeps_completed, self.stats().sleeps_completed)

    def test_client_cancel_is_cancelled_and_server_observes_it(self):
        before = self.stats()
        future = self.client.sleep.future(pb.interop.SleepRequest(milliseconds=5000), timeout=TIMEOUT)
        time.sleep(0.2)
        self.assertTrue(future.cancel())
        self.assertTrue(future.cancelled())
        self.assertEqual(grpc.StatusCode.CANCELLED, future.code())
        with self.assertRaises(grpc.FutureCancelledError):
            future.result(timeout=TIMEOUT)
        self.wait_for_cancellations(before.cancellations_observed + 1)

    # --- metadata --------------------------------------------------------------------------------

    def test_metadata_text_and_binary_come_back_in_headers_and_trailers(self):
        binary = bytes(range(256))
        response, call = self.client.echo.with_call(
            pb.interop.EchoRequest(message="md"), timeout=TIMEOUT,
            metadata=[("x-echo-text", "hello world"), ("x-echo-bin", binary), ("x-other", "not echoed")])
        self.assertEqual("md", response.message)
        headers = dict(call.initial_metadata())
        trailers = dict(call.trailing_metadata())
        self.assertEqual("hello world", headers.get("x-echo-text"))
        self.assertEqual(binary, headers.get("x-echo-bin"))
        self.assertNotIn("x-other", headers)
        self.assertEqual("hello world", trailers.get("x-echo-text-trailer"))
        self.assertEqual(binary, trailers.get("x-echo-trailer-bin"))

    # --- compression -----------------------------------------------------------------------------

    def test_gzip_call_compression_round_trips(self):
        response = self.client.echo(pb.interop.EchoRequest(message="zip", response_payload_size=1000),
                                    timeout=TIMEOUT, compression=grpc.Compression.Gzip)
        self.assertEqual("zip", response.message)
        self.assertEqual(b"a" * 1000, response.payload)

    def test_gzip_channel_compression_is_gzip_on_the_wire_both_ways(self):
        # grpcio strips grpc-encoding from the metadata it exposes, so the wire is checked through a relay.
        with verify_interop.RecordingTcpProxy(host.port) as proxy:
            channel = grpc.insecure_channel(proxy.address, compression=grpc.Compression.Gzip)
            try:
                client = InteropClient(channel)
                response = client.echo(pb.interop.EchoRequest(message="wire", payload=b"b" * 1000,
                                                              response_payload_size=1000), timeout=TIMEOUT)
            finally:
                channel.close()
            self.assertEqual("wire", response.message)
            self.assertEqual(b"a" * 1000, response.payload)
            requests = [pb.interop.EchoRequest.FromString(m)
                        for m in verify_interop.find_compressed_grpc_messages(proxy.client_to_server())]
            responses = [pb.interop.EchoResponse.FromString(m)
                         for m in verify_interop.find_compressed_grpc_messages(proxy.server_to_client())]
        self.assertTrue(any(r.payload == b"b" * 1000 for r in requests), "request was not gzip-compressed")
        self.assertTrue(any(r.payload == b"a" * 1000 for r in responses), "response was not gzip-compressed")

    # --- limits and routing ----------------------------------------------------------------------

    def test_oversized_request_is_resource_exhausted(self):
        self.assert_rpc_error(grpc.StatusCode.RESOURCE_EXHAUSTED, self.client.echo,
                              pb.interop.EchoRequest(payload=b"x" * 70_000))
        # The channel stays usable afterwards.
        self.assertEqual("after", self.client.echo(pb.interop.EchoRequest(message="after"), timeout=TIMEOUT).message)

    def test_unknown_method_is_unimplemented(self):
        call = unary(self.channel, "NoSuchMethod", pb.empty.Empty, pb.empty.Empty)
        self.assert_rpc_error(grpc.StatusCode.UNIMPLEMENTED, call, pb.empty.Empty())

    def test_unknown_service_is_unimplemented(self):
        call = unary(self.channel, "Echo", pb.empty.Empty, pb.empty.Empty, service="verify.interop.v1.NoSuchService")
        self.assert_rpc_error(grpc.StatusCode.UNIMPLEMENTED, call, pb.empty.Empty())

    # --- health ----------------------------------------------------------------------------------

    def health_check(self):
        return unary(self.channel, "Check", pb.health.HealthCheckRequest, pb.health.HealthCheckResponse,
                     service="grpc.health.v1.Health")

    def test_health_check_server_is_serving(self):
        response = self.health_check()(pb.health.HealthCheckRequest(service=""), timeout=TIMEOUT)
        self.assertEqual(pb.health.HealthCheckResponse.SERVING, response.status)

    def test_health_check_unknown_service_is_not_found(self):
        self.assert_rpc_error(grpc.StatusCode.NOT_FOUND, self.health_check(),
                              pb.health.HealthCheckRequest(service="no.such.Service"))

    def test_health_watch_reports_changes(self):
        watch = self.channel.unary_stream("/grpc.health.v1.Health/Watch",
                                          request_serializer=pb.health.HealthCheckRequest.SerializeToString,
                                          response_deserializer=pb.health.HealthCheckResponse.FromString)
        responses = watch(pb.health.HealthCheckRequest(service=""), timeout=TIMEOUT)
        Status = pb.health.HealthCheckResponse
        try:
            self.assertEqual(Status.SERVING, next(responses).status)
            self.client.set_health(pb.interop.SetHealthRequest(service="", status=2), timeout=TIMEOUT)
            self.assertEqual(Status.NOT_SERVING, next(responses).status)
            self.client.set_health(pb.interop.SetHealthRequest(service="", status=1), timeout=TIMEOUT)
            self.assertEqual(Status.SERVING, next(responses).status)
        finally:
            responses.cancel()
            self.client.set_health(pb.interop.SetHealthRequest(service="", status=1), timeout=TIMEOUT)
        self.assertEqual(grpc.StatusCode.CANCELLED, responses.code())

    # --- reflection -------------------------------------------------------------------------------

    def test_reflection_lists_services_and_serves_file_containing_symbol(self):
        r = pb.reflection
        info = self.channel.stream_stream("/grpc.reflection.v1.ServerReflection/ServerReflectionInfo",
                                          request_serializer=r.ServerReflectionRequest.SerializeToString,
                                          response_deserializer=r.ServerReflectionResponse.FromString)
        requests = RequestQueue()
        responses = info(iter(requests), timeout=TIMEOUT)
        try:
            requests.send(r.ServerReflectionRequest(list_services=""))
            listed = next(responses)
            self.assertEqual("list_services_response", listed.WhichOneof("message_response"))
            names = {s.name for s in listed.list_services_response.service}
            self.assertIn(SERVICE, names)
            self.assertIn("grpc.health.v1.Health", names)

            requests.send(r.ServerReflectionRequest(file_containing_symbol=SERVICE))
            files = next(responses)
            self.assertEqual("file_descriptor_response", files.WhichOneof("message_response"))
            self.assertEqual(SERVICE, files.original_request.file_containing_symbol)
            descriptors = {}
            for raw in files.file_descriptor_response.file_descriptor_proto:
                parsed = pb.descriptor.FileDescriptorProto.FromString(raw)
                descriptors[parsed.name] = parsed
            self.assertIn("google/protobuf/empty.proto", descriptors)
            interop = [d for d in descriptors.values() if d.name.endswith("interop.proto")]
            self.assertEqual(1, len(interop), sorted(descriptors))
            self.assertEqual("verify.interop.v1", interop[0].package)
            self.assertIn("google/protobuf/empty.proto", interop[0].dependency)
            methods = {m.name for s in interop[0].service if s.name == "InteropService" for m in s.method}
            self.assertTrue({"Echo", "Fail", "Sleep", "ServerStream", "Bidi"} <= methods, methods)
            requests.close()
            self.assertEqual([], list(responses))
            self.assertEqual(grpc.StatusCode.OK, responses.code())
        finally:
            requests.close()
            responses.cancel()

    # --- streaming --------------------------------------------------------------------------------

    def test_server_stream_yields_count_messages_in_order(self):
        responses = self.client.server_stream(pb.interop.StreamRequest(count=5, interval_ms=10), timeout=TIMEOUT)
        self.assertEqual(["0", "1", "2", "3", "4"], [r.message for r in responses])
        self.assertEqual(grpc.StatusCode.OK, responses.code())

    def test_bidi_echoes_each_message_before_the_next_is_sent(self):
        requests = RequestQueue()
        responses = self.client.bidi(iter(requests), timeout=TIMEOUT)
        try:
            requests.send(pb.interop.EchoRequest(message="first", payload=b"\x01"))
            first = next(responses)
            self.assertEqual(("first", b"\x01"), (first.message, first.payload))
            requests.send(pb.interop.EchoRequest(message="second"))
            self.assertEqual("second", next(responses).message)
            requests.close()
            self.assertEqual([], list(responses))
            self.assertEqual(grpc.StatusCode.OK, responses.code())
        finally:
            requests.close()
            responses.cancel()

    # --- load -------------------------------------------------------------------------------------

    def test_thousand_concurrent_unary_calls_on_one_channel_all_succeed(self):
        futures = [self.client.echo.future(pb.interop.EchoRequest(message=str(i)), timeout=30) for i in range(1000)]
        messages = [f.result(timeout=30).message for f in futures]
        self.assertEqual([str(i) for i in range(1000)], messages)


if __name__ == "__main__":
    unittest.main()
