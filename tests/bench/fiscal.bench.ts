// Mexico's CFDI at the counter: building and sealing one 5-line ingreso (zod-checked snapshot →
// Anexo 20 amounts → cadena original → SHA256withRSA with the CSD → XML), beside a bare
// node:crypto RSA-SHA256 signature of the same cadena's bytes with the same key, in the same run.
// The CSD is made by openssl for the run (RSA 2048, as the SAT's are).
import { sign } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildIngreso, type IngresoInput } from '#engine/fiscal/mx/cfdi-build.ts';
import { cfdiToXml } from '#engine/fiscal/mx/cfdi-xml.ts';
import { openCsd, sealComprobante } from '#engine/fiscal/mx/seal.ts';
import { CUSTOMER_PERSON, ISSUER } from '../support/cfdi-samples.ts';
import { makeTestCsd } from '../support/test-csd.ts';
import { percentile, report, sample } from './stats.ts';

const RUNS = Number(process.env.BENCH_FISCAL_RUNS ?? 2000);

const line = (i: number, taxCode: 'IVA16' | 'IVA0' | 'EXENTO', quantity: string, unitPrice: string, discountAmount = '0') => ({
  descripcion: `Producto de prueba ${i} & "más"`,
  sku: `SKU-${i}`,
  claveProdServ: '50221200',
  claveUnidad: quantity.includes('.') ? 'KGM' : 'H87',
  quantity,
  unitPrice,
  discountAmount,
  taxCode,
});

export async function benchFiscal(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'pos-bench-fiscal-'));
  try {
    const csd = openCsd(makeTestCsd(dir, { rfc: ISSUER.rfc }));
    const input: IngresoInput = {
      issuer: ISSUER,
      receiver: CUSTOMER_PERSON,
      pricesIncludeTax: true,
      tenders: [{ formaPago: '04', amount: '512.40' }],
      issuedAt: new Date(),
      lines: [
        line(1, 'IVA16', '2', '24.90', '2.00'),
        line(2, 'IVA0', '0.755', '38.50'),
        line(3, 'IVA16', '1', '189.00'),
        line(4, 'EXENTO', '1', '45.00'),
        line(5, 'IVA16', '3', '17.50', '5.25'),
      ],
    };
    const buildAndSeal = () => {
      const built = buildIngreso(input);
      const sealed = sealComprobante(built.comprobante, csd, built.issuedAt);
      return cfdiToXml(sealed.comprobante);
    };
    const cadena = Buffer.from(sealComprobante(buildIngreso(input).comprobante, csd, input.issuedAt as Date).cadenaOriginal, 'utf8');

    const warm = 50;
    const bare = await sample(RUNS, async () => sign('sha256', cadena, csd.key), warm);
    const full = await sample(RUNS, async () => buildAndSeal(), warm);
    const buildOnly = await sample(RUNS, async () => buildIngreso(input), warm);

    report(
      `fiscal: one 5-line CFDI 4.0 ingreso built and sealed (cadena of ${cadena.length} bytes, RSA 2048 CSD), ${RUNS} runs each`,
      [
        { name: 'bare node:crypto RSA-SHA256 sign of the cadena bytes', times: bare },
        { name: 'buildIngreso + sealComprobante + cfdiToXml', times: full },
        { name: '  of which buildIngreso alone (zod, amounts, receiver)', times: buildOnly },
      ],
      'bare node:crypto RSA-SHA256 sign of the cadena bytes',
    );
    const overhead = percentile(full, 50) - percentile(bare, 50);
    console.log(`  build, cadena and XML add ${overhead.toFixed(3)} ms at the median to the signature itself`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
