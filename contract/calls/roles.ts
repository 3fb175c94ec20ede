// Roles: what each kind of employee may do, and their discount limit.
import { z } from 'zod';
import { call, name, rate, text } from '../fields.ts';
import { isPermission } from '../permissions.ts';

export const rolesCalls = {
  'roles.list': call('roles.manage', z.object({}).strict()),
  'roles.save': call('roles.manage', z.object({
    id: z.uuid().optional(),
    name,
    description: text(500, { multiline: true }).optional(),
    maxDiscountRate: rate,
    permissions: z.array(text(100).refine(isPermission, 'a known permission')).max(100),
  }).strict()),
};
