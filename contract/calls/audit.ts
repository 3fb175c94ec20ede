// The audit log, read back by those allowed to.
import { z } from 'zod';
import { call } from '../fields.ts';

export const auditCalls = {
  'audit.tail': call('audit.view', z.object({ limit: z.number().int().min(1).max(500).default(50) }).strict()),
};
