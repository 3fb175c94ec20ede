// Once per `vitest run`, before any test file: what every test process copies instead of making
// (a terminal's database, the demo store, central's database), and the bundle the test files'
// child processes run from (fixture-bundle.ts).
import { buildDemoTemplate, DEMO_TEMPLATE_ENV } from './demo-template.ts';
import { buildFixtureBundle } from './fixture-bundle.ts';
import { buildPgliteTemplate, TEMPLATE_ENV } from './pglite-template.ts';
import { buildCentralTemplate, CENTRAL_TEMPLATE_ENV } from './sync-fixture.ts';

export default async function setup(): Promise<() => Promise<void>> {
  process.env[TEMPLATE_ENV] = await buildPgliteTemplate();
  const demo = await buildDemoTemplate();
  process.env[DEMO_TEMPLATE_ENV] = demo.dir;
  const central = await buildCentralTemplate();
  process.env[CENTRAL_TEMPLATE_ENV] = central.name;
  await buildFixtureBundle();
  return async () => {
    demo.remove();
    await central.remove();
  };
}
