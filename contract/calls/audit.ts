// The audit log, read back by those allowed to.
import { z } from 'zod';
import { auditLine } from '../audit-line.ts';
import { call } from '../fields.ts';

export const auditCalls = {
  /** The latest entries of this business, newest first. */
  'audit.tail': call('audit.view', z.object({ limit: z.number().int().min(1).max(500).default(50) }).strict(), {
    output: z.array(auditLine),
  }),
};
