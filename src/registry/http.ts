/**
 * One bounded HTTPS exchange (node:https: lighter to load than fetch/undici, so the wizard starts
 * fast): https only, TLS always verified, a time-out per request, a cap on the body, and redirects
 * followed only to https, without the Authorization header once they leave the host.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { Agent, request } from 'node:https';
import { createSecureContext } from 'node:tls';
import { networkError, RegistryError } from './errors.ts';

export interface HttpRequest {
  method: 'GET' | 'HEAD' | 'POST';
  url: URL;
  headers: Record<string, string>;
  body?: string;
  /** Refuse a body larger than this. */
  maxBytes: number;
}

export interface HttpResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** Where the answer came from, after redirects. */
  url: URL;
}

export interface Transport {
  /** Every CA trusted (trust.ts's one list: Node's own among them), or undefined for Node's own. */
  ca?: string[];
  signal: AbortSignal;
  /** Time-out of one request (connect to last byte of a quiet socket). */
  timeoutMs: number;
}

const MAX_REDIRECTS = 5;
// One agent (and TLS context) per CA list, not a context per connection (making one parses every
// CA: tens of milliseconds). Its own agent also keeps its connections apart from other trust settings.
const agents = new WeakMap<string[], Agent>();

/** An agent whose connections trust exactly `ca` (its TLS context made once, from the list); undefined: Node's default. */
function agentFor(ca: string[] | undefined): Agent | undefined {
  if (!ca) return undefined;
  let agent = agents.get(ca);
  if (!agent) {
    agent = new Agent({ keepAlive: true, secureContext: createSecureContext({ ca }) });
    agents.set(ca, agent);
  }
  return agent;
}

function once(req: HttpRequest, transport: Transport): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    const headers = { ...req.headers, ...(req.body !== undefined ? { 'content-length': String(Buffer.byteLength(req.body)) } : {}) };
    const options = { method: req.method, headers, agent: agentFor(transport.ca), signal: transport.signal, timeout: transport.timeoutMs };
    const client = request(req.url, options, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > req.maxBytes) {
          res.destroy();
          reject(new RegistryError('protocol', `${req.url.host} answered with more than ${req.maxBytes} bytes for ${req.url.pathname}`));
          return;
        }
        chunks.push(chunk);
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks), url: req.url }));
      res.on('error', reject);
    });
    client.on('timeout', () => client.destroy(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })));
    client.on('error', reject);
    client.end(req.body);
  });
}

/** Send `req`, following redirects; network failures come back as RegistryError. */
export async function send(req: HttpRequest, transport: Transport): Promise<HttpResponse> {
  let current = req;
  for (let hop = 0; ; hop++) {
    if (current.url.protocol !== 'https:') {
      throw new RegistryError('tls', `refusing ${current.url.protocol}//${current.url.host}: registries are only spoken to over https`);
    }
    let response: HttpResponse;
    try {
      response = await once(current, transport);
    } catch (error) {
      throw networkError(current.url.host, error, transport.signal);
    }
    const location = response.headers.location;
    if (![301, 302, 303, 307, 308].includes(response.status) || !location) return response;
    if (hop === MAX_REDIRECTS) throw new RegistryError('protocol', `${req.url.host}: more than ${MAX_REDIRECTS} redirects for ${req.url.pathname}`);
    const next = new URL(location, current.url);
    // Storage back-ends (S3, a CDN) get no registry credentials.
    const headers = { ...current.headers };
    if (next.host !== current.url.host) delete headers.Authorization;
    const method = response.status === 303 ? 'GET' : current.method;
    current = { ...current, url: next, headers, method, body: method === 'GET' || method === 'HEAD' ? undefined : current.body };
  }
}

/** A header's first value. */
export function header(response: HttpResponse, name: string): string | undefined {
  const value = response.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}
