#!/usr/bin/env python3
"""Start a verification and check the code you received, with the official Python gRPC client.

    dotnet run --project src/Verify.Server            # one terminal: the SMS appears on its console
    /usr/bin/python3 tests/interop/python/quickstart.py +8613812345678

Options: --address 127.0.0.1:50051 --purpose login --locale en --client-ip 203.0.113.7. Needs Debian's python3-grpcio,
python3-protobuf and protobuf-compiler (tests/run-all.sh installs them)."""

import argparse
import os
import subprocess
import sys
import tempfile

import grpc

PROTOS = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "protos"))
SERVICE = "/verify.v1.VerificationService/"


def load_messages():
    """verify_pb2, generated from protos/verify/v1/verify.proto by protoc into a temporary folder."""
    out = tempfile.mkdtemp(prefix="verify-quickstart-")
    subprocess.run(["protoc", f"-I{PROTOS}", "-I/usr/include", f"--python_out={out}",
                    os.path.join(PROTOS, "verify", "v1", "verify.proto")], check=True)
    sys.path.insert(0, out)
    from verify.v1 import verify_pb2
    return verify_pb2


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("phone_number", help="E.164, e.g. +8613812345678")
    parser.add_argument("--address", default="127.0.0.1:50051")
    parser.add_argument("--purpose", default="login")
    parser.add_argument("--locale", default="en")
    # The end user's address as the calling service saw it; calls without one share one per-IP bucket per caller.
    parser.add_argument("--client-ip", default="203.0.113.7")
    args = parser.parse_args()

    v = load_messages()
    with grpc.insecure_channel(args.address) as channel:
        start = channel.unary_unary(SERVICE + "StartVerification", request_serializer=v.StartVerificationRequest.SerializeToString,
                                    response_deserializer=v.StartVerificationResponse.FromString)
        check = channel.unary_unary(SERVICE + "CheckVerification", request_serializer=v.CheckVerificationRequest.SerializeToString,
                                    response_deserializer=v.CheckVerificationResponse.FromString)
        try:
            started = start(v.StartVerificationRequest(phone_number=args.phone_number, purpose=args.purpose, locale=args.locale,
                                                client_ip=args.client_ip), timeout=10)
        except grpc.RpcError as error:
            print(f"start refused: {error.code().name}: {error.details()}")
            return 1

        verification = started.verification
        print(f"code sent to {verification.masked_phone_number}; verification {verification.id}; "
              f"expires {verification.expires_at.ToDatetime():%H:%M:%S} UTC", flush=True)
        code = input("code: ").strip()
        try:
            result = check(v.CheckVerificationRequest(verification_id=verification.id, code=code, client_ip=args.client_ip), timeout=10)
        except grpc.RpcError as error:
            print(f"check refused: {error.code().name}: {error.details()}")
            return 1

        print(f"valid={result.valid} status={v.VerificationStatus.Name(result.status)} attempts_remaining={result.attempts_remaining}")
        return 0 if result.valid else 2


if __name__ == "__main__":
    sys.exit(main())
