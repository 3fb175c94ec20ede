// `pos sync status`: read from the files a running terminal keeps (the journal and
// sync.sqlite, both SQLite in WAL mode, so reading them never disturbs selling), not from
// central, so it answers the same whether the network is up or not.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Quarantined, SyncState, SyncStatus, SyncStatusReport } from '#contract/sync-status.ts';
import { NO_OUTCOME, openPushState, type LoopOutcome } from './push-state.ts';
import { describeCentral, readSyncConfig } from './sync-config.ts';

export type { SyncState, SyncStatus, SyncStatusReport } from '#contract/sync-status.ts';

/** The one shape the loop, the API and the command line report, from what the terminal keeps. */
export function composeStatus(parts: {
  centralUrl: string;
  outcome: LoopOutcome;
  cursor: number;
  head: number;
  oldestPendingAt: string | null;
  quarantined: Quarantined[];
}): SyncStatus {
  const { outcome, quarantined } = parts;
  const first = quarantined[0];
  const attention = first
    ? `${quarantined.length} fact(s) refused by central and set aside; the first, #${first.seq} ${first.kind}: ${first.reason}`
    : null;
  const state: SyncState = outcome.blocked
    ? 'blocked'
    : !outcome.online
      ? 'offline'
      : attention || outcome.lastError
        ? 'attention'
        : 'online';
  return {
    configured: true,
    central: describeCentral(parts.centralUrl),
    state,
    attention,
    online: outcome.online,
    pending: Math.max(0, parts.head - parts.cursor),
    oldestPendingAt: parts.oldestPendingAt,
    lastError: outcome.lastError,
    failingSince: outcome.failingSince,
    blocked: outcome.blocked,
    lastPushAt: outcome.lastPushAt,
    lastPullAt: outcome.lastPullAt,
    quarantined: parts.quarantined,
  };
}

export function readSyncStatus(dataDir: string): SyncStatusReport {
  const config = readSyncConfig(dataDir);
  if (!config) return { configured: false };
  const journalFile = join(dataDir, 'journal.sqlite');
  let head = 0;
  let oldestPendingAt: string | null = null;
  const state = existsSync(join(dataDir, 'sync.sqlite')) ? openPushState(dataDir, { readonly: true }) : null;
  try {
    const cursor = state?.cursor() ?? 0;
    if (existsSync(journalFile)) {
      const journal = new Database(journalFile, { readonly: true, fileMustExist: true });
      try {
        head = journal.prepare<[], { seq: number | null }>('SELECT max(seq) AS seq FROM facts').get()?.seq ?? 0;
        oldestPendingAt =
          journal.prepare<[number], { recorded_at: string }>('SELECT recorded_at FROM facts WHERE seq > ? ORDER BY seq LIMIT 1').get(cursor)
            ?.recorded_at ?? null;
      } finally {
        journal.close();
      }
    }
    return composeStatus({
      centralUrl: config.url,
      outcome: state?.outcome() ?? NO_OUTCOME,
      cursor,
      head,
      oldestPendingAt,
      quarantined: state?.quarantined() ?? [],
    });
  } finally {
    state?.close();
  }
}

const ago = (iso: string, now: Date) => {
  const s = Math.max(0, Math.round((now.getTime() - Date.parse(iso)) / 1000));
  if (s < 120) return `${s} s ago`;
  if (s < 7200) return `${Math.round(s / 60)} min ago`;
  if (s < 172_800) return `${Math.round(s / 3600)} h ago`;
  return `${Math.round(s / 86_400)} days ago`;
};

const STATE_WORDS: Record<SyncState, string> = {
  online: 'online',
  offline: 'offline',
  attention: 'needs attention (online)',
  blocked: 'BLOCKED',
};

export function formatSyncStatus(status: SyncStatusReport, now: Date): string {
  if (!status.configured) return 'not configured to sync with central (pos sync configure)';
  const lines = [
    `central:      ${status.central}`,
    `state:        ${STATE_WORDS[status.state]}${status.blocked ? `: ${status.blocked}` : ''}`,
    ...(status.attention ? [`attention:    ${status.attention}`] : []),
    `pending:      ${status.pending} fact(s)${status.oldestPendingAt ? `, oldest recorded ${ago(status.oldestPendingAt, now)} (${status.oldestPendingAt})` : ''}`,
    `last push:    ${status.lastPushAt ? `${ago(status.lastPushAt, now)} (${status.lastPushAt})` : 'never'}`,
    `last pull:    ${status.lastPullAt ? `${ago(status.lastPullAt, now)} (${status.lastPullAt})` : 'never'}`,
    `last error:   ${status.lastError ?? 'none'}${status.failingSince ? ` (failing since ${status.failingSince})` : ''}`,
    `quarantined:  ${status.quarantined.length}`,
    ...status.quarantined.map((q) => `  #${q.seq} ${q.kind}: ${q.reason}`),
  ];
  return lines.join('\n');
}
