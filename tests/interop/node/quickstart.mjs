// Start a verification and check the code you received, with the official Node gRPC client.
//
//   dotnet run --project src/Verify.Server                 # one terminal: the SMS appears on its console
//   (cd tests/interop/node && npm ci) && node tests/interop/node/quickstart.mjs +8613812345678
//
// Options: --address 127.0.0.1:50051 --purpose login --locale en --client-ip 203.0.113.7 (the end user's address).
import path from 'node:path';
import readline from 'node:readline/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import grpc from '@grpc/grpc-js';
import protoLoader from '@grpc/proto-loader';

const protos = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'protos');
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { address: { type: 'string', default: '127.0.0.1:50051' }, purpose: { type: 'string', default: 'login' }, locale: { type: 'string', default: 'en' },
    'client-ip': { type: 'string', default: '203.0.113.7' } },
});
if (positionals.length !== 1) {
  console.error('usage: node quickstart.mjs <phone number in E.164> [--address host:port] [--purpose login] [--locale en]');
  process.exit(64);
}

const definition = protoLoader.loadSync(path.join(protos, 'verify/v1/verify.proto'), { keepCase: true, defaults: true, enums: String, longs: String, includeDirs: [protos] });
const { VerificationService } = grpc.loadPackageDefinition(definition).verify.v1;
const client = new VerificationService(values.address, grpc.credentials.createInsecure());
const call = (method, request) => new Promise((resolve, reject) =>
  client[method](request, { deadline: Date.now() + 10_000 }, (error, response) => (error ? reject(error) : resolve(response))));

try {
  const { verification } = await call('StartVerification', { phone_number: positionals[0], purpose: values.purpose, locale: values.locale, client_ip: values['client-ip'] });
  console.log(`code sent to ${verification.masked_phone_number}; verification ${verification.id}`);
  const input = readline.createInterface({ input: process.stdin, output: process.stdout });
  const code = (await input.question('code: ')).trim();
  input.close();
  const result = await call('CheckVerification', { verification_id: verification.id, code, client_ip: values['client-ip'] });
  console.log(`valid=${result.valid} status=${result.status} attempts_remaining=${result.attempts_remaining}`);
  process.exitCode = result.valid ? 0 : 2;
} catch (error) {
  console.log(`refused: ${grpc.status[error.code]}: ${error.details}`);
  process.exitCode = 1;
} finally {
  client.close();
}
