// A terminal reaching central over TLS with sslmode=verify-full: the server's certificate must
// chain to the CA the terminal was given and name the host it dialled. Certificates are made
// here with openssl; the server is a private PostgreSQL with ssl=on.
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Central } from '#db/central.ts';
import { connectCentral } from '#db/central.ts';
import { startPrivatePostgres, type PrivatePostgres } from '../support/private-postgres.ts';
import { openTerminal, prepareCentral, provisionDir, waitFor } from '../support/sync-fixture.ts';

const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'pipe' });

/** A CA, and a server certificate it signed for 127.0.0.1 (an IP subjectAltName, as verify-full checks). */
function makeCertificates(dir: string, name: string): { ca: string; cert: string; key: string } {
  mkdirSync(dir, { recursive: true });
  const f = (x: string) => join(dir, `${name}-${x}`);
  openssl(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '2',
    '-subj',
    `/CN=${name} test CA`,
    '-keyout',
    f('ca.key'),
    '-out',
    f('ca.crt'),
  );
  openssl('req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=127.0.0.1', '-keyout', f('server.key'), '-out', f('server.csr'));
  execFileSync('sh', ['-c', `printf 'subjectAltName=IP:127.0.0.1' > '${f('ext')}'`]);
  openssl(
    'x509',
    '-req',
    '-in',
    f('server.csr'),
    '-CA',
    f('ca.crt'),
    '-CAkey',
    f('ca.key'),
    '-CAcreateserial',
    '-days',
    '2',
    '-extfile',
    f('ext'),
    '-out',
    f('server.crt'),
  );
  return { ca: f('ca.crt'), cert: f('server.crt'), key: f('server.key') };
}

let server: PrivatePostgres;
let central: Central;
let registerIds: string[];
let adminUrl: string;
let certs: { ca: string; cert: string; key: string };
let otherCa: string;

/** The same URL, asking for verify-full against the given CA. */
const verified = (url: string, ca: string) => {
  const u = new URL(url);
  u.searchParams.set('sslmode', 'verify-full');
  u.searchParams.set('sslrootcert', ca);
  return u.toString();
};

beforeAll(async () => {
  server = await startPrivatePostgres('central-admin-secret', {
    prepare(root) {
      certs = makeCertificates(join(root, 'tls'), 'central');
      otherCa = makeCertificates(join(root, 'tls'), 'impostor').ca;
      // PostgreSQL reads its key as the postgres user and refuses a key others can read.
      if (process.getuid?.() === 0) {
        const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres']).toString().trim());
        chownSync(certs.key, id('-u'), id('-g'));
        chownSync(certs.cert, id('-u'), id('-g'));
        chmodSync(join(root, 'tls'), 0o755);
      }
      chmodSync(certs.key, 0o600);
    },
    settings: () => ['ssl=on', `ssl_cert_file=${certs.cert}`, `ssl_key_file=${certs.key}`],
  });
  const admin = new pg.Client({ connectionString: server.url() });
  await admin.connect();
  await admin.query('CREATE DATABASE central');
  await admin.end();
  adminUrl = verified(server.url('postgres', undefined, 'central'), certs.ca);
  ({ central, registerIds } = await prepareCentral(adminUrl, 1));
}, 120_000);

afterAll(async () => {
  await central?.close();
  server?.remove();
});

describe('TLS to central', () => {
  it('syncs over verify-full when the certificate chains to the CA the terminal was given', async () => {
    const [{ ssl }] = (await central.sql.query<{ ssl: boolean }>('SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()')) as [
      { ssl: boolean },
    ];
    expect(ssl).toBe(true);
    const terminal = await openTerminal(await provisionDir(central, adminUrl, registerIds[0]!, 'tls'), registerIds[0]!);
    try {
      expect(new URL(JSON.parse(readFileSync(join(terminal.dir, 'sync.json'), 'utf8')).url).searchParams.get('sslmode')).toBe(
        'verify-full',
      );
      const { saleId } = await terminal.sell(1);
      await waitFor(() => terminal.status().pending === 0, 30_000, 'the push over TLS');
      expect((await central.sql.query('SELECT 1 FROM sales.sales WHERE id = $1', [saleId])).length).toBe(1);
    } finally {
      await terminal.dispose();
    }
  });

  it('refuses a server whose certificate another CA signed, with a line that says so', async () => {
    await expect(
      connectCentral(verified(server.url('postgres', undefined, 'central'), otherCa), { connectTimeoutMs: 5_000 }),
    ).rejects.toThrow(/certificate/i);
  });
});
