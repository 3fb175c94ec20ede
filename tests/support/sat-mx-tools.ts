// The SAT's own files run by the reference tools, for golden tests of the fiscal core: xsltproc
// (libxslt) applies the SAT's cadena original stylesheets, xmllint (libxml2) validates against
// the SAT's schemas. Both come from Debian's xsltproc and libxml2-utils (.ci/run installs them);
// they read only the files under resources/sat-mx, never the network.
import { execFileSync, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const SAT_MX = fileURLToPath(new URL('../../resources/sat-mx/', import.meta.url));
export const SAT_MX_FIXTURES = fileURLToPath(new URL('../fixtures/sat-mx/', import.meta.url));

/** xsltproc's output for `xml` (written into `dir`) under the SAT stylesheet `stylesheet`, as bytes. */
export function xsltproc(dir: string, stylesheet: string, xml: string | Buffer, name = 'cfdi.xml'): Buffer {
  const file = join(dir, name);
  writeFileSync(file, xml);
  // --nonet: a stylesheet or document that reached for the network would fail, not wait.
  return execFileSync('xsltproc', ['--nonet', join(SAT_MX, stylesheet), file], { stdio: ['ignore', 'pipe', 'pipe'] });
}

/** xmllint's verdict on `xml` against resources/sat-mx/<schema> (or a schema at an absolute path). */
export function xmllintSchema(dir: string, schema: string, xml: string, name = 'cfdi.xml'): { valid: boolean; output: string } {
  const file = join(dir, name);
  writeFileSync(file, xml);
  const r = spawnSync('xmllint', ['--nonet', '--noout', '--schema', isAbsolute(schema) ? schema : join(SAT_MX, schema), file], {
    encoding: 'utf8',
  });
  return { valid: r.status === 0, output: `${r.stdout}${r.stderr}` };
}

/**
 * A schema, written into `dir`, for a stamped CFDI: cfdv40.xsd lets cfdi:Complemento hold any
 * element but strictly, so the TimbreFiscalDigital's schema must be loaded beside it.
 */
export function stampedCfdiSchema(dir: string): string {
  const file = join(dir, 'cfdi-with-tfd.xsd');
  const location = (name: string) => pathToFileURL(join(SAT_MX, name)).href;
  writeFileSync(
    file,
    `<?xml version="1.0" encoding="UTF-8"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
  <xs:import namespace="http://www.sat.gob.mx/cfd/4" schemaLocation="${location('cfdv40.xsd')}"/>
  <xs:import namespace="http://www.sat.gob.mx/TimbreFiscalDigital" schemaLocation="${location('TimbreFiscalDigitalv11.xsd')}"/>
</xs:schema>
`,
  );
  return file;
}
