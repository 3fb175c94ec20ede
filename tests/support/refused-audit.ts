// A trigger on a real PGlite that refuses the audit entries of chosen actions, the way a value
// the database refuses made an audit insert fail in the field: tests then see whether the change
// the entry belongs to was undone with it.
import type { SqlSession } from '#db/sql-session.ts';

export type AuditRefusal = {
  /** From now on the database refuses audit entries of `action`. */
  refuse(action: string): Promise<unknown>;
  /** Every action's entries are taken again. */
  allow(): Promise<unknown>;
};

export async function installAuditRefusal(sql: SqlSession): Promise<AuditRefusal> {
  await sql.exec(`
    CREATE TABLE public.test_refused_actions (action text PRIMARY KEY);
    CREATE FUNCTION public.test_refuse_audit() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF EXISTS (SELECT 1 FROM public.test_refused_actions WHERE action = NEW.action) THEN
        RAISE EXCEPTION 'the test refuses audit entries of %', NEW.action;
      END IF;
      RETURN NEW;
    END $$;
    CREATE TRIGGER test_refuse_audit BEFORE INSERT ON auth.audit_logs FOR EACH ROW EXECUTE FUNCTION public.test_refuse_audit();`);
  return {
    refuse: (action) => sql.query(`INSERT INTO public.test_refused_actions (action) VALUES ($1)`, [action]),
    allow: () => sql.exec(`TRUNCATE public.test_refused_actions`),
  };
}
