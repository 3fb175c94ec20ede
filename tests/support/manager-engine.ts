// Engine processes started one after another on the same data directory, as a register that is
// killed and started again: the demo store's manager signs in on the first, and that session
// (kept in PGlite) and the cash method's id serve every later one.
import { readDemoStore } from '#engine/demo/demo-store.ts';
import { startEngineProcess, type EngineProcess } from './engine-process.ts';

type Answer<T> = { ok: true; value: T } | { ok: false; error: { code: string; message: string } };

/** The answer's value; a refusal throws with its code and message. */
export async function answerOf<T>(p: Promise<Answer<T>>): Promise<T> {
  const r = await p;
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value;
}

export function managerEngines(dir: string) {
  const manager = readDemoStore().store.employees[1]!;
  const session = { token: '', cash: '' };
  return {
    session,
    /** A new engine process on the directory (`env` arms a kill point, shifts its clock). */
    async started(env: Record<string, string> = {}): Promise<EngineProcess> {
      const engine = await startEngineProcess(dir, env);
      if (!session.token) {
        const staff = await answerOf(engine.call('auth.staffForSignIn', {}));
        const employeeId = staff.find((s) => s.displayName === manager.displayName)!.employeeId;
        session.token = (await answerOf(engine.call('auth.signInWithPin', { employeeId, pin: manager.pin }))).token;
        const methods = await answerOf(engine.call('sales.paymentMethods', {}, { token: session.token }));
        session.cash = methods.find((m) => m.code === 'CASH')!.id;
      }
      return engine;
    },
    async stopped(engine: EngineProcess): Promise<void> {
      engine.child.kill('SIGKILL');
      await engine.exited;
    },
  };
}
