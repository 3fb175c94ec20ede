// What every CFDI written at this register shares: the branch's fiscal profile, the register's
// own series (and its credit notes') and its next folio, the totals as the invoice row keeps
// them, and the fiscal core's refusals in the contract's words.
import type { SqlSession } from '#db/sql-session.ts';
import type { PartySnapshot, TotalsSnapshot } from '#db/schema/billing.ts';
import { EngineError } from '#engine/errors.ts';
import type { BuiltCfdi, IssuerProfile } from '#engine/fiscal/mx/cfdi-build.ts';
import type { FiscalMxError } from '#engine/fiscal/mx/errors.ts';

export type ProfileRow = {
  id: string;
  tax_id: string;
  legal_name: string;
  tax_regime: string;
  postal_code: string;
  series: string;
  settings: Record<string, unknown>;
};

/** A fiscal core refusal as the contract's error: the Spanish sentence and its stable code. */
export const refused = (err: FiscalMxError, field?: string) =>
  new EngineError('INVALID_INPUT', err.message, { reason: err.code, ...(field ? { field } : {}), ...err.params });

export async function profileOf(sql: SqlSession, branchId: string): Promise<ProfileRow> {
  const [profile] = await sql.query<ProfileRow>(
    `SELECT id, tax_id, legal_name, tax_regime, postal_code, series, settings FROM billing.fiscal_profiles
     WHERE branch_id = $1 AND country = 'MX' AND deleted_at IS NULL ORDER BY created_at LIMIT 1`,
    [branchId],
  );
  if (!profile) {
    throw new EngineError('CONFLICT', 'this branch has no fiscal profile to issue invoices from', { reason: 'NO_FISCAL_PROFILE' });
  }
  return profile;
}

/** The register's own series within the branch's (A-CAJA-1): registers number their invoices apart, offline too. */
export const registerSeries = (profileSeries: string, registerCode: string) => `${profileSeries}-${registerCode}`.slice(0, 25);

/**
 * The register's credit notes' own series (NC-A-CAJA-1): an egreso is numbered apart from the
 * register's ingresos, so each series reads without gaps on its own.
 */
export const creditNoteSeries = (profileSeries: string, registerCode: string) => `NC-${profileSeries}-${registerCode}`.slice(0, 25);

export async function nextFolio(sql: SqlSession, profileId: string, series: string): Promise<number> {
  const [row] = await sql.query<{ next: string }>(
    `SELECT (coalesce(max(folio), 0) + 1)::text AS next FROM billing.invoices WHERE fiscal_profile_id = $1 AND series = $2`,
    [profileId, series],
  );
  return Number(row!.next);
}

export function totalsOf(built: BuiltCfdi, currency: string): TotalsSnapshot {
  const c = built.comprobante;
  const traslados = c.Impuestos?.Traslados ?? [];
  return {
    currency,
    subtotal: c.SubTotal,
    discountTotal: c.Descuento ?? '0',
    taxTotal: c.Impuestos?.TotalImpuestosTrasladados ?? '0',
    total: c.Total,
    taxes: traslados.map((t) => ({
      code: t.TipoFactor === 'Exento' ? 'EXENTO' : `${t.Impuesto}:${t.TasaOCuota ?? ''}`,
      rate: t.TasaOCuota ?? '0',
      base: t.Base,
      amount: t.Importe ?? '0',
    })),
  };
}

/** The issuer as the CFDI builder takes it: the profile, in the register's series. */
export const cfdiIssuer = (profile: ProfileRow, series: string, folio: number, timeZone: string): IssuerProfile => ({
  rfc: profile.tax_id,
  nombre: profile.legal_name,
  regimenFiscal: profile.tax_regime,
  codigoPostal: profile.postal_code,
  serie: series,
  folio: String(folio),
  timeZone,
});

/** The issuer as the invoice row keeps it. */
export const issuerSnapshot = (profile: ProfileRow): PartySnapshot => ({
  taxId: profile.tax_id,
  legalName: profile.legal_name,
  taxRegime: profile.tax_regime,
  postalCode: profile.postal_code,
});
