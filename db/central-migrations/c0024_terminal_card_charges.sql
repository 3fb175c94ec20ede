-- A register's charges on its integrated card terminal reach central as facts (the whole row at
-- each change, the newer version winning), so central holds what each terminal asked of its
-- provider and what the provider answered. A register writes and updates only its own; the
-- table's trigger (shared migration 0020) refuses any change to a final state, whoever writes.
-- A tender (payments.transactions.card_charge_id) may name only a charge of the same register.
GRANT SELECT, INSERT, UPDATE ON payments.card_charges TO pos_terminal;
--> statement-breakpoint
ALTER TABLE payments.card_charges ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY terminal_own ON payments.card_charges TO pos_terminal
  USING (register_id = (SELECT sync.my_register()) AND branch_id = (SELECT sync.my_branch()) AND business_id = (SELECT sync.my_business()))
  WITH CHECK (register_id = (SELECT sync.my_register()) AND branch_id = (SELECT sync.my_branch()) AND business_id = (SELECT sync.my_business()));
--> statement-breakpoint
CREATE POLICY terminal_tenders_own_charge ON payments.transactions AS RESTRICTIVE FOR INSERT TO pos_terminal
  WITH CHECK (card_charge_id IS NULL OR EXISTS (SELECT 1 FROM payments.card_charges k WHERE k.id = card_charge_id AND k.status = 'APPROVED'));
