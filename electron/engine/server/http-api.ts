// POST /api/<call>: the contract over HTTP for the renderer in serve mode and for scripts.
// The body is the call's input as JSON; the session token comes as "Authorization: Bearer";
// a manager's override as X-Override-Employee and X-Override-Pin. The answer is always the
// engine's own {ok, value} | {ok: false, error}, with an HTTP status a script can branch on.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CallResult } from '../dispatch.ts';
import type { ErrorCode } from '../errors.ts';

const MAX_BODY_BYTES = 1_000_000;

const STATUS: Partial<Record<ErrorCode, number>> = {
  INVALID_INPUT: 400,
  UNKNOWN_CALL: 404,
  NOT_FOUND: 404,
  NOT_SIGNED_IN: 401,
  SESSION_EXPIRED: 401,
  SESSION_REVOKED: 401,
  BAD_CREDENTIALS: 401,
  MFA_REQUIRED: 401,
  MFA_INVALID: 401,
  FORBIDDEN: 403,
  OVERRIDE_REQUIRED: 403,
  STEP_UP_REQUIRED: 403,
  OVERRIDE_REFUSED: 403,
  MFA_ENROLLMENT_REQUIRED: 403,
  LOCKED: 423,
  CONFLICT: 409,
  TERMINAL_NOT_CONFIGURED: 503,
  DEVICE_ERROR: 502,
  INTERNAL: 500,
};

export const statusFor = (result: CallResult<unknown>) => (result.ok ? 200 : (STATUS[result.error.code] ?? 500));

type Dispatch = (envelope: unknown) => Promise<CallResult<unknown>>;

export function refuse(res: ServerResponse, status: number, code: ErrorCode, message: string, headers: Record<string, string> = {}): void {
  send(res, status, { ok: false, error: { code, message } }, headers);
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

function readBody(req: IncomingMessage): Promise<Buffer | 'too large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        resolve('too large');
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export async function handleApi(dispatch: Dispatch, req: IncomingMessage, res: ServerResponse, call: string): Promise<void> {
  if (req.method !== 'POST') return refuse(res, 405, 'INVALID_INPUT', 'use POST with a JSON body', { allow: 'POST' });
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json') return refuse(res, 415, 'INVALID_INPUT', 'send the input as application/json');
  const body = await readBody(req);
  if (body === 'too large') return refuse(res, 413, 'INVALID_INPUT', `the body is larger than ${MAX_BODY_BYTES} bytes`);
  let input: unknown = {};
  if (body.length > 0) {
    try {
      input = JSON.parse(body.toString('utf8'));
    } catch {
      return refuse(res, 400, 'INVALID_INPUT', 'the body is not valid JSON');
    }
  }
  const auth = req.headers.authorization;
  const token = auth && /^Bearer\s+(\S+)$/i.exec(auth)?.[1];
  const employeeId = header(req, 'x-override-employee');
  const pin = header(req, 'x-override-pin');
  const envelope = {
    call,
    input,
    ...(token ? { token } : {}),
    ...(employeeId !== undefined || pin !== undefined ? { override: { employeeId, pin } } : {}),
  };
  const result = await dispatch(envelope);
  send(res, statusFor(result), result);
}

const header = (req: IncomingMessage, name: string) => {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
};
