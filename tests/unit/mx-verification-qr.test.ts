import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import jsQRModule from 'jsqr';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { readComprobante } from '#engine/fiscal/mx/cfdi-xml.ts';
import {
  totalParam,
  VerificationError,
  verificationQrPng,
  verificationQrSvg,
  verificationUrl,
  verificationUrlOf,
} from '#engine/fiscal/mx/verification-qr.ts';
import { SAT_MX_FIXTURES } from '../support/sat-mx-tools.ts';

// jsqr is CommonJS whose module.exports is the function (with itself as .default); its types only
// know the .default, which is what NodeNext then types the default import as.
const jsQR = jsQRModule.default;
const stamped = readComprobante(readFileSync(join(SAT_MX_FIXTURES, 'cfdi40-stamped-by-sat.xml'), 'utf8'));

describe('the SAT verification address', () => {
  it('of the CFDI the SAT stamped is the one @nodecfdi/cfdi-expresiones publishes for it', () => {
    expect(verificationUrlOf(stamped)).toBe(
      'https://verificacfdi.facturaelectronica.sat.gob.mx/default.aspx?id=04BF2854-FE7D-4377-9196-71248F060ABB&re=CSM190311AH6&rr=MCI7306249Y1&tt=459.36&fe=5tSZhA==',
    );
  });

  it('writes & in an RFC as &amp; and the total with no trailing zeros but one after the point (cfdi-expresiones’ vectors)', () => {
    expect(
      verificationUrl({
        uuid: 'CEE4BE01-ADFA-4DEB-8421-ADD60F0BEDAC',
        rfcEmisor: 'Ñ&A010101AAA',
        rfcReceptor: 'Ñ&A991231AA0',
        total: '1234.5678',
        sello: '...abc23456789',
      }),
    ).toBe(
      'https://verificacfdi.facturaelectronica.sat.gob.mx/default.aspx?id=CEE4BE01-ADFA-4DEB-8421-ADD60F0BEDAC&re=Ñ&amp;A010101AAA&rr=Ñ&amp;A991231AA0&tt=1234.5678&fe=23456789',
    );
    expect(['1000.00', '0.5', '123456789012345678.123456', '0', '12.3400001'].map(totalParam)).toEqual([
      '1000.0',
      '0.5',
      '123456789012345678.123456',
      '0.0',
      '12.34',
    ]);
  });

  it('does not exist before the CFDI is stamped', () => {
    expect(() => verificationUrlOf({ ...stamped, TimbreFiscalDigital: undefined })).toThrow(VerificationError);
  });
});

describe('the verification QR', () => {
  it('as a PNG decodes back to the address', async () => {
    const url = verificationUrlOf(stamped);
    const png = PNG.sync.read(await verificationQrPng(url));
    const decoded = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
    expect(decoded?.data).toBe(url);
  });

  it('as an SVG is a standalone SVG document', async () => {
    const svg = await verificationQrSvg(verificationUrlOf(stamped));
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('xmlns="http://www.w3.org/2000/svg"');
  });
});
