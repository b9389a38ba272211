// A scriptable SMSC for the .NET SMPP provider tests (tests/Verify.Server.Tests/Delivery/Providers/Smpp/).
// It is built on the npm "smpp" package, an SMPP implementation independent of ours, so the PDUs our
// client writes are parsed, and the PDUs it reads are built, by someone else's code.
//
//   node smpp-smsc.mjs [--port N] [--system-id ID] [--password PW] [--tls-key key.pem --tls-cert cert.pem]
//
// Listens on 127.0.0.1 (port 0 = any free port), over TLS when given a key and certificate, and prints one JSON object per line on stdout: first
// {"event":"listening","port":N}, then one line per thing that happened (bind, submit_sm, enquire_link,
// deliver_sm_resp, unbind, close, ...), so the test can assert on exactly what reached the wire.
// It reads one JSON command per line on stdin (see handleCommand) to send receipts, drop connections,
// stop answering, and so on. A test tool: it keeps everything in memory and trusts its input.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import readline from 'node:readline';

const require = createRequire(import.meta.url);
const smpp = require('smpp');

const args = parseArgs(process.argv.slice(2));
const credentials = { systemId: args['system-id'] ?? 'verify', password: args.password ?? 'secret' };

// Record short_message and validity_period as they are on the wire: without these filters the library
// decodes the text (and drops the user data header) or turns the time into a Date.
delete smpp.commands.submit_sm.params.short_message.filter;
delete smpp.commands.submit_sm.params.validity_period.filter;
// A command id no SMPP version defines, to check that the client answers generic_nack.
smpp.addCommand('verify_unknown', { id: 0x00000099, params: {} });

const sessions = new Set();
const submitted = new Map(); // message_id -> the submit_sm, for building receipts
const held = []; // submit_sm answers held back while state.holdSubmits
const state = {
  answerEnquireLink: true,
  answerSubmits: true,
  holdSubmits: false,
  submitStatus: 0,
  outstanding: 0,
  maxOutstanding: 0,
};
let nextSession = 1;
let nextMessageId = 0x1a2b3c00; // message ids are upper-case hex, as many SMSCs issue them

const emit = (event) => process.stdout.write(JSON.stringify(event) + '\n');

const serverOptions = { debug: false };
if (args['tls-key'] && args['tls-cert']) {
  serverOptions.key = readFileSync(args['tls-key']);
  serverOptions.cert = readFileSync(args['tls-cert']);
}

const server = smpp.createServer(serverOptions, (session) => {
  const id = nextSession++;
  session.verifyId = id;
  session.bound = false;
  sessions.add(session);
  emit({ event: 'connect', session: id });

  session.on('error', (error) => emit({ event: 'error', session: id, message: String(error?.message ?? error) }));
  session.on('close', () => {
    sessions.delete(session);
    emit({ event: 'close', session: id });
  });

  session.on('bind_transceiver', (pdu) => {
    const ok = pdu.system_id === credentials.systemId && pdu.password === credentials.password;
    emit({
      event: 'bind',
      session: id,
      ok,
      system_id: pdu.system_id,
      system_type: pdu.system_type,
      interface_version: pdu.interface_version,
      addr_ton: pdu.addr_ton,
      addr_npi: pdu.addr_npi,
      address_range: pdu.address_range,
    });
    if (!ok) {
      session.send(pdu.response({ command_status: smpp.ESME_RBINDFAIL }));
      return;
    }

    session.bound = true;
    session.send(pdu.response({ system_id: 'node-smsc' }));
  });

  session.on('submit_sm', (pdu) => {
    const messageId = (nextMessageId++).toString(16).toUpperCase();
    const shortMessage = Buffer.from(pdu.short_message ?? []);
    const udhi = (pdu.esm_class & 0x40) !== 0;
    const udhLength = udhi && shortMessage.length > 0 ? shortMessage[0] + 1 : 0;
    const record = {
      event: 'submit_sm',
      session: id,
      sequence: pdu.sequence_number,
      message_id: messageId,
      service_type: pdu.service_type,
      source_addr_ton: pdu.source_addr_ton,
      source_addr_npi: pdu.source_addr_npi,
      source_addr: pdu.source_addr,
      dest_addr_ton: pdu.dest_addr_ton,
      dest_addr_npi: pdu.dest_addr_npi,
      destination_addr: pdu.destination_addr,
      esm_class: pdu.esm_class,
      protocol_id: pdu.protocol_id,
      priority_flag: pdu.priority_flag,
      schedule_delivery_time: pdu.schedule_delivery_time,
      validity_period: pdu.validity_period,
      registered_delivery: pdu.registered_delivery,
      replace_if_present_flag: pdu.replace_if_present_flag,
      data_coding: pdu.data_coding,
      sm_default_msg_id: pdu.sm_default_msg_id,
      short_message: shortMessage.toString('hex'),
      udh: udhLength > 0 ? shortMessage.subarray(0, udhLength).toString('hex') : null,
      // The text as the library decodes it (GSM 03.38 for 0, UTF-16BE for 8), header removed.
      text: decodeText(pdu.data_coding, shortMessage.subarray(udhLength)),
      tlvs: otherFields(pdu),
      outstanding: state.outstanding + 1,
    };
    submitted.set(messageId, record);
    state.outstanding++;
    state.maxOutstanding = Math.max(state.maxOutstanding, state.outstanding);
    record.max_outstanding = state.maxOutstanding;
    emit(record);

    if (!state.answerSubmits) {
      state.outstanding--; // never answered: no longer counted as awaiting our answer
      return;
    }

    const answer = () => {
      state.outstanding--;
      if (state.submitStatus !== 0) {
        session.send(pdu.response({ command_status: state.submitStatus }));
      } else {
        session.send(pdu.response({ message_id: state.emptyMessageId ? '' : messageId }));
      }
    };
    if (state.holdSubmits) {
      held.push(answer);
    } else {
      answer();
    }
  });

  session.on('enquire_link', (pdu) => {
    emit({ event: 'enquire_link', session: id, sequence: pdu.sequence_number, answered: state.answerEnquireLink });
    if (state.answerEnquireLink) {
      session.send(pdu.response());
    }
  });

  session.on('unbind', (pdu) => {
    emit({ event: 'unbind', session: id, sequence: pdu.sequence_number });
    session.send(pdu.response());
    session.close();
  });

  session.on('unbind_resp', (pdu) => emit({ event: 'unbind_resp', session: id, sequence: pdu.sequence_number }));
  session.on('enquire_link_resp', (pdu) => emit({ event: 'enquire_link_resp', session: id, sequence: pdu.sequence_number }));
  session.on('deliver_sm_resp', (pdu) => emit({ event: 'deliver_sm_resp', session: id, sequence: pdu.sequence_number, command_status: pdu.command_status }));
  session.on('generic_nack', (pdu) => emit({ event: 'generic_nack', session: id, sequence: pdu.sequence_number, command_status: pdu.command_status }));
});

server.on('error', (error) => emit({ event: 'server_error', message: String(error?.message ?? error) }));
server.on('tlsClientError', (error) => emit({ event: 'tls_error', message: String(error?.message ?? error) }));
server.listen(Number(args.port ?? 0), '127.0.0.1', () => emit({ event: 'listening', port: server.address().port }));

// Commands, one JSON object per line. Each is answered with {"event":"done","command":...} once carried out.
readline.createInterface({ input: process.stdin }).on('line', (line) => {
  if (!line.trim()) {
    return;
  }

  let command;
  try {
    command = JSON.parse(line);
  } catch (error) {
    emit({ event: 'bad_command', message: String(error.message) });
    return;
  }

  handleCommand(command);
  emit({ event: 'done', command });
});

process.stdin.on('end', () => shutdown());
process.on('SIGTERM', () => shutdown());

function handleCommand(command) {
  // {"receipt":"<message_id>","stat":"DELIVRD","err":"000","tlvs":true,"message_state":2,"text_id":"<id in the text>"}
  // sends a deliver_sm delivery receipt (esm_class 0x04) for a submitted message to every bound session.
  if ('receipt' in command) {
    sendReceipt(command);
  }

  // {"drop":true}: closes every connection at once, as a crashed SMSC or a broken network would.
  if (command.drop) {
    for (const session of sessions) {
      session.destroy();
    }
  }

  // {"enquire_link":false|true}: stop (or resume) answering the client's enquire_link.
  if ('enquire_link' in command) {
    state.answerEnquireLink = !!command.enquire_link;
  }

  // {"submit":"answer"|"ignore"|"hold"}: answer submit_sm at once, never, or only on {"release":true}.
  if ('submit' in command) {
    state.answerSubmits = command.submit !== 'ignore';
    state.holdSubmits = command.submit === 'hold';
  }

  // {"release":true}: answers every held submit_sm.
  if (command.release) {
    state.holdSubmits = false;
    for (const answer of held.splice(0)) {
      answer();
    }
  }

  // {"empty_message_id":true}: answer submit_sm with status 0 but an empty message_id.
  if ('empty_message_id' in command) {
    state.emptyMessageId = !!command.empty_message_id;
  }

  // {"submit_status":88}: answer submit_sm with this command_status (0 = success).
  if ('submit_status' in command) {
    state.submitStatus = Number(command.submit_status);
  }

  // {"send_enquire_link":true}: the SMSC checks the link; the client must answer enquire_link_resp.
  if (command.send_enquire_link) {
    forEachBound((session) => session.enquire_link({}));
  }

  // {"send_unknown":true}: a command the client cannot know; it must answer generic_nack.
  if (command.send_unknown) {
    forEachBound((session) => session.verify_unknown({}));
  }

  // {"send_unbind":true}: the SMSC ends the session; the client must answer unbind_resp.
  if (command.send_unbind) {
    forEachBound((session) => session.unbind({}));
  }

  // {"send_mo":"text"}: a mobile-originated message (not a receipt); the client must acknowledge it.
  if ('send_mo' in command) {
    forEachBound((session) => session.deliver_sm({
      source_addr_ton: 1,
      source_addr_npi: 1,
      source_addr: '8613812345678',
      destination_addr: 'Verify',
      esm_class: 0,
      data_coding: 0,
      short_message: Buffer.from(String(command.send_mo), 'ascii'),
    }));
  }
}

function sendReceipt(command) {
  const messageId = String(command.receipt);
  const original = submitted.get(messageId);
  const stat = command.stat ?? 'DELIVRD';
  const textId = command.text_id ?? messageId;
  const now = new Date();
  const date = now.toISOString().replace(/[-:T]/g, '').slice(2, 12); // YYMMDDhhmm
  const text = `id:${textId} sub:001 dlvrd:${stat === 'DELIVRD' ? '001' : '000'} submit date:${date} done date:${date} stat:${stat} err:${command.err ?? '000'} text:`;
  const pdu = {
    source_addr_ton: original?.dest_addr_ton ?? 1,
    source_addr_npi: original?.dest_addr_npi ?? 1,
    source_addr: original?.destination_addr ?? '',
    dest_addr_ton: original?.source_addr_ton ?? 0,
    dest_addr_npi: original?.source_addr_npi ?? 0,
    destination_addr: original?.source_addr ?? '',
    esm_class: 0x04,
    data_coding: 0,
    short_message: Buffer.from(text, 'ascii'),
  };
  if (command.tlvs !== false) {
    pdu.receipted_message_id = messageId;
    pdu.message_state = command.message_state ?? messageState(stat);
  }

  forEachBound((session) => session.deliver_sm(pdu));
  emit({ event: 'receipt_sent', message_id: messageId, text });
}

// SMPP 3.4 §5.2.28.
function messageState(stat) {
  return { ENROUTE: 1, DELIVRD: 2, EXPIRED: 3, DELETED: 4, UNDELIV: 5, ACCEPTD: 6, UNKNOWN: 7, REJECTD: 8 }[stat] ?? 7;
}

function forEachBound(action) {
  for (const session of sessions) {
    if (session.bound && !session.closed) {
      action(session);
    }
  }
}

function decodeText(dataCoding, bytes) {
  if (dataCoding === 8) {
    return smpp.encodings.UCS2.decode(bytes);
  }

  if (dataCoding === 0) {
    return smpp.encodings.ASCII.decode(bytes); // the library's name for GSM 03.38
  }

  return null;
}

// Optional parameters (TLVs) the library decoded, by name (unknown tags come as numbers).
function otherFields(pdu) {
  const known = new Set(['command', 'command_length', 'command_id', 'command_status', 'sequence_number', ...Object.keys(smpp.commands.submit_sm.params)]);
  const result = {};
  for (const [key, value] of Object.entries(pdu)) {
    if (!known.has(key) && typeof value !== 'function') {
      result[key] = Buffer.isBuffer(value) ? value.toString('hex') : value;
    }
  }

  return result;
}

function parseArgs(argv) {
  const result = {};
  for (let i = 0; i < argv.length; i++) {
    if (argv[i].startsWith('--')) {
      result[argv[i].slice(2)] = argv[i + 1];
      i++;
    }
  }

  return result;
}

function shutdown() {
  for (const session of sessions) {
    session.destroy();
  }

  server.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 500).unref();
}
