// Why an engine could not open its data directory, in the few kinds a person can act on; the
// desktop shell shows a page for each instead of "Recuperando la caja…" forever, and restarts
// the engine only when waiting can help.
export type StartFailureReason =
  /** Another POS process owns the directory: it may close, so the shell keeps trying. */
  | 'in-use'
  /** The database or journal was written by a newer version of this app: install it. */
  | 'newer-version'
  /** A file of the terminal cannot be read (the journal: PGlite damage is rebuilt on its own). */
  | 'damaged'
  | 'other';

export function startFailureOf(err: unknown): StartFailureReason {
  const e = (err ?? {}) as { name?: unknown; code?: unknown; message?: unknown };
  const message = typeof e.message === 'string' ? e.message : String(err);
  if (e.name === 'DataDirInUseError' || /is in use by another POS process/.test(message)) return 'in-use';
  if (/newer version of this app/.test(message)) return 'newer-version';
  if (
    e.name === 'JournalError' ||
    e.code === 'SQLITE_CORRUPT' ||
    e.code === 'SQLITE_NOTADB' ||
    /journal.*(broken|damaged|corrupt)/i.test(message)
  )
    return 'damaged';
  return 'other';
}
