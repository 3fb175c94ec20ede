// Who is at the register: the staff to sign in as, the employee signed in and what they may do,
// the quick switch to another employee, and whether the engine can be reached.
import type { ContractClient } from '../../api/client.ts';
import type { RegisterKit, RegisterSlice, SetRegister, StaffMember } from '../register.ts';
import { readDeviceStatus } from './devices.ts';

export type SessionSlice = {
  staff: StaffMember[];
  token: string | null;
  employee: { id: string; displayName: string } | null;
  permissions: string[];
  /** Another employee is taking over the register (the quick switch); the current session lives until they sign in. */
  switching: boolean;
  /**
   * Signed in and the shift and open sale read: until then the screen cannot know whether to ask
   * for a float or to sell, and showing either would take keys meant for the other.
   */
  ready: boolean;
  online: boolean;
  loadStaff(): Promise<void>;
  signIn(employeeId: string, pin: string): Promise<boolean>;
  startSwitch(on: boolean): void;
  signOut(): Promise<void>;
};

/** The session is over (signed out, or the engine says so): nothing of it stays on screen. */
export function signedOut(client: ContractClient, set: SetRegister) {
  client.setToken(null);
  set({
    token: null,
    ready: false,
    employee: null,
    permissions: [],
    shift: null,
    sale: null,
    receipt: null,
    drawerFailure: null,
    printCheckOpen: false,
    paying: false,
    switching: false,
    tenders: [],
    editing: null,
    selectedLine: null,
  });
}

export const createSessionSlice =
  ({ client, run }: RegisterKit): RegisterSlice<SessionSlice> =>
  (set, get) => {
    async function afterSignIn() {
      const before = { shift: get().shift, sale: get().sale };
      const [shift, sale, methods] = await Promise.all([
        run((o) => client.send('shifts.current', {}, { override: o })),
        run((o) => client.send('sales.current', {}, { override: o })),
        run((o) => client.send('sales.paymentMethods', {}, { override: o })),
      ]);
      // The cashier may have opened the shift or started a sale while these answers were on their
      // way (a slow register): what they did since wins over what was read before it.
      const now = get();
      const keptShift = now.shift !== before.shift ? now.shift : shift;
      const keptSale = now.sale !== before.sale ? now.sale : sale;
      set({ shift: keptShift, sale: keptSale, methods: methods ?? [], selectedLine: keptSale?.lines.at(-1)?.id ?? null, ready: true });
      await readDeviceStatus(client, set);
    }

    client.onConnection((online) => set({ online }));

    return {
      staff: [],
      token: null,
      employee: null,
      permissions: [],
      switching: false,
      ready: false,
      online: false,

      async loadStaff() {
        const staff = await run((o) => client.send('auth.staffForSignIn', {}, { override: o }));
        if (staff) set({ staff });
      },

      async signIn(employeeId, pin) {
        // The quick switch ends the session on screen only once the next employee's PIN is right.
        const switchFrom = get().switching ? (get().token ?? undefined) : undefined;
        const session = await run((o) =>
          client.send('auth.signInWithPin', switchFrom ? { employeeId, pin, switchFrom } : { employeeId, pin }, { override: o }),
        );
        if (!session) return false;
        client.setToken(session.token);
        set({
          token: session.token,
          employee: session.employee,
          permissions: session.permissions,
          switching: false,
          panel: 'sell',
          editing: null,
          ready: get().ready && Boolean(switchFrom),
        });
        await afterSignIn();
        return true;
      },

      startSwitch(on) {
        set({ switching: on, message: null, editing: null });
      },

      async signOut() {
        await client.send('auth.signOut', {});
        signedOut(client, set);
      },
    };
  };
