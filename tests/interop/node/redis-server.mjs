// A real redis-server on a free loopback port, in a temporary directory, for tests that run Verify over Redis.

import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './verify-e2e-support.mjs';

const READY_TIMEOUT_MS = 10_000;

/** Answers true once redis-server replies +PONG on port. */
function ping(port) {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.setTimeout(1_000);
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => { socket.destroy(); resolve(data.toString().startsWith('+PONG')); });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => { socket.destroy(); resolve(false); });
  });
}

/** Starts redis-server (no persistence) and waits for PING; `stop()` kills it and removes its directory. */
export async function startRedisServer() {
  const port = await freePort();
  const directory = mkdtempSync(path.join(os.tmpdir(), 'verify-redis-'));
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', directory, '--save', '', '--appendonly', 'no'];
  // setpriv --pdeathsig: the kernel kills redis-server if the test process dies in any way.
  const child = existsSync('/usr/bin/setpriv')
    ? spawn('/usr/bin/setpriv', ['--pdeathsig', 'KILL', 'redis-server', ...args], { stdio: 'ignore' })
    : spawn('redis-server', args, { stdio: 'ignore' });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  let startError;
  child.once('error', (error) => { startError = error; });
  const redis = {
    address: `127.0.0.1:${port}`,
    async stop() {
      if (!startError && child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await exited;
      }
      rmSync(directory, { recursive: true, force: true });
    },
  };
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (!(await ping(port))) {
    if (startError || child.exitCode !== null || Date.now() >= deadline) {
      await redis.stop();
      throw new Error(`redis-server did not answer PING on port ${port}: ${startError?.message ?? `exit ${child.exitCode}`}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return redis;
}
