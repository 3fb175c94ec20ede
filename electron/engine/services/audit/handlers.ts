import { defineHandlers, requireSession } from '#engine/call-context.ts';
import { tailAudit } from './audit-tail.ts';

export const auditHandlers = defineHandlers({
  async 'audit.tail'(input, ctx) {
    return tailAudit(ctx.services.sql, { businessId: requireSession(ctx).businessId, limit: input.limit });
  },
});
