// End-to-end tests of Verify.Server through the official Node gRPC client (@grpc/grpc-js).
// A real Verify.Server process (VERIFY_SERVER_DLL) runs on loopback with its webhook SMS sender pointed
// at a capture server in this process, so each test reads the code the way a user would: from the SMS.

import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { after, before, test } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import { REPO_PROTOS_DIR, TEST_PROTOS_DIR, endUserIp, loadGrpcPackage, loadProtobufRoot } from './verify-interop.mjs';
import {
  CaptureServer, SIGNATURE_HEADER, requireVerifyServerDll, startVerifyServer, verifySignature,
} from './verify-e2e-support.mjs';

const SERVICE = 'verify.v1.VerificationService';
const TIMEOUT_MS = 10_000;

// Purposes this suite adds to the built-in login, signup and payment.
const POLICY_ENV = {
  Verify__Policies__e2ettl__Ttl: '00:00:01',
  Verify__Policies__e2ephone__ResendCooldown: '00:00:00',
  Verify__Policies__e2ephone__PhoneLimits__0__Window: '01:00:00',
  Verify__Policies__e2ephone__PhoneLimits__0__Max: '3',
  Verify__Policies__e2eip__IpLimits__0__Window: '01:00:00',
  Verify__Policies__e2eip__IpLimits__0__Max: '3',
};

const proto = loadGrpcPackage(
  ['verify/v1/verify.proto', 'grpc/health/v1/health.proto', 'grpc/reflection/v1/reflection.proto'],
  [REPO_PROTOS_DIR, TEST_PROTOS_DIR]);
const types = loadProtobufRoot(['google/rpc/status.proto', 'google/rpc/error_details.proto']);
const RpcStatus = types.lookupType('google.rpc.Status');
const credentials = grpc.credentials.createInsecure();

let capture;
let server;
let verify;
let health;
let reflection;
let counter = 1000;

before(async () => {
  const dll = requireVerifyServerDll();
  capture = await CaptureServer.start();
  try {
    server = await startVerifyServer(dll, capture.url, POLICY_ENV);
  } catch (error) {
    await capture.close();
    throw error;
  }
  verify = new proto.verify.v1.VerificationService(server.address, credentials);
  health = new proto.grpc.health.v1.Health(server.address, credentials);
  reflection = new proto.grpc.reflection.v1.ServerReflection(server.address, credentials);
});

after(async () => {
  for (const client of [verify, health, reflection]) client?.close();
  await server?.stop();
  await capture?.close();
});

/** A Chinese mobile number no other test uses: +86 139 nnnn 5678, masked "+86 139****5678". */
const newNumber = () => `+86139${String(counter++).padStart(4, '0')}5678`;

/** A code of the right shape that is not `code`. */
const wrongCode = (code, offset = 1) => String((Number(code) + offset) % 10 ** code.length).padStart(code.length, '0');

/** A unary call as a promise; rejects with the grpc-js ServiceError. */
function call(client, method, request) {
  return new Promise((resolve, reject) => {
    client[method](request, new grpc.Metadata(), { deadline: Date.now() + TIMEOUT_MS },
      (error, response) => (error ? reject(error) : resolve(response)));
  });
}

async function rejectsWith(promise, code) {
  const error = await promise.then(
    (response) => assert.fail(`expected ${grpc.status[code]}, the call succeeded: ${JSON.stringify(response)}`),
    (e) => e);
  assert.equal(error.code, code, `expected ${grpc.status[code]}, got ${grpc.status[error.code]}: ${error.details}`);
  return error;
}

/** { BadRequest: {...}, RetryInfo: {...}, ... } from grpc-status-details-bin, as plain objects. */
function details(error) {
  const [bytes] = error.metadata.get('grpc-status-details-bin');
  if (!Buffer.isBuffer(bytes)) return {};
  const found = {};
  for (const any of RpcStatus.decode(bytes).details) {
    const typeName = any.type_url.slice(any.type_url.lastIndexOf('/') + 1);
    const type = types.lookupType(typeName);
    found[typeName.replace('google.rpc.', '')] = type.toObject(type.decode(any.value), { longs: Number, defaults: true });
  }
  return found;
}

function assertFieldViolations(error, ...fields) {
  const { BadRequest: badRequest } = details(error);
  assert.ok(badRequest, `no google.rpc.BadRequest in ${error.details}`);
  assert.deepEqual(badRequest.field_violations.map((v) => v.field).sort(), [...fields].sort());
  assert.ok(badRequest.field_violations.every((v) => v.description.length > 0));
}

function assertQuotaFailure(error, subject, [low, high]) {
  const { QuotaFailure: quota, RetryInfo: retry } = details(error);
  assert.ok(quota, `no google.rpc.QuotaFailure in ${error.details}`);
  assert.deepEqual(quota.violations.map((v) => v.subject), [subject]);
  assert.ok(retry, `no google.rpc.RetryInfo in ${error.details}`);
  const delay = retry.retry_delay.seconds + retry.retry_delay.nanos / 1e9;
  assert.ok(delay >= low && delay <= high, `retry_delay ${delay} s not in [${low}, ${high}]`);
}

const start = async (phone_number, purpose = 'login', fields = {}) =>
  (await call(verify, 'StartVerification', { phone_number, purpose, client_ip: endUserIp(), ...fields })).verification;

/** Starts and returns { verification, sms } with the one SMS the provider got for it. */
async function startAndReadSms(number, purpose = 'login', fields = {}) {
  const before = capture.to(number).length;
  const verification = await start(number, purpose, fields);
  const sms = capture.to(number).slice(before);
  assert.equal(sms.length, 1, `expected one SMS to ${number}, got ${sms.length}`);
  assert.equal(sms[0].json.verification_id, verification.id);
  assert.match(sms[0].code, /^[0-9]{6}$/);
  assert.ok(sms[0].json.text.includes(sms[0].code), sms[0].json.text);
  return { verification, sms: sms[0] };
}

const check = (verification_id, code, fields = {}) => call(verify, 'CheckVerification', { verification_id, code, client_ip: endUserIp(), ...fields });

/** The NOT_FOUND answer of a check: { code, details }. */
async function notFound(verificationId, code = '123456') {
  const error = await rejectsWith(check(verificationId, code), grpc.status.NOT_FOUND);
  return { code: error.code, details: error.details };
}

const secondsOf = (timestamp) => Number(timestamp.seconds) + timestamp.nanos / 1e9;
const payment = (amount = '25.00') => ({ amount, currency: 'EUR', payee: 'ACME' });
const sentCodes = () => [...capture.messages, ...capture.refusedMessages].map((m) => m.code);

// --- the flow ---------------------------------------------------------------------------------------

test('start then check with the right code approves', async () => {
  const number = newNumber();
  const before = Date.now() / 1000;
  const { verification, sms } = await startAndReadSms(number);
  const afterStart = Date.now() / 1000;

  assert.match(verification.id, /^VE[0-9a-f]{32}$/);
  assert.equal(verification.masked_phone_number, '+86 139****5678');
  assert.equal(verification.status, 'VERIFICATION_STATUS_PENDING');
  assert.equal(verification.delivery_status, 'DELIVERY_STATUS_SENT');
  assert.equal(verification.attempts_remaining, 5);
  assert.equal(verification.send_count, 1);
  const expires = secondsOf(verification.expires_at);
  assert.ok(expires >= before + 298 && expires <= afterStart + 302, `expires_at ${expires}, now ${before}`);
  assert.equal(sms.json.to, number);
  assert.equal(sms.json.purpose, 'login');
  assert.ok(sms.json.send_id);

  const response = await check(verification.id, sms.code);
  assert.equal(response.valid, true);
  assert.equal(response.status, 'VERIFICATION_STATUS_APPROVED');
  assert.equal(response.verification.id, verification.id);
});

test('a wrong code is not valid and takes one attempt', async () => {
  const { verification, sms } = await startAndReadSms(newNumber());
  const response = await check(verification.id, wrongCode(sms.code));
  assert.equal(response.valid, false);
  assert.equal(response.status, 'VERIFICATION_STATUS_PENDING');
  assert.equal(response.attempts_remaining, 4);
});

test('the fifth wrong code locks the verification, even for the right code', async () => {
  const { verification, sms } = await startAndReadSms(newNumber());
  const answers = [];
  for (let i = 1; i <= 5; i++) answers.push(await check(verification.id, wrongCode(sms.code, i)));
  assert.deepEqual(answers.map((a) => a.attempts_remaining), [4, 3, 2, 1, 0]);
  assert.equal(answers[4].status, 'VERIFICATION_STATUS_MAX_ATTEMPTS_REACHED');
  assert.ok(answers.every((a) => !a.valid));
  const right = await check(verification.id, sms.code);
  assert.equal(right.valid, false);
  assert.equal(right.status, 'VERIFICATION_STATUS_MAX_ATTEMPTS_REACHED');
});

test('an approved code cannot be used again', async () => {
  const { verification, sms } = await startAndReadSms(newNumber());
  assert.equal((await check(verification.id, sms.code)).valid, true);
  await notFound(verification.id, sms.code);
});

test('cancel: then check and get are NOT_FOUND', async () => {
  const { verification, sms } = await startAndReadSms(newNumber());
  const canceled = await call(verify, 'CancelVerification', { verification_id: verification.id });
  assert.equal(canceled.status, 'VERIFICATION_STATUS_CANCELED');
  await notFound(verification.id, sms.code);
  await rejectsWith(call(verify, 'GetVerification', { verification_id: verification.id }), grpc.status.NOT_FOUND);
});

test('expired, approved and never-started verifications give the very same NOT_FOUND', async () => {
  const { verification, sms } = await startAndReadSms(newNumber(), 'e2ettl');
  const approved = await startAndReadSms(newNumber());
  assert.equal((await check(approved.verification.id, approved.sms.code)).valid, true);
  await new Promise((resolve) => setTimeout(resolve, 1_500));
  const expired = await notFound(verification.id, sms.code);
  const afterApproval = await notFound(approved.verification.id, approved.sms.code);
  const never = await notFound(`VE${crypto.randomBytes(16).toString('hex')}`);
  assert.ok(never.details.length > 0);
  assert.deepEqual(expired, never);
  assert.deepEqual(afterApproval, never);
});

test('get shows the sends and attempts of a live verification', async () => {
  const number = newNumber();
  const { verification, sms } = await startAndReadSms(number, 'e2ephone');
  await check(verification.id, wrongCode(sms.code));
  const { sms: resent } = await startAndReadSms(number, 'e2ephone');
  const live = await call(verify, 'GetVerification', { verification_id: verification.id });
  assert.deepEqual(
    [live.id, live.status, live.send_count, live.attempts_remaining, live.masked_phone_number],
    [verification.id, 'VERIFICATION_STATUS_PENDING', 2, 4, '+86 139****5678']);
  assert.equal((await check(verification.id, resent.code)).valid, true);
});

// --- throttles --------------------------------------------------------------------------------------

test('a second start within the cooldown is RESOURCE_EXHAUSTED and sends nothing', async () => {
  const number = newNumber();
  await startAndReadSms(number);
  const error = await rejectsWith(start(number), grpc.status.RESOURCE_EXHAUSTED);
  assertQuotaFailure(error, 'phone:cooldown', [55, 60]);
  assert.equal(capture.to(number).length, 1);
});

test('the fourth start within the per-phone window is RESOURCE_EXHAUSTED', async () => {
  const number = newNumber();
  for (let i = 0; i < 3; i++) await startAndReadSms(number, 'e2ephone');
  const error = await rejectsWith(start(number, 'e2ephone'), grpc.status.RESOURCE_EXHAUSTED);
  assertQuotaFailure(error, 'phone:1h', [3590, 3600]);
  assert.equal(capture.to(number).length, 3);
});

test('the fourth number from one IP within the window is RESOURCE_EXHAUSTED', async () => {
  const client_ip = '203.0.113.7';
  const numbers = [newNumber(), newNumber(), newNumber(), newNumber()];
  for (const number of numbers.slice(0, 3)) await startAndReadSms(number, 'e2eip', { client_ip });
  const error = await rejectsWith(start(numbers[3], 'e2eip', { client_ip }), grpc.status.RESOURCE_EXHAUSTED);
  assertQuotaFailure(error, 'ip:1h', [3590, 3600]);
  assert.equal(capture.to(numbers[3]).length, 0);
});

// --- concurrency ------------------------------------------------------------------------------------

test('50 concurrent checks of the right code approve exactly once', async () => {
  const { verification, sms } = await startAndReadSms(newNumber());
  const results = await Promise.allSettled(Array.from({ length: 50 }, () => check(verification.id, sms.code)));
  for (const result of results.filter((r) => r.status === 'rejected')) {
    assert.equal(result.reason.code, grpc.status.NOT_FOUND, result.reason.details);
  }
  assert.equal(results.filter((r) => r.status === 'fulfilled' && r.value.valid).length, 1);
});

test('100 concurrent wrong codes lock the verification after exactly the allowed attempts', async () => {
  const { verification, sms } = await startAndReadSms(newNumber());
  const answers = await Promise.all(Array.from({ length: 100 }, (_, i) => check(verification.id, wrongCode(sms.code, i + 1))));
  assert.ok(answers.every((a) => !a.valid));
  const pending = answers.filter((a) => a.status === 'VERIFICATION_STATUS_PENDING').map((a) => a.attempts_remaining);
  assert.deepEqual(pending.sort((a, b) => a - b), [1, 2, 3, 4]);
  const live = await call(verify, 'GetVerification', { verification_id: verification.id });
  assert.equal(live.status, 'VERIFICATION_STATUS_MAX_ATTEMPTS_REACHED');
  assert.equal(live.attempts_remaining, 0);
  assert.equal((await check(verification.id, sms.code)).valid, false);
});

// --- payment (PSD2 dynamic linking) -----------------------------------------------------------------

test('a payment code checked with another amount is burned', async () => {
  const { verification, sms } = await startAndReadSms(newNumber(), 'payment', { transaction: payment() });
  for (const shown of ['25.00', 'EUR', 'ACME']) assert.ok(sms.json.text.includes(shown), sms.json.text);
  const changed = await check(verification.id, sms.code, { transaction: payment('25.01') });
  assert.equal(changed.valid, false);
  assert.equal(changed.status, 'VERIFICATION_STATUS_FAILED');
  const original = await check(verification.id, sms.code, { transaction: payment() });
  assert.equal(original.valid, false);
});

test('a payment without transaction is INVALID_ARGUMENT naming transaction, and sends nothing', async () => {
  const number = newNumber();
  const error = await rejectsWith(start(number, 'payment'), grpc.status.INVALID_ARGUMENT);
  assertFieldViolations(error, 'transaction');
  assert.equal(capture.to(number).length, 0);
});

// --- bad input --------------------------------------------------------------------------------------

test('invalid phone numbers are INVALID_ARGUMENT naming phone_number, and send nothing', async (t) => {
  for (const number of ['8613812345678', '+86 138 1234 5678', '+999123456789', '+８６１３８１２３４５６７８']) {
    await t.test(number, async () => {
      const before = capture.messages.length + capture.refusedMessages.length;
      const error = await rejectsWith(start(number), grpc.status.INVALID_ARGUMENT);
      assertFieldViolations(error, 'phone_number');
      assert.equal(capture.messages.length + capture.refusedMessages.length, before);
    });
  }
});

test('an unknown purpose is INVALID_ARGUMENT naming purpose, and sends nothing', async () => {
  const number = newNumber();
  const error = await rejectsWith(start(number, 'no-such-purpose'), grpc.status.INVALID_ARGUMENT);
  assertFieldViolations(error, 'purpose');
  assert.equal(capture.to(number).length, 0);
});

// --- delivery ---------------------------------------------------------------------------------------

test('a failing webhook is UNAVAILABLE, and a retry once it is fixed goes through at once', async () => {
  const number = newNumber();
  capture.failing.add(number);
  try {
    await rejectsWith(start(number), grpc.status.UNAVAILABLE);
    // One send, retried by the webhook sender (Retries, default 2) under one Idempotency-Key.
    const refused = capture.refused(number);
    assert.equal(refused.length, 3, 'the webhook was not called once and retried twice');
    assert.equal(new Set(refused.map((m) => m.headers['idempotency-key'])).size, 1);
  } finally {
    capture.failing.delete(number);
  }
  const [refused] = capture.refused(number);
  await notFound(refused.json.verification_id, refused.code);
  const { verification, sms } = await startAndReadSms(number);
  assert.equal((await check(verification.id, sms.code)).valid, true);
});

test('the webhook request is signed with the secret', async () => {
  const { sms } = await startAndReadSms(newNumber());
  const signature = sms.headers[SIGNATURE_HEADER];
  assert.match(signature ?? '', /^t=[0-9]+,v1=[0-9a-f]{64}$/);
  assert.ok(verifySignature(signature, sms.raw));
  assert.ok(!verifySignature(signature, Buffer.concat([sms.raw, Buffer.from(' ')])));
  assert.ok(!verifySignature(signature, sms.raw, 'another-secret-0123456789'));
});

test('a repeated idempotency key returns the same verification and sends one SMS', async () => {
  const number = newNumber();
  const idempotency_key = `order-${crypto.randomUUID()}`;
  const { verification } = await startAndReadSms(number, 'login', { idempotency_key });
  const again = await start(number, 'login', { idempotency_key });
  assert.equal(again.id, verification.id);
  assert.equal(capture.to(number).length, 1);
});

test('locale zh-CN sends a Chinese text with the code', async () => {
  const { sms } = await startAndReadSms(newNumber(), 'login', { locale: 'zh-CN' });
  assert.ok(sms.json.text.startsWith('【'), sms.json.text);
  assert.ok(sms.json.text.includes(sms.code));
  assert.equal(sms.json.locale, 'zh-CN');
});

// --- health and reflection --------------------------------------------------------------------------

test('health Check is SERVING', async () => {
  for (const service of ['', SERVICE]) {
    assert.equal((await call(health, 'Check', { service })).status, 'SERVING', service);
  }
});

test('reflection lists the verification service', async () => {
  const stream = reflection.ServerReflectionInfo({ deadline: Date.now() + TIMEOUT_MS });
  const responses = [];
  const ended = new Promise((resolve, reject) => {
    stream.on('data', (response) => responses.push(response));
    stream.on('end', resolve);
    stream.on('error', reject);
  });
  stream.write({ list_services: '' });
  stream.end();
  await ended;
  assert.equal(responses.length, 1);
  const names = responses[0].list_services_response.service.map((s) => s.name);
  assert.ok(names.includes(SERVICE), names.join(', '));
});

// --- last: the server log of the whole suite --------------------------------------------------------

test('the server log never contains a code that was sent', async () => {
  await start(newNumber()); // one of its own, so the test means something when run alone
  const codes = sentCodes();
  const [first] = capture.messages;
  await server.stop(); // flushes the log
  const log = server.log();
  assert.ok(log.includes(first.json.verification_id), 'the log does not name the verifications it sent');
  const leaked = [...new Set(codes)].filter((code) => new RegExp(`(?<![0-9A-Za-z])${code}(?![0-9A-Za-z])`).test(log));
  assert.deepEqual(leaked, [], 'codes found in the server log');
});
