import type { AddressInfo } from 'node:net';
import { createApp, settingsFromEnv } from './app.js';

/** One JSON line per event on stdout: the container runtime collects it. */
function log(message: string, fields: Record<string, unknown> = {}): void {
  process.stdout.write(
    `${JSON.stringify({ time: new Date().toISOString(), message, ...fields })}\n`,
  );
}

const settings = settingsFromEnv(process.env);
const server = createApp();

server.listen(settings.port, settings.host, () => {
  const { address, port } = server.address() as AddressInfo;
  log('listening', { address, port });
});

// node is PID 1 in the container: without these handlers SIGTERM would be ignored.
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    log('stopping', { signal });
    server.close(() => log('stopped'));
    // Idle keep-alive connections would hold close() open until they time out.
    server.closeIdleConnections();
  });
}
