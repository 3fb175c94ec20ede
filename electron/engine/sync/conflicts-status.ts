// The catalog conflicts `pos sync status` adds below what the terminal's own files say: asked of
// central over the register's login with the same few seconds' deadline as the back office, so
// the command still answers when central does not (it says it could not ask).
import type { CatalogConflict, CatalogConflicts, ConflictDifference } from '#contract/catalog-conflicts.ts';
import { readTerminal } from '../terminal.ts';
import { CentralConflicts } from './central-conflicts.ts';
import { conflictView } from './conflict-fields.ts';
import { readSyncConfig } from './sync-config.ts';

export async function askOpenConflicts(dataDir: string, timeoutMs = 3_000): Promise<CatalogConflicts> {
  const config = readSyncConfig(dataDir);
  if (!config) return { central: 'none' };
  const terminal = readTerminal(dataDir);
  if (!terminal) return { central: 'unreachable', reason: `${dataDir} has no terminal identity (terminal.json)` };
  const source = new CentralConflicts({ url: config.url, registerId: terminal.registerId, timeoutMs });
  try {
    return { central: 'answered', conflicts: (await source.open()).map(conflictView) };
  } catch (err) {
    // Whatever kept central from answering (an outage, a revoked login), the list is unknown, and says why.
    return { central: 'unreachable', reason: (err as Error).message };
  } finally {
    await source.close().catch(() => undefined);
  }
}

const value = (v: ConflictDifference['ours']) => (v === null ? '(none)' : typeof v === 'boolean' ? (v ? 'yes' : 'no') : JSON.stringify(v));

function heading(c: CatalogConflict): string {
  const what = c.kind === 'product' ? `product "${c.productName ?? c.rowId}"` : `variant ${c.sku ?? c.rowId} of "${c.productName ?? '?'}"`;
  const where = [c.register ? `at ${c.register.code}` : null, c.author ? `by ${c.author.name}` : null].filter(Boolean).join(' ');
  return `  ${what}, edited ${where ? `${where} ` : ''}from version ${c.ourVersion - 1}, ${c.createdAt} (id ${c.id}):`;
}

/** The lines `pos sync status` prints about conflicts: each open one with what its edit says (ours) and what central holds (theirs). */
export function formatConflicts(answer: CatalogConflicts): string {
  if (answer.central === 'none') return '';
  if (answer.central === 'unreachable') return `conflicts:    could not ask central: ${answer.reason}`;
  if (answer.conflicts.length === 0) return 'conflicts:    none open';
  const lines = [
    `conflicts:    ${answer.conflicts.length} open (catalog edits central refused; a manager keeps one side in the back office, Alt+9)`,
  ];
  for (const c of answer.conflicts) {
    lines.push(heading(c));
    if (c.differences.length === 0) lines.push('    no field differs any more');
    for (const d of c.differences) lines.push(`    ${d.field}: ours ${value(d.ours)} / theirs ${value(d.theirs)}`);
  }
  return lines.join('\n');
}
