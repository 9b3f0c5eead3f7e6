/**
 * A forge's REST API as the Action and the GitLab template see it in tests: recorded real
 * responses (test/fixtures/github, test/fixtures/gitlab) served from 127.0.0.1, since the real
 * service cannot be reached from here. Every request is logged as "METHOD url credential".
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One recorded response: its JSON body and any extra headers (e.g. a pagination `link`). */
export interface RecordedReply {
  body: string;
  headers?: Record<string, string>;
}

/** How one forge authenticates and what it answers. */
export interface RecordedApiOptions {
  /** The request's credential as the forge reads it (a header's value, '' when absent). */
  credential: (req: http.IncomingMessage) => string;
  /** The one credential the fake forge accepts. */
  accepts: string;
  /** The forge's own body for a refused credential (401) and an unknown path (404). */
  unauthorized: string;
  notFound: string;
  /** The reply to a request with the right credential, or undefined for a 404. */
  route: (url: URL, method: string) => RecordedReply | undefined;
  /** Where each request is logged; the test may empty it between cases. */
  log: string[];
}

/** A running fake API. */
export interface RecordedApi {
  /** Its base URL, http://127.0.0.1:<port>. */
  url: string;
  close: () => Promise<void>;
}

/** Starts the fake API on a free port of 127.0.0.1. */
export async function serveRecordedApi(options: RecordedApiOptions): Promise<RecordedApi> {
  let base = '';
  const json = { 'content-type': 'application/json; charset=utf-8' };
  const server = http.createServer((req, res) => {
    const credential = options.credential(req);
    options.log.push(`${req.method} ${req.url} ${credential}`);
    if (credential !== options.accepts) {
      res.writeHead(401, json).end(options.unauthorized);
      return;
    }
    const reply = options.route(new URL(req.url ?? '/', base), req.method ?? 'GET');
    if (!reply) {
      res.writeHead(404, json).end(options.notFound);
      return;
    }
    res.writeHead(200, { ...json, ...reply.headers }).end(reply.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url: base, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
