// Employees: who works here, their role and branches, and their PIN. A new employee is saved
// first, then given a PIN (typed twice) so they can sign in at the register.
import { useEffect, useState } from 'react';
import type { Employee, EmployeeForm } from '../../stores/back-office.ts';
import type { BackOfficeProps } from './back-office.tsx';
import { Field } from './paging.tsx';
import { pinProblem } from './forms.ts';
import { SortableHeader, useSorted } from './sortable-header.tsx';
import type { Column } from './sorting.ts';

const COLUMNS: Record<'code' | 'name' | 'role' | 'pin' | 'status', Column<Employee>> = {
  code: { kind: 'text', value: (e) => e.code },
  name: { kind: 'text', value: (e) => e.displayName },
  role: { kind: 'text', value: (e) => e.role },
  // Locked first when ascending, then those with a PIN, then those still without one.
  pin: { kind: 'number', value: (e) => (e.pinLocked ? 0 : e.hasPin ? 1 : 2) },
  status: { kind: 'text', value: (e) => e.status },
};

export function StaffTab({ useBackOffice, i18n }: BackOfficeProps) {
  const staff = useBackOffice((s) => s.staff);
  const employee = useBackOffice((s) => s.employee);
  const { openEmployee } = useBackOffice.getState();
  const sorted = useSorted(staff, COLUMNS);
  if (employee) return <EmployeeEditor useBackOffice={useBackOffice} i18n={i18n} />;
  const header = (column: keyof typeof COLUMNS, label: string) => (
    <SortableHeader column={column} label={label} sort={sorted.sort} onSort={sorted.setSort} />
  );
  return (
    <>
      <div className="bo-toolbar">
        <button type="button" className="primary" aria-keyshortcuts="Alt+N" onClick={() => openEmployee('new')}>
          {i18n.t('bo.staff.new')} <kbd>Alt+N</kbd>
        </button>
      </div>
      <NewShortcut onNew={() => openEmployee('new')} />
      <div className="bo-table-wrap">
        <table className="bo-table">
          <thead>
            <tr>
              {header('code', i18n.t('bo.staff.code'))}
              {header('name', i18n.t('bo.staff.name'))}
              {header('role', i18n.t('bo.staff.role'))}
              {header('pin', 'PIN')}
              {header('status', i18n.t('bo.staff.status'))}
            </tr>
          </thead>
          <tbody>
            {sorted.rows.map((e) => (
              <tr key={e.id}>
                <td>{e.code}</td>
                <td>
                  <button
                    type="button"
                    className="link"
                    aria-label={i18n.t('bo.staff.edit', { name: e.displayName })}
                    onClick={() => openEmployee(e)}
                  >
                    {e.displayName}
                  </button>
                </td>
                <td>{e.role}</td>
                <td>{e.pinLocked ? i18n.t('bo.staff.locked') : e.hasPin ? '✓' : '—'}</td>
                <td>{i18n.t(`bo.staff.status.${e.status}` as 'bo.staff.status.ACTIVE')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

/** Alt+N: a new one, on a list screen. */
export function NewShortcut({ onNew }: { onNew(): void }) {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.altKey && (e.key === 'n' || e.key === 'N')) {
        e.preventDefault();
        onNew();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onNew]);
  return null;
}

const formOf = (e: Employee | 'new', roleId: string, branchIds: string[]): EmployeeForm =>
  e === 'new'
    ? { code: '', displayName: '', roleId, branchIds, email: '', phone: '', status: 'ACTIVE' }
    : {
        id: e.id,
        code: e.code,
        displayName: e.displayName,
        roleId: e.roleId,
        branchIds: e.branchIds,
        email: e.email ?? '',
        phone: e.phone ?? '',
        status: e.status,
      };

function EmployeeEditor({ useBackOffice, i18n }: BackOfficeProps) {
  const employee = useBackOffice((s) => s.employee)!;
  const roles = useBackOffice((s) => s.roles);
  const branches = useBackOffice((s) => s.branches);
  const busy = useBackOffice((s) => s.busy);
  const { saveEmployee, setPin, openEmployee } = useBackOffice.getState();
  const [form, setForm] = useState(() =>
    formOf(
      employee,
      roles[roles.length - 1]?.id ?? '',
      branches.slice(0, 1).map((b) => b.id),
    ),
  );
  // biome-ignore lint/correctness/useExhaustiveDependencies: the form is reset for another employee, not when the role and branch lists refresh under it
  useEffect(
    () =>
      setForm(
        formOf(
          employee,
          roles[roles.length - 1]?.id ?? '',
          branches.slice(0, 1).map((b) => b.id),
        ),
      ),
    [employee],
  );
  const [pin, setPinText] = useState({ first: '', again: '' });
  const pinIssue = pin.first === '' && pin.again === '' ? null : pinProblem(pin.first, pin.again);
  const incomplete = !form.code.trim() || !form.displayName.trim() || !form.roleId || form.branchIds.length === 0;
  return (
    <div className="bo-editor">
      <h2>{employee === 'new' ? i18n.t('bo.staff.new') : employee.displayName}</h2>
      <form
        className="bo-grid"
        onSubmit={(e) => {
          e.preventDefault();
          if (!incomplete) void saveEmployee(form);
        }}
      >
        <Field
          id="bo-staff-code"
          label={i18n.t('bo.staff.code')}
          value={form.code}
          onChange={(code) => setForm({ ...form, code })}
          autoFocus
        />
        <Field
          id="bo-staff-name"
          label={i18n.t('bo.staff.name')}
          value={form.displayName}
          onChange={(displayName) => setForm({ ...form, displayName })}
        />
        <div className="field">
          <label htmlFor="bo-staff-role">{i18n.t('bo.staff.role')}</label>
          <select id="bo-staff-role" value={form.roleId} onChange={(e) => setForm({ ...form, roleId: e.target.value })}>
            {roles.map((r) => (
              <option key={r.id} value={r.id}>
                {r.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="bo-staff-status">{i18n.t('bo.staff.status')}</label>
          <select
            id="bo-staff-status"
            value={form.status}
            onChange={(e) => setForm({ ...form, status: e.target.value as EmployeeForm['status'] })}
          >
            {(['ACTIVE', 'SUSPENDED', 'TERMINATED'] as const).map((s) => (
              <option key={s} value={s}>
                {i18n.t(`bo.staff.status.${s}`)}
              </option>
            ))}
          </select>
        </div>
        <Field
          id="bo-staff-email"
          label={i18n.t('bo.staff.email')}
          type="email"
          inputMode="email"
          value={form.email}
          onChange={(email) => setForm({ ...form, email })}
        />
        <Field
          id="bo-staff-phone"
          label={i18n.t('bo.staff.phone')}
          type="tel"
          inputMode="tel"
          placeholder="+525512345678"
          value={form.phone}
          onChange={(phone) => setForm({ ...form, phone })}
        />
        <fieldset className="wide">
          <legend>{i18n.t('bo.staff.branches')}</legend>
          {branches.map((b) => (
            <label key={b.id} className="choice">
              <input
                type="checkbox"
                checked={form.branchIds.includes(b.id)}
                onChange={(e) =>
                  setForm({ ...form, branchIds: e.target.checked ? [...form.branchIds, b.id] : form.branchIds.filter((x) => x !== b.id) })
                }
              />
              {b.name}
            </label>
          ))}
        </fieldset>
        <div className="actions wide">
          <button type="button" onClick={() => openEmployee(null)}>
            {i18n.t('bo.backToList')}
          </button>
          <button type="submit" className="primary" disabled={busy || incomplete}>
            {i18n.t('bo.save')} <kbd>Enter</kbd>
          </button>
        </div>
      </form>
      {employee === 'new' ? (
        <p className="muted">{i18n.t('bo.staff.pinAfterSave')}</p>
      ) : (
        <form
          className="bo-card narrow"
          onSubmit={(e) => {
            e.preventDefault();
            if (!pinProblem(pin.first, pin.again))
              void setPin(employee.id, pin.first).then((done) => done && setPinText({ first: '', again: '' }));
          }}
        >
          <h3>{employee.hasPin ? i18n.t('bo.staff.changePin') : i18n.t('bo.staff.setPin')}</h3>
          <Field
            id="bo-staff-pin"
            label={i18n.t('bo.staff.newPin', { name: employee.displayName })}
            type="password"
            inputMode="numeric"
            value={pin.first}
            onChange={(first) => setPinText({ ...pin, first: first.trim() })}
          />
          <Field
            id="bo-staff-pin-again"
            label={i18n.t('bo.staff.pinAgain')}
            type="password"
            inputMode="numeric"
            value={pin.again}
            onChange={(again) => setPinText({ ...pin, again: again.trim() })}
            invalid={
              pinIssue === 'format' && pin.again !== ''
                ? i18n.t('bo.staff.pinFormat')
                : pinIssue === 'mismatch' && pin.again.length >= pin.first.length
                  ? i18n.t('bo.staff.pinMismatch')
                  : null
            }
          />
          <button type="submit" className="primary" disabled={busy || pinIssue !== null || pin.first === ''}>
            {i18n.t('bo.staff.setPinSubmit')}
          </button>
        </form>
      )}
    </div>
  );
}
