// The official Node gRPC client (@grpc/grpc-js) against a real Verify.Grpc host on loopback.
// Needs INTEROP_HOST_DLL (the built Verify.Grpc.InteropHost.dll).

import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import {
  REPO_PROTOS_DIR, REPO_ROOT, RecordingTcpProxy, findCompressedGrpcMessages, loadGrpcPackage,
  loadProtobufRoot, messageReader, requireFileFromEnv, startDotnetHost, statusOf, unpackAny, waitUntil, withTimeout,
} from './verify-interop.mjs';

const PROTOS_DIR = path.join(REPO_ROOT, 'tests', 'Verify.Grpc.InteropHost', 'Protos');
const SERVICE = 'verify.interop.v1.InteropService';
const SECRET = 'internal-secret-do-not-leak';
const TIMEOUT_MS = 10_000;
const GZIP = 2; // grpc-js CompressionAlgorithms.gzip

const proto = loadGrpcPackage(
  ['interop.proto', 'grpc/health/v1/health.proto', 'grpc/reflection/v1/reflection.proto'],
  [PROTOS_DIR, REPO_PROTOS_DIR]);
const types = loadProtobufRoot(
  ['interop.proto', 'google/rpc/status.proto', 'google/rpc/error_details.proto', 'google/protobuf/descriptor.proto'],
  [PROTOS_DIR]);
const RpcStatus = types.lookupType('google.rpc.Status');
const FileDescriptorProto = types.lookupType('google.protobuf.FileDescriptorProto');
const credentials = grpc.credentials.createInsecure();

let host;
let interop;
let health;
let reflection;

before(async () => {
  host = await startDotnetHost(requireFileFromEnv('INTEROP_HOST_DLL'));
  interop = new proto.verify.interop.v1.InteropService(host.address, credentials);
  health = new proto.grpc.health.v1.Health(host.address, credentials);
  reflection = new proto.grpc.reflection.v1.ServerReflection(host.address, credentials);
});

after(async () => {
  for (const client of [interop, health, reflection]) client?.close();
  await host?.stop();
});

const deadline = (ms = TIMEOUT_MS) => ({ deadline: Date.now() + ms });

/** A unary call as a promise of { response, headers, trailers }; rejects with the grpc-js ServiceError. */
function call(client, method, request, { metadata = new grpc.Metadata(), options = deadline() } = {}) {
  return new Promise((resolve, reject) => {
    let headers;
    const unaryCall = client[method](request, metadata, options, (error, response) => {
      if (error) reject(error);
      else statusPromise.then((status) => resolve({ response, headers, trailers: status.metadata }));
    });
    const statusPromise = statusOf(unaryCall);
    unaryCall.on('metadata', (received) => { headers = received; });
  });
}

async function rejectsWith(promise, code) {
  const error = await promise.then(
    () => assert.fail(`expected ${grpc.status[code]}, the call succeeded`),
    (e) => e);
  assert.equal(error.code, code, `expected ${grpc.status[code]}, got ${grpc.status[error.code]}: ${error.details}`);
  return error;
}

function richStatus(error) {
  const [bytes] = error.metadata.get('grpc-status-details-bin');
  assert.ok(Buffer.isBuffer(bytes), 'grpc-status-details-bin trailer missing');
  return RpcStatus.decode(bytes);
}

const stats = async () => (await call(interop, 'GetStats', {})).response;

async function waitForCancellations(expected) {
  const seen = await waitUntil(async () => Number((await stats()).cancellations_observed) >= expected, 5_000);
  assert.ok(seen, `server never observed the cancellation (expected >= ${expected}, `
    + `got ${(await stats()).cancellations_observed})`);
}

// --- unary ------------------------------------------------------------------------------------

test('Echo unary returns message and payload', async () => {
  const { response } = await call(interop, 'Echo', { message: 'hello', payload: Buffer.from([0, 1, 255]) });
  assert.equal(response.message, 'hello');
  assert.deepEqual(response.payload, Buffer.from([0, 1, 255]));
});

test('Empty unary returns empty', async () => {
  const { response } = await call(interop, 'Empty', {});
  assert.deepEqual(response, {});
});

test('ClientStream joins messages', async () => {
  const response = await new Promise((resolve, reject) => {
    const stream = interop.ClientStream(deadline(), (error, r) => (error ? reject(error) : resolve(r)));
    for (const message of ['a', 'b', 'c']) stream.write({ message });
    stream.end();
  });
  assert.equal(response.message, 'a,b,c');
});

// --- errors with google.rpc details ---------------------------------------------------------------

const detailChecks = {
  bad_request: [grpc.status.INVALID_ARGUMENT, 'google.rpc.BadRequest',
    (d) => [d.field_violations.map((v) => [v.field, v.description]), [['phone_number', 'must be E.164']]]],
  retry_info: [grpc.status.RESOURCE_EXHAUSTED, 'google.rpc.RetryInfo',
    (d) => [[Number(d.retry_delay.seconds), d.retry_delay.nanos ?? 0], [42, 0]]],
  quota_failure: [grpc.status.RESOURCE_EXHAUSTED, 'google.rpc.QuotaFailure',
    (d) => [d.violations.map((v) => [v.subject, v.description]), [['phone:hour', '5 per hour']]]],
  error_info: [grpc.status.PERMISSION_DENIED, 'google.rpc.ErrorInfo',
    (d) => [[d.reason, d.domain, { ...d.metadata }], ['TEST_REASON', 'verify.test', { k: 'v' }]]],
  precondition_failure: [grpc.status.FAILED_PRECONDITION, 'google.rpc.PreconditionFailure',
    (d) => [d.violations.map((v) => [v.type, v.subject, v.description]), [['TOS', 'verify.test', 'locked']]]],
};

for (const [kind, [code, typeName, extract]] of Object.entries(detailChecks)) {
  test(`Fail with ${kind} is decoded from grpc-status-details-bin`, async () => {
    const message = `failed with ${kind}`;
    const error = await rejectsWith(call(interop, 'Fail', { code, message, details: [kind] }), code);
    assert.equal(error.details, message);
    const status = richStatus(error);
    assert.equal(status.code, code);
    assert.equal(status.message, message);
    assert.equal(status.details.length, 1);
    const detail = unpackAny(types, status.details[0]);
    assert.equal(detail.typeName, typeName);
    const [actual, expected] = extract(detail.value);
    assert.deepEqual(actual, expected);
  });
}

test('Fail with all detail kinds keeps their order', async () => {
  const error = await rejectsWith(call(interop, 'Fail', {
    code: grpc.status.RESOURCE_EXHAUSTED, message: 'slow down', details: Object.keys(detailChecks),
  }), grpc.status.RESOURCE_EXHAUSTED);
  assert.deepEqual(
    richStatus(error).details.map((d) => d.type_url),
    Object.values(detailChecks).map(([, typeName]) => `type.googleapis.com/${typeName}`));
});

test('Fail non-ASCII message round trips', async () => {
  const message = 'Código inválido: ünïcödé ✓ 日本語 🚀 100% done\tand%20not-decoded';
  const error = await rejectsWith(call(interop, 'Fail', {
    code: grpc.status.INVALID_ARGUMENT, message, details: ['bad_request'],
  }), grpc.status.INVALID_ARGUMENT);
  assert.equal(error.details, message);
  assert.equal(richStatus(error).message, message);
});

test('Fail without details has status only', async () => {
  const error = await rejectsWith(call(interop, 'Fail', { code: grpc.status.NOT_FOUND, message: 'no such thing' }),
    grpc.status.NOT_FOUND);
  assert.equal(error.details, 'no such thing');
});

test('Fail unexpected exception is UNKNOWN without the secret', async () => {
  const error = await rejectsWith(call(interop, 'Fail', { code: 2, message: 'ignored', throw_unexpected: true }),
    grpc.status.UNKNOWN);
  assert.equal(error.details, 'Exception was thrown by handler.');
  const everything = [error.message, error.details, JSON.stringify(error.metadata.toJSON()),
    ...Object.values(error.metadata.getMap()).map((v) => v.toString())].join('\n');
  assert.ok(!everything.includes(SECRET), everything);
});

// --- deadlines and cancellation -------------------------------------------------------------------

// grpc-js's own timer and the server's fire together: whichever ends the call, the answer is DEADLINE_EXCEEDED.
test('Sleep past deadline is DEADLINE_EXCEEDED and the server observes it', async () => {
  const before = await stats();
  const started = Date.now();
  await rejectsWith(call(interop, 'Sleep', { milliseconds: 5000 }, { options: deadline(200) }),
    grpc.status.DEADLINE_EXCEEDED);
  assert.ok(Date.now() - started < 3000, `took ${Date.now() - started} ms`);
  await waitForCancellations(Number(before.cancellations_observed) + 1);
  assert.equal((await stats()).sleeps_completed, before.sleeps_completed);
});

test('Client cancel is CANCELLED and the server observes it', async () => {
  const before = await stats();
  const error = await new Promise((resolve) => {
    const sleeping = interop.Sleep({ milliseconds: 5000 }, deadline(), (e) => resolve(e));
    setTimeout(() => sleeping.cancel(), 200);
  });
  assert.equal(error?.code, grpc.status.CANCELLED, `got ${error?.code}: ${error?.details}`);
  await waitForCancellations(Number(before.cancellations_observed) + 1);
});

test('Many server-side deadline expiries all end DEADLINE_EXCEEDED and leave other calls alone',
  async () => {
    const outcomes = {};
    const count = (key) => { outcomes[key] = (outcomes[key] ?? 0) + 1; };
    let sleeping = true;
    const sleepers = Array.from({ length: 50 }, async () => {
      for (let i = 0; i < 40; i++) {
        const error = await call(interop, 'Sleep', { milliseconds: 5000 }, { options: deadline(100) }).then(() => null, (e) => e);
        count(`Sleep ${grpc.status[error?.code]}${error?.code === grpc.status.DEADLINE_EXCEEDED ? '' : `: ${error?.details}`}`);
      }
    });
    const echoes = (async () => {
      const stopAt = Date.now() + 30_000;
      while (sleeping && Date.now() < stopAt) {
        const error = await call(interop, 'Echo', { message: 'bystander' }).then(() => null, (e) => e);
        count(`Echo ${error ? `${grpc.status[error.code]}: ${error.details}` : 'OK'}`);
        // A call failing fast resolves in a microtask; yield so timers (the deadlines) still run.
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    await withTimeout(Promise.all(sleepers), 30_000, 'the Sleep calls ending');
    sleeping = false;
    await echoes;
    assert.deepEqual(Object.keys(outcomes).sort(), ['Echo OK', 'Sleep DEADLINE_EXCEEDED'], JSON.stringify(outcomes));
  });

// --- metadata -------------------------------------------------------------------------------------

test('Metadata text and binary come back in headers and trailers', async () => {
  const binary = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
  const metadata = new grpc.Metadata();
  metadata.set('x-echo-text', 'hello world');
  metadata.set('x-echo-bin', binary);
  metadata.set('x-other', 'not echoed');
  const { response, headers, trailers } = await call(interop, 'Echo', { message: 'md' }, { metadata });
  assert.equal(response.message, 'md');
  assert.deepEqual(headers.get('x-echo-text'), ['hello world']);
  assert.deepEqual(headers.get('x-echo-bin'), [binary]);
  assert.deepEqual(headers.get('x-other'), []);
  assert.deepEqual(trailers.get('x-echo-text-trailer'), ['hello world']);
  assert.deepEqual(trailers.get('x-echo-trailer-bin'), [binary]);
});

// --- compression ----------------------------------------------------------------------------------

test('Gzip channel compression round trips and is gzip on the wire both ways', async () => {
  // grpc-js strips grpc-encoding from the metadata it exposes, so the wire is checked through a relay.
  const proxy = await RecordingTcpProxy.start(host.port);
  const client = new proto.verify.interop.v1.InteropService(proxy.address, credentials,
    { 'grpc.default_compression_algorithm': GZIP });
  let response;
  try {
    ({ response } = await call(client, 'Echo',
      { message: 'wire', payload: Buffer.alloc(1000, 'b'), response_payload_size: 1000 }));
  } finally {
    client.close();
    await proxy.close();
  }
  assert.equal(response.message, 'wire');
  assert.deepEqual(response.payload, Buffer.alloc(1000, 'a'));
  const payloads = (bytes, type) => findCompressedGrpcMessages(bytes)
    .map((message) => Buffer.from(types.lookupType(type).decode(message).payload));
  assert.ok(payloads(proxy.clientToServer(), 'verify.interop.v1.EchoRequest').some((p) => p.equals(Buffer.alloc(1000, 'b'))),
    'request was not gzip-compressed');
  assert.ok(payloads(proxy.serverToClient(), 'verify.interop.v1.EchoResponse').some((p) => p.equals(Buffer.alloc(1000, 'a'))),
    'response was not gzip-compressed');
});

// --- limits and routing ---------------------------------------------------------------------------

test('Oversized request is RESOURCE_EXHAUSTED', async () => {
  await rejectsWith(call(interop, 'Echo', { payload: Buffer.alloc(70_000, 'x') }), grpc.status.RESOURCE_EXHAUSTED);
  assert.equal((await call(interop, 'Echo', { message: 'after' })).response.message, 'after');
});

function rawUnary(methodPath) {
  const client = new grpc.Client(host.address, credentials);
  return new Promise((resolve, reject) => {
    client.makeUnaryRequest(methodPath, (b) => b, (b) => b, Buffer.alloc(0), deadline(), (error, response) => {
      client.close();
      if (error) reject(error);
      else resolve(response);
    });
  });
}

test('Unknown method is UNIMPLEMENTED', async () => {
  await rejectsWith(rawUnary(`/${SERVICE}/NoSuchMethod`), grpc.status.UNIMPLEMENTED);
});

test('Unknown service is UNIMPLEMENTED', async () => {
  await rejectsWith(rawUnary('/verify.interop.v1.NoSuchService/Echo'), grpc.status.UNIMPLEMENTED);
});

// --- health ---------------------------------------------------------------------------------------

test('Health Check of the server is SERVING', async () => {
  assert.equal((await call(health, 'Check', { service: '' })).response.status, 'SERVING');
});

test('Health Check of an unknown service is NOT_FOUND', async () => {
  await rejectsWith(call(health, 'Check', { service: 'no.such.Service' }), grpc.status.NOT_FOUND);
});

test('Health Watch reports changes', async () => {
  const watch = health.Watch({ service: '' }, deadline());
  const status = statusOf(watch);
  watch.on('error', () => {}); // the final CANCELLED is read from status below
  const reader = messageReader(watch);
  try {
    assert.equal((await reader.next()).status, 'SERVING');
    await call(interop, 'SetHealth', { service: '', status: 2 });
    assert.equal((await reader.next()).status, 'NOT_SERVING');
    await call(interop, 'SetHealth', { service: '', status: 1 });
    assert.equal((await reader.next()).status, 'SERVING');
  } finally {
    watch.cancel();
    await call(interop, 'SetHealth', { service: '', status: 1 });
  }
  assert.equal((await status).code, grpc.status.CANCELLED);
});

// --- reflection -----------------------------------------------------------------------------------

test('Reflection lists services and serves file_containing_symbol', async () => {
  const stream = reflection.ServerReflectionInfo(deadline());
  const status = statusOf(stream);
  const reader = messageReader(stream);
  try {
    stream.write({ list_services: '' });
    const listed = await reader.next();
    assert.equal(listed.message_response, 'list_services_response');
    const names = listed.list_services_response.service.map((s) => s.name);
    assert.ok(names.includes(SERVICE), names.join(', '));
    assert.ok(names.includes('grpc.health.v1.Health'), names.join(', '));

    stream.write({ file_containing_symbol: SERVICE });
    const files = await reader.next();
    assert.equal(files.message_response, 'file_descriptor_response');
    assert.equal(files.original_request.file_containing_symbol, SERVICE);
    const descriptors = files.file_descriptor_response.file_descriptor_proto
      .map((bytes) => FileDescriptorProto.decode(bytes));
    const byName = Object.fromEntries(descriptors.map((d) => [d.name, d]));
    assert.ok(byName['google/protobuf/empty.proto'], Object.keys(byName).join(', '));
    const interopFiles = descriptors.filter((d) => d.name.endsWith('interop.proto'));
    assert.equal(interopFiles.length, 1, Object.keys(byName).join(', '));
    assert.equal(interopFiles[0].package, 'verify.interop.v1');
    assert.ok(interopFiles[0].dependency.includes('google/protobuf/empty.proto'));
    const methods = interopFiles[0].service.find((s) => s.name === 'InteropService').method.map((m) => m.name);
    for (const name of ['Echo', 'Fail', 'Sleep', 'ServerStream', 'Bidi']) assert.ok(methods.includes(name), methods.join(', '));

    stream.end();
    assert.equal(await reader.next(), undefined);
    assert.equal((await status).code, grpc.status.OK);
  } finally {
    stream.cancel();
  }
});

// --- streaming ------------------------------------------------------------------------------------

test('ServerStream yields count messages in order', async () => {
  const stream = interop.ServerStream({ count: 5, interval_ms: 10 }, deadline());
  const status = statusOf(stream);
  const messages = [];
  for await (const response of stream) messages.push(response.message);
  assert.deepEqual(messages, ['0', '1', '2', '3', '4']);
  assert.equal((await status).code, grpc.status.OK);
});

test('Bidi echoes each message before the next is sent', async () => {
  const stream = interop.Bidi(deadline());
  const status = statusOf(stream);
  const reader = messageReader(stream);
  try {
    stream.write({ message: 'first', payload: Buffer.from([1]) });
    const first = await reader.next();
    assert.equal(first.message, 'first');
    assert.deepEqual(first.payload, Buffer.from([1]));
    stream.write({ message: 'second' });
    assert.equal((await reader.next()).message, 'second');
    stream.end();
    assert.equal(await reader.next(), undefined);
    assert.equal((await status).code, grpc.status.OK);
  } finally {
    stream.cancel();
  }
});

// --- load -----------------------------------------------------------------------------------------

test('1000 concurrent unary calls on one channel all succeed', async () => {
  const calls = Array.from({ length: 1000 }, (_, i) =>
    call(interop, 'Echo', { message: String(i) }, { options: deadline(30_000) }));
  const messages = (await Promise.all(calls)).map(({ response }) => response.message);
  assert.deepEqual(messages, Array.from({ length: 1000 }, (_, i) => String(i)));
});
