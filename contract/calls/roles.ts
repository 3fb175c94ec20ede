// Roles: what each kind of employee may do, and their discount limit.
import { z } from 'zod';
import { call, decimal, name, rate, text } from '../fields.ts';
import { isPermission, permissionCode } from '../permissions.ts';

const role = z
  .object({
    id: z.uuid(),
    name: z.string(),
    description: z.string().nullable(),
    /** The largest discount the role may give without asking, as a fraction (0.100000 is 10 %). */
    maxDiscountRate: decimal,
    /** Sorted by code. */
    permissions: z.array(permissionCode),
  })
  .strict();

export type Role = z.output<typeof role>;

export const rolesCalls = {
  /** The business's roles by name. */
  'roles.list': call('roles.manage', z.object({}).strict(), { output: z.array(role) }),
  'roles.save': call(
    'roles.manage',
    z
      .object({
        id: z.uuid().optional(),
        name,
        description: text(500, { multiline: true }).optional(),
        maxDiscountRate: rate,
        permissions: z.array(text(100).refine(isPermission, 'a known permission')).max(100),
      })
      .strict(),
    {
      /** What the save granted and took away, each sorted. */
      output: z.object({ roleId: z.uuid(), added: z.array(permissionCode), removed: z.array(permissionCode) }).strict(),
    },
  ),
};
