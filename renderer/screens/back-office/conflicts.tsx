// The catalog conflicts central recorded (Alt+9): an edit made at one register that central
// refused because another register's edit of the same product or variant got there first. Each
// shows, field by field and side by side, what that register saved and what central holds, and
// two buttons keep one: the register's (saved again here, a normal edit that wins at central) or
// central's (nothing changes). The list is asked of central each time; Alt+A asks again.
import type { ConflictDifference, ConflictField } from '#contract/catalog-conflicts.ts';
import type { I18n } from '../../i18n/index.ts';
import type { MessageKey } from '../../i18n/messages.ts';
import { type Conflict, conflictSubject } from '../../stores/back-office.ts';
import type { BackOfficeProps } from './back-office.tsx';
import { RefreshShortcut, When } from './outgoing.tsx';

const FIELD: Record<ConflictField, MessageKey> = {
  name: 'bo.conflicts.field.name',
  brand: 'bo.conflicts.field.brand',
  description: 'bo.conflicts.field.description',
  category: 'bo.conflicts.field.category',
  soldBy: 'bo.conflicts.field.soldBy',
  unit: 'bo.conflicts.field.unit',
  taxCode: 'bo.conflicts.field.taxCode',
  fiscalProductCode: 'bo.conflicts.field.fiscalProductCode',
  fiscalUnitCode: 'bo.conflicts.field.fiscalUnitCode',
  isActive: 'bo.conflicts.field.isActive',
  sku: 'bo.conflicts.field.sku',
  barcode: 'bo.conflicts.field.barcode',
  plu: 'bo.conflicts.field.plu',
  price: 'bo.conflicts.field.price',
  cost: 'bo.conflicts.field.cost',
};

/** A side's value as the manager reads it: money in the store's currency, yes or no, how it is sold. */
export function conflictValueText(i18n: I18n, field: ConflictField, value: ConflictDifference['ours']): string {
  if (value === null || value === '') return i18n.t('bo.conflicts.nothing');
  if (typeof value === 'boolean') return i18n.t(value ? 'bo.conflicts.yes' : 'bo.conflicts.no');
  if (field === 'price' || field === 'cost') return i18n.money(value);
  if (field === 'soldBy') return i18n.t(value === 'WEIGHT' ? 'bo.product.byWeight' : 'bo.product.byUnit');
  return value;
}

export function ConflictsTab({ useBackOffice, i18n }: BackOfficeProps) {
  const answer = useBackOffice((s) => s.conflicts);
  const problem = useBackOffice((s) => s.conflictProblem);
  const busy = useBackOffice((s) => s.busy);
  const mayKeep = useBackOffice((s) => s.permissions.includes('catalog.manage'));
  const { refreshConflicts, keepConflict } = useBackOffice.getState();
  const refresh = () => void refreshConflicts();
  return (
    <>
      <RefreshShortcut onRefresh={refresh} />
      <div className="bo-toolbar">
        <button type="button" aria-keyshortcuts="Alt+A" disabled={busy} onClick={refresh} autoFocus>
          {i18n.t('bo.conflicts.refresh')} <kbd>Alt+A</kbd>
        </button>
        <span className="muted">{i18n.t('bo.conflicts.hint')}</span>
      </div>
      {problem ? (
        <p className="message" role="alert">
          {problem}
        </p>
      ) : null}
      {answer === null ? null : answer.central === 'none' ? (
        <p className="bo-empty" role="status">
          {i18n.t('bo.conflicts.noCentral')}
        </p>
      ) : answer.central === 'unreachable' ? (
        <p className="message" role="alert">
          {i18n.t('bo.conflicts.unreachable', { reason: answer.reason })}
        </p>
      ) : answer.conflicts.length === 0 ? (
        <p className="bo-empty" role="status">
          {i18n.t('bo.conflicts.none')}
        </p>
      ) : (
        <div className="bo-conflicts">
          {answer.conflicts.map((c) => (
            <ConflictCard key={c.id} conflict={c} i18n={i18n} busy={busy} mayKeep={mayKeep} onKeep={(keep) => void keepConflict(c, keep)} />
          ))}
        </div>
      )}
    </>
  );
}

function ConflictCard({
  conflict: c,
  i18n,
  busy,
  mayKeep,
  onKeep,
}: {
  conflict: Conflict;
  i18n: I18n;
  busy: boolean;
  mayKeep: boolean;
  onKeep(keep: 'OURS' | 'THEIRS'): void;
}) {
  const register = c.register?.code ?? i18n.t('bo.conflicts.otherRegister');
  const what = conflictSubject(c);
  const titleId = `bo-conflict-${c.id}`;
  const ours = i18n.t('bo.conflicts.ours', { register });
  const theirs = i18n.t('bo.conflicts.theirs');
  return (
    <article className="bo-card bo-conflict" aria-labelledby={titleId}>
      <h3 id={titleId}>
        {c.kind === 'product'
          ? i18n.t('bo.conflicts.product', { name: c.productName ?? '' })
          : i18n.t('bo.conflicts.variant', { sku: c.sku ?? '', name: c.productName ?? '' })}
      </h3>
      <p className="muted bo-conflict-where">
        {i18n.t(c.author ? 'bo.conflicts.madeBy' : 'bo.conflicts.made', { register, author: c.author?.name ?? '' })}{' '}
        <When i18n={i18n} iso={c.createdAt} />
      </p>
      {c.differences.length === 0 ? (
        <p className="muted">{i18n.t('bo.conflicts.same')}</p>
      ) : (
        <table className="bo-table bo-conflict-sides" aria-label={i18n.t('bo.conflicts.sidesOf', { what })}>
          <thead>
            <tr>
              <th scope="col">{i18n.t('bo.conflicts.field')}</th>
              <th scope="col" className="bo-conflict-ours">
                {ours}
              </th>
              <th scope="col">{theirs}</th>
            </tr>
          </thead>
          <tbody>
            {c.differences.map((d) => (
              <tr key={d.field}>
                <th scope="row">{i18n.t(FIELD[d.field])}</th>
                <td className="bo-conflict-ours">{conflictValueText(i18n, d.field, d.ours)}</td>
                <td>{conflictValueText(i18n, d.field, d.theirs)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {mayKeep ? (
        <div className="bo-conflict-keep">
          <button
            type="button"
            disabled={busy}
            aria-label={i18n.t('bo.conflicts.keepOursFor', { register, what })}
            onClick={() => onKeep('OURS')}
          >
            {i18n.t('bo.conflicts.keepOurs', { register })}
          </button>
          <button
            type="button"
            disabled={busy}
            aria-label={i18n.t('bo.conflicts.keepTheirsFor', { what })}
            onClick={() => onKeep('THEIRS')}
          >
            {i18n.t('bo.conflicts.keepTheirs')}
          </button>
        </div>
      ) : (
        <p className="muted">{i18n.t('bo.conflicts.mayNotKeep')}</p>
      )}
    </article>
  );
}
