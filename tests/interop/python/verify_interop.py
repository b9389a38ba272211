"""Shared plumbing for the Python interop tests: generating message modules with protoc, polling, and
looking at the bytes on the wire. Kept free of anything specific to Verify; starting Verify.Server
itself is verify_e2e_support's job."""

import gzip
import importlib
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
REPO_ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
GENERATED_DIR = os.path.join(HERE, "generated")
# googleapis' google/rpc protos come from the npm package the Node suite installs (npm ci runs first).
GOOGLE_PROTO_FILES_DIR = os.path.join(REPO_ROOT, "tests", "interop", "node", "node_modules", "google-proto-files")
REPO_PROTOS_DIR = os.path.join(REPO_ROOT, "protos")
# The standard health and reflection protos the tests compile to call what Grpc.AspNetCore serves.
TEST_PROTOS_DIR = os.path.join(REPO_ROOT, "tests", "interop", "protos")


def protoc_path():
    # Debian's protoc: its well-known types in /usr/include match the protobuf runtime from apt.
    path = "/usr/bin/protoc" if os.path.isfile("/usr/bin/protoc") else shutil.which("protoc")
    if path is None:
        raise RuntimeError("protoc not found (install Debian's protobuf-compiler).")
    return path


def generate_protos(proto_files, include_dirs, out_dir=GENERATED_DIR):
    """Runs protoc --python_out for proto_files (each must lie under one of include_dirs) and puts
    out_dir on sys.path. A module's name follows the file's path relative to its include dir, so
    pass the file's own folder as include dir when its package would clash with an installed one
    (e.g. grpc/reflection/v1/reflection.proto would shadow-fight the `grpc` package)."""
    missing = [p for p in list(proto_files) + list(include_dirs) if not os.path.exists(p)]
    if missing:
        hint = ""
        if any(p.startswith(GOOGLE_PROTO_FILES_DIR) for p in missing):
            hint = " (run `npm ci` in tests/interop/node first: google/rpc protos come from google-proto-files)"
        raise RuntimeError(f"Missing proto inputs: {missing}{hint}")
    os.makedirs(out_dir, exist_ok=True)
    command = [protoc_path(), f"--python_out={out_dir}"]
    command += [f"-I{d}" for d in include_dirs]
    command += list(proto_files)
    result = subprocess.run(command, capture_output=True, text=True, timeout=60)
    if result.returncode != 0:
        raise RuntimeError(f"protoc failed ({result.returncode}): {' '.join(command)}\n{result.stderr}")
    if out_dir not in sys.path:
        sys.path.insert(0, out_dir)
    importlib.invalidate_caches()
    return out_dir


def wait_until(predicate, timeout, interval=0.05):
    """Polls predicate until it returns a truthy value or timeout seconds pass; returns the last value."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value or time.monotonic() >= deadline:
            return value
        time.sleep(interval)


class RecordingTcpProxy:
    """A loopback TCP relay that keeps every byte it forwards, per direction, so a test can look at
    what really went over the wire (e.g. compressed gRPC frames) while using an unmodified client."""

    def __init__(self, target_port, target_host="127.0.0.1"):
        self._target = (target_host, target_port)
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.2)
        self.port = self._listener.getsockname()[1]
        self._lock = threading.Lock()
        self._to_server = bytearray()
        self._to_client = bytearray()
        self._sockets = []
        self._threads = []
        self._closed = threading.Event()
        self._start(self._accept_loop)

    @property
    def address(self):
        return f"127.0.0.1:{self.port}"

    def client_to_server(self):
        with self._lock:
            return bytes(self._to_server)

    def server_to_client(self):
        with self._lock:
            return bytes(self._to_client)

    def _start(self, target, *args):
        thread = threading.Thread(target=target, args=args, daemon=True)
        self._threads.append(thread)
        thread.start()

    def _accept_loop(self):
        while not self._closed.is_set():
            try:
                client, _ = self._listener.accept()
            except socket.timeout:
                continue
            except OSError:
                return
            upstream = socket.create_connection(self._target, timeout=10)
            upstream.settimeout(None)
            self._sockets += [client, upstream]
            self._start(self._pump, client, upstream, self._to_server)
            self._start(self._pump, upstream, client, self._to_client)

    def _pump(self, source, destination, record):
        try:
            while True:
                chunk = source.recv(65536)
                if not chunk:
                    break
                with self._lock:
                    record.extend(chunk)
                destination.sendall(chunk)
        except OSError:
            pass
        finally:
            for s in (source, destination):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def close(self):
        self._closed.set()
        self._listener.close()
        for s in self._sockets:
            # shutdown, unlike close, wakes a thread blocked in recv on this socket.
            for end in (lambda: s.shutdown(socket.SHUT_RDWR), s.close):
                try:
                    end()
                except OSError:
                    pass
        for thread in self._threads:
            thread.join(timeout=5)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def find_compressed_grpc_messages(data):
    """The payloads of gzip-compressed gRPC messages (flag 1, 4-byte length, gzip stream) found in raw
    HTTP/2 bytes, decompressed. Good enough for messages that fit in one DATA frame."""
    found = []
    start = 0
    while True:
        index = data.find(b"\x1f\x8b", start)
        if index < 0:
            return found
        start = index + 1
        if index < 5 or data[index - 5] != 1:
            continue
        length = int.from_bytes(data[index - 4:index], "big")
        try:
            found.append(gzip.decompress(data[index:index + length]))
        except (OSError, EOFError, zlib.error):
            continue
