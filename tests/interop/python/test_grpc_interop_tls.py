"""grpcio over TLS (ALPN h2) against a real Verify.Server (VERIFY_SERVER_DLL) whose Grpc endpoint serves a
fresh self-signed certificate (Kestrel:Endpoints:Grpc:Url https://…, Certificate:Path / KeyPath as PEM).
A client that trusts the certificate is answered; a plaintext client, or one that does not trust it, is not.
Client certificates, API keys over TLS and the certificate's reload are in test_security.py."""

import os
import shutil
import subprocess
import tempfile
import unittest

import grpc

import verify_e2e_support as support

TIMEOUT = 10
SERVICE = "verify.v1.VerificationService"

pb = None
capture = None
server = None
workdir = None
certificate_pem = None


def make_self_signed_certificate(directory):
    """A self-signed certificate for localhost / 127.0.0.1; returns (its PEM, cert path, key path)."""
    openssl = shutil.which("openssl")
    if openssl is None:
        raise RuntimeError("openssl not found; the TLS test needs it to make a certificate.")
    key, cert = os.path.join(directory, "key.pem"), os.path.join(directory, "cert.pem")
    subprocess.run([openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                    "-days", "2", "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
                    "-keyout", key, "-out", cert], check=True, capture_output=True, timeout=60)
    with open(cert, "rb") as f:
        return f.read(), cert, key


def setUpModule():
    global pb, capture, server, workdir, certificate_pem
    pb = support.generate_modules()
    workdir = tempfile.mkdtemp(prefix="verify-interop-tls-")
    certificate_pem, cert, key = make_self_signed_certificate(workdir)
    env = {
        "Kestrel__Endpoints__Grpc__Certificate__Path": cert,
        "Kestrel__Endpoints__Grpc__Certificate__KeyPath": key,
    }
    capture, server = support.start_capture_and_server(env, grpc_scheme="https")


def tearDownModule():
    for part in (server, capture):
        if part is not None:
            part.stop()
    if workdir is not None:
        shutil.rmtree(workdir, ignore_errors=True)


class GrpcInteropTlsTests(unittest.TestCase):

    def health_check(self, channel):
        return channel.unary_unary("/grpc.health.v1.Health/Check",
                                   request_serializer=pb.health.HealthCheckRequest.SerializeToString,
                                   response_deserializer=pb.health.HealthCheckResponse.FromString)

    def test_client_trusting_the_self_signed_certificate_is_answered(self):
        credentials = grpc.ssl_channel_credentials(root_certificates=certificate_pem)
        number = "+8613655501234"
        with grpc.secure_channel(server.address, credentials) as channel:
            status = self.health_check(channel)(pb.health.HealthCheckRequest(service=SERVICE), timeout=TIMEOUT).status
            client = support.VerifyClient(channel, pb.verify)
            response, call = client.start.with_call(
                pb.verify.StartVerificationRequest(client_ip=support.end_user_ip(), phone_number=number, purpose="login"), timeout=TIMEOUT,
                metadata=[("x-over-tls", "yes"), ("x-over-tls-bin", b"\x00\xff")], compression=grpc.Compression.Gzip)
            with self.assertRaises(grpc.RpcError) as raised:
                client.get(pb.verify.GetVerificationRequest(verification_id="VE" + "0" * 32), timeout=TIMEOUT)
        self.assertEqual(pb.health.HealthCheckResponse.SERVING, status)
        self.assertEqual(grpc.StatusCode.OK, call.code())
        self.assertEqual([response.verification.id], [m["verification_id"] for m in capture.to(number)])
        self.assertEqual(grpc.StatusCode.NOT_FOUND, raised.exception.code(), raised.exception.details())

    def test_plaintext_client_against_the_tls_port_fails(self):
        with grpc.insecure_channel(server.address) as channel:
            with self.assertRaises(grpc.RpcError) as raised:
                self.health_check(channel)(pb.health.HealthCheckRequest(service=""), timeout=2)
        self.assertIn(raised.exception.code(), (grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.DEADLINE_EXCEEDED))

    def test_client_not_trusting_the_certificate_fails(self):
        other_pem, _, _ = make_self_signed_certificate(tempfile.mkdtemp(dir=workdir))
        with grpc.secure_channel(server.address, grpc.ssl_channel_credentials(root_certificates=other_pem)) as channel:
            with self.assertRaises(grpc.RpcError) as raised:
                self.health_check(channel)(pb.health.HealthCheckRequest(service=""), timeout=2)
        self.assertIn(raised.exception.code(), (grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.DEADLINE_EXCEEDED))


if __name__ == "__main__":
    unittest.main()
