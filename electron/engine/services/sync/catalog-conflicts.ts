// Catalog conflicts (db/central-migrations/c0029_catalog_conflicts.sql): when two registers edit
// the same product or variant from the same version, central keeps the one that arrived first
// and records the other. A manager here sees both, field by field, and keeps one. Keeping OURS
// (the refused edit) saves it again through the catalog's own calls at the version this register
// holds, which is at least central's: a normal edit, audited and journaled, that wins at central
// when it is pushed; then central writes the choice down. Keeping THEIRS writes the choice alone:
// the pull already brings central's value. The list is asked of central each time; nothing of it
// is kept here.
import type { z } from 'zod';
import { columnsOf } from '#db/row-json.ts';
import { products, productVariants } from '#db/schema/inventory.ts';
import type { CatalogConflicts, ConflictField, KeepChoice } from '#contract/catalog-conflicts.ts';
import { type CallInput, type CallName, type CallOutput, contract } from '#contract/calls.ts';
import { type CallContext, requireSession } from '#engine/call-context.ts';
import { EngineError } from '#engine/errors.ts';
import { type CatalogConflictRecord, type CatalogConflictSource, CentralUnreachable } from '#engine/ports.ts';
import { centralAnswered } from '#engine/sync/central-ask.ts';
import { conflictView, differencesOf } from '#engine/sync/conflict-fields.ts';
import { log } from '#engine/log/logger.ts';
import type { EngineContainer } from '#engine/container.ts';
import { recordSessionAudit } from '../audit/audit-log.ts';
import { catalogHandlers } from '../catalog/handlers.ts';

/** What central answered, or why it could not be asked. */
export async function listConflicts(services: EngineContainer): Promise<CatalogConflicts> {
  if (!services.catalogConflicts) return { central: 'none' };
  try {
    return { central: 'answered', conflicts: (await services.catalogConflicts.open()).map(conflictView) };
  } catch (err) {
    if (err instanceof CentralUnreachable) return { central: 'unreachable', reason: err.message };
    // Central answered, with an error (a login it no longer knows): the list is unknown all the same, and says why.
    if (centralAnswered(err)) {
      log.warn({ err }, 'sync: central refused to list the catalog conflicts');
      return { central: 'unreachable', reason: `central refused: ${(err as Error).message}` };
    }
    throw err;
  }
}

const unreachable = (err: CentralUnreachable) =>
  new EngineError('CONFLICT', `central could not be asked, so the conflict stays open: ${err.message}`, {
    reason: 'CENTRAL_UNREACHABLE',
  });

/** Asks central; a central that does not answer, or refuses, is the manager's to hear about (the conflict stays open). */
async function ask<T>(question: () => Promise<T>): Promise<T> {
  try {
    return await question();
  } catch (err) {
    if (err instanceof CentralUnreachable) throw unreachable(err);
    if (centralAnswered(err)) {
      throw new EngineError('CONFLICT', `central refused, so the conflict stays open: ${(err as Error).message}`, {
        reason: 'CENTRAL_REFUSED',
      });
    }
    throw err;
  }
}

function alreadyResolved(record: CatalogConflictRecord): EngineError {
  const r = record.resolution!;
  return new EngineError('CONFLICT', `this conflict was already settled (${r.choice}${r.by ? ` by ${r.by.name}` : ''}, ${r.resolvedAt})`, {
    reason: 'ALREADY_RESOLVED',
    choice: r.choice,
    by: r.by?.name ?? null,
    at: r.resolvedAt,
  });
}

type Row = Record<string, unknown>;

/** The row as this register holds it, its numbers as text, as central's view gives them. */
async function localRow(services: EngineContainer, table: CatalogConflictRecord['table'], id: string, businessId: string) {
  const [found] = await services.sql.query<{ row: Row }>(
    `SELECT (SELECT jsonb_object_agg(e.key, CASE WHEN jsonb_typeof(e.value) = 'number' THEN to_jsonb(e.value #>> '{}') ELSE e.value END)
             FROM jsonb_each(to_jsonb(t)) e) AS row
     FROM ${table} t WHERE t.id = $1 AND t.business_id = $2 AND t.deleted_at IS NULL`,
    [id, businessId],
  );
  if (!found) {
    const what = table === 'inventory.products' ? 'product' : 'variant';
    throw new EngineError('NOT_FOUND', `no such ${what} in this business`, { reason: 'CATALOG', what });
  }
  return found.row;
}

/** Writes central's row here unless this register holds a newer version; the pull writes the same row. */
async function takeCentralRow(services: EngineContainer, record: CatalogConflictRecord): Promise<void> {
  const table = record.table === 'inventory.products' ? products : productVariants;
  const set = columnsOf(table)
    .filter((c) => c !== 'id' && c !== 'created_at')
    .map((c) => `${c} = EXCLUDED.${c}`)
    .join(', ');
  await services.sql.query(
    `INSERT INTO ${record.table} AS t SELECT * FROM jsonb_populate_record(NULL::${record.table}, $1::jsonb)
     ON CONFLICT (id) DO UPDATE SET ${set} WHERE t.version <= EXCLUDED.version AND t.business_id = EXCLUDED.business_id`,
    [JSON.stringify(record.theirs)],
  );
}

/** A catalog call's input as its own schema makes it: values central kept that the call refuses are refused here in its words. */
function inputOf<K extends CallName>(call: K, input: unknown): CallInput<K> {
  const parsed = (contract[call].input as z.ZodType).safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new EngineError('INVALID_INPUT', `the kept edit cannot be saved as it is: ${issue.path.join('.')}: ${issue.message}`, {
      field: issue.path.join('.'),
      reason: 'CONFLICT_VALUES',
    });
  }
  return parsed.data as CallInput<K>;
}

/** What catalog.saveVariant changes; the price and the barcode have calls of their own. */
const SAVED_WITH_THE_VARIANT: readonly ConflictField[] = ['name', 'sku', 'plu', 'cost', 'isActive'];

const text = (v: unknown) => (v === null || v === undefined ? undefined : String(v));
const nullable = (v: unknown) => (v === null || v === undefined ? null : String(v));

/**
 * Saves the refused edit again at this register through the catalog's calls, from the version it
 * holds now (central's, brought here first if the pull has not yet); answers the new version, or
 * null when the register already holds those values.
 */
async function keepOurs(ctx: CallContext, record: CatalogConflictRecord): Promise<number | null> {
  const { services } = ctx;
  const s = requireSession(ctx);
  // Central's row first, unless this register holds a newer version (an edit of its own not yet
  // pushed): at the same version, the row here may still be the refused edit itself, which the
  // pull has not yet replaced, and saving "ours" over it would change nothing.
  await services.writes(() => takeCentralRow(services, record));
  const local = await localRow(services, record.table, record.rowId, s.businessId);
  const changed = new Set(differencesOf(record.table, record.ours, local).map((d) => d.field));
  if (changed.size === 0) return null;
  const ours = record.ours;
  let version = Number(local.version);
  if (record.table === 'inventory.products') {
    const saved = await catalogHandlers['catalog.saveProduct'](
      inputOf('catalog.saveProduct', {
        id: record.rowId,
        version,
        name: ours.name,
        brand: text(ours.brand),
        description: text(ours.description),
        categoryId: nullable(ours.category_id),
        soldBy: ours.sold_by,
        unit: ours.unit,
        taxCode: ours.tax_code,
        fiscalProductCode: text(ours.fiscal_product_code),
        fiscalUnitCode: text(ours.fiscal_unit_code),
        isActive: ours.is_active,
      }),
      ctx,
    );
    return saved.version;
  }
  const variantId = record.rowId;
  if (SAVED_WITH_THE_VARIANT.some((f) => changed.has(f))) {
    version = (
      await catalogHandlers['catalog.saveVariant'](
        inputOf('catalog.saveVariant', {
          id: variantId,
          version,
          productId: local.product_id,
          name: text(ours.name),
          sku: ours.sku,
          plu: nullable(ours.plu),
          cost: nullable(ours.cost),
          isActive: ours.is_active,
        }),
        ctx,
      )
    ).version;
  }
  if (changed.has('price')) {
    version = (await catalogHandlers['catalog.setPrice'](inputOf('catalog.setPrice', { variantId, version, price: ours.price }), ctx))
      .version;
  }
  if (changed.has('barcode')) {
    if (local.barcode !== null && local.barcode !== undefined) {
      version = (await catalogHandlers['catalog.removeBarcode'](inputOf('catalog.removeBarcode', { variantId, version }), ctx)).version;
    }
    if (ours.barcode !== null && ours.barcode !== undefined) {
      version = (
        await catalogHandlers['catalog.addBarcode'](inputOf('catalog.addBarcode', { variantId, version, barcode: ours.barcode }), ctx)
      ).version;
    }
  }
  return version;
}

const sourceOf = (services: EngineContainer): CatalogConflictSource => {
  if (!services.catalogConflicts) {
    throw new EngineError('CONFLICT', 'this register has no central: its catalog has no conflicts to settle', { reason: 'NO_CENTRAL' });
  }
  return services.catalogConflicts;
};

export async function resolveConflict(
  input: { conflictId: string; keep: KeepChoice; idempotencyKey: string },
  ctx: CallContext,
): Promise<CallOutput<'sync.resolveConflict'>> {
  const s = requireSession(ctx);
  const source = sourceOf(ctx.services);
  const record = await ask(() => source.one(input.conflictId));
  if (!record) throw new EngineError('NOT_FOUND', 'no such catalog conflict in this business', { what: 'conflict' });
  if (record.resolution) {
    // The same request again (its answer was lost): the same answer, nothing done twice.
    if (record.resolution.idempotencyKey === input.idempotencyKey && record.resolution.choice === input.keep) {
      return { conflictId: record.id, keep: input.keep, resolvedAt: record.resolution.resolvedAt, savedVersion: null };
    }
    throw alreadyResolved(record);
  }
  const differences = conflictView(record).differences;
  const savedVersion = input.keep === 'OURS' ? await keepOurs(ctx, record) : null;
  const done = await ask(() =>
    source.resolve({ conflictId: record.id, keep: input.keep, employeeId: s.employeeId, key: input.idempotencyKey }),
  );
  if (done.outcome === 'UNKNOWN') throw new EngineError('NOT_FOUND', 'no such catalog conflict in this business', { what: 'conflict' });
  // Another manager settled it meanwhile; what was saved here stands as an edit of its own.
  if (done.outcome === 'ALREADY_RESOLVED') throw alreadyResolved(done.conflict);
  await recordSessionAudit(
    ctx.services,
    s,
    {
      action: 'sync.catalog_conflict_resolved',
      outcome: 'SUCCESS',
      entityType: record.table === 'inventory.products' ? 'product' : 'variant',
      entityId: record.rowId,
      details: {
        conflictId: record.id,
        keep: input.keep,
        register: record.register?.code ?? null,
        author: record.author?.name ?? null,
        savedVersion,
        differences,
      },
    },
    ctx.approver,
  );
  return { conflictId: record.id, keep: input.keep, resolvedAt: done.conflict.resolution!.resolvedAt, savedVersion };
}
