-- What central addresses to a branch's staff (an alert about a shift's variance, a register gone
-- quiet, low stock) comes down to that branch's registers, where the bell shows it. A register
-- pulls only rows for employees of its own branch, and never read_at: reading one at the counter
-- is the register's own business, and a pull must not mark it unread again.
CREATE TRIGGER sync_stamp_arrival BEFORE INSERT ON communication.in_app_notifications
  FOR EACH ROW EXECUTE FUNCTION sync.stamp_arrival();
--> statement-breakpoint
CREATE VIEW sync.terminal_notifications WITH (security_barrier) AS
SELECT n.id, n.user_id, n.business_id, n.branch_id, n.employee_id, n.severity, n.title, n.body, n.data,
       n.created_at, n.updated_at, n.deleted_at
FROM communication.in_app_notifications n
WHERE n.business_id = sync.my_business() AND n.employee_id IS NOT NULL
  AND (n.branch_id = sync.my_branch()
    OR (n.branch_id IS NULL AND EXISTS (SELECT 1 FROM business.employee_branches eb
                                         WHERE eb.employee_id = n.employee_id AND eb.branch_id = sync.my_branch()
                                           AND eb.deleted_at IS NULL)));
--> statement-breakpoint
GRANT SELECT ON sync.terminal_notifications TO pos_terminal;
