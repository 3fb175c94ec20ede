import { defineHandlers } from '#engine/call-context.ts';
import { listConflicts, resolveConflict } from './catalog-conflicts.ts';

export const syncHandlers = defineHandlers({
  async 'sync.status'(_input, ctx) {
    return ctx.services.sync?.status() ?? { configured: false as const };
  },
  async 'sync.now'(_input, ctx) {
    ctx.services.sync?.kick({ pull: true });
    return { started: ctx.services.sync !== null };
  },
  async 'sync.conflicts'(_input, ctx) {
    return listConflicts(ctx.services);
  },
  async 'sync.resolveConflict'(input, ctx) {
    return resolveConflict(input, ctx);
  },
});
