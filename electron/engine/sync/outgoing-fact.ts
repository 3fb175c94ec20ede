// A fact as the push hands it to central: what central-ledger.ts needs to know of it, worked out
// once, on the push's side, before its batch opens a transaction. None of it needs central, so
// the courier works out the next batch's while central applies this one (batch-courier.ts).
import type { Fact } from '#db/journal.ts';
import { isPlainSale } from './central-sale-runs.ts';
import { binaryRow } from './copy-binary.ts';
import { saleRunRows, type SaleRunRows } from './sale-run-staging.ts';

export type OutgoingFact = {
  fact: Fact;
  /** Why PostgreSQL cannot store the fact's text, or null (it can). */
  unstorable: string | null;
  /** A completed sale central may apply in a set with its neighbours (central-sale-runs.ts): the rows it stages for that. */
  run: SaleRunRows | null;
  /** Its row of the batch central stages (ledgerRow), in COPY's binary format (STAGED_COLUMNS). */
  staged: Buffer;
  /** The stock levels and balances it moves, which central locks before the batch applies. */
  variants: string[];
  balances: string[];
};

export function outgoingFact(fact: Fact): OutgoingFact {
  const unstorable = unstorableText(fact);
  const { variants, balances } = lockedIds(fact.payload);
  return {
    fact,
    unstorable,
    run: unstorable === null && isPlainSale(fact.kind, fact.payload) ? saleRunRows(fact.seq, fact.payload) : null,
    staged: stagedRow(ledgerRow(fact, unstorable === null)),
    variants,
    balances,
  };
}

// Anything else is left to the fact's own replay, where it fails alone (a malformed id here
// would fail the batch's one lock query, outside any fact's savepoint).
const isUuid = (v: unknown): v is string =>
  typeof v === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v);

/** The variant ids (stock levels) and balance ids a payload names, down to the depth a fact nests them. */
function lockedIds(payload: unknown): { variants: string[]; balances: string[] } {
  const variants = new Set<string>();
  const balances = new Set<string>();
  const walk = (value: unknown, depth: number) => {
    if (depth > 4 || value === null || typeof value !== 'object') return;
    if (Array.isArray(value)) return value.forEach((v) => walk(v, depth + 1));
    for (const [key, v] of Object.entries(value)) {
      if (key === 'variant_id' && isUuid(v)) variants.add(v);
      else if (key === 'balance_id' && isUuid(v)) balances.add(v);
      else walk(v, depth + 1);
    }
  };
  walk(payload, 0);
  return { variants: [...variants], balances: [...balances] };
}

/**
 * The fact as central's ledger keeps it: its payload as the journal's JSON text, what its hash was
 * computed over (JSON writes a NUL or a lone UTF-16 surrogate, which PostgreSQL's text refuses, as
 * \u escapes). A kind or key holding one (`storable` false) is escaped the same way.
 */
export function ledgerRow(f: Fact, storable: boolean) {
  const text = (s: string) => (storable ? s : JSON.stringify(s).slice(1, -1));
  return {
    seq: f.seq,
    kind: text(f.kind),
    idempotency_key: text(f.idempotencyKey),
    recorded_at: f.recordedAt,
    prev_hash: f.prevHash,
    hash: f.hash,
    payload: JSON.stringify(f.payload),
  };
}

/** The columns of central's staging table, in the order stagedRow writes them. */
export const STAGED_COLUMNS = ['seq', 'kind', 'idempotency_key', 'recorded_at', 'prev_hash', 'hash', 'payload'] as const;

function stagedRow(row: ReturnType<typeof ledgerRow>): Buffer {
  return binaryRow([
    { int8: row.seq },
    { text: row.kind },
    { text: row.idempotency_key },
    // As text: central reads it as a timestamp where the ledger takes it, as it always has.
    { text: row.recorded_at },
    { text: row.prev_hash },
    { text: row.hash },
    { text: row.payload },
  ]);
}

const NUL = /\u0000/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** A NUL or a lone surrogate: what PostgreSQL's text and jsonb refuse. */
export const UNSTORABLE = new RegExp(`${NUL.source}|${LONE_SURROGATE.source}`);

// Every fact of every batch is looked at: a plain character class answers the common case (no
// NUL, no surrogate at all); only text with a surrogate (an emoji) gets the exact look.
const SUSPECT = /[\u0000\ud800-\udfff]/;
const holdsUnstorable = (value: unknown): boolean => {
  if (typeof value === 'string') return SUSPECT.test(value) && UNSTORABLE.test(value);
  if (value === null || typeof value !== 'object') return false;
  if (Array.isArray(value)) return value.some(holdsUnstorable);
  for (const key in value) if (holdsUnstorable(key) || holdsUnstorable((value as Record<string, unknown>)[key])) return true;
  return false;
};

/** Where in a fact the first string PostgreSQL cannot store is, and why; null when there is none. */
export function unstorableText(fact: Pick<Fact, 'kind' | 'idempotencyKey' | 'payload'>): string | null {
  if (!holdsUnstorable(fact.kind) && !holdsUnstorable(fact.idempotencyKey) && !holdsUnstorable(fact.payload)) return null;
  const check = (s: string, path: string): string | null => {
    if (NUL.test(s)) return `${path} holds a NUL character`;
    const lone = LONE_SURROGATE.exec(s);
    return lone ? `${path} holds a lone surrogate (U+${lone[0].charCodeAt(0).toString(16).toUpperCase()})` : null;
  };
  const walk = (value: unknown, path: string): string | null => {
    if (typeof value === 'string') return check(value, path);
    if (value === null || typeof value !== 'object') return null;
    const entries: [string, unknown][] = Array.isArray(value)
      ? value.map((v, i) => [`[${i}]`, v])
      : Object.entries(value).map(([k, v]) => [`.${k}`, v]);
    for (const [key, v] of entries) {
      const found = (Array.isArray(value) ? null : check(key.slice(1), `a key in ${path}`)) ?? walk(v, `${path}${key}`);
      if (found) return found;
    }
    return null;
  };
  return check(fact.kind, 'its kind') ?? check(fact.idempotencyKey, 'its idempotency key') ?? walk(fact.payload, '$');
}
