// CFDIs sealed with a test CSD of the sample issuer's RFC (cfdi-samples.ts) and stamped by the
// loopback PAC, for the tests of what a stamped CFDI looks like on paper. The PAC runs from
// before the calling describe's tests to after them.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import type { Comprobante } from '#engine/fiscal/mx/cfdi-model.ts';
import { cfdiToXml } from '#engine/fiscal/mx/cfdi-xml.ts';
import { finkokClient } from '#engine/fiscal/mx/pac/finkok.ts';
import type { PacClient } from '#engine/fiscal/mx/pac/pac-client.ts';
import { type Csd, openCsd, sealComprobante } from '#engine/fiscal/mx/seal.ts';
import { ISSUER } from './cfdi-samples.ts';
import { type LoopbackPac, startLoopbackPac } from './loopback-pac.ts';
import { makeTestCsd } from './test-csd.ts';

/** Seals a built comprobante and has the PAC stamp it: the stamped XML, as an invoice keeps it. */
export type Stamper = (built: { comprobante: Comprobante; issuedAt: Date }) => Promise<string>;

export function loopbackStamper(label: string): Stamper {
  const dir = mkdtempSync(join(tmpdir(), `pos-${label}-`));
  let pac: LoopbackPac;
  let client: PacClient;
  let csd: Csd;
  let seq = 0;
  beforeAll(async () => {
    pac = await startLoopbackPac({ username: label, password: `${label}-secret`, dir });
    client = finkokClient({ username: label, password: `${label}-secret`, baseUrl: pac.baseUrl, timeoutMs: 5_000 });
    csd = openCsd(makeTestCsd(dir, { rfc: ISSUER.rfc, name: ISSUER.nombre }));
  }, 60_000);
  afterAll(async () => {
    await pac?.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return async (built) => {
    const sealed = sealComprobante(built.comprobante, csd, built.issuedAt);
    return (await client.stamp({ xml: cfdiToXml(sealed.comprobante), key: `${label}-${++seq}` })).xml;
  };
}
