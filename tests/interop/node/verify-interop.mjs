// Shared plumbing for the Node interop tests: loading protos, reading calls and streams, and looking
// at the bytes on the wire. Nothing here is specific to Verify; starting Verify.Server itself is
// verify-e2e-support.mjs's job.

import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';

const require = createRequire(import.meta.url);
// protobufjs exactly as proto-loader resolves it (not a direct dependency of this package).
const protobuf = createRequire(require.resolve('@grpc/proto-loader'))('protobufjs');

export const HERE = path.dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = path.resolve(HERE, '..', '..', '..');
export const REPO_PROTOS_DIR = path.join(REPO_ROOT, 'protos');
// The standard health and reflection protos the tests compile to call what Grpc.AspNetCore serves.
export const TEST_PROTOS_DIR = path.join(REPO_ROOT, 'tests', 'interop', 'protos');
export const GOOGLE_PROTO_FILES_DIR = path.dirname(require.resolve('google-proto-files/package.json'));

/** grpc-js package object for protoFiles (paths relative to includeDirs), googleapis protos included. */
export function loadGrpcPackage(protoFiles, includeDirs = []) {
  const definition = protoLoader.loadSync(protoFiles, {
    keepCase: true,
    longs: String,
    enums: String,
    defaults: true,
    oneofs: true,
    includeDirs: [...includeDirs, GOOGLE_PROTO_FILES_DIR],
  });
  return grpc.loadPackageDefinition(definition);
}

/** A protobufjs Root with protoFiles loaded, for decoding raw bytes (status details, descriptors). */
export function loadProtobufRoot(protoFiles, includeDirs = []) {
  const dirs = [...includeDirs, GOOGLE_PROTO_FILES_DIR];
  const root = new protobuf.Root();
  root.resolvePath = (origin, target) => {
    if (path.isAbsolute(target)) return target;
    const found = dirs.map((dir) => path.join(dir, target)).find((candidate) => existsSync(candidate));
    return found ?? target;
  };
  root.loadSync(protoFiles, { keepCase: true });
  root.resolveAll();
  return root;
}

/** Polls predicate (sync or async) until truthy or timeoutMs passes; returns the last value. */
let endUsers = 0;

/**
 * A new end user's address, as a caller passes client_ip: a distinct one per call from 198.18.0.0/15 (RFC 2544,
 * for tests). Without one, every call of a caller shares one per-IP bucket.
 */
export function endUserIp() {
  const n = ++endUsers % (1 << 17);
  return `198.${18 + (n >> 16)}.${(n >> 8) & 255}.${n & 255}`;
}

export async function waitUntil(predicate, timeoutMs, intervalMs = 50) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await predicate();
    if (value || Date.now() >= deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** Rejects with a clear message if promise does not settle within timeoutMs. */
export function withTimeout(promise, timeoutMs, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not happen within ${timeoutMs} ms`)), timeoutMs);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Reads a readable (server-streaming or duplex) call one message at a time without losing any:
 * `await reader.next()` gives the next message, or undefined at the end of the stream.
 */
export function messageReader(stream, timeoutMs = 10_000) {
  const iterator = stream[Symbol.asyncIterator]();
  return {
    async next() {
      const { value, done } = await withTimeout(iterator.next(), timeoutMs, 'next stream message');
      return done ? undefined : value;
    },
  };
}

/** Resolves with the call's final status (code, details, metadata). */
export function statusOf(call) {
  return new Promise((resolve) => call.once('status', resolve));
}

/**
 * A loopback TCP relay that keeps every byte it forwards, per direction, so a test can see what
 * really went over the wire while using an unmodified client.
 */
export class RecordingTcpProxy {
  static async start(targetPort, targetHost = '127.0.0.1') {
    const proxy = new RecordingTcpProxy(targetPort, targetHost);
    await new Promise((resolve, reject) => {
      proxy.server.once('error', reject);
      proxy.server.listen(0, '127.0.0.1', resolve);
    });
    proxy.port = proxy.server.address().port;
    return proxy;
  }

  constructor(targetPort, targetHost) {
    this.toServer = [];
    this.toClient = [];
    this.sockets = new Set();
    this.server = net.createServer((client) => {
      const upstream = net.connect(targetPort, targetHost);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('error', () => {});
        socket.on('close', () => this.sockets.delete(socket));
      }
      client.on('data', (chunk) => { this.toServer.push(chunk); upstream.write(chunk); });
      upstream.on('data', (chunk) => { this.toClient.push(chunk); client.write(chunk); });
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
  }

  get address() { return `127.0.0.1:${this.port}`; }

  clientToServer() { return Buffer.concat(this.toServer); }

  serverToClient() { return Buffer.concat(this.toClient); }

  async close() {
    for (const socket of this.sockets) socket.destroy();
    await new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/**
 * The payloads of gzip-compressed gRPC messages (flag 1, 4-byte length, gzip stream) found in raw
 * HTTP/2 bytes, decompressed. Good enough for messages that fit in one DATA frame.
 */
export function findCompressedGrpcMessages(data) {
  const found = [];
  for (let index = data.indexOf('1f8b', 0, 'hex'); index >= 0; index = data.indexOf('1f8b', index + 1, 'hex')) {
    if (index < 5 || data[index - 5] !== 1) continue;
    const length = data.readUInt32BE(index - 4);
    try {
      found.push(zlib.gunzipSync(data.subarray(index, index + length)));
    } catch {
      // Not a whole gzip stream at this offset.
    }
  }
  return found;
}
