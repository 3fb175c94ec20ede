// CSD-like certificates made at run time with the openssl CLI, shaped as the SAT issues them: RSA
// 2048, SHA-256, the holder's RFC in x500UniqueIdentifier and CURP in serialNumber, the branch in
// OU (a CSD has one, an e.firma none), a serial whose bytes are 20 ASCII digits, and the key as an
// encrypted PKCS#8 DER .key. Each one is signed by a throwaway test CA; nothing is committed.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export type TestCsdOptions = {
  rfc: string;
  /** Legal name; CN, name and O as on SAT certificates. */
  name?: string;
  /** CSD: OU set, Digital Signature and Non Repudiation only. FIEL: no OU, more key usages and extended key usages. */
  kind?: 'CSD' | 'FIEL';
  /** 20 digits, as NoCertificado. */
  serial?: string;
  password?: string;
  /** Validity from now, in days. */
  days?: number;
};

export type TestCsd = { cer: Buffer; key: Buffer; password: string; serial: string; cerPath: string; keyPath: string };

const EXTENSIONS = `[csd]
basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature,nonRepudiation
[fiel]
basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature,nonRepudiation,dataEncipherment,keyAgreement
extendedKeyUsage=emailProtection,clientAuth
`;

const openssl = (args: string[]) => execFileSync('openssl', args, { stdio: ['ignore', 'pipe', 'pipe'] });

/** Writes the CSD's files into `dir` (a fresh temp dir per test) and returns them. */
export function makeTestCsd(dir: string, options: TestCsdOptions): TestCsd {
  const kind = options.kind ?? 'CSD';
  const name = options.name ?? 'ABARROTES LA ESPERANZA SA DE CV';
  const serial = options.serial ?? '30001000000500000001';
  const password = options.password ?? '12345678a';
  const at = (file: string) => join(dir, `${serial}-${file}`);
  writeFileSync(at('ext.cnf'), EXTENSIONS);
  const ca = ['-subj', '/CN=AC DE PRUEBAS/O=PRUEBAS', '-keyout', at('ca.key'), '-out', at('ca.pem')];
  openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '3650', ...ca]);
  openssl(['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', at('key.pem')]);
  const subject = [
    `/CN=${name}`,
    `/2.5.4.41=${name}`,
    `/O=${name}`,
    `/x500UniqueIdentifier=${options.rfc} \\/ PEGJ800101AB1`,
    '/serialNumber= \\/ PEGJ800101HDFRRN09',
    ...(kind === 'CSD' ? ['/OU=Sucursal Coyoacán'] : []),
  ].join('');
  openssl(['req', '-new', '-utf8', '-key', at('key.pem'), '-subj', subject, '-out', at('csr.pem')]);
  openssl([
    ...['x509', '-req', '-in', at('csr.pem'), '-CA', at('ca.pem'), '-CAkey', at('ca.key')],
    ...['-set_serial', `0x${Buffer.from(serial, 'latin1').toString('hex')}`, '-days', String(options.days ?? 1460), '-sha256'],
    ...['-extfile', at('ext.cnf'), '-extensions', kind === 'CSD' ? 'csd' : 'fiel', '-outform', 'DER', '-out', at('cer')],
  ]);
  openssl(['pkcs8', '-topk8', '-v2', 'des3', '-in', at('key.pem'), '-outform', 'DER', '-out', at('key'), '-passout', `pass:${password}`]);
  return { cer: readFileSync(at('cer')), key: readFileSync(at('key')), password, serial, cerPath: at('cer'), keyPath: at('key') };
}
