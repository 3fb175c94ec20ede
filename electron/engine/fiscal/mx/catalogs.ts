// The SAT's CFDI 4.0 catalogs this core needs, as resources/sat-mx/catalogs holds them (taken
// from the SAT's catCFDI catalogs; resources/sat-mx/SOURCES.md says where from). Bundled with the
// code, so they need no file on disk at run time.
import formaPagoRows from '../../../../resources/sat-mx/catalogs/forma-pago.json' with { type: 'json' };
import mesesRows from '../../../../resources/sat-mx/catalogs/meses.json' with { type: 'json' };
import motivoCancelacionRows from '../../../../resources/sat-mx/catalogs/motivo-cancelacion.json' with { type: 'json' };
import objetoImpRows from '../../../../resources/sat-mx/catalogs/objeto-imp.json' with { type: 'json' };
import periodicidadRows from '../../../../resources/sat-mx/catalogs/periodicidad.json' with { type: 'json' };
import regimenFiscalRows from '../../../../resources/sat-mx/catalogs/regimen-fiscal.json' with { type: 'json' };
import tasaOCuotaRows from '../../../../resources/sat-mx/catalogs/tasa-o-cuota.json' with { type: 'json' };
import tipoRelacionRows from '../../../../resources/sat-mx/catalogs/tipo-relacion.json' with { type: 'json' };
import usoCfdiRows from '../../../../resources/sat-mx/catalogs/uso-cfdi.json' with { type: 'json' };

/** A catalog entry is in force from vigenciaDesde (inclusive) until vigenciaHasta (inclusive), dates as YYYY-MM-DD. */
export type Vigencia = { vigenciaDesde: string; vigenciaHasta: string | null };
export type CatalogEntry = { clave: string; descripcion: string } & Vigencia;
export type RegimenFiscal = CatalogEntry & { fisica: boolean; moral: boolean };
/** regimenesReceptor: the receiver's régimenes this use may be given with (the SAT's c_UsoCFDI column). */
export type UsoCfdi = CatalogEntry & { fisica: boolean; moral: boolean; regimenesReceptor: readonly string[] };
export type FormaPago = CatalogEntry & { bancarizado: boolean };
export type MotivoCancelacion = { clave: string; descripcion: string; requiereFolioSustitucion: boolean };
/** One row of the SAT's c_TasaOCuota: a fixed value, or a range from minimo to valor. */
export type TasaOCuotaRule = {
  impuesto: string;
  factor: string;
  tipo: 'Fijo' | 'Rango';
  minimo: string | null;
  valor: string;
  traslado: boolean;
  retencion: boolean;
} & Vigencia;

export const REGIMENES_FISCALES: readonly RegimenFiscal[] = regimenFiscalRows;
export const USOS_CFDI: readonly UsoCfdi[] = usoCfdiRows;
export const FORMAS_PAGO: readonly FormaPago[] = formaPagoRows;
export const OBJETOS_IMPUESTO: readonly CatalogEntry[] = objetoImpRows;
export const PERIODICIDADES: readonly CatalogEntry[] = periodicidadRows;
export const MESES: readonly CatalogEntry[] = mesesRows;
export const TIPOS_RELACION: readonly CatalogEntry[] = tipoRelacionRows;
export const MOTIVOS_CANCELACION: readonly MotivoCancelacion[] = motivoCancelacionRows;
export const TASA_O_CUOTA: readonly TasaOCuotaRule[] = tasaOCuotaRows as readonly TasaOCuotaRule[];

const byClave = <T extends { clave: string }>(rows: readonly T[]) => new Map(rows.map((r) => [r.clave, r]));
const REGIMEN_BY_CLAVE = byClave(REGIMENES_FISCALES);
const USO_BY_CLAVE = byClave(USOS_CFDI);
const FORMA_BY_CLAVE = byClave(FORMAS_PAGO);

export const regimenFiscal = (clave: string): RegimenFiscal | undefined => REGIMEN_BY_CLAVE.get(clave);
export const usoCfdi = (clave: string): UsoCfdi | undefined => USO_BY_CLAVE.get(clave);
export const formaPago = (clave: string): FormaPago | undefined => FORMA_BY_CLAVE.get(clave);

/** Whether an entry is in force on `day` (YYYY-MM-DD; the comprobante's date). */
export const isVigente = (entry: Vigencia, day: string): boolean =>
  entry.vigenciaDesde <= day && (entry.vigenciaHasta === null || day <= entry.vigenciaHasta);
