// The people who work at the store: their records, PINs and lockouts.
import { z } from 'zod';
import { call, name, pin, shaped, text } from '../fields.ts';
import { EMPLOYEE_STATUSES, staffMember } from '../staff-member.ts';

export const staffCalls = {
  'staff.list': call('staff.manage', z.object({}).strict(), { output: z.array(staffMember) }),
  'staff.save': call(
    'staff.manage',
    z
      .object({
        id: z.uuid().optional(),
        code: text(20, { min: 1 }),
        displayName: name,
        roleId: z.uuid(),
        email: z.email().max(254).optional(),
        phone: shaped(16, /^\+[1-9][0-9]{6,14}$/, 'a phone in international format, such as +525512345678').optional(),
        branchIds: z.array(z.uuid()).min(1).max(100),
        status: z.enum(EMPLOYEE_STATUSES).optional(),
        kyc: z
          .object({ level: z.number().int().min(0).max(3), data: z.record(text(60), text(500)) })
          .strict()
          .optional(),
      })
      .strict(),
    { output: z.object({ employeeId: z.uuid(), userId: z.uuid() }).strict() },
  ),
  'staff.setPin': call('staff.manage', z.object({ employeeId: z.uuid(), pin }).strict(), {
    output: z.object({ set: z.literal(true) }).strict(),
  }),
  'staff.unlock': call('staff.unlock', z.object({ employeeId: z.uuid() }).strict(), {
    output: z.object({ unlocked: z.literal(true) }).strict(),
  }),
};
