// `npm run bench`: every measurement the issues ask for, printed as medians and p99 beside a
// baseline from the same run. Not part of `npm test`: speed is measured here, not asserted.
import { benchAuth } from './auth.bench.ts';
import { benchDrawer } from './drawer.bench.ts';
import { benchFiscal } from './fiscal.bench.ts';
import { benchJobs } from './jobs.bench.ts';
import { benchJournal } from './journal.bench.ts';
import { benchProbe } from './probe.bench.ts';
import { benchSearch } from './search.bench.ts';
import { benchSelling } from './selling.bench.ts';
import { benchStart } from './start.bench.ts';
import { benchUi } from './ui.bench.ts';
import { benchSync } from './sync.bench.ts';
import { buildPgliteTemplate, TEMPLATE_ENV } from '../support/pglite-template.ts';

const suites: Record<string, () => Promise<void>> = {
  auth: benchAuth,
  journal: benchJournal,
  start: benchStart,
  selling: benchSelling,
  search: benchSearch,
  ui: benchUi,
  sync: benchSync,
  probe: benchProbe,
  drawer: benchDrawer,
  jobs: benchJobs,
  fiscal: benchFiscal,
};
const only = process.argv.slice(2);
// The benches open terminals through the tests' helpers, which copy a migrated database (as under vitest).
process.env[TEMPLATE_ENV] = await buildPgliteTemplate();
console.log(`bench on ${process.platform} ${process.arch}, node ${process.version}, ${new Date().toISOString()}`);
for (const [name, run] of Object.entries(suites)) {
  if (only.length === 0 || only.includes(name)) await run();
}
