// Roles: what each may do (the engine's permission vocabulary) and the largest discount its
// holders may give on their own; past it a manager authorises at the register. The percentage is
// typed the manager's way ("12,5" in es-AR).
import { useEffect, useState } from 'react';
import { PERMISSION_CODES } from '#contract/permissions.ts';
import type { I18n } from '../../i18n/index.ts';
import type { MessageKey } from '../../i18n/messages.ts';
import { fieldProblem, fieldText, PERCENT_FIELD, readField } from '../../i18n/number-fields.ts';
import type { Role, RoleForm } from '../../stores/back-office.ts';
import type { BackOfficeProps } from './back-office.tsx';
import { Field } from './paging.tsx';
import { percentToRate, rateToPercent } from './forms.ts';
import { NewShortcut } from './staff.tsx';
import { SortableHeader, useSorted } from './sortable-header.tsx';
import type { Column } from './sorting.ts';

const COLUMNS: Record<'name' | 'maxDiscount' | 'permissions', Column<Role>> = {
  name: { kind: 'text', value: (r) => r.name },
  maxDiscount: { kind: 'decimal', value: (r) => r.maxDiscountRate },
  permissions: { kind: 'number', value: (r) => r.permissions.length },
};

export function RolesTab({ useBackOffice, i18n }: BackOfficeProps) {
  const roles = useBackOffice((s) => s.roles);
  const role = useBackOffice((s) => s.role);
  const { openRole } = useBackOffice.getState();
  const sorted = useSorted(roles, COLUMNS);
  if (role) return <RoleEditor useBackOffice={useBackOffice} i18n={i18n} />;
  const header = (column: keyof typeof COLUMNS, label: string, className?: string) => (
    <SortableHeader column={column} label={label} sort={sorted.sort} onSort={sorted.setSort} className={className} />
  );
  return (
    <>
      <div className="bo-toolbar">
        <button type="button" className="primary" aria-keyshortcuts="Alt+N" onClick={() => openRole('new')}>
          {i18n.t('bo.roles.new')} <kbd>Alt+N</kbd>
        </button>
      </div>
      <NewShortcut onNew={() => openRole('new')} />
      <div className="bo-table-wrap">
        <table className="bo-table">
          <thead>
            <tr>
              {header('name', i18n.t('bo.roles.name'))}
              {header('maxDiscount', i18n.t('bo.roles.maxDiscount'), 'amount')}
              {header('permissions', i18n.t('bo.roles.permissions'), 'amount')}
            </tr>
          </thead>
          <tbody>
            {sorted.rows.map((r) => (
              <tr key={r.id}>
                <td>
                  <button type="button" className="link" aria-label={i18n.t('bo.roles.edit', { name: r.name })} onClick={() => openRole(r)}>
                    {r.name}
                  </button>
                </td>
                <td className="amount">{rateToPercent(r.maxDiscountRate)} %</td>
                <td className="amount">{r.permissions.length}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

/** The form's maxDiscountRate is the percentage as typed; saveRole gets the engine's fraction. */
const formOf = (r: Role | 'new', i18n: I18n): RoleForm =>
  r === 'new'
    ? { name: '', description: '', maxDiscountRate: '0', permissions: ['sales.sell'] }
    : {
        id: r.id,
        name: r.name,
        description: r.description ?? '',
        maxDiscountRate: fieldText(i18n, rateToPercent(r.maxDiscountRate)),
        permissions: r.permissions,
      };

function RoleEditor({ useBackOffice, i18n }: BackOfficeProps) {
  const role = useBackOffice((s) => s.role)!;
  const busy = useBackOffice((s) => s.busy);
  const { saveRole, openRole } = useBackOffice.getState();
  const [form, setForm] = useState(() => formOf(role, i18n));
  useEffect(() => setForm(formOf(role, i18n)), [role, i18n]);
  const percent = readField(i18n, PERCENT_FIELD, form.maxDiscountRate).value;
  const rate = percent === null ? null : percentToRate(percent);
  return (
    <div className="bo-editor">
      <h2>{role === 'new' ? i18n.t('bo.roles.new') : role.name}</h2>
      <form
        className="bo-grid"
        onSubmit={(e) => {
          e.preventDefault();
          if (rate !== null && form.name.trim()) void saveRole({ ...form, maxDiscountRate: rate });
        }}
      >
        <Field
          id="bo-role-name"
          label={i18n.t('bo.roles.name')}
          value={form.name}
          onChange={(name) => setForm({ ...form, name })}
          autoFocus
        />
        <Field
          id="bo-role-discount"
          label={i18n.t('bo.roles.maxDiscount')}
          inputMode="decimal"
          value={form.maxDiscountRate}
          onChange={(maxDiscountRate) => setForm({ ...form, maxDiscountRate: maxDiscountRate.trim() })}
          invalid={rate === null ? fieldProblem(i18n, PERCENT_FIELD) : null}
        />
        <Field
          id="bo-role-description"
          label={i18n.t('bo.roles.description')}
          value={form.description}
          onChange={(description) => setForm({ ...form, description })}
        />
        <fieldset className="wide bo-permissions">
          <legend>{i18n.t('bo.roles.permissions')}</legend>
          {PERMISSION_CODES.map((code) => (
            <label key={code} className="choice">
              <input
                type="checkbox"
                checked={form.permissions.includes(code)}
                onChange={(e) =>
                  setForm({
                    ...form,
                    permissions: e.target.checked ? [...form.permissions, code] : form.permissions.filter((p) => p !== code),
                  })
                }
              />
              {i18n.t(`bo.perm.${code}` as MessageKey)}
            </label>
          ))}
        </fieldset>
        <div className="actions wide">
          <button type="button" onClick={() => openRole(null)}>
            {i18n.t('bo.backToList')}
          </button>
          <button type="submit" className="primary" disabled={busy || rate === null || !form.name.trim()}>
            {i18n.t('bo.save')} <kbd>Enter</kbd>
          </button>
        </div>
      </form>
    </div>
  );
}
