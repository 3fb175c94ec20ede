// The smallest surface the migrator and catalog checks need, met by PGlite and by node-postgres,
// so the same migration code runs on the terminal and on central.
export interface SqlSession {
  /** Runs one or more statements without parameters. */
  exec(sql: string): Promise<void>;
  query<Row = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<Row[]>;
}

export interface SqlDatabase extends SqlSession {
  /** Runs fn inside BEGIN … COMMIT, rolling back if it throws. */
  transaction<T>(fn: (tx: SqlSession) => Promise<T>): Promise<T>;
}
