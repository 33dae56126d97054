import type { IncomingMessage, Server, ServerResponse } from 'node:http';

/**
 * Puts `step` in front of the server's own request handlers (the node adapter's static files
 * and app): it sees every request first and calls `pass` to hand it on. The step added last
 * runs first.
 */
export function beforeRequests(
  server: Server,
  step: (req: IncomingMessage, res: ServerResponse, pass: () => void) => void,
): void {
  const handlers = server.listeners('request') as ((req: IncomingMessage, res: ServerResponse) => void)[];
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage, res: ServerResponse) =>
    step(req, res, () => {
      for (const handler of handlers) handler.call(server, req, res);
    }),
  );
}
