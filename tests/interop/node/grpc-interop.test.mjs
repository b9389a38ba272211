// The gRPC transport as a client sees it: the official Node client (@grpc/grpc-js) against a real
// Verify.Server (VERIFY_SERVER_DLL) on loopback — deadlines and cancellation, gzip both ways, metadata and
// API keys, error trailers, the 64 KiB receive limit, UNIMPLEMENTED, health Check and Watch, reflection v1
// and v1alpha, and 1,000 concurrent calls on one channel.
//
// Verify's webhook sender points at a sink in this process that can hold a request, so a test keeps a start
// in flight as long as it wants. Health Watch following a store outage (redis-server stopped and started)
// and the raw-HTTP/2 checks (nghttp) are in tests/interop/python/test_grpc_interop.py; the rich details of
// each business error in verify-e2e.test.mjs and the Python suites. The cases of the former interop host
// that needed a test service are listed, with why they were dropped, in tests/interop/README.md.

import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import http from 'node:http';
import { after, before, test } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import {
  REPO_PROTOS_DIR, RecordingTcpProxy, TEST_PROTOS_DIR, endUserIp, findCompressedGrpcMessages, loadGrpcPackage,
  loadProtobufRoot, messageReader, statusOf, waitUntil,
} from './verify-interop.mjs';
import { requireVerifyServerDll, startVerifyServer } from './verify-e2e-support.mjs';

const SERVICE = 'verify.v1.VerificationService';
const SERVICES = [SERVICE, 'verify.admin.v1.AdminService', 'grpc.health.v1.Health',
  'grpc.reflection.v1.ServerReflection', 'grpc.reflection.v1alpha.ServerReflection'];
const TIMEOUT_MS = 10_000;
const GZIP = 2; // grpc-js CompressionAlgorithms.gzip
const MAX_RECEIVE = 64 * 1024;
const API_KEY = `vfk_interop_${crypto.randomBytes(16).toString('hex')}`;
const UNKNOWN_ID = `VE${'0'.repeat(32)}`; // the right shape, never started

const proto = loadGrpcPackage(
  ['verify/v1/verify.proto', 'grpc/health/v1/health.proto', 'grpc/reflection/v1/reflection.proto',
    'grpc/reflection/v1alpha/reflection.proto'],
  [REPO_PROTOS_DIR, TEST_PROTOS_DIR]);
const types = loadProtobufRoot(['google/rpc/status.proto', 'google/rpc/error_details.proto',
  'google/protobuf/descriptor.proto']);
const RpcStatus = types.lookupType('google.rpc.Status');
const FileDescriptorProto = types.lookupType('google.protobuf.FileDescriptorProto');
const insecure = grpc.credentials.createInsecure();

/** The SMS provider: answers 200 at once, or holds each request while `holding` (bounded by the test's own deadline). */
class Sink {
  static async start() {
    const sink = new Sink();
    await new Promise((resolve, reject) => {
      sink.server.once('error', reject);
      sink.server.listen(0, '127.0.0.1', resolve);
    });
    return sink;
  }

  constructor() {
    this.received = [];
    this.holding = false;
    this.server = http.createServer((request, response) => {
      const chunks = [];
      request.on('data', (chunk) => chunks.push(chunk));
      request.on('end', () => {
        const json = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        this.received.push(json);
        const answer = () => {
          if (!response.destroyed) {
            response.writeHead(200, { 'content-type': 'application/json' })
              .end(JSON.stringify({ message_id: `sink-${this.received.length}` }));
          }
        };
        if (this.holding) setTimeout(answer, 15_000).unref();
        else answer();
      });
    });
  }

  get url() { return `http://127.0.0.1:${this.server.address().port}/sms`; }

  to(number) { return this.received.filter((m) => m.to === number); }

  async close() {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(() => resolve()));
  }
}

let sink;
let server;
let verify;
let health;
let reflection;
let reflectionAlpha;
let counter = 1000;

before(async () => {
  sink = await Sink.start();
  try {
    server = await startVerifyServer(requireVerifyServerDll(), sink.url, {
      Verify__Authentication__Enabled: 'true',
      Verify__Callers__interop__ApiKeyHashes__0: crypto.createHash('sha256').update(API_KEY).digest('hex'),
      Verify__Callers__interop__Purposes__0: '*',
      Verify__Callers__interop__Operations__0: '*',
      // A sink that holds a request longer than any deadline below must not count as a failed send first.
      Verify__Delivery__Webhook__Timeout: '00:00:20',
    });
  } catch (error) {
    await sink.close();
    throw error;
  }
  verify = new proto.verify.v1.VerificationService(server.address, insecure);
  health = new proto.grpc.health.v1.Health(server.address, insecure);
  reflection = new proto.grpc.reflection.v1.ServerReflection(server.address, insecure);
  reflectionAlpha = new proto.grpc.reflection.v1alpha.ServerReflection(server.address, insecure);
  // One start first, so the timings below do not include Verify's first send (JIT, the webhook's connection).
  await call(verify, 'StartVerification', startRequest());
});

after(async () => {
  for (const client of [verify, health, reflection, reflectionAlpha]) client?.close();
  await server?.stop();
  await sink?.close();
});

/** A Chinese mobile number no other test of this file uses. */
const newNumber = () => `+86136${String(counter++).padStart(4, '0')}5678`;

const auth = (key = API_KEY) => {
  const metadata = new grpc.Metadata();
  metadata.set('authorization', `Bearer ${key}`);
  return metadata;
};

const deadline = (ms = TIMEOUT_MS) => ({ deadline: Date.now() + ms });

/** A unary call as a promise of the response; rejects with the grpc-js ServiceError. */
function call(client, method, request, { metadata = auth(), options = deadline() } = {}) {
  return new Promise((resolve, reject) => {
    client[method](request, metadata, options, (error, response) => (error ? reject(error) : resolve(response)));
  });
}

async function rejectsWith(promise, code) {
  const error = await promise.then(
    (response) => assert.fail(`expected ${grpc.status[code]}, the call succeeded: ${JSON.stringify(response)}`),
    (e) => e);
  assert.equal(error.code, code, `expected ${grpc.status[code]}, got ${grpc.status[error.code]}: ${error.details}`);
  return error;
}

function richStatus(error) {
  const [bytes] = error.metadata.get('grpc-status-details-bin');
  assert.ok(Buffer.isBuffer(bytes), `no grpc-status-details-bin trailer on ${grpc.status[error.code]}`);
  return RpcStatus.decode(bytes);
}

const startRequest = (fields = {}) => ({ phone_number: newNumber(), purpose: 'login', client_ip: endUserIp(), ...fields });

// --- deadlines and cancellation -------------------------------------------------------------------

test('a start slower than the deadline is DEADLINE_EXCEEDED', async () => {
  sink.holding = true;
  try {
    const before = sink.received.length;
    const started = Date.now();
    await rejectsWith(call(verify, 'StartVerification', startRequest(), { options: deadline(1000) }),
      grpc.status.DEADLINE_EXCEEDED);
    assert.ok(Date.now() - started < 3000, `took ${Date.now() - started} ms`);
    assert.equal(sink.received.length, before + 1, 'Verify was not waiting on the provider');
  } finally {
    sink.holding = false;
  }
  // The channel and Verify stay usable.
  assert.ok((await call(verify, 'StartVerification', startRequest())).verification.id);
});

test('a cancelled call is CANCELLED', async () => {
  sink.holding = true;
  try {
    const before = sink.received.length;
    const error = await new Promise((resolve) => {
      const starting = verify.StartVerification(startRequest(), auth(), deadline(), (e) => resolve(e));
      waitUntil(() => sink.received.length > before, 5_000).then(() => starting.cancel());
    });
    assert.equal(error?.code, grpc.status.CANCELLED, `got ${error?.code}: ${error?.details}`);
    assert.equal(sink.received.length, before + 1, 'the start never reached the provider');
  } finally {
    sink.holding = false;
  }
});

test('many deadlines passing at once all end DEADLINE_EXCEEDED and leave other calls alone', async () => {
  const outcomes = {};
  const count = (key) => { outcomes[key] = (outcomes[key] ?? 0) + 1; };
  sink.holding = true;
  let waiting = true;
  try {
    const starters = Array.from({ length: 20 }, async () => {
      for (let i = 0; i < 5; i++) {
        const error = await call(verify, 'StartVerification', startRequest(), { options: deadline(200) }).then(() => null, (e) => e);
        count(`Start ${error ? grpc.status[error.code] : 'OK'}`);
      }
    });
    const bystanders = (async () => {
      const stopAt = Date.now() + 30_000;
      while (waiting && Date.now() < stopAt) {
        const error = await call(verify, 'GetVerification', { verification_id: UNKNOWN_ID }).then(() => null, (e) => e);
        count(`Get ${error ? grpc.status[error.code] : 'OK'}`);
        await new Promise((resolve) => setImmediate(resolve)); // let the deadline timers run
      }
    })();
    await Promise.all(starters);
    waiting = false;
    await bystanders;
  } finally {
    sink.holding = false;
  }
  assert.deepEqual(Object.keys(outcomes).sort(), ['Get NOT_FOUND', 'Start DEADLINE_EXCEEDED'], JSON.stringify(outcomes));
  assert.equal(outcomes['Start DEADLINE_EXCEEDED'], 100);
});

// --- compression ----------------------------------------------------------------------------------

async function startThroughProxy(channelOptions, request) {
  // grpc-js strips grpc-encoding from the metadata it exposes, so the wire is read through a relay.
  const proxy = await RecordingTcpProxy.start(Number(server.address.split(':')[1]));
  const client = new proto.verify.v1.VerificationService(proxy.address, insecure, channelOptions);
  try {
    const response = await call(client, 'StartVerification', request);
    return { response, sent: findCompressedGrpcMessages(proxy.clientToServer()), received: findCompressedGrpcMessages(proxy.serverToClient()) };
  } finally {
    client.close();
    await proxy.close();
  }
}

test('a gzip request is processed and its answer comes back gzip, both on the wire', async () => {
  const request = startRequest({ idempotency_key: `gzip-${'a'.repeat(120)}` });
  const { response, sent, received } = await startThroughProxy({ 'grpc.default_compression_algorithm': GZIP }, request);
  assert.equal(response.verification.status, 'VERIFICATION_STATUS_PENDING');
  assert.deepEqual(sink.to(request.phone_number).map((m) => m.verification_id), [response.verification.id]);
  assert.ok(sent.some((m) => m.includes(Buffer.from(request.phone_number))), 'the request was not gzip-compressed');
  assert.ok(received.some((m) => m.includes(Buffer.from(response.verification.id))), 'the response was not gzip-compressed');
});

test('a plain request gets an uncompressed answer', async () => {
  const { response, received } = await startThroughProxy({}, startRequest());
  assert.ok(response.verification.id);
  assert.deepEqual(received, []);
});

// --- metadata -------------------------------------------------------------------------------------

test('custom text and binary metadata pass', async () => {
  const metadata = auth();
  metadata.set('x-request-note', 'hello world');
  metadata.set('x-trace-bin', Buffer.from(Array.from({ length: 256 }, (_, i) => i)));
  assert.ok((await call(verify, 'StartVerification', startRequest(), { metadata })).verification.id);
});

test('a Bearer API key authenticates; a bad or missing one is UNAUTHENTICATED', async () => {
  const request = { verification_id: UNKNOWN_ID };
  await rejectsWith(call(verify, 'GetVerification', request), grpc.status.NOT_FOUND);
  await rejectsWith(call(verify, 'GetVerification', request, { metadata: auth('vfk_not_a_key') }), grpc.status.UNAUTHENTICATED);
  await rejectsWith(call(verify, 'GetVerification', request, { metadata: new grpc.Metadata() }), grpc.status.UNAUTHENTICATED);
});

// NOT_FOUND is left out: Verify sends it bare, one text whatever the reason (as before Grpc.AspNetCore).
test('error trailers decode to a google.rpc.Status equal to the call', async () => {
  const number = newNumber();
  await call(verify, 'StartVerification', startRequest({ phone_number: number }));
  const cases = [
    [grpc.status.UNAUTHENTICATED, 'GetVerification', { verification_id: UNKNOWN_ID }, auth('nope')],
    [grpc.status.INVALID_ARGUMENT, 'GetVerification', { verification_id: 'not-an-id' }, auth()],
    [grpc.status.RESOURCE_EXHAUSTED, 'StartVerification', { phone_number: number, purpose: 'login' }, auth()],
  ];
  for (const [code, method, request, metadata] of cases) {
    const error = await rejectsWith(call(verify, method, request, { metadata }), code);
    const status = richStatus(error);
    assert.equal(status.code, code);
    assert.equal(status.message, error.details);
  }
});

// --- limits ---------------------------------------------------------------------------------------

const varintLength = (n) => (n < 0x80 ? 1 : n < 0x4000 ? 2 : n < 0x200000 ? 3 : 4);
const stringFieldSize = (s) => 1 + varintLength(Buffer.byteLength(s)) + Buffer.byteLength(s);

/** A StartVerificationRequest whose serialized size is exactly `size` bytes, `field` taking up the rest. */
function requestOfSize(size, field) {
  const request = startRequest();
  const rest = size - stringFieldSize(request.phone_number) - stringFieldSize(request.purpose) - stringFieldSize(request.client_ip);
  let length = rest - 1 - varintLength(rest);
  if (1 + varintLength(length) + length !== rest) length = rest - 1 - varintLength(length);
  assert.equal(stringFieldSize('k'.repeat(length)), rest);
  return { ...request, [field]: 'k'.repeat(length) };
}

test('a request over 64 KiB is RESOURCE_EXHAUSTED; one of exactly 64 KiB is read and validated', async () => {
  for (const field of ['idempotency_key', 'locale']) {
    await rejectsWith(call(verify, 'StartVerification', requestOfSize(MAX_RECEIVE + 1, field)), grpc.status.RESOURCE_EXHAUSTED);
    const error = await rejectsWith(call(verify, 'StartVerification', requestOfSize(MAX_RECEIVE, field)),
      grpc.status.INVALID_ARGUMENT);
    const badRequest = richStatus(error).details.find((d) => d.type_url.endsWith('/google.rpc.BadRequest'));
    assert.deepEqual(types.lookupType('google.rpc.BadRequest').decode(badRequest.value).field_violations.map((v) => v.field), [field]);
  }
  assert.ok((await call(verify, 'StartVerification', startRequest())).verification.id);
});

// --- routing --------------------------------------------------------------------------------------

function rawUnary(methodPath) {
  const client = new grpc.Client(server.address, insecure);
  return new Promise((resolve, reject) => {
    client.makeUnaryRequest(methodPath, (b) => b, (b) => b, Buffer.alloc(0), auth(), deadline(), (error, response) => {
      client.close();
      if (error) reject(error);
      else resolve(response);
    });
  });
}

test('an unknown method is UNIMPLEMENTED', async () => {
  await rejectsWith(rawUnary(`/${SERVICE}/NoSuchMethod`), grpc.status.UNIMPLEMENTED);
});

test('an unknown service is UNIMPLEMENTED', async () => {
  await rejectsWith(rawUnary('/verify.v1.NoSuchService/GetVerification'), grpc.status.UNIMPLEMENTED);
});

// --- health ---------------------------------------------------------------------------------------

test('health Check of the server and of the verification service is SERVING', async () => {
  for (const service of ['', SERVICE]) {
    assert.equal((await call(health, 'Check', { service }, { metadata: new grpc.Metadata() })).status, 'SERVING');
  }
});

test('health Check of an unknown service is NOT_FOUND', async () => {
  await rejectsWith(call(health, 'Check', { service: 'no.such.Service' }), grpc.status.NOT_FOUND);
});

test('health Watch streams SERVING and ends CANCELLED when the client cancels', async () => {
  const watch = health.Watch({ service: SERVICE }, deadline());
  const status = statusOf(watch);
  watch.on('error', () => {}); // the final CANCELLED is read from status below
  try {
    assert.equal((await messageReader(watch).next()).status, 'SERVING');
  } finally {
    watch.cancel();
  }
  assert.equal((await status).code, grpc.status.CANCELLED);
});

// --- reflection -----------------------------------------------------------------------------------

/** The answers to requests on one ServerReflectionInfo stream of client. */
async function reflect(client, ...requests) {
  const stream = client.ServerReflectionInfo(deadline());
  const status = statusOf(stream);
  const reader = messageReader(stream);
  const answers = [];
  try {
    for (const request of requests) {
      stream.write(request);
      answers.push(await reader.next());
    }
    stream.end();
    assert.equal(await reader.next(), undefined);
    assert.equal((await status).code, grpc.status.OK);
  } finally {
    stream.cancel();
  }
  return answers;
}

const descriptors = (answer) => Object.fromEntries(answer.file_descriptor_response.file_descriptor_proto
  .map((bytes) => FileDescriptorProto.decode(bytes)).map((d) => [d.name, d]));

for (const version of ['v1', 'v1alpha']) {
  const client = () => (version === 'v1' ? reflection : reflectionAlpha);

  test(`reflection ${version} lists every service`, async () => {
    const [listed] = await reflect(client(), { list_services: '' });
    assert.equal(listed.message_response, 'list_services_response');
    assert.deepEqual(listed.list_services_response.service.map((s) => s.name).sort(), [...SERVICES].sort());
  });

  test(`reflection ${version} describes the verification service`, async () => {
    const [answer] = await reflect(client(), { file_containing_symbol: SERVICE });
    assert.equal(answer.message_response, 'file_descriptor_response', JSON.stringify(answer.error_response));
    const files = descriptors(answer);
    const verifyFiles = Object.values(files).filter((d) => d.package === 'verify.v1' && d.service.length > 0);
    assert.equal(verifyFiles.length, 1, Object.keys(files).join(', '));
    const methods = verifyFiles[0].service.find((s) => s.name === 'VerificationService').method.map((m) => m.name).sort();
    assert.deepEqual(methods, ['CancelVerification', 'CheckVerification', 'GetVerification', 'StartVerification']);
    for (const dependency of verifyFiles[0].dependency) assert.ok(files[dependency], `${dependency} missing`);
  });

  test(`reflection ${version} resolves google.rpc.Status and the error detail types`, async () => {
    const symbols = ['Status', 'BadRequest', 'RetryInfo', 'QuotaFailure', 'ErrorInfo', 'PreconditionFailure'];
    const answers = await reflect(client(), ...symbols.map((s) => ({ file_containing_symbol: `google.rpc.${s}` })));
    symbols.forEach((symbol, i) => {
      assert.equal(answers[i].message_response, 'file_descriptor_response', `google.rpc.${symbol}`);
      const file = descriptors(answers[i])[symbol === 'Status' ? 'google/rpc/status.proto' : 'google/rpc/error_details.proto'];
      assert.ok(file, `google.rpc.${symbol}: ${Object.keys(descriptors(answers[i])).join(', ')}`);
      // protobufjs carries its own descriptor.proto, with camelCase field names.
      assert.ok(file.messageType.some((m) => m.name === symbol), `google.rpc.${symbol} not in ${file.name}`);
    });
  });
}

// --- load -----------------------------------------------------------------------------------------

test('1000 concurrent unary calls on one channel all succeed', async () => {
  // Each a whole call through authentication, validation and the store: NOT_FOUND for a verification nobody started.
  const outcomes = await Promise.all(Array.from({ length: 1000 }, () =>
    call(verify, 'GetVerification', { verification_id: UNKNOWN_ID }, { options: deadline(60_000) })
      .then(() => 'OK', (e) => grpc.status[e.code])));
  const counts = {};
  for (const outcome of outcomes) counts[outcome] = (counts[outcome] ?? 0) + 1;
  assert.deepEqual(counts, { NOT_FOUND: 1000 });
});
