// Stock at this branch: levels, receipts and adjustments. A change is one statement that reads
// the level, writes the movement and moves the level together, so a sale completing at the same
// moment (which adds its own movement the same way) can never be lost between the two; the fact
// is journaled before the answer, and the same idempotency key answers the first result again.
import { v7 as uuidv7 } from 'uuid';
import { and, eq, isNull } from 'drizzle-orm';
import { products, productVariants } from '#db/schema/inventory.ts';
import { defineHandlers, requireSession, type CallContext } from '#engine/call-context.ts';
import { EngineError } from '#engine/errors.ts';
import { requestFingerprint, requireSameRequest } from '#engine/request-fingerprint.ts';
import { rememberRequest } from '#engine/recovery/record-log.ts';
import { requireTerminal } from '#engine/container.ts';
import { recordSessionAuditIn } from '../audit/audit-log.ts';
import { notFound } from '../catalog/catalog-errors.ts';
import { searchCatalog } from '../catalog/search.ts';
import { isLow, quantityProblem } from './stock-rules.ts';
import type { StockChange, StockLevel, StockMovement } from '#contract/stock.ts';
import { readStockFact, REFERENCE, stockKey, STOCK_ADJUSTED, STOCK_RECEIVED, type StockFact } from './stock-facts.ts';

type Change = {
  what: keyof typeof REFERENCE;
  variantId: string;
  clientKey: string;
  kind: 'RECEIVE' | 'ADJUST' | 'COUNT';
  delta: string | null;
  counted: string | null;
  unitCost: string | null;
  reason: string | null;
  expectedVersion: number | undefined;
};

// One statement: the level as it is, the change (a count becomes count − level), the movement and
// the level moved by it. PGlite runs one statement at a time, so nothing lands between the read
// and the write; $9 refuses a count made against a level that moved since the person looked.
const CHANGE_STOCK = `
WITH cur AS (
  SELECT coalesce(l.quantity, 0) AS q, coalesce(l.version, 0) AS ver
  FROM (SELECT 1) one LEFT JOIN inventory.stock_levels l ON l.variant_id = $1::uuid AND l.branch_id = $2::uuid
),
d AS (
  SELECT CASE WHEN $4::numeric IS NULL THEN $3::numeric ELSE $4::numeric - cur.q END AS delta FROM cur
  WHERE $9::int IS NULL OR cur.ver = $9::int
),
m AS (
  INSERT INTO inventory.stock_movements (id, variant_id, branch_id, employee_id, kind, quantity, unit_cost, reason, reference_type,
                                         idempotency_key, occurred_at, created_at, updated_at)
  SELECT $5::uuid, $1::uuid, $2::uuid, $6::uuid, $7::text, d.delta, $8::numeric, $10::text, $11::text, $12::text, $13::timestamptz, $13::timestamptz, $13::timestamptz
  FROM d WHERE d.delta <> 0
  ON CONFLICT (idempotency_key) DO NOTHING
  RETURNING id, variant_id, branch_id, quantity
),
l AS (
  INSERT INTO inventory.stock_levels (id, variant_id, branch_id, quantity)
  SELECT $14::uuid, m.variant_id, m.branch_id, m.quantity FROM m
  ON CONFLICT (variant_id, branch_id) DO UPDATE
    SET quantity = inventory.stock_levels.quantity + EXCLUDED.quantity, version = inventory.stock_levels.version + 1
  RETURNING quantity, version
)
SELECT (SELECT id FROM m) AS "movementId", (SELECT quantity::text FROM l) AS quantity, (SELECT version FROM l) AS version,
       (SELECT q::text FROM cur) AS before, (SELECT ver FROM cur) AS "beforeVersion",
       (SELECT delta::text FROM d) AS delta, EXISTS (SELECT 1 FROM d) AS matched`;

type Outcome = {
  movementId: string | null;
  quantity: string | null;
  version: number | null;
  before: string;
  beforeVersion: number;
  delta: string | null;
  matched: boolean;
};

async function levelOf(ctx: CallContext, variantId: string, branchId: string) {
  const [row] = await ctx.services.sql.query<{ quantity: string; version: number }>(
    `SELECT quantity::text, version FROM inventory.stock_levels WHERE variant_id = $1 AND branch_id = $2`,
    [variantId, branchId],
  );
  return row ?? { quantity: '0', version: 0 };
}

const trim = (q: string) => q.replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '');

async function changeStock(ctx: CallContext, change: Change): Promise<StockChange> {
  const s = requireSession(ctx);
  const terminal = requireTerminal(ctx.services);
  const { db, sql, journal } = ctx.services;
  const key = stockKey(change.what, change.clientKey);
  const factKind = change.what === 'receive' ? STOCK_RECEIVED : STOCK_ADJUSTED;

  const known = journal.find(key);
  if (known) {
    const fact = known.payload as StockFact;
    if (fact.variantId !== change.variantId) {
      throw new EngineError('CONFLICT', 'that idempotency key was used for another item', { reason: 'IDEMPOTENCY_KEY_REUSED' });
    }
    requireSameRequest(
      (fact as StockFact & { requestFingerprint?: string }).requestFingerprint,
      requestFingerprint(change),
      `stock ${change.what}`,
    );
    const level = await levelOf(ctx, fact.variantId, fact.branchId);
    return {
      movementId: (fact.movement?.id as string | undefined) ?? null,
      variantId: fact.variantId,
      change: trim(String(fact.movement?.quantity ?? '0')),
      ...level,
      repeated: true,
    };
  }

  const [item] = await db
    .select({ variant: productVariants, soldBy: products.soldBy, productName: products.name })
    .from(productVariants)
    .innerJoin(products, eq(products.id, productVariants.productId))
    .where(and(eq(productVariants.id, change.variantId), eq(productVariants.businessId, s.businessId), isNull(productVariants.deletedAt)));
  if (!item) throw notFound('variant');
  for (const [field, value] of [
    ['quantity', change.delta],
    ['countedQuantity', change.counted],
  ] as const) {
    if (value !== null && quantityProblem(item.soldBy, value.replace(/^-/, ''))) {
      throw new EngineError('INVALID_INPUT', `${field}: ${item.productName} is sold by the piece; give whole units`, {
        field,
        reason: 'WHOLE_UNITS',
      });
    }
  }

  const now = ctx.services.now();
  // The movement and its audit entry commit together. A key whose movement PGlite already holds
  // (its journal append was lost to a crash) was audited with it, and is not audited again.
  const o = await sql.transaction(async (tx) => {
    const [outcome] = await tx.query<Outcome>(CHANGE_STOCK, [
      change.variantId,
      terminal.branchId,
      change.delta,
      change.counted,
      uuidv7(),
      s.employeeId,
      change.kind,
      change.unitCost,
      change.expectedVersion ?? null,
      change.reason,
      REFERENCE[change.what],
      key,
      now.toISOString(),
      uuidv7(),
    ]);
    const r = outcome!;
    const zero = r.delta !== null && /^-?0(\.0+)?$/.test(r.delta);
    if (r.movementId !== null) await rememberRequest(tx, key, { fingerprint: requestFingerprint(change) });
    if (r.matched && (r.movementId !== null || zero)) {
      await recordSessionAuditIn(
        tx,
        ctx.services,
        s,
        {
          action: change.what === 'receive' ? 'inventory.received' : 'inventory.adjusted',
          outcome: 'SUCCESS',
          entityType: 'variant',
          entityId: change.variantId,
          details: {
            item: item.productName,
            sku: item.variant.sku,
            kind: change.kind,
            change: trim(zero ? '0' : r.delta!),
            before: r.before,
            after: r.movementId !== null ? r.quantity : r.before,
            ...(change.counted !== null ? { counted: change.counted } : {}),
            ...(change.unitCost ? { unitCost: change.unitCost } : {}),
            ...(change.reason ? { reason: change.reason } : {}),
          },
        },
        ctx.approver,
      );
    }
    return r;
  });
  if (!o.matched) {
    throw new EngineError('CONFLICT', `the stock moved since it was counted (now ${o.before}); count again`, {
      reason: 'STALE_STOCK',
      what: 'stock',
      currentVersion: o.beforeVersion,
      quantity: trim(o.before),
    });
  }
  let movementId = o.movementId;
  if (!movementId && o.delta !== null && !/^-?0(\.0+)?$/.test(o.delta)) {
    // The key was used before and PGlite has its movement, though the journal does not (a crash
    // between the two): that movement is the answer, journaled now.
    const [existing] = await sql.query<{ id: string; variant_id: string }>(
      `SELECT id, variant_id FROM inventory.stock_movements WHERE idempotency_key = $1`,
      [key],
    );
    if (!existing || existing.variant_id !== change.variantId) {
      throw new EngineError('CONFLICT', 'that idempotency key was used for another item', { reason: 'IDEMPOTENCY_KEY_REUSED' });
    }
    movementId = existing.id;
  }
  const fact: StockFact = movementId
    ? (await readStockFact(db, movementId, { before: o.before, counted: change.counted }))!
    : {
        movement: null,
        stockLevelId: '',
        variantId: change.variantId,
        branchId: terminal.branchId,
        before: o.before,
        counted: change.counted,
        product: {},
        variant: {},
      };
  journal.append(factKind, key, { ...fact, requestFingerprint: requestFingerprint(change) });
  const level =
    movementId && o.quantity !== null
      ? { quantity: o.quantity, version: o.version! }
      : await levelOf(ctx, change.variantId, terminal.branchId);
  const moved = trim(String(fact.movement?.quantity ?? '0'));
  return {
    movementId,
    variantId: change.variantId,
    change: moved,
    quantity: level.quantity,
    version: level.version,
    repeated: o.movementId === null && movementId !== null,
  };
}

type LevelRow = Omit<StockLevel, 'low'>;

const LEVEL_COLUMNS = `
  v.id AS "variantId", p.id AS "productId", p.name || coalesce(' ' || v.name, '') AS name, p.brand, v.sku, v.barcode, p.unit, p.sold_by AS "soldBy",
  coalesce(l.quantity, 0)::text AS quantity, l.reorder_point::text AS "reorderPoint", coalesce(l.version, 0) AS version,
  (v.is_active AND p.is_active) AS "isActive"
  FROM inventory.product_variants v JOIN inventory.products p ON p.id = v.product_id AND p.deleted_at IS NULL
  LEFT JOIN inventory.stock_levels l ON l.variant_id = v.id AND l.branch_id = $2::uuid AND l.deleted_at IS NULL`;

export const inventoryHandlers = defineHandlers({
  async 'inventory.branches'(_input, ctx) {
    return ctx.services.sql.query<{ id: string; code: string; name: string }>(
      `SELECT id, code, name FROM business.branches WHERE business_id = $1 AND deleted_at IS NULL ORDER BY code`,
      [requireSession(ctx).businessId],
    );
  },

  async 'inventory.levels'(input, ctx) {
    const s = requireSession(ctx);
    const branchId = requireTerminal(ctx.services).branchId;
    const sql = ctx.services.sql;
    let rows: LevelRow[];
    let next: string | null = null;
    if (input.text) {
      const hits = (await searchCatalog(sql, s.businessId, input.text, { limit: input.limit })).map((h) => h.variantId);
      const found =
        hits.length === 0
          ? []
          : await sql.query<LevelRow>(
              `SELECT ${LEVEL_COLUMNS} WHERE v.id = ANY($3::uuid[]) AND v.business_id = $1 AND v.deleted_at IS NULL`,
              [s.businessId, branchId, hits],
            );
      rows = hits.map((id) => found.find((r) => r.variantId === id)).filter((r) => r !== undefined);
    } else {
      rows = await sql.query<LevelRow>(
        `SELECT ${LEVEL_COLUMNS}
        WHERE v.business_id = $1 AND v.deleted_at IS NULL AND ($3::uuid IS NULL OR v.id < $3::uuid) ORDER BY v.id DESC LIMIT $4`,
        [s.businessId, branchId, input.after ?? null, input.limit + 1],
      );
      if (rows.length > input.limit) {
        rows = rows.slice(0, input.limit);
        next = rows[rows.length - 1]!.variantId;
      }
    }
    return { items: rows.map((r) => ({ ...r, low: isLow(r.quantity, r.reorderPoint) })), next };
  },

  async 'inventory.movements'(input, ctx) {
    const s = requireSession(ctx);
    return ctx.services.sql
      .query<Omit<StockMovement, 'occurredAt'> & { occurredAt: Date }>(
        `
      SELECT m.id, m.kind, m.quantity::text AS quantity, m.unit_cost::text AS "unitCost", m.reason, e.display_name AS employee, m.occurred_at AS "occurredAt"
      FROM inventory.stock_movements m JOIN inventory.product_variants v ON v.id = m.variant_id AND v.business_id = $3
      LEFT JOIN business.employees e ON e.id = m.employee_id
      WHERE m.variant_id = $1 AND m.branch_id = $2 AND m.deleted_at IS NULL ORDER BY m.occurred_at DESC, m.id DESC LIMIT $4`,
        [input.variantId, requireTerminal(ctx.services).branchId, s.businessId, input.limit],
      )
      .then((rows) => rows.map((r) => ({ ...r, occurredAt: new Date(r.occurredAt).toISOString() })));
  },

  async 'inventory.receive'(input, ctx) {
    return changeStock(ctx, {
      what: 'receive',
      variantId: input.variantId,
      clientKey: input.idempotencyKey,
      kind: 'RECEIVE',
      delta: input.quantity,
      counted: null,
      unitCost: input.unitCost ?? null,
      reason: input.supplierReference ?? null,
      expectedVersion: undefined,
    });
  },

  async 'inventory.adjust'(input, ctx) {
    return changeStock(ctx, {
      what: 'adjust',
      variantId: input.variantId,
      clientKey: input.idempotencyKey,
      kind: input.countedQuantity !== undefined ? 'COUNT' : 'ADJUST',
      delta: input.delta ?? null,
      counted: input.countedQuantity ?? null,
      unitCost: null,
      reason: input.reason,
      expectedVersion: input.expectedVersion,
    });
  },
});
