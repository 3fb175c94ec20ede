-- Self-invoicing: a customer invoices a sale on central's page (/factura). The invoice itself is
-- an ordinary billing.invoices row in central's own series (A-WEB), written PENDING and stamped
-- by the fiscal worker; this row is what the customer's side needs of it and never leaves
-- central (no register pulls it): where its e-mail goes, the page's request key (a retried
-- request finds its invoice), the token the page polls and downloads with, and the e-mail job
-- once it is stamped.
CREATE TABLE billing.self_invoices (
  id uuid PRIMARY KEY NOT NULL,
  business_id uuid NOT NULL REFERENCES business.businesses (id),
  invoice_id uuid NOT NULL REFERENCES billing.invoices (id),
  sale_id uuid NOT NULL REFERENCES sales.sales (id),
  email text NOT NULL CHECK (length(email) BETWEEN 3 AND 254),
  locale text NOT NULL CHECK (locale ~ '^[a-z]{2}(-[A-Z]{2})?$'),
  request_key text NOT NULL CHECK (length(request_key) BETWEEN 16 AND 100),
  token text NOT NULL CHECK (length(token) >= 43),
  email_job_id uuid REFERENCES communication.notification_jobs (id),
  created_at timestamptz DEFAULT now() NOT NULL,
  updated_at timestamptz DEFAULT now() NOT NULL,
  deleted_at timestamptz
);
--> statement-breakpoint
CREATE INDEX self_invoices_business_id_idx ON billing.self_invoices (business_id);
--> statement-breakpoint
CREATE UNIQUE INDEX self_invoices_invoice_id_key ON billing.self_invoices (invoice_id);
--> statement-breakpoint
CREATE INDEX self_invoices_sale_id_idx ON billing.self_invoices (sale_id);
--> statement-breakpoint
CREATE INDEX self_invoices_email_job_id_idx ON billing.self_invoices (email_job_id);
--> statement-breakpoint
CREATE UNIQUE INDEX self_invoices_request_key_key ON billing.self_invoices (request_key);
--> statement-breakpoint
CREATE UNIQUE INDEX self_invoices_token_key ON billing.self_invoices (token);
--> statement-breakpoint
-- The sweep after each fiscal pass looks for stamped self-invoices without their e-mail yet.
CREATE INDEX self_invoices_unsent_idx ON billing.self_invoices (created_at) WHERE email_job_id IS NULL AND deleted_at IS NULL;
