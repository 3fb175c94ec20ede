// The pull's probe (once a second per register) of 200 registers through PgBouncer in transaction
// mode with 20 server connections, as README's chain deployment has it: each register probing
// over its own login's entry (sync.pull_changes()), beside the same registers probing through
// the entry they share (user=pos_prober; sync.probe_changes() with each register's probe key).
// PgBouncer keeps a pool per login, so with 200 logins and 20 server connections nearly every
// probe on the own entry lands on a backend started for it. No target.
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { v7 as uuidv7 } from 'uuid';
import { addRegister } from '#engine/sync/central-registers.ts';
import { provisionTerminal } from '#engine/sync/provision.ts';
import { readChangeMark, readSharedChangeMark } from '#engine/sync/pull.ts';
import { urlOfDatabase } from '#engine/sync/side-connection.ts';
import { ADMIN_URL, cloneRow, createTestDatabase } from '../support/central.ts';
import { installPoolerLookup, pgbouncerInstalled, preparePgbouncer } from '../support/private-pgbouncer.ts';
import { branchId, businessId, prepareCentral } from '../support/sync-fixture.ts';
import { report } from './stats.ts';

const REGISTERS = 200;
const SERVER_CONNECTIONS = 20;
const SECONDS = 15;
const PROBE_ALIAS = 'central_probe';

type Login = { user: string; password: string; registerId: string; probeKey: string };

/** This machine's share of CPU time not idle, both cores together, between two readings. */
function cpuReader() {
  const read = () => {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    const idle = fields[3]! + fields[4]!;
    const total = fields.reduce((a, b) => a + b, 0);
    return { busy: total - idle, total };
  };
  const start = read();
  return () => {
    const end = read();
    return (end.busy - start.busy) / (end.total - start.total);
  };
}

export async function benchProbe(): Promise<void> {
  if (!pgbouncerInstalled()) {
    console.log('\nprobe: skipped, PgBouncer is not installed (apt-get install pgbouncer)');
    return;
  }
  const database = await createTestDatabase('bench_probe');
  const { central } = await prepareCentral(database.url, 1);
  const lookup = { user: `pos_bench_pooler_${process.pid}`, password: `lookup-${process.pid}` };
  const logins: Login[] = [];
  const bouncer = await preparePgbouncer({
    database: database.name,
    maxDbConnections: SERVER_CONNECTIONS,
    poolSize: 2,
    maxClients: REGISTERS * 2 + 100,
    lookup: await installPoolerLookup(central, database.name, lookup.user, lookup.password),
    probeAlias: PROBE_ALIAS,
  });
  // README: the operator gives pos_prober a login (this server trusts 127.0.0.1: no password here).
  await central.sql.exec('ALTER ROLE pos_prober LOGIN');
  try {
    await bouncer.start();
    for (let b = 1; b <= REGISTERS / 4; b++) {
      const code = `SUC-${String(b).padStart(3, '0')}`;
      const id = uuidv7();
      await cloneRow(central.sql, 'business.branches', branchId, { id, code, name: `Sucursal ${b}` });
      for (let r = 1; r <= 4; r++) {
        const added = await addRegister(central, { businessId, branch: code, code: `CAJA-${r}`, operator: 'probe bench' });
        const password = `probe-${added.id.slice(-12)}`;
        const provisioned = await provisionTerminal(central, database.url, { businessId, branchId: id, registerId: added.id, password });
        const probeKey = provisioned.central.probeKey!;
        logins.push({ user: decodeURIComponent(new URL(provisioned.central.url).username), password, registerId: added.id, probeKey });
      }
    }
    const own = await probeFor(
      (l) => bouncer.url(l.user, l.password),
      logins,
      database.url,
      (client) => readChangeMark(client),
    );
    const shared = await probeFor(
      (l) => urlOfDatabase(bouncer.url(l.user, l.password), PROBE_ALIAS),
      logins,
      database.url,
      (client, l) => readSharedChangeMark(client, l.registerId, l.probeKey),
    );
    report(
      `probe: ${REGISTERS} registers each asking central once a second for ${SECONDS} s, through PgBouncer with ${SERVER_CONNECTIONS} server connections`,
      [
        { name: 'each register its own login', times: own.times },
        { name: 'the shared probe entry', times: shared.times },
      ],
      'each register its own login',
    );
    for (const [name, run] of [
      ['each register its own login', own],
      ['the shared probe entry', shared],
    ] as const) {
      console.log(
        `  ${name.padEnd(30)} ${String(run.backends).padStart(5)} backends seen (${(run.backends / SECONDS).toFixed(0)}/s), machine CPU ${(run.cpu * 100).toFixed(0)} % busy`,
      );
    }
    console.log('  (no target)');
  } finally {
    await bouncer.remove();
    await central.close();
    await database.drop();
    const admin = new pg.Client({ connectionString: ADMIN_URL });
    await admin.connect();
    try {
      for (const role of [...logins.map((l) => l.user), lookup.user])
        await admin.query(`DROP ROLE IF EXISTS ${admin.escapeIdentifier(role)}`);
    } finally {
      await admin.end();
    }
  }
}

/** Every login in `logins` probes once a second, the starts spread over the first second; `backends` counts the server's, the pooler's own lookup aside. */
async function probeFor(
  urlOf: (login: Login) => string,
  logins: Login[],
  adminUrl: string,
  probe: (client: pg.Client, login: Login) => Promise<unknown>,
) {
  const clients = logins.map((l) => new pg.Client({ connectionString: urlOf(l) }));
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    for (const client of clients) await client.connect();
    const backends = new Set<number>();
    const times: number[] = [];
    let done = false;
    const cpu = cpuReader();
    const started = Date.now();
    // Backends live a fraction of a second each: a look every 100 ms sees (nearly) all of them.
    const watch = (async () => {
      while (!done) {
        const { rows } = await admin.query<{ pid: number }>(
          `SELECT pid FROM pg_stat_activity WHERE usename LIKE 'pos\\_t\\_%' OR usename = 'pos_prober'`,
        );
        for (const row of rows) backends.add(row.pid);
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    await Promise.all(
      clients.map(async (client, i) => {
        await new Promise((r) => setTimeout(r, (i * 1000) / clients.length));
        while (Date.now() - started < SECONDS * 1000) {
          const t = performance.now();
          await probe(client, logins[i]!);
          times.push(performance.now() - t);
          await new Promise((r) => setTimeout(r, 1000));
        }
      }),
    );
    const busy = cpu();
    done = true;
    await watch;
    return { times: times.sort((a, b) => a - b), backends: backends.size, cpu: busy };
  } finally {
    await Promise.all(clients.map((c) => c.end().catch(() => {})));
    await admin.end();
  }
}
