// Browser mode: `pktscope serve [FILE...] [--port N]`. The renderer's static files and the
// contract over a WebSocket, bound to 127.0.0.1 only. A random token in the first URL is the
// key: the page request must carry it (it is then kept in a SameSite=Strict cookie for the
// page's own assets), the WebSocket upgrade must carry it too and come from our own origin.
// Files are opened by path on the server side, so `ssh -L` gives remote analysis.

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WebSocketServer, type WebSocket } from 'ws';
import { dispatch, parseRequest, type EventMessage } from './ipc/contract.ts';
import { WorkerSession } from './ipc/session-worker.ts';

export interface ServeOptions {
  files: string[];
  port: number;
  /** Directory of the built renderer (default: out/renderer of the project). */
  staticDir?: string;
  token?: string;
}

export interface RunningServer {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

export function projectRoot(): string {
  let d = dirname(fileURLToPath(import.meta.url));
  for (let k = 0; k < 6; k++) {
    if (existsSync(join(d, 'package.json'))) return d;
    d = dirname(d);
  }
  return process.cwd();
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.map': 'application/json',
  '.woff2': 'font/woff2',
};

function sameToken(a: string | null | undefined, b: string): boolean {
  if (!a || a.length !== b.length) return false;
  return timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

function cookieToken(req: IncomingMessage): string | null {
  const c = req.headers.cookie ?? '';
  const m = /(?:^|;\s*)pktscope_token=([0-9a-f]+)/.exec(c);
  return m ? m[1]! : null;
}

export function serve(o: ServeOptions): Promise<RunningServer> {
  const token = o.token ?? randomBytes(16).toString('hex');
  const staticDir = o.staticDir ?? join(projectRoot(), 'out', 'renderer');
  let port = o.port;
  const origins = () => [`http://127.0.0.1:${port}`, `http://localhost:${port}`];

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    const viaQuery = sameToken(url.searchParams.get('token'), token);
    if (!viaQuery && !sameToken(cookieToken(req), token)) {
      res.writeHead(403, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('pktscope: forbidden (open the URL with ?token= that `pktscope serve` printed)\n');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405);
      res.end();
      return;
    }
    let rel = decodeURIComponent(url.pathname);
    if (rel === '/' || rel === '') rel = '/index.html';
    const file = normalize(join(staticDir, rel));
    if (!file.startsWith(staticDir + sep) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(existsSync(join(staticDir, 'index.html')) ? 'not found\n' : 'pktscope: the renderer is not built (run `npm run build:renderer`)\n');
      return;
    }
    const headers: Record<string, string> = {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
    };
    if (extname(file) === '.html') {
      headers['content-security-policy'] =
        `default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self' ws://127.0.0.1:${port} ws://localhost:${port}; frame-ancestors 'none'; base-uri 'none'; form-action 'none'`;
      headers['x-frame-options'] = 'DENY';
    }
    if (viaQuery) headers['set-cookie'] = `pktscope_token=${token}; Path=/; HttpOnly; SameSite=Strict`;
    res.writeHead(200, headers);
    res.end(req.method === 'HEAD' ? undefined : readFileSync(file));
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: 1 << 20 });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    const origin = req.headers.origin;
    const okToken = sameToken(url.searchParams.get('token'), token) || sameToken(cookieToken(req), token);
    const okOrigin = origin === undefined || origins().includes(origin);
    if (url.pathname !== '/ws' || !okToken || !okOrigin) {
      socket.write('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => connection(ws));
  });

  function connection(ws: WebSocket): void {
    // Each connection's engine runs in its own thread: indexing and filtering never hold up
    // this one, which keeps answering (and serving other files) meanwhile.
    const session = new WorkerSession((event, data) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ event, data } satisfies EventMessage));
    });
    if (o.files.length) {
      session.open(o.files).catch((e: Error) => {
        if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ event: 'progress', data: { packets: 0, bytes: 0, totalBytes: 0, rate: 0, done: true, errors: [e.message] } }));
      });
    }
    ws.on('message', async (raw) => {
      let msg;
      try {
        msg = parseRequest(raw.toString());
      } catch (e) {
        ws.send(JSON.stringify({ id: -1, error: (e as Error).message }));
        return;
      }
      const r = await dispatch(session.handlers, msg);
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(r));
    });
    ws.on('close', () => session.close());
  }

  return new Promise((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(o.port, '127.0.0.1', () => {
      const a = server.address();
      port = typeof a === 'object' && a ? a.port : o.port;
      resolvePromise({
        url: `http://127.0.0.1:${port}/?token=${token}`,
        port,
        token,
        close: () =>
          new Promise<void>((r) => {
            for (const c of wss.clients) c.terminate();
            wss.close();
            server.close(() => r());
            server.closeAllConnections();
          }),
      });
    });
  });
}

/** `pktscope serve [FILE...] [--port N]`: prints the URL as the first stdout line and runs until killed. */
export async function runServe(argv: readonly string[], out: { write(s: string): void; error(s: string): void }): Promise<number> {
  const files: string[] = [];
  let port = 0;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--port' || a === '-p') {
      const v = Number(argv[++i]);
      if (!Number.isInteger(v) || v < 0 || v > 65535) {
        out.error(`pktscope: invalid port "${argv[i] ?? ''}"`);
        return 2;
      }
      port = v;
    } else if (a === '-h' || a === '--help') {
      out.error('Usage: pktscope serve [FILE...] [--port N]   browser mode on 127.0.0.1');
      return 0;
    } else if (a === '-r') {
      if (argv[i + 1] !== undefined) files.push(argv[++i]!);
    } else if (a.startsWith('-')) {
      out.error(`pktscope: unknown serve option "${a}"`);
      return 2;
    } else files.push(a);
  }
  for (const f of files) {
    if (!existsSync(f)) {
      out.error(`pktscope: cannot open ${f}: no such file`);
      return 2;
    }
  }
  let s: RunningServer;
  try {
    s = await serve({ files, port });
  } catch (e) {
    out.error(`pktscope: cannot listen on 127.0.0.1:${port}: ${(e as Error).message}`);
    return 2;
  }
  out.write(`pktscope: serving at ${s.url}\n`);
  await new Promise<void>((r) => {
    const stop = () => r();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await s.close();
  return 0;
}
