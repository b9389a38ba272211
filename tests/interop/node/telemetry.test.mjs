// Verify's traces as an OpenTelemetry backend receives them: a real Verify.Server (VERIFY_SERVER_DLL) over a real
// redis-server, exporting over OTLP/gRPC (OTEL_EXPORTER_OTLP_ENDPOINT) to a receiver in this process. The calls
// carry a W3C traceparent, as a caller with tracing sends it; the SMS goes to a capture server, where the test
// reads the code like a user would, and then looks for that code and the number in every span.

import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { after, before, test } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import { OtlpReceiver } from './otlp-receiver.mjs';
import { startRedisServer } from './redis-server.mjs';
import { REPO_PROTOS_DIR, loadGrpcPackage } from './verify-interop.mjs';
import { CaptureServer, requireVerifyServerDll, startVerifyServer } from './verify-e2e-support.mjs';

const TIMEOUT_MS = 10_000;
const EXPORT_TIMEOUT_MS = 20_000;

const proto = loadGrpcPackage(['verify/v1/verify.proto'], [REPO_PROTOS_DIR]);

let receiver;
let redis;
let capture;
let server;
let verify;

before(async () => {
  const dll = requireVerifyServerDll();
  receiver = await OtlpReceiver.start();
  redis = await startRedisServer();
  capture = await CaptureServer.start();
  server = await startVerifyServer(dll, capture.url, {
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
    // Spans leave in batches every 5 s by default; the test waits less.
    OTEL_BSP_SCHEDULE_DELAY: '200',
    Verify__Redis__Configuration: redis.address,
    // A shared Redis needs a configured HMAC key, Development included.
    Verify__Hashing__ActiveKeyId: 'node',
    Verify__Hashing__Keys__node: crypto.randomBytes(32).toString('base64'),
  });
  verify = new proto.verify.v1.VerificationService(server.address, grpc.credentials.createInsecure());
});

after(async () => {
  verify?.close();
  await server?.stop();
  await capture?.close();
  await redis?.stop();
  await receiver?.close();
});

/** A caller's trace context: `00-<trace id>-<parent span id>-01` (sampled). */
function newTraceparent() {
  const traceId = crypto.randomBytes(16).toString('hex');
  const parentId = crypto.randomBytes(8).toString('hex');
  return { traceId, parentId, header: `00-${traceId}-${parentId}-01` };
}

function call(method, request, traceparent) {
  const metadata = new grpc.Metadata();
  metadata.set('traceparent', traceparent.header);
  return new Promise((resolve, reject) => {
    verify[method](request, metadata, { deadline: Date.now() + TIMEOUT_MS },
      (error, response) => (error ? reject(error) : resolve(response)));
  });
}

test('start and check over Redis: spans for each step, in the caller\'s trace, with no code or number in them', async () => {
  const number = `+86137${String(crypto.randomInt(10_000_000)).padStart(8, '0')}`;
  const startTrace = newTraceparent();
  const checkTrace = newTraceparent();

  const started = await call('StartVerification', { phone_number: number, purpose: 'login' }, startTrace);
  const [sms] = capture.to(number);
  assert.ok(sms, `no SMS to ${number}`);
  const { code } = sms;
  assert.match(code, /^[0-9]{6}$/);
  const checked = await call('CheckVerification', { verification_id: started.verification.id, code }, checkTrace);
  assert.equal(checked.valid, true);

  const inTrace = (trace, name) => (spans) => spans.filter((s) => s.traceId === trace.traceId && name(s.name));
  const startSpans = inTrace(startTrace, (n) => n === 'verify.start');
  const attempts = inTrace(startTrace, (n) => n === 'verify.delivery.attempt');
  const startScripts = inTrace(startTrace, (n) => n.startsWith('EVALSHA '));
  const checkSpans = inTrace(checkTrace, (n) => n === 'verify.check');
  const checkScripts = inTrace(checkTrace, (n) => n === 'EVALSHA check');
  // The server span ends after the answer is written, so it can come in a later export than the engine's.
  const serverSpans = (trace) => (spans) => spans.filter((s) => s.traceId === trace.traceId && s.parentSpanId === trace.parentId);
  await receiver.waitFor(
    (spans) => [startSpans, attempts, startScripts, checkSpans, checkScripts, serverSpans(startTrace), serverSpans(checkTrace)]
      .every((find) => find(spans).length > 0),
    EXPORT_TIMEOUT_MS, 'start, provider attempt, Redis script and check spans in the callers\' traces');

  const spans = receiver.spans;
  const [start] = startSpans(spans);
  const [check] = checkSpans(spans);
  const [attempt] = attempts(spans);
  assert.equal(start.attributes['verify.outcome'], 'sent');
  assert.equal(start.attributes['verify.verification.id'], started.verification.id);
  assert.equal(start.attributes['verify.phone.masked'], started.verification.masked_phone_number);
  assert.equal(check.attributes['verify.outcome'], 'approved');
  assert.equal(attempt.attributes['verify.provider'], 'webhook');
  assert.equal(attempt.attributes['verify.outcome'], 'accepted');
  assert.ok(startScripts(spans).some((s) => s.name === 'EVALSHA start'),
    `scripts in the start's trace: ${startScripts(spans).map((s) => s.name).join(', ')}`);

  // Continued, not restarted: the server span's parent is the caller's span, and the engine's spans hang under it.
  for (const trace of [startTrace, checkTrace]) {
    const [request] = serverSpans(trace)(spans);
    assert.ok(request, `no span of trace ${trace.traceId} has the caller's span ${trace.parentId} as parent`);
    assert.equal(request.kind, 'SPAN_KIND_SERVER');
  }
  const byId = new Map(spans.map((s) => [s.spanId, s]));
  const ancestors = (span) => {
    const chain = [];
    for (let s = byId.get(span.parentSpanId); s; s = byId.get(s.parentSpanId)) chain.push(s.name);
    return chain;
  };
  assert.ok(ancestors(attempt).includes('verify.start'), `attempt's ancestors: ${ancestors(attempt)}`);
  assert.ok(checkScripts(spans).every((s) => ancestors(s).includes('verify.check')));

  // Whatever Verify exported (every span, not only these), no attribute, name or event holds the code or the number.
  const secrets = [code, number, number.slice(1), number.slice(3)];
  for (const span of spans) {
    for (const text of span.texts) {
      for (const secret of secrets) {
        assert.ok(!text.includes(secret), `span ${span.name} (${span.scope}) exports "${text}", which contains ${secret}`);
      }
    }
  }
});
