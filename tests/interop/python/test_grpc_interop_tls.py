"""grpcio over TLS (ALPN h2) against the Verify.Grpc host started with a fresh self-signed certificate."""

import os
import shutil
import subprocess
import tempfile
import unittest

import grpc

import verify_interop

PROTOS_DIR = os.path.join(verify_interop.REPO_ROOT, "tests", "Verify.Grpc.InteropHost", "Protos")
TIMEOUT = 10

host = None
workdir = None
certificate_pem = None
interop_pb2 = None


def make_self_signed_certificate(directory):
    """A certificate for localhost / 127.0.0.1 as PEM (for the client) and password-less PFX (for Kestrel)."""
    openssl = shutil.which("openssl")
    if openssl is None:
        raise RuntimeError("openssl not found; the TLS test needs it to make a certificate.")
    key, cert, pfx = (os.path.join(directory, name) for name in ("key.pem", "cert.pem", "cert.pfx"))
    run = lambda *args: subprocess.run([openssl, *args], check=True, capture_output=True, timeout=60)
    run("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=localhost",
        "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-keyout", key, "-out", cert)
    run("pkcs12", "-export", "-inkey", key, "-in", cert, "-out", pfx, "-passout", "pass:")
    with open(cert, "rb") as f:
        return f.read(), pfx


def setUpModule():
    global host, workdir, certificate_pem, interop_pb2
    dll = verify_interop.require_file_from_env("INTEROP_HOST_DLL")
    verify_interop.generate_protos([os.path.join(PROTOS_DIR, "interop.proto")], [PROTOS_DIR, "/usr/include"])
    import interop_pb2 as generated
    interop_pb2 = generated
    workdir = tempfile.mkdtemp(prefix="verify-interop-tls-")
    certificate_pem, pfx = make_self_signed_certificate(workdir)
    host = verify_interop.start_dotnet_host(dll, ["--tls", pfx])


def tearDownModule():
    if host is not None:
        host.stop()
    if workdir is not None:
        shutil.rmtree(workdir, ignore_errors=True)


class GrpcInteropTlsTests(unittest.TestCase):

    def echo(self, channel):
        return channel.unary_unary("/verify.interop.v1.InteropService/Echo",
                                   request_serializer=interop_pb2.EchoRequest.SerializeToString,
                                   response_deserializer=interop_pb2.EchoResponse.FromString)

    def test_echo_over_tls_with_trusted_self_signed_certificate_succeeds(self):
        credentials = grpc.ssl_channel_credentials(root_certificates=certificate_pem)
        with grpc.secure_channel(host.address, credentials) as channel:
            response, call = self.echo(channel).with_call(
                interop_pb2.EchoRequest(message="over tls", payload=b"\x00\xff"), timeout=TIMEOUT,
                metadata=[("x-echo-text", "tls")])
        self.assertEqual("over tls", response.message)
        self.assertEqual(b"\x00\xff", response.payload)
        self.assertEqual("tls", dict(call.trailing_metadata()).get("x-echo-text-trailer"))

    def test_plaintext_client_against_tls_port_fails(self):
        with grpc.insecure_channel(host.address) as channel:
            with self.assertRaises(grpc.RpcError) as raised:
                self.echo(channel)(interop_pb2.EchoRequest(message="x"), timeout=2)
        self.assertIn(raised.exception.code(), (grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.DEADLINE_EXCEEDED))


if __name__ == "__main__":
    unittest.main()
