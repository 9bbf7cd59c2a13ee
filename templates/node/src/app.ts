import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

/** Where the service listens. */
export interface Settings {
  host: string;
  port: number;
}

/** Read HOST and PORT from the environment, refusing a port outside 0-65535. */
export function settingsFromEnv(env: NodeJS.ProcessEnv): Settings {
  const raw = env.PORT ?? '8080';
  const port = Number(raw);
  if (!/^\d+$/.test(raw) || port > 65535) {
    throw new Error(`PORT must be a number between 0 and 65535, not ${JSON.stringify(raw)}`);
  }
  // A container must listen on all its interfaces; the port is the boundary.
  return { host: env.HOST ?? '0.0.0.0', port };
}

function sendJson(response: ServerResponse, status: number, payload: Record<string, string>): void {
  const body = JSON.stringify(payload);
  response.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(body),
  });
  response.end(body);
}

/** Answers GET /healthz; everything else is 404. */
export function handle(request: IncomingMessage, response: ServerResponse): void {
  const path = new URL(request.url ?? '/', 'http://service').pathname;
  if (request.method === 'GET' && path === '/healthz') sendJson(response, 200, { status: 'ok' });
  else sendJson(response, 404, { error: 'not found' });
}

/** The HTTP server, not yet listening (port 0 picks a free port, as the tests do). */
export function createApp(): Server {
  return createServer(handle);
}
