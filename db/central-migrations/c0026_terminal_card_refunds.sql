-- A register's refund that gives back a card charge which never became a tender (its sale was
-- voided with the charge approved) names that charge (payments.refunds.card_charge_id, shared
-- migration 0021). The charge must be one of this register's own, and approved: the terminal's
-- policy on payments.card_charges (c0024) shows it no other register's charge.
CREATE POLICY terminal_refunds_own_charge ON payments.refunds AS RESTRICTIVE FOR INSERT TO pos_terminal
  WITH CHECK (card_charge_id IS NULL OR EXISTS (SELECT 1 FROM payments.card_charges k WHERE k.id = card_charge_id AND k.status = 'APPROVED'));
