// The README's `pos` commands as a person types them: `npx pos …` in the repository (npm links
// the package's bin under the name `pos`) and `pos …` through a link on the PATH, from another
// directory. Each command is checked by what it did, not only by its exit code: a command line
// that runs nothing also exits 0.
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, describe, expect, it } from 'vitest';
import type { AppDb } from '#db/app-db.ts';
import { openJournal } from '#db/journal.ts';
import { openLocalDatabase } from '#db/local.ts';
import { recordAudit } from '#engine/services/audit/audit-log.ts';
import { writeSyncConfig } from '#engine/sync/sync-config.ts';
import { writeTerminal } from '#engine/terminal.ts';
import { tempDir } from '../support/local.ts';
import { POS_BIN, ROOT, runProgram, type CliResult } from '../support/run-cli.ts';

/** The command lines of the README's "The `pos` command" section, without `npx ` and comments. */
function readmeCommands(): string[] {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## The `pos` command'));
  const start = section.indexOf('```sh\n') + '```sh\n'.length;
  const block = section.slice(start, section.indexOf('\n```', start));
  const commands = block
    .split('\n')
    .map((line) => line.replace(/#.*$/, '').trim())
    .filter(Boolean)
    .map((line) => {
      expect(line).toMatch(/^npx pos /);
      return line.slice('npx '.length);
    });
  expect(commands.length).toBeGreaterThanOrEqual(10);
  return commands;
}

const scratch = tempDir('cli-launchers');
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const linkDir = join(scratch, 'bin');
mkdirSync(linkDir);
symlinkSync(POS_BIN, join(linkDir, 'pos'));

// One database for both: the first launcher creates it, the second finds it current (a new
// PGlite database costs seconds of CPU). The journal's made-up facts go to a directory of their
// own, since opening the engine would replay them into PGlite; reading a journal needs no PGlite.
const dir = join(scratch, 'terminal');
const journalDir = join(scratch, 'journal');
mkdirSync(journalDir);

const launchers: { name: string; pos(args: string[]): Promise<CliResult>; migrated: RegExp }[] = [
  {
    name: 'npx pos in the repository',
    migrated: /^applied \d+ migration\(s\): 0000_schemas, /,
    // npm_config_yes=false: were npm ever not to find this package's own bin, it must fail here
    // rather than fetch whatever package called "pos" the registry has.
    pos: (args) => runProgram('npx', ['pos', ...args], { env: { npm_config_yes: 'false' } }),
  },
  {
    name: 'a link named pos on the PATH, from another directory',
    migrated: /^database is up to date \(\d+ migrations applied before\)\n$/,
    pos: (args) => runProgram('pos', args, { cwd: scratch, env: { PATH: `${linkDir}:${process.env.PATH}` } }),
  },
];

describe.each(launchers)("the README's pos commands through $name", ({ name, pos, migrated }) => {
  it('prints the usage, naming every command of the README as the README writes it', async () => {
    const r = await pos(['help']);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    // The usage marks optional options [--like this]; the README writes the ones it uses plainly.
    const usage = r.stdout.replace(/[[\]]/g, '');
    for (const command of readmeCommands()) expect(usage).toContain(command);
  });

  it("creates a terminal's database with db migrate, or finds it current", async () => {
    const r = await pos(['db', 'migrate', '--data-dir', dir]);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toMatch(migrated);
    expect(existsSync(join(dir, 'pglite'))).toBe(true);
  });

  it('shows an audit entry written to that database with audit tail', async () => {
    const local = await openLocalDatabase(dir);
    try {
      await recordAudit(local.db as unknown as AppDb, { action: 'cli.launcher_check', outcome: 'SUCCESS', details: { launcher: name } });
    } finally {
      await local.close();
    }
    const r = await pos(['audit', 'tail', '--data-dir', dir]);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    const line = r.stdout.split('\n').find((l) => l.endsWith(` ${JSON.stringify({ launcher: name })}`));
    expect(line).toMatch(/^\S+ {2}cli\.launcher_check +SUCCESS +- \{/);
  });

  it("verifies the journal's chain and names its head with journal verify", async () => {
    const journal = openJournal(journalDir);
    let head: { seq: number; hash: string };
    try {
      for (let n = 1; n <= 3; n++) journal.append('sale.completed', `${name} ${n}`, { receipt: n, total: `${n}.5000` });
      head = journal.head();
    } finally {
      journal.close();
    }
    const r = await pos(['journal', 'verify', '--data-dir', journalDir]);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toBe(`journal verifies: ${head.seq} facts, head ${head.hash.slice(0, 16)}\n`);
  });

  it("counts the journal's facts as pending with sync status", async () => {
    const journal = openJournal(journalDir);
    const facts = journal.head().seq;
    journal.close();
    writeTerminal(journalDir, { businessId: uuidv7(), branchId: uuidv7(), registerId: uuidv7() });
    // Port 1 on loopback: nothing answers. The status comes from the files all the same, and the
    // catalog conflicts, which only central knows, are said to be unknown.
    writeSyncConfig(journalDir, { url: 'postgres://pos_t_launcher:secret@127.0.0.1:1/pos' });
    const r = await pos(['sync', 'status', '--data-dir', journalDir]);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toMatch(/^central: +pos_t_launcher@127\.0\.0\.1:1\/pos$/m);
    expect(r.stdout).toMatch(new RegExp(`^pending: +${facts} fact\\(s\\), oldest recorded `, 'm'));
    expect(r.stdout).toMatch(/^conflicts: +could not ask central: central did not answer: /m);
    expect(r.stdout).not.toContain('secret');
  });

  it("lists the machine's devices as JSON with devices list --json", async () => {
    const r = await pos(['devices', 'list', '--json']);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    const listed = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(Object.keys(listed).sort()).toEqual(['hidScanners', 'serialPorts', 'usbPrinters']);
    for (const kind of Object.values(listed)) expect(Array.isArray(kind)).toBe(true);
  });

  it('refuses an unknown command with exit code 2', async () => {
    const r = await pos(['nonsense', '--data-dir', dir]);
    expect(r).toEqual({ code: 2, stdout: '', stderr: 'pos: unknown command "nonsense"\nrun "pos help" for usage\n' });
  });
});
