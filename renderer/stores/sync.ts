// Central and the bell: the sync loop's status as the engine reports it, and the signed-in
// employee's in-app notifications. Kept apart from the register's store: neither ever blocks a sale.
import { create } from 'zustand';
import type { ContractClient } from '../api/client.ts';
import type { CallOutput } from '#contract/calls.ts';
import type { RegisterStore } from './register.ts';

type Status = CallOutput<'sync.status'>;
type Notifications = CallOutput<'notifications.list'>;

export type SyncState = {
  status: Status | null;
  notifications: Notifications | null;
  bellOpen: boolean;
  refresh(): Promise<void>;
  toggleBell(): void;
  markAllRead(): Promise<void>;
};

export function createSync(client: ContractClient, useRegister: RegisterStore) {
  const useSync = create<SyncState>()((set, get) => {
    const loadNotifications = async () => {
      if (!useRegister.getState().token) return set({ notifications: null, bellOpen: false });
      const list = await client.send('notifications.list', { limit: 20 });
      if (list.ok) set({ notifications: list.value });
    };
    client.on('sync.status', (status) => set({ status }));
    client.on('notification', () => void loadNotifications());
    // Someone signed in or out: their own notifications, and the status as it is now.
    useRegister.subscribe((state, before) => {
      if (state.token !== before.token) void get().refresh();
    });
    return {
      status: null,
      notifications: null,
      bellOpen: false,
      async refresh() {
        if (!useRegister.getState().token) return set({ status: null, notifications: null, bellOpen: false });
        const status = await client.send('sync.status', {});
        if (status.ok) set({ status: status.value });
        await loadNotifications();
      },
      toggleBell: () => set({ bellOpen: !get().bellOpen }),
      async markAllRead() {
        const done = await client.send('notifications.markRead', { ids: 'all' });
        if (done.ok) await loadNotifications();
      },
    };
  });
  return useSync;
}

export type SyncStore = ReturnType<typeof createSync>;
