// Turns a unique-constraint violation from PGlite or node-postgres (possibly wrapped by drizzle)
// into a CONFLICT the person can act on.
import { EngineError } from './errors.ts';

function pgCode(err: unknown): { code?: string; constraint?: string } {
  for (let e: unknown = err; e && typeof e === 'object'; e = (e as { cause?: unknown }).cause) {
    const { code, constraint } = e as { code?: unknown; constraint?: unknown };
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code))
      return { code, constraint: typeof constraint === 'string' ? constraint : undefined };
  }
  return {};
}

export function conflictOnDuplicate(err: unknown, messages: Record<string, string>): never {
  const { code, constraint } = pgCode(err);
  if (code === '23505') {
    const hit = Object.entries(messages).find(([name]) => constraint?.includes(name) || String((err as Error).message).includes(name));
    throw new EngineError('CONFLICT', hit?.[1] ?? 'that value is already in use', { constraint });
  }
  throw err;
}
