// What a PUSH template's body is: a JSON object of Handlebars strings, title and body required,
// url optional; the same keys the service worker reads from the payload (outgoing.ts, OutgoingPush).

export type PushFields = { title: string; body: string; url?: string };

const KEYS = ['title', 'body', 'url'];

/** The fields, or why the body is not a push template (for the seeder's and the renderer's errors). */
export function parsePushBody(body: string): { fields: PushFields; problem: null } | { fields: null; problem: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch (err) {
    return { fields: null, problem: `a push body is a JSON object {"title", "body"}: ${(err as Error).message}` };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return { fields: null, problem: 'a push body is a JSON object {"title", "body"}' };
  }
  const fields = parsed as Record<string, unknown>;
  for (const [name, value] of Object.entries(fields)) {
    if (!KEYS.includes(name)) return { fields: null, problem: `a push body has title, body and url only, not "${name}"` };
    if (typeof value !== 'string') return { fields: null, problem: `the push's "${name}" must be a string` };
  }
  if (typeof fields.title !== 'string' || typeof fields.body !== 'string') {
    return { fields: null, problem: 'a push body needs both "title" and "body"' };
  }
  return { fields: fields as PushFields, problem: null };
}
