// The SAT's verification address of a stamped CFDI and its QR, as Anexo 20 asks the printed
// representation to carry them: https://verificacfdi.facturaelectronica.sat.gob.mx/default.aspx
// with id (the UUID), re and rr (issuer and receiver RFC, & written &amp;), tt (the total with
// up to 6 decimals and no trailing zeros, one kept after the point) and fe (the last 8 characters
// of the Sello).
//
// Written here rather than taken from @nodecfdi/cfdi-expresiones: that package reads the total
// through a JavaScript number (money never is one here) and wants its own DOM of the document;
// its published test vectors are this module's tests. The QR comes from `qrcode`.
import { D } from './cfdi-amounts.ts';
import type { Comprobante } from './cfdi-model.ts';
import { FiscalMxError } from './errors.ts';

export const VERIFICATION_BASE_URL = 'https://verificacfdi.facturaelectronica.sat.gob.mx/default.aspx';

export type VerificationFields = { uuid: string; rfcEmisor: string; rfcReceptor: string; total: string; sello: string };

export class VerificationError extends FiscalMxError<'CFDI_NOT_STAMPED'> {
  override name = 'VerificationError';
}

const rfcParam = (rfc: string) => rfc.replaceAll('&', '&amp;');

/** tt: 1000.00 → 1000.0, 459.360000 → 459.36, 0.5 → 0.5. */
export function totalParam(total: string): string {
  const fixed = new D(total).toFixed(6).replace(/0+$/, '');
  return fixed.endsWith('.') ? `${fixed}0` : fixed;
}

export function verificationUrl(f: VerificationFields): string {
  return `${VERIFICATION_BASE_URL}?id=${f.uuid}&re=${rfcParam(f.rfcEmisor)}&rr=${rfcParam(f.rfcReceptor)}&tt=${totalParam(f.total)}&fe=${f.sello.slice(-8)}`;
}

/** The verification address of a stamped comprobante. */
export function verificationUrlOf(c: Comprobante): string {
  if (!c.TimbreFiscalDigital)
    throw new VerificationError('CFDI_NOT_STAMPED', 'El CFDI aún no está timbrado: no tiene folio fiscal que verificar.');
  return verificationUrl({
    uuid: c.TimbreFiscalDigital.UUID,
    rfcEmisor: c.Emisor.Rfc,
    rfcReceptor: c.Receptor.Rfc,
    total: c.Total,
    sello: c.Sello,
  });
}

export type QrOptions = {
  /** Pixels per module; Anexo 20 asks for at least 2.75 cm a side on paper, which the printed layout decides. */
  scale?: number;
  /** Quiet zone in modules (the standard's minimum is 4). */
  margin?: number;
};

const qrOptions = (o: QrOptions) => ({ errorCorrectionLevel: 'M' as const, margin: o.margin ?? 4, scale: o.scale ?? 4 });

// Loaded with the first QR, not with every engine and command that might draw one.
const qrcode = async () => (await import('qrcode')).default;

/** The QR as a PNG image. */
export const verificationQrPng = async (url: string, options: QrOptions = {}): Promise<Buffer> =>
  (await qrcode()).toBuffer(url, { ...qrOptions(options), type: 'png' });

/** The QR as an SVG document (for the PDF and screens). */
export const verificationQrSvg = async (url: string, options: QrOptions = {}): Promise<string> =>
  (await qrcode()).toString(url, { ...qrOptions(options), type: 'svg' });
