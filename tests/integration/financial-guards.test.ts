import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOTH_DATABASES, DATABASE_NAMES, type MigratedDatabase } from '../support/both-databases.ts';
import { insertSampleRows } from '../support/sample-rows.ts';

describe.each(DATABASE_NAMES)('financial and audit records on %s', (name) => {
  let target: MigratedDatabase;
  let ids: Awaited<ReturnType<typeof insertSampleRows>>;
  beforeAll(async () => {
    target = await BOTH_DATABASES[name]('guards');
    ids = await insertSampleRows(target.db);
  });
  afterAll(() => target.dispose());
  const sql = (text: string, params: unknown[] = []) => target.sql.query(text, params);

  it('refuses any change to a payment, even a soft delete', async () => {
    await expect(sql(`UPDATE payments.transactions SET amount = 1 WHERE id = $1`, [ids.transaction])).rejects.toMatchObject({
      code: 'PS002',
    });
    await expect(sql(`UPDATE payments.transactions SET deleted_at = now() WHERE id = $1`, [ids.transaction])).rejects.toMatchObject({
      code: 'PS002',
    });
    const [row] = await sql(`SELECT amount, deleted_at FROM payments.transactions WHERE id = $1`, [ids.transaction]);
    expect(row).toEqual({ amount: '116.0000', deleted_at: null });
  });

  it('refuses UPDATE and DELETE on the audit log', async () => {
    await expect(sql(`UPDATE auth.audit_logs SET outcome = 'FAILURE' WHERE id = $1`, [ids.audit])).rejects.toMatchObject({ code: 'PS002' });
    await expect(sql(`DELETE FROM auth.audit_logs WHERE id = $1`, [ids.audit])).rejects.toMatchObject({ code: 'PS001' });
    expect(await sql(`SELECT outcome FROM auth.audit_logs WHERE id = $1`, [ids.audit])).toEqual([{ outcome: 'SUCCESS' }]);
  });

  it('refuses to edit a stock movement, which is corrected by another movement', async () => {
    await expect(sql(`UPDATE inventory.stock_movements SET quantity = 1 WHERE id = $1`, [ids.movement])).rejects.toMatchObject({
      code: 'PS002',
    });
  });

  it('refuses to change a completed sale', async () => {
    await expect(sql(`UPDATE sales.sales SET total = 0 WHERE id = $1`, [ids.sale])).rejects.toMatchObject({ code: 'PS002' });
  });

  it('refuses a new line on a completed sale, whose lines are as printed', async () => {
    await expect(
      sql(
        `INSERT INTO sales.sale_items (id, sale_id, line_no, variant_id, product_id, name, sku, unit, unit_price,
        tax_code, tax_rate, quantity, subtotal, tax_amount, total)
      VALUES (gen_random_uuid(), $1, 1, $2, $3, 'Café de olla', 'CAF-1', 'pza', 58.5, 'IVA16', 0.16, 1, 50.43, 8.07, 58.5)`,
        [ids.sale, ids.variant, ids.product],
      ),
    ).rejects.toMatchObject({ code: 'PS002' });
  });

  it('freezes an invoice except the authority answer, which is written once', async () => {
    await expect(sql(`UPDATE billing.invoices SET total = 1 WHERE id = $1`, [ids.invoice])).rejects.toMatchObject({ code: 'PS003' });
    await expect(sql(`UPDATE billing.invoices SET receiver = '{}' WHERE id = $1`, [ids.invoice])).rejects.toMatchObject({ code: 'PS003' });
    await sql(
      `UPDATE billing.invoices SET status = 'ISSUED', fiscal_id_type = 'CFDI_UUID',
      fiscal_id = '5FB2822E-396D-4725-8521-CDC4BDD20CCF', issued_at = now(), fiscal_data = '{"qr":"https://verificacfdi.facturaelectronica.sat.gob.mx"}'
      WHERE id = $1`,
      [ids.invoice],
    );
    await expect(sql(`UPDATE billing.invoices SET fiscal_id = 'another' WHERE id = $1`, [ids.invoice])).rejects.toMatchObject({
      code: 'PS003',
    });
    const [row] = await sql(`SELECT status, fiscal_id, total FROM billing.invoices WHERE id = $1`, [ids.invoice]);
    expect(row).toEqual({ status: 'ISSUED', fiscal_id: '5FB2822E-396D-4725-8521-CDC4BDD20CCF', total: '116.0000' });
  });

  it('keeps updated_at current on an ordinary row and allows a soft delete', async () => {
    const [before] = await sql(`SELECT updated_at FROM inventory.products WHERE id = $1`, [ids.product]);
    await sql(`UPDATE inventory.products SET name = 'Café de olla con canela', deleted_at = now() WHERE id = $1`, [ids.product]);
    const [after] = await sql(`SELECT name, updated_at, deleted_at FROM inventory.products WHERE id = $1`, [ids.product]);
    expect(after!.name).toBe('Café de olla con canela');
    expect(after!.deleted_at).not.toBeNull();
    expect((after!.updated_at as Date).getTime()).toBeGreaterThan((before!.updated_at as Date).getTime());
  });
});
