// The people who work at the store: their records, PINs and lockouts.
import { z } from 'zod';
import { call, name, pin, shaped, text } from '../fields.ts';

export const staffCalls = {
  'staff.list': call('staff.manage', z.object({}).strict()),
  'staff.save': call('staff.manage', z.object({
    id: z.uuid().optional(),
    code: text(20, { min: 1 }),
    displayName: name,
    roleId: z.uuid(),
    email: z.email().max(254).optional(),
    phone: shaped(16, /^\+[1-9][0-9]{6,14}$/, 'a phone in international format, such as +525512345678').optional(),
    branchIds: z.array(z.uuid()).min(1).max(100),
    status: z.enum(['ACTIVE', 'SUSPENDED', 'TERMINATED']).optional(),
    kyc: z.object({ level: z.number().int().min(0).max(3), data: z.record(text(60), text(500)) }).strict().optional(),
  }).strict()),
  'staff.setPin': call('staff.manage', z.object({ employeeId: z.uuid(), pin }).strict()),
  'staff.unlock': call('staff.unlock', z.object({ employeeId: z.uuid() }).strict()),
};
