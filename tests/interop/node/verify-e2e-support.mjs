// Plumbing for the end-to-end tests of Verify.Server through @grpc/grpc-js: a webhook capture server
// standing in for the SMS provider, and the real Verify.Server process on loopback with every log line
// kept. The generic parts (proto loading, wire helpers) come from verify-interop.mjs.

import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import { existsSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import readline from 'node:readline';

export const SIGNING_SECRET = 'e2e-signing-secret-0123456789';
export const SIGNATURE_HEADER = 'x-verify-signature';
const READY_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 10_000;

/** The Verify.Server.dll that VERIFY_SERVER_DLL names; throws saying how to set it. */
export function requireVerifyServerDll() {
  const file = process.env.VERIFY_SERVER_DLL;
  if (!file) {
    throw new Error('Environment variable VERIFY_SERVER_DLL is not set; build src/Verify.Server and point it at '
      + 'the built Verify.Server.dll (tests/run-all.sh sets it).');
  }
  if (!existsSync(file)) throw new Error(`VERIFY_SERVER_DLL=${file} does not exist; build src/Verify.Server first.`);
  return file;
}

/** A loopback port nobody listens on right now (bind to 0, read, close). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** True if header is `t=<unix>,v1=<hex HMAC-SHA256(secret, t + "." + body)>` and t is recent. */
export function verifySignature(header, body, secret = SIGNING_SECRET, toleranceSeconds = 300) {
  const parts = Object.fromEntries((header ?? '').split(',').map((part) => {
    const at = part.indexOf('=');
    return [part.slice(0, at), part.slice(at + 1)];
  }));
  if (Object.keys(parts).sort().join() !== 't,v1' || !/^[0-9]+$/.test(parts.t)) return false;
  const expected = crypto.createHmac('sha256', secret)
    .update(Buffer.concat([Buffer.from(`${parts.t}.`), body])).digest('hex');
  return expected.length === parts.v1.length
    && crypto.timingSafeEqual(Buffer.from(expected), Buffer.from(parts.v1))
    && Math.abs(Date.now() / 1000 - Number(parts.t)) <= toleranceSeconds;
}

/**
 * The SMS provider: records every POSTed JSON body ({ raw, json, headers, code }) and answers 200, or
 * 500 for the numbers in `failing`.
 */
export class CaptureServer {
  static async start() {
    const capture = new CaptureServer();
    await new Promise((resolve, reject) => {
      capture.server.once('error', reject);
      capture.server.listen(0, '127.0.0.1', resolve);
    });
    capture.port = capture.server.address().port;
    return capture;
  }

  constructor() {
    this.messages = [];
    this.refusedMessages = [];
    this.failing = new Set();
    this.server = http.createServer((request, response) => {
      const chunks = [];
      request.on('data', (chunk) => chunks.push(chunk));
      request.on('end', () => {
        const raw = Buffer.concat(chunks);
        let json;
        try {
          json = JSON.parse(raw.toString('utf8'));
        } catch {
          response.writeHead(400).end();
          return;
        }
        const message = { raw, json, headers: request.headers, code: json.template_params?.code };
        const fail = this.failing.has(json.to);
        (fail ? this.refusedMessages : this.messages).push(message);
        response.writeHead(fail ? 500 : 200, { 'content-length': '0' }).end();
      });
    });
  }

  get url() { return `http://127.0.0.1:${this.port}/sms`; }

  /** The accepted messages to number. */
  to(number) { return this.messages.filter((m) => m.json.to === number); }

  /** The refused messages, optionally only those to number. */
  refused(number) { return this.refusedMessages.filter((m) => number === undefined || m.json.to === number); }

  async close() {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/**
 * Starts `dotnet Verify.Server.dll` on three free loopback ports (Grpc; Http, for receipts; Management, for
 * /healthz, /readyz and /metrics) and waits for /readyz to answer 200 on Management.
 */
export async function startVerifyServer(dll, webhookUrl, extraEnv = {}) {
  const grpcPort = await freePort();
  let httpPort = await freePort();
  while (httpPort === grpcPort) httpPort = await freePort();
  let managementPort = await freePort();
  while (managementPort === grpcPort || managementPort === httpPort) managementPort = await freePort();
  const env = {
    ...process.env,
    ASPNETCORE_ENVIRONMENT: 'Development',
    Kestrel__Endpoints__Grpc__Url: `http://127.0.0.1:${grpcPort}`,
    Kestrel__Endpoints__Http__Url: `http://127.0.0.1:${httpPort}`,
    Kestrel__Endpoints__Management__Url: `http://127.0.0.1:${managementPort}`,
    Verify__Delivery__Webhook__Url: webhookUrl,
    Verify__Delivery__Webhook__SigningSecret: SIGNING_SECRET,
    ...extraEnv,
  };
  delete env.ASPNETCORE_URLS;
  // setpriv --pdeathsig: the kernel sends the server SIGTERM if the test process dies in any way.
  const command = existsSync('/usr/bin/setpriv')
    ? ['/usr/bin/setpriv', ['--pdeathsig', 'TERM', 'dotnet', dll]]
    : ['dotnet', [dll]];
  const child = spawn(...command, { cwd: path.dirname(path.resolve(dll)), env, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines = [];
  const drained = Promise.all([child.stdout, child.stderr].map((stream) => new Promise((resolve) => {
    const reader = readline.createInterface({ input: stream });
    reader.on('line', (line) => lines.push(line));
    reader.once('close', resolve);
  })));
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  exited.then(() => process.removeListener('exit', killOnExit));

  const server = {
    address: `127.0.0.1:${grpcPort}`,
    httpPort,
    managementPort,
    log: () => lines.join('\n'),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
        await exited;
        clearTimeout(timer);
      }
      await drained;
    },
  };

  const deadline = Date.now() + READY_TIMEOUT_MS;
  let startError;
  child.once('error', (error) => { startError = error; });
  for (;;) {
    if (startError) throw new Error(`Could not start dotnet ${dll}: ${startError.message}`);
    if (child.exitCode !== null || child.signalCode !== null) {
      await server.stop();
      throw new Error(`Verify.Server exited (${child.exitCode ?? child.signalCode}) before it was ready:\n${server.log()}`);
    }
    try {
      const response = await fetch(`http://127.0.0.1:${managementPort}/readyz`, { signal: AbortSignal.timeout(2_000) });
      if (response.status === 200) return server;
    } catch {
      // Not listening yet.
    }
    if (Date.now() >= deadline) {
      await server.stop();
      throw new Error(`Verify.Server did not answer 200 on /readyz within ${READY_TIMEOUT_MS} ms:\n${server.log()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
