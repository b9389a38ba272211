// A small OTLP/gRPC receiver for the telemetry test: takes the trace and metrics exports of a running Verify
// (OTEL_EXPORTER_OTLP_ENDPOINT pointed at it) and keeps every span, decoded with the OTLP message
// definitions in ./otlp (a subset of opentelemetry-proto, see otlp/README.md).

import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { HERE } from './verify-interop.mjs';

const definition = protoLoader.loadSync(['trace_service.proto', 'metrics_service.proto'], {
  keepCase: true,
  longs: String,
  enums: String,
  defaults: true,
  oneofs: true,
  includeDirs: [path.join(HERE, 'otlp')],
});
const otlp = grpc.loadPackageDefinition(definition).opentelemetry.proto.collector;

/** An OTLP attribute value as plain JS: strings, numbers as strings, arrays, objects. */
function plain(any) {
  if (!any?.value) return null;
  const value = any[any.value];
  switch (any.value) {
    case 'array_value': return value.values.map(plain);
    case 'kvlist_value': return Object.fromEntries(value.values.map((kv) => [kv.key, plain(kv.value)]));
    case 'bytes_value': return value.toString('hex');
    default: return String(value);
  }
}

const attributes = (keyValues) => Object.fromEntries((keyValues ?? []).map((kv) => [kv.key, plain(kv.value)]));

/** Every key and value of an attribute map, flattened to strings. */
const strings = (value) => (value === null || value === undefined ? []
  : typeof value === 'object' ? Object.entries(value).flatMap(([k, v]) => [...(Array.isArray(value) ? [] : [k]), ...strings(v)])
    : [String(value)]);

/**
 * A received span: ids in hex, its attributes, and `texts`: every string a backend would store for it (name,
 * status message, attributes of the span, its events and links, its resource and scope), for searching.
 */
function toSpan(span, resource, scope) {
  const events = span.events.map((e) => ({ name: e.name, attributes: attributes(e.attributes) }));
  const links = span.links.map((l) => ({ attributes: attributes(l.attributes) }));
  return {
    traceId: span.trace_id.toString('hex'),
    spanId: span.span_id.toString('hex'),
    parentSpanId: span.parent_span_id.toString('hex'),
    name: span.name,
    kind: span.kind,
    scope: scope.name,
    status: span.status?.code,
    attributes: attributes(span.attributes),
    texts: [
      span.name, span.trace_state, span.status?.message ?? '',
      ...strings(attributes(span.attributes)),
      ...events.flatMap((e) => [e.name, ...strings(e.attributes)]),
      ...links.flatMap((l) => strings(l.attributes)),
      ...strings(resource), scope.name, scope.version, ...strings(attributes(scope.attributes)),
    ],
  };
}

export class OtlpReceiver {
  static async start() {
    const receiver = new OtlpReceiver();
    receiver.port = await new Promise((resolve, reject) => {
      receiver.server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(),
        (error, port) => (error ? reject(error) : resolve(port)));
    });
    return receiver;
  }

  constructor() {
    this.spans = [];
    this.metricExports = 0;
    this.server = new grpc.Server();
    this.server.addService(otlp.trace.v1.TraceService.service, {
      Export: (call, callback) => {
        for (const resourceSpans of call.request.resource_spans) {
          const resource = attributes(resourceSpans.resource?.attributes);
          for (const scopeSpans of resourceSpans.scope_spans) {
            const scope = scopeSpans.scope ?? { name: '', version: '', attributes: [] };
            this.spans.push(...scopeSpans.spans.map((span) => toSpan(span, resource, scope)));
          }
        }
        callback(null, {});
      },
    });
    this.server.addService(otlp.metrics.v1.MetricsService.service, {
      Export: (_call, callback) => {
        this.metricExports += 1;
        callback(null, {});
      },
    });
  }

  /** The endpoint for OTEL_EXPORTER_OTLP_ENDPOINT (OTLP over gRPC, h2c). */
  get endpoint() { return `http://127.0.0.1:${this.port}`; }

  /** Waits until predicate(spans) is true; throws with what arrived after timeoutMs. */
  async waitFor(predicate, timeoutMs, what) {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(this.spans)) {
      if (Date.now() >= deadline) {
        throw new Error(`no ${what} within ${timeoutMs} ms; received: ${this.spans.map((s) => `${s.name} (${s.traceId})`).join(', ') || 'nothing'}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  async close() {
    await new Promise((resolve) => this.server.tryShutdown(() => resolve()));
  }
}
