CREATE SCHEMA "auth";
--> statement-breakpoint
CREATE SCHEMA "business";
--> statement-breakpoint
CREATE SCHEMA "communication";
--> statement-breakpoint
CREATE SCHEMA "inventory";
--> statement-breakpoint
CREATE SCHEMA "sales";
--> statement-breakpoint
CREATE SCHEMA "payments";
--> statement-breakpoint
CREATE SCHEMA "billing";
--> statement-breakpoint
CREATE TABLE "auth"."audit_logs" (
	"id" uuid PRIMARY KEY NOT NULL,
	"business_id" uuid,
	"branch_id" uuid,
	"actor_user_id" uuid,
	"actor_employee_id" uuid,
	"approver_employee_id" uuid,
	"session_id" uuid,
	"device_id" text,
	"action" text NOT NULL,
	"outcome" text NOT NULL,
	"entity_type" text,
	"entity_id" uuid,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	CONSTRAINT "audit_logs_outcome_check" CHECK ("auth"."audit_logs"."outcome" in ('SUCCESS', 'FAILURE', 'DENIED'))
);
--> statement-breakpoint
CREATE TABLE "auth"."mfa_factors" (
	"id" uuid PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"type" text NOT NULL,
	"label" text NOT NULL,
	"secret" jsonb NOT NULL,
	"verified_at" timestamp with time zone,
	"last_used_at" timestamp with time zone,
	"last_used_step" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	CONSTRAINT "mfa_factors_type_check" CHECK ("auth"."mfa_factors"."type" in ('TOTP'))
);
--> statement-breakpoint
CREATE TABLE "auth"."mfa_recovery_codes" (
	"id" uuid PRIMARY KEY NOT NULL,
	"factor_id" uuid NOT NULL,
	"code_hash" text NOT NULL,
	"used_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	CONSTRAINT "mfa_recovery_codes_hash_check" CHECK ("auth"."mfa_recovery_codes"."code_hash" like '$argon2id$%')
);
--> statement-breakpoint
CREATE TABLE "auth"."sessions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"employee_id" uuid,
	"business_id" uuid,
	"branch_id" uuid,
	"trusted_device_id" uuid,
	"kind" text NOT NULL,
	"device_id" text NOT NULL,
	"device_name" text,
	"refresh_token_hash" text NOT NULL,
	"mfa_verified_at" timestamp with time zone,
	"last_seen_at" timestamp with time zone,
	"expires_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone,
	"revoked_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	CONSTRAINT "sessions_kind_check" CHECK ("auth"."sessions"."kind" in ('PIN', 'PASSWORD', 'GOOGLE', 'PHONE_OTP'))
);
--> statement-breakpoint
CREATE TABLE "auth"."trusted_devices" (
	"id" uuid PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"token_hash" text NOT NULL,
	"name" text NOT NULL,
	"last_used_at" timestamp with time zone,
	"expires_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "auth"."user_identities" (
	"id" uuid PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"business_id" uuid,
	"provider" text NOT NULL,
	"subject" text,
	"secret_hash" text,
	"failed_attempts" integer DEFAULT 0 NOT NULL,
	"locked_until" timestamp with time zone,
	"last_used_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	CONSTRAINT "user_identities_provider_check" CHECK ("auth"."user_identities"."provider" in ('PASSWORD', 'PIN', 'GOOGLE', 'PHONE_OTP')),
	CONSTRAINT "user_identities_secret_check" CHECK ("auth"."user_identities"."provider" not in ('PASSWORD', 'PIN') or "auth"."user_identities"."secret_hash" like '$argon2id$%'),
	CONSTRAINT "user_identities_pin_scope_check" CHECK ("auth"."user_identities"."provider" <> 'PIN' or "auth"."user_identities"."business_id" is not null),
	CONSTRAINT "user_identities_failed_attempts_check" CHECK ("auth"."user_identities"."failed_attempts" >= 0)
);
--> statement-breakpoint
CREATE TABLE "auth"."users" (
	"id" uuid PRIMARY KEY NOT NULL,
	"email" text,
	"phone" text,
	"display_name" text NOT NULL,
	"locale" text DEFAULT 'es-MX' NOT NULL,
	"kyc_level" smallint DEFAULT 0 NOT NULL,
	"kyc_data" jsonb,
	"preferences" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	CONSTRAINT "users_email_lower_check" CHECK ("auth"."users"."email" = lower("auth"."users"."email")),
	CONSTRAINT "users_phone_e164_check" CHECK ("auth"."users"."phone" ~ '^\+[1-9][0-9]{6,14}$'),
	CONSTRAINT "users_kyc_level_check" CHECK ("auth"."users"."kyc_level" between 0 and 3)
);
--> statement-breakpoint
CREATE TABLE "business"."branches" (
	"id" uuid PRIMARY KEY NOT NULL,
	"business_id" uuid NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"timezone" text NOT NULL,
	"address_line1" text NOT NULL,
	"address_line2" text,
	"city" text NOT NULL,
	"state" text NOT NULL,
	"postal_code" text NOT NULL,
	"country" char(2) NOT NULL,
	"phone" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	CONSTRAINT "branches_timezone_check" CHECK ("business"."branches"."timezone" ~ '^[A-Za-z_]+(/[A-Za-z0-9_+-]+)*$')
);
--> statement-breakpoint
CREATE TABLE "business"."businesses" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"legal_name" text NOT NULL,
	"type" text NOT NULL,
	"features" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"country" char(2) NOT NULL,
	"currency" char(3) NOT NULL,
	"tax_id" text NOT NULL,
	"prices_include_tax" boolean DEFAULT true NOT NULL,
	"owner_user_id" uuid NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	CONSTRAINT "businesses_type_check" CHECK ("business"."businesses"."type" in ('RETAIL', 'RESTAURANT', 'SERVICE')),
	CONSTRAINT "businesses_country_check" CHECK ("business"."businesses"."country" ~ '^[A-Z]{2}$'),
	CONSTRAINT "businesses_currency_check" CHECK ("business"."businesses"."currency" ~ '^[A-Z]{3}$')
);
--> statement-breakpoint
CREATE TABLE "business"."employee_branches" (
	"id" uuid PRIMARY KEY NOT NULL,
	"employee_id" uuid NOT NULL,
	"branch_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "business"."employees" (
	"id" uuid PRIMARY KEY NOT NULL,
	"business_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"role_id" uuid NOT NULL,
	"code" text NOT NULL,
	"display_name" text NOT NULL,
	"status" text DEFAULT 'ACTIVE' NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	CONSTRAINT "employees_status_check" CHECK ("business"."employees"."status" in ('ACTIVE', 'SUSPENDED', 'TERMINATED'))
);
--> statement-breakpoint
CREATE TABLE "business"."permissions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"code" text NOT NULL,
	"description" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	CONSTRAINT "permissions_code_check" CHECK ("business"."permissions"."code" ~ '^[a-z_]+(\.[a-z_]+)+$')
);
--> statement-breakpoint
CREATE TABLE "business"."role_permissions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"role_id" uuid NOT NULL,
	"permission_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "business"."roles" (
	"id" uuid PRIMARY KEY NOT NULL,
	"business_id" uuid NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"max_discount_rate" numeric(9, 6) DEFAULT '0' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	CONSTRAINT "roles_max_discount_rate_check" CHECK ("business"."roles"."max_discount_rate" between 0 and 1)
);
--> statement-breakpoint
CREATE TABLE "business"."settings" (
	"id" uuid PRIMARY KEY NOT NULL,
	"business_id" uuid NOT NULL,
	"branch_id" uuid,
	"key" text NOT NULL,
	"value" jsonb NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	CONSTRAINT "settings_key_check" CHECK ("business"."settings"."key" ~ '^[a-z][a-zA-Z0-9]*(\.[a-z][a-zA-Z0-9]*)*$')
);
--> statement-breakpoint
CREATE TABLE "communication"."in_app_notifications" (
	"id" uuid PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"business_id" uuid,
	"branch_id" uuid,
	"employee_id" uuid,
	"template_id" uuid,
	"severity" text DEFAULT 'INFO' NOT NULL,
	"title" text NOT NULL,
	"body" text NOT NULL,
	"data" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"read_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	CONSTRAINT "in_app_notifications_severity_check" CHECK ("communication"."in_app_notifications"."severity" in ('INFO', 'WARNING', 'CRITICAL'))
);
--> statement-breakpoint
CREATE TABLE "communication"."notification_jobs" (
	"id" uuid PRIMARY KEY NOT NULL,
	"business_id" uuid,
	"user_id" uuid,
	"template_id" uuid NOT NULL,
	"channel" text NOT NULL,
	"recipient" text NOT NULL,
	"payload" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"status" text DEFAULT 'PENDING' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"run_at" timestamp with time zone DEFAULT now() NOT NULL,
	"locked_at" timestamp with time zone,
	"last_error" text,
	"idempotency_key" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	CONSTRAINT "notification_jobs_status_check" CHECK ("communication"."notification_jobs"."status" in ('PENDING', 'PROCESSING', 'SENT', 'FAILED', 'CANCELLED')),
	CONSTRAINT "notification_jobs_channel_check" CHECK ("communication"."notification_jobs"."channel" in ('EMAIL', 'SMS', 'WHATSAPP', 'PUSH', 'IN_APP')),
	CONSTRAINT "notification_jobs_attempts_check" CHECK ("communication"."notification_jobs"."attempts" >= 0)
);
--> statement-breakpoint
CREATE TABLE "communication"."notification_logs" (
	"id" uuid PRIMARY KEY NOT NULL,
	"job_id" uuid,
	"channel" text NOT NULL,
	"recipient" text NOT NULL,
	"status" text NOT NULL,
	"provider" text,
	"provider_response" jsonb,
	"expires_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	CONSTRAINT "notification_logs_channel_check" CHECK ("communication"."notification_logs"."channel" in ('EMAIL', 'SMS', 'WHATSAPP', 'PUSH', 'IN_APP')),
	CONSTRAINT "notification_logs_status_check" CHECK ("communication"."notification_logs"."status" in ('SENT', 'DELIVERED', 'FAILED', 'BOUNCED'))
);
--> statement-breakpoint
CREATE TABLE "communication"."notification_templates" (
	"id" uuid PRIMARY KEY NOT NULL,
	"business_id" uuid,
	"code" text NOT NULL,
	"channel" text NOT NULL,
	"locale" text NOT NULL,
	"engine" text DEFAULT 'HANDLEBARS' NOT NULL,
	"subject" text,
	"body" text NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	CONSTRAINT "notification_templates_channel_check" CHECK ("communication"."notification_templates"."channel" in ('EMAIL', 'SMS', 'WHATSAPP', 'PUSH', 'IN_APP')),
	CONSTRAINT "notification_templates_engine_check" CHECK ("communication"."notification_templates"."engine" in ('HANDLEBARS', 'MJML')),
	CONSTRAINT "notification_templates_no_base64_check" CHECK ("communication"."notification_templates"."body" !~ 'data:image/[a-z+]+.base64')
);
--> statement-breakpoint
CREATE TABLE "communication"."push_subscriptions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"endpoint" text NOT NULL,
	"keys" jsonb NOT NULL,
	"user_agent" text,
	"last_used_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "inventory"."categories" (
	"id" uuid PRIMARY KEY NOT NULL,
	"business_id" uuid NOT NULL,
	"parent_id" uuid,
	"name" text NOT NULL,
	"sort_order" integer DEFAULT 0 NOT NULL,
	"color" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "inventory"."product_variants" (
	"id" uuid PRIMARY KEY NOT NULL,
	"business_id" uuid NOT NULL,
	"product_id" uuid NOT NULL,
	"name" text,
	"sku" text NOT NULL,
	"barcode" text,
	"plu" text,
	"price" numeric(19, 4) NOT NULL,
	"cost" numeric(19, 4),
	"attributes" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"is_active" boolean DEFAULT true NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	CONSTRAINT "product_variants_barcode_check" CHECK ("inventory"."product_variants"."barcode" ~ '^[0-9]{8,14}$'),
	CONSTRAINT "product_variants_price_check" CHECK ("inventory"."product_variants"."price" >= 0),
	CONSTRAINT "product_variants_cost_check" CHECK ("inventory"."product_variants"."cost" >= 0)
);
--> statement-breakpoint
CREATE TABLE "inventory"."products" (
	"id" uuid PRIMARY KEY NOT NULL,
	"business_id" uuid NOT NULL,
	"category_id" uuid,
	"name" text NOT NULL,
	"brand" text,
	"description" text,
	"sold_by" text DEFAULT 'UNIT' NOT NULL,
	"unit" text DEFAULT 'pza' NOT NULL,
	"tax_code" text NOT NULL,
	"tax_rate" numeric(9, 6) NOT NULL,
	"fiscal_product_code" text,
	"fiscal_unit_code" text,
	"is_active" boolean DEFAULT true NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	CONSTRAINT "products_sold_by_check" CHECK ("inventory"."products"."sold_by" in ('UNIT', 'WEIGHT')),
	CONSTRAINT "products_tax_code_check" CHECK ("inventory"."products"."tax_code" in ('IVA16', 'IVA8', 'IVA0', 'EXENTO', 'IVA19', 'IVA5', 'IVA21', 'IVA10_5')),
	CONSTRAINT "products_tax_rate_check" CHECK ("inventory"."products"."tax_rate" >= 0 and "inventory"."products"."tax_rate" < 1),
	CONSTRAINT "products_exempt_check" CHECK ("inventory"."products"."tax_code" <> 'EXENTO' or "inventory"."products"."tax_rate" = 0)
);
--> statement-breakpoint
CREATE TABLE "inventory"."stock_alerts" (
	"id" uuid PRIMARY KEY NOT NULL,
	"variant_id" uuid NOT NULL,
	"branch_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"status" text DEFAULT 'OPEN' NOT NULL,
	"threshold" numeric(19, 4),
	"quantity_at_alert" numeric(19, 4) NOT NULL,
	"acknowledged_by" uuid,
	"resolved_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	CONSTRAINT "stock_alerts_kind_check" CHECK ("inventory"."stock_alerts"."kind" in ('LOW_STOCK', 'OUT_OF_STOCK', 'NEGATIVE_STOCK')),
	CONSTRAINT "stock_alerts_status_check" CHECK ("inventory"."stock_alerts"."status" in ('OPEN', 'ACKNOWLEDGED', 'RESOLVED'))
);
--> statement-breakpoint
CREATE TABLE "inventory"."stock_levels" (
	"id" uuid PRIMARY KEY NOT NULL,
	"variant_id" uuid NOT NULL,
	"branch_id" uuid NOT NULL,
	"quantity" numeric(19, 4) DEFAULT '0' NOT NULL,
	"reorder_point" numeric(19, 4),
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "inventory"."stock_movements" (
	"id" uuid PRIMARY KEY NOT NULL,
	"variant_id" uuid NOT NULL,
	"branch_id" uuid NOT NULL,
	"employee_id" uuid,
	"kind" text NOT NULL,
	"quantity" numeric(19, 4) NOT NULL,
	"unit_cost" numeric(19, 4),
	"reason" text,
	"reference_type" text,
	"reference_id" uuid,
	"idempotency_key" text NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	CONSTRAINT "stock_movements_kind_check" CHECK ("inventory"."stock_movements"."kind" in ('SALE', 'RETURN', 'VOID', 'RECEIVE', 'ADJUST', 'TRANSFER_IN', 'TRANSFER_OUT', 'COUNT')),
	CONSTRAINT "stock_movements_quantity_check" CHECK ("inventory"."stock_movements"."quantity" <> 0)
);
--> statement-breakpoint
CREATE TABLE "sales"."cash_movements" (
	"id" uuid PRIMARY KEY NOT NULL,
	"shift_id" uuid NOT NULL,
	"register_id" uuid NOT NULL,
	"employee_id" uuid NOT NULL,
	"approved_by" uuid,
	"kind" text NOT NULL,
	"amount" numeric(19, 4) NOT NULL,
	"currency" char(3) NOT NULL,
	"reason" text NOT NULL,
	"idempotency_key" text NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	CONSTRAINT "cash_movements_kind_check" CHECK ("sales"."cash_movements"."kind" in ('PAY_IN', 'PAY_OUT', 'DROP')),
	CONSTRAINT "cash_movements_amount_check" CHECK ("sales"."cash_movements"."amount" > 0)
);
--> statement-breakpoint
CREATE TABLE "sales"."cash_registers" (
	"id" uuid PRIMARY KEY NOT NULL,
	"business_id" uuid NOT NULL,
	"branch_id" uuid NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"last_receipt_number" bigint DEFAULT 0 NOT NULL,
	"last_return_number" bigint DEFAULT 0 NOT NULL,
	"last_z_number" bigint DEFAULT 0 NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	CONSTRAINT "cash_registers_counters_check" CHECK ("sales"."cash_registers"."last_receipt_number" >= 0 and "sales"."cash_registers"."last_return_number" >= 0 and "sales"."cash_registers"."last_z_number" >= 0)
);
--> statement-breakpoint
CREATE TABLE "sales"."receipts" (
	"id" uuid PRIMARY KEY NOT NULL,
	"register_id" uuid NOT NULL,
	"sale_id" uuid,
	"return_id" uuid,
	"shift_id" uuid,
	"employee_id" uuid,
	"kind" text NOT NULL,
	"copy_number" integer DEFAULT 0 NOT NULL,
	"printer_uri" text NOT NULL,
	"status" text DEFAULT 'PENDING' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"document" jsonb NOT NULL,
	"printed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	CONSTRAINT "receipts_kind_check" CHECK ("sales"."receipts"."kind" in ('SALE', 'GIFT', 'RETURN', 'X_REPORT', 'Z_REPORT', 'TEST')),
	CONSTRAINT "receipts_status_check" CHECK ("sales"."receipts"."status" in ('PENDING', 'PRINTED', 'FAILED'))
);
--> statement-breakpoint
CREATE TABLE "sales"."return_items" (
	"id" uuid PRIMARY KEY NOT NULL,
	"return_id" uuid NOT NULL,
	"sale_item_id" uuid NOT NULL,
	"quantity" numeric(19, 4) NOT NULL,
	"subtotal" numeric(19, 4) NOT NULL,
	"tax_amount" numeric(19, 4) NOT NULL,
	"total" numeric(19, 4) NOT NULL,
	"restock" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	CONSTRAINT "return_items_quantity_check" CHECK ("sales"."return_items"."quantity" > 0)
);
--> statement-breakpoint
CREATE TABLE "sales"."returns" (
	"id" uuid PRIMARY KEY NOT NULL,
	"business_id" uuid NOT NULL,
	"branch_id" uuid NOT NULL,
	"register_id" uuid NOT NULL,
	"shift_id" uuid NOT NULL,
	"sale_id" uuid NOT NULL,
	"employee_id" uuid NOT NULL,
	"approved_by" uuid,
	"return_number" bigint NOT NULL,
	"business_date" date NOT NULL,
	"currency" char(3) NOT NULL,
	"reason" text NOT NULL,
	"subtotal" numeric(19, 4) NOT NULL,
	"tax_total" numeric(19, 4) NOT NULL,
	"total" numeric(19, 4) NOT NULL,
	"idempotency_key" text NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	CONSTRAINT "returns_amounts_check" CHECK ("sales"."returns"."subtotal" >= 0 and "sales"."returns"."tax_total" >= 0 and "sales"."returns"."total" > 0)
);
--> statement-breakpoint
CREATE TABLE "sales"."sale_items" (
	"id" uuid PRIMARY KEY NOT NULL,
	"sale_id" uuid NOT NULL,
	"line_no" integer NOT NULL,
	"variant_id" uuid NOT NULL,
	"product_id" uuid NOT NULL,
	"name" text NOT NULL,
	"sku" text NOT NULL,
	"barcode" text,
	"unit" text NOT NULL,
	"unit_price" numeric(19, 4) NOT NULL,
	"list_price" numeric(19, 4),
	"price_overridden_by" uuid,
	"tax_code" text NOT NULL,
	"tax_rate" numeric(9, 6) NOT NULL,
	"quantity" numeric(19, 4) NOT NULL,
	"is_weighed" boolean DEFAULT false NOT NULL,
	"discount_amount" numeric(19, 4) DEFAULT '0' NOT NULL,
	"discount_approved_by" uuid,
	"subtotal" numeric(19, 4) NOT NULL,
	"tax_amount" numeric(19, 4) NOT NULL,
	"total" numeric(19, 4) NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	CONSTRAINT "sale_items_tax_code_check" CHECK ("sales"."sale_items"."tax_code" in ('IVA16', 'IVA8', 'IVA0', 'EXENTO', 'IVA19', 'IVA5', 'IVA21', 'IVA10_5')),
	CONSTRAINT "sale_items_quantity_check" CHECK ("sales"."sale_items"."quantity" > 0),
	CONSTRAINT "sale_items_amounts_check" CHECK ("sales"."sale_items"."unit_price" >= 0 and "sales"."sale_items"."discount_amount" >= 0
      and "sales"."sale_items"."subtotal" >= 0 and "sales"."sale_items"."tax_amount" >= 0 and "sales"."sale_items"."total" >= 0)
);
--> statement-breakpoint
CREATE TABLE "sales"."sales" (
	"id" uuid PRIMARY KEY NOT NULL,
	"business_id" uuid NOT NULL,
	"branch_id" uuid NOT NULL,
	"register_id" uuid NOT NULL,
	"shift_id" uuid NOT NULL,
	"employee_id" uuid NOT NULL,
	"status" text DEFAULT 'OPEN' NOT NULL,
	"receipt_number" bigint,
	"business_date" date,
	"currency" char(3) NOT NULL,
	"prices_include_tax" boolean NOT NULL,
	"subtotal" numeric(19, 4) DEFAULT '0' NOT NULL,
	"discount_total" numeric(19, 4) DEFAULT '0' NOT NULL,
	"tax_total" numeric(19, 4) DEFAULT '0' NOT NULL,
	"rounding" numeric(19, 4) DEFAULT '0' NOT NULL,
	"total" numeric(19, 4) DEFAULT '0' NOT NULL,
	"paid_total" numeric(19, 4) DEFAULT '0' NOT NULL,
	"change_total" numeric(19, 4) DEFAULT '0' NOT NULL,
	"park_label" text,
	"idempotency_key" text NOT NULL,
	"opened_at" timestamp with time zone NOT NULL,
	"completed_at" timestamp with time zone,
	"voided_at" timestamp with time zone,
	"voided_by" uuid,
	"void_reason" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	CONSTRAINT "sales_status_check" CHECK ("sales"."sales"."status" in ('OPEN', 'PARKED', 'COMPLETED', 'VOIDED')),
	CONSTRAINT "sales_completed_check" CHECK ("sales"."sales"."status" <> 'COMPLETED' or
      ("sales"."sales"."receipt_number" is not null and "sales"."sales"."completed_at" is not null and "sales"."sales"."business_date" is not null)),
	CONSTRAINT "sales_voided_check" CHECK ("sales"."sales"."status" <> 'VOIDED' or ("sales"."sales"."voided_at" is not null and "sales"."sales"."voided_by" is not null)),
	CONSTRAINT "sales_amounts_check" CHECK ("sales"."sales"."subtotal" >= 0 and "sales"."sales"."discount_total" >= 0 and "sales"."sales"."tax_total" >= 0
      and "sales"."sales"."total" >= 0 and "sales"."sales"."paid_total" >= 0 and "sales"."sales"."change_total" >= 0)
);
--> statement-breakpoint
CREATE TABLE "sales"."shifts" (
	"id" uuid PRIMARY KEY NOT NULL,
	"business_id" uuid NOT NULL,
	"branch_id" uuid NOT NULL,
	"register_id" uuid NOT NULL,
	"opened_by" uuid NOT NULL,
	"closed_by" uuid,
	"approved_by" uuid,
	"status" text DEFAULT 'OPEN' NOT NULL,
	"business_date" date NOT NULL,
	"opened_at" timestamp with time zone NOT NULL,
	"closed_at" timestamp with time zone,
	"opening_float" numeric(19, 4) NOT NULL,
	"opening_count" jsonb,
	"expected_cash" numeric(19, 4),
	"counted_cash" numeric(19, 4),
	"closing_count" jsonb,
	"variance" numeric(19, 4),
	"z_number" bigint,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	CONSTRAINT "shifts_status_check" CHECK ("sales"."shifts"."status" in ('OPEN', 'CLOSED')),
	CONSTRAINT "shifts_opening_float_check" CHECK ("sales"."shifts"."opening_float" >= 0),
	CONSTRAINT "shifts_closed_check" CHECK ("sales"."shifts"."status" <> 'CLOSED' or
      ("sales"."shifts"."closed_at" is not null and "sales"."shifts"."counted_cash" is not null and "sales"."shifts"."expected_cash" is not null
       and "sales"."shifts"."variance" is not null and "sales"."shifts"."z_number" is not null and "sales"."shifts"."closed_by" is not null))
);
--> statement-breakpoint
CREATE TABLE "payments"."balance_movements" (
	"id" uuid PRIMARY KEY NOT NULL,
	"balance_id" uuid NOT NULL,
	"transaction_id" uuid,
	"refund_id" uuid,
	"employee_id" uuid,
	"amount" numeric(19, 4) NOT NULL,
	"reason" text NOT NULL,
	"idempotency_key" text NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	CONSTRAINT "balance_movements_amount_check" CHECK ("payments"."balance_movements"."amount" <> 0)
);
--> statement-breakpoint
CREATE TABLE "payments"."balances" (
	"id" uuid PRIMARY KEY NOT NULL,
	"business_id" uuid NOT NULL,
	"holder_user_id" uuid,
	"kind" text NOT NULL,
	"code" text NOT NULL,
	"holder_name" text,
	"amount" numeric(19, 4) DEFAULT '0' NOT NULL,
	"currency" char(3) NOT NULL,
	"status" text DEFAULT 'ACTIVE' NOT NULL,
	"expires_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	CONSTRAINT "balances_kind_check" CHECK ("payments"."balances"."kind" in ('STORE_CREDIT', 'GIFT_CARD')),
	CONSTRAINT "balances_status_check" CHECK ("payments"."balances"."status" in ('ACTIVE', 'BLOCKED', 'EXPIRED')),
	CONSTRAINT "balances_amount_check" CHECK ("payments"."balances"."amount" >= 0)
);
--> statement-breakpoint
CREATE TABLE "payments"."payment_methods" (
	"id" uuid PRIMARY KEY NOT NULL,
	"business_id" uuid NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"opens_drawer" boolean DEFAULT false NOT NULL,
	"is_active" boolean DEFAULT true NOT NULL,
	"sort_order" integer DEFAULT 0 NOT NULL,
	"settings" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	CONSTRAINT "payment_methods_kind_check" CHECK ("payments"."payment_methods"."kind" in ('CASH', 'CARD', 'TRANSFER', 'STORE_CREDIT', 'GIFT_CARD', 'VOUCHER'))
);
--> statement-breakpoint
CREATE TABLE "payments"."refunds" (
	"id" uuid PRIMARY KEY NOT NULL,
	"business_id" uuid NOT NULL,
	"branch_id" uuid NOT NULL,
	"register_id" uuid,
	"shift_id" uuid,
	"sale_id" uuid,
	"return_id" uuid,
	"transaction_id" uuid,
	"payment_method_id" uuid NOT NULL,
	"balance_id" uuid,
	"employee_id" uuid,
	"approved_by" uuid,
	"status" text NOT NULL,
	"amount" numeric(19, 4) NOT NULL,
	"currency" char(3) NOT NULL,
	"reason" text NOT NULL,
	"provider" text,
	"provider_reference" text,
	"provider_data" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"idempotency_key" text NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	CONSTRAINT "refunds_status_check" CHECK ("payments"."refunds"."status" in ('CONFIRMED', 'DECLINED')),
	CONSTRAINT "refunds_amount_check" CHECK ("payments"."refunds"."amount" > 0)
);
--> statement-breakpoint
CREATE TABLE "payments"."transactions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"business_id" uuid NOT NULL,
	"branch_id" uuid NOT NULL,
	"register_id" uuid,
	"shift_id" uuid,
	"sale_id" uuid,
	"payment_method_id" uuid NOT NULL,
	"balance_id" uuid,
	"employee_id" uuid,
	"status" text NOT NULL,
	"amount" numeric(19, 4) NOT NULL,
	"currency" char(3) NOT NULL,
	"tendered_amount" numeric(19, 4),
	"change_amount" numeric(19, 4),
	"card_last4" text,
	"card_brand" text,
	"approval_code" text,
	"provider" text,
	"provider_reference" text,
	"provider_data" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"idempotency_key" text NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	CONSTRAINT "transactions_status_check" CHECK ("payments"."transactions"."status" in ('CONFIRMED', 'DECLINED')),
	CONSTRAINT "transactions_amount_check" CHECK ("payments"."transactions"."amount" > 0),
	CONSTRAINT "transactions_cash_check" CHECK ("payments"."transactions"."tendered_amount" is null or
      ("payments"."transactions"."change_amount" is not null and "payments"."transactions"."tendered_amount" = "payments"."transactions"."amount" + "payments"."transactions"."change_amount" and "payments"."transactions"."change_amount" >= 0)),
	CONSTRAINT "transactions_card_last4_check" CHECK ("payments"."transactions"."card_last4" ~ '^[0-9]{4}$')
);
--> statement-breakpoint
CREATE TABLE "billing"."credit_notes" (
	"id" uuid PRIMARY KEY NOT NULL,
	"business_id" uuid NOT NULL,
	"invoice_id" uuid NOT NULL,
	"fiscal_profile_id" uuid NOT NULL,
	"return_id" uuid,
	"series" text NOT NULL,
	"folio" bigint NOT NULL,
	"status" text DEFAULT 'PENDING' NOT NULL,
	"reason" text NOT NULL,
	"currency" char(3) NOT NULL,
	"totals" jsonb NOT NULL,
	"subtotal" numeric(19, 4) NOT NULL,
	"tax_total" numeric(19, 4) NOT NULL,
	"total" numeric(19, 4) NOT NULL,
	"fiscal_id_type" text,
	"fiscal_id" text,
	"fiscal_data" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"issued_at" timestamp with time zone,
	"idempotency_key" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	CONSTRAINT "credit_notes_status_check" CHECK ("billing"."credit_notes"."status" in ('PENDING', 'ISSUED', 'REJECTED', 'CANCELLED')),
	CONSTRAINT "credit_notes_fiscal_id_type_check" CHECK ("billing"."credit_notes"."fiscal_id_type" in ('CFDI_UUID', 'CUFE', 'CUDE', 'CAE')),
	CONSTRAINT "credit_notes_total_check" CHECK ("billing"."credit_notes"."total" > 0)
);
--> statement-breakpoint
CREATE TABLE "billing"."fiscal_profiles" (
	"id" uuid PRIMARY KEY NOT NULL,
	"business_id" uuid NOT NULL,
	"branch_id" uuid,
	"country" char(2) NOT NULL,
	"tax_id" text NOT NULL,
	"legal_name" text NOT NULL,
	"tax_regime" text NOT NULL,
	"postal_code" text NOT NULL,
	"provider" text NOT NULL,
	"environment" text DEFAULT 'TEST' NOT NULL,
	"point_of_sale" text,
	"series" text NOT NULL,
	"last_folio" bigint DEFAULT 0 NOT NULL,
	"certificate_ref" text,
	"settings" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	CONSTRAINT "fiscal_profiles_environment_check" CHECK ("billing"."fiscal_profiles"."environment" in ('TEST', 'PRODUCTION')),
	CONSTRAINT "fiscal_profiles_last_folio_check" CHECK ("billing"."fiscal_profiles"."last_folio" >= 0)
);
--> statement-breakpoint
CREATE TABLE "billing"."invoice_items" (
	"id" uuid PRIMARY KEY NOT NULL,
	"invoice_id" uuid NOT NULL,
	"sale_item_id" uuid,
	"line_no" integer NOT NULL,
	"description" text NOT NULL,
	"sku" text,
	"fiscal_product_code" text,
	"fiscal_unit_code" text,
	"quantity" numeric(19, 4) NOT NULL,
	"unit_price" numeric(19, 4) NOT NULL,
	"discount_amount" numeric(19, 4) DEFAULT '0' NOT NULL,
	"tax_code" text NOT NULL,
	"tax_rate" numeric(9, 6) NOT NULL,
	"tax_amount" numeric(19, 4) NOT NULL,
	"total" numeric(19, 4) NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	CONSTRAINT "invoice_items_tax_code_check" CHECK ("billing"."invoice_items"."tax_code" in ('IVA16', 'IVA8', 'IVA0', 'EXENTO', 'IVA19', 'IVA5', 'IVA21', 'IVA10_5'))
);
--> statement-breakpoint
CREATE TABLE "billing"."invoices" (
	"id" uuid PRIMARY KEY NOT NULL,
	"business_id" uuid NOT NULL,
	"branch_id" uuid NOT NULL,
	"fiscal_profile_id" uuid NOT NULL,
	"sale_id" uuid,
	"kind" text DEFAULT 'INVOICE' NOT NULL,
	"country" char(2) NOT NULL,
	"series" text NOT NULL,
	"folio" bigint NOT NULL,
	"status" text DEFAULT 'PENDING' NOT NULL,
	"currency" char(3) NOT NULL,
	"issuer" jsonb NOT NULL,
	"receiver" jsonb NOT NULL,
	"totals" jsonb NOT NULL,
	"subtotal" numeric(19, 4) NOT NULL,
	"discount_total" numeric(19, 4) NOT NULL,
	"tax_total" numeric(19, 4) NOT NULL,
	"total" numeric(19, 4) NOT NULL,
	"fiscal_id_type" text,
	"fiscal_id" text,
	"fiscal_data" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"issued_at" timestamp with time zone,
	"idempotency_key" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	CONSTRAINT "invoices_kind_check" CHECK ("billing"."invoices"."kind" in ('INVOICE', 'GLOBAL', 'CREDIT_NOTE')),
	CONSTRAINT "invoices_status_check" CHECK ("billing"."invoices"."status" in ('PENDING', 'ISSUED', 'REJECTED', 'CANCELLED')),
	CONSTRAINT "invoices_fiscal_id_type_check" CHECK ("billing"."invoices"."fiscal_id_type" in ('CFDI_UUID', 'CUFE', 'CUDE', 'CAE')),
	CONSTRAINT "invoices_issued_check" CHECK ("billing"."invoices"."status" <> 'ISSUED' or ("billing"."invoices"."fiscal_id" is not null and "billing"."invoices"."issued_at" is not null))
);
--> statement-breakpoint
ALTER TABLE "auth"."audit_logs" ADD CONSTRAINT "audit_logs_business_id_businesses_id_fk" FOREIGN KEY ("business_id") REFERENCES "business"."businesses"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "auth"."audit_logs" ADD CONSTRAINT "audit_logs_branch_id_branches_id_fk" FOREIGN KEY ("branch_id") REFERENCES "business"."branches"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "auth"."audit_logs" ADD CONSTRAINT "audit_logs_actor_user_id_users_id_fk" FOREIGN KEY ("actor_user_id") REFERENCES "auth"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "auth"."audit_logs" ADD CONSTRAINT "audit_logs_actor_employee_id_employees_id_fk" FOREIGN KEY ("actor_employee_id") REFERENCES "business"."employees"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "auth"."audit_logs" ADD CONSTRAINT "audit_logs_approver_employee_id_employees_id_fk" FOREIGN KEY ("approver_employee_id") REFERENCES "business"."employees"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "auth"."audit_logs" ADD CONSTRAINT "audit_logs_session_id_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "auth"."sessions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "auth"."mfa_factors" ADD CONSTRAINT "mfa_factors_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "auth"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "auth"."mfa_recovery_codes" ADD CONSTRAINT "mfa_recovery_codes_factor_id_mfa_factors_id_fk" FOREIGN KEY ("factor_id") REFERENCES "auth"."mfa_factors"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "auth"."sessions" ADD CONSTRAINT "sessions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "auth"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "auth"."sessions" ADD CONSTRAINT "sessions_employee_id_employees_id_fk" FOREIGN KEY ("employee_id") REFERENCES "business"."employees"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "auth"."sessions" ADD CONSTRAINT "sessions_business_id_businesses_id_fk" FOREIGN KEY ("business_id") REFERENCES "business"."businesses"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "auth"."sessions" ADD CONSTRAINT "sessions_branch_id_branches_id_fk" FOREIGN KEY ("branch_id") REFERENCES "business"."branches"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "auth"."sessions" ADD CONSTRAINT "sessions_trusted_device_id_trusted_devices_id_fk" FOREIGN KEY ("trusted_device_id") REFERENCES "auth"."trusted_devices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "auth"."trusted_devices" ADD CONSTRAINT "trusted_devices_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "auth"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "auth"."user_identities" ADD CONSTRAINT "user_identities_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "auth"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "auth"."user_identities" ADD CONSTRAINT "user_identities_business_id_businesses_id_fk" FOREIGN KEY ("business_id") REFERENCES "business"."businesses"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "business"."branches" ADD CONSTRAINT "branches_business_id_businesses_id_fk" FOREIGN KEY ("business_id") REFERENCES "business"."businesses"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "business"."businesses" ADD CONSTRAINT "businesses_owner_user_id_users_id_fk" FOREIGN KEY ("owner_user_id") REFERENCES "auth"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "business"."employee_branches" ADD CONSTRAINT "employee_branches_employee_id_employees_id_fk" FOREIGN KEY ("employee_id") REFERENCES "business"."employees"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "business"."employee_branches" ADD CONSTRAINT "employee_branches_branch_id_branches_id_fk" FOREIGN KEY ("branch_id") REFERENCES "business"."branches"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "business"."employees" ADD CONSTRAINT "employees_business_id_businesses_id_fk" FOREIGN KEY ("business_id") REFERENCES "business"."businesses"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "business"."employees" ADD CONSTRAINT "employees_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "auth"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "business"."employees" ADD CONSTRAINT "employees_role_id_roles_id_fk" FOREIGN KEY ("role_id") REFERENCES "business"."roles"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "business"."role_permissions" ADD CONSTRAINT "role_permissions_role_id_roles_id_fk" FOREIGN KEY ("role_id") REFERENCES "business"."roles"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "business"."role_permissions" ADD CONSTRAINT "role_permissions_permission_id_permissions_id_fk" FOREIGN KEY ("permission_id") REFERENCES "business"."permissions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "business"."roles" ADD CONSTRAINT "roles_business_id_businesses_id_fk" FOREIGN KEY ("business_id") REFERENCES "business"."businesses"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "business"."settings" ADD CONSTRAINT "settings_business_id_businesses_id_fk" FOREIGN KEY ("business_id") REFERENCES "business"."businesses"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "business"."settings" ADD CONSTRAINT "settings_branch_id_branches_id_fk" FOREIGN KEY ("branch_id") REFERENCES "business"."branches"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "communication"."in_app_notifications" ADD CONSTRAINT "in_app_notifications_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "auth"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "communication"."in_app_notifications" ADD CONSTRAINT "in_app_notifications_business_id_businesses_id_fk" FOREIGN KEY ("business_id") REFERENCES "business"."businesses"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "communication"."in_app_notifications" ADD CONSTRAINT "in_app_notifications_branch_id_branches_id_fk" FOREIGN KEY ("branch_id") REFERENCES "business"."branches"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "communication"."in_app_notifications" ADD CONSTRAINT "in_app_notifications_employee_id_employees_id_fk" FOREIGN KEY ("employee_id") REFERENCES "business"."employees"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "communication"."in_app_notifications" ADD CONSTRAINT "in_app_notifications_template_id_notification_templates_id_fk" FOREIGN KEY ("template_id") REFERENCES "communication"."notification_templates"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "communication"."notification_jobs" ADD CONSTRAINT "notification_jobs_business_id_businesses_id_fk" FOREIGN KEY ("business_id") REFERENCES "business"."businesses"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "communication"."notification_jobs" ADD CONSTRAINT "notification_jobs_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "auth"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "communication"."notification_jobs" ADD CONSTRAINT "notification_jobs_template_id_notification_templates_id_fk" FOREIGN KEY ("template_id") REFERENCES "communication"."notification_templates"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "communication"."notification_logs" ADD CONSTRAINT "notification_logs_job_id_notification_jobs_id_fk" FOREIGN KEY ("job_id") REFERENCES "communication"."notification_jobs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "communication"."notification_templates" ADD CONSTRAINT "notification_templates_business_id_businesses_id_fk" FOREIGN KEY ("business_id") REFERENCES "business"."businesses"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "communication"."push_subscriptions" ADD CONSTRAINT "push_subscriptions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "auth"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inventory"."categories" ADD CONSTRAINT "categories_business_id_businesses_id_fk" FOREIGN KEY ("business_id") REFERENCES "business"."businesses"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inventory"."categories" ADD CONSTRAINT "categories_parent_id_categories_id_fk" FOREIGN KEY ("parent_id") REFERENCES "inventory"."categories"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inventory"."product_variants" ADD CONSTRAINT "product_variants_business_id_businesses_id_fk" FOREIGN KEY ("business_id") REFERENCES "business"."businesses"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inventory"."product_variants" ADD CONSTRAINT "product_variants_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "inventory"."products"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inventory"."products" ADD CONSTRAINT "products_business_id_businesses_id_fk" FOREIGN KEY ("business_id") REFERENCES "business"."businesses"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inventory"."products" ADD CONSTRAINT "products_category_id_categories_id_fk" FOREIGN KEY ("category_id") REFERENCES "inventory"."categories"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inventory"."stock_alerts" ADD CONSTRAINT "stock_alerts_variant_id_product_variants_id_fk" FOREIGN KEY ("variant_id") REFERENCES "inventory"."product_variants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inventory"."stock_alerts" ADD CONSTRAINT "stock_alerts_branch_id_branches_id_fk" FOREIGN KEY ("branch_id") REFERENCES "business"."branches"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inventory"."stock_alerts" ADD CONSTRAINT "stock_alerts_acknowledged_by_employees_id_fk" FOREIGN KEY ("acknowledged_by") REFERENCES "business"."employees"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inventory"."stock_levels" ADD CONSTRAINT "stock_levels_variant_id_product_variants_id_fk" FOREIGN KEY ("variant_id") REFERENCES "inventory"."product_variants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inventory"."stock_levels" ADD CONSTRAINT "stock_levels_branch_id_branches_id_fk" FOREIGN KEY ("branch_id") REFERENCES "business"."branches"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inventory"."stock_movements" ADD CONSTRAINT "stock_movements_variant_id_product_variants_id_fk" FOREIGN KEY ("variant_id") REFERENCES "inventory"."product_variants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inventory"."stock_movements" ADD CONSTRAINT "stock_movements_branch_id_branches_id_fk" FOREIGN KEY ("branch_id") REFERENCES "business"."branches"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inventory"."stock_movements" ADD CONSTRAINT "stock_movements_employee_id_employees_id_fk" FOREIGN KEY ("employee_id") REFERENCES "business"."employees"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sales"."cash_movements" ADD CONSTRAINT "cash_movements_shift_id_shifts_id_fk" FOREIGN KEY ("shift_id") REFERENCES "sales"."shifts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sales"."cash_movements" ADD CONSTRAINT "cash_movements_register_id_cash_registers_id_fk" FOREIGN KEY ("register_id") REFERENCES "sales"."cash_registers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sales"."cash_movements" ADD CONSTRAINT "cash_movements_employee_id_employees_id_fk" FOREIGN KEY ("employee_id") REFERENCES "business"."employees"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sales"."cash_movements" ADD CONSTRAINT "cash_movements_approved_by_employees_id_fk" FOREIGN KEY ("approved_by") REFERENCES "business"."employees"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sales"."cash_registers" ADD CONSTRAINT "cash_registers_business_id_businesses_id_fk" FOREIGN KEY ("business_id") REFERENCES "business"."businesses"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sales"."cash_registers" ADD CONSTRAINT "cash_registers_branch_id_branches_id_fk" FOREIGN KEY ("branch_id") REFERENCES "business"."branches"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sales"."receipts" ADD CONSTRAINT "receipts_register_id_cash_registers_id_fk" FOREIGN KEY ("register_id") REFERENCES "sales"."cash_registers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sales"."receipts" ADD CONSTRAINT "receipts_sale_id_sales_id_fk" FOREIGN KEY ("sale_id") REFERENCES "sales"."sales"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sales"."receipts" ADD CONSTRAINT "receipts_return_id_returns_id_fk" FOREIGN KEY ("return_id") REFERENCES "sales"."returns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sales"."receipts" ADD CONSTRAINT "receipts_shift_id_shifts_id_fk" FOREIGN KEY ("shift_id") REFERENCES "sales"."shifts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sales"."receipts" ADD CONSTRAINT "receipts_employee_id_employees_id_fk" FOREIGN KEY ("employee_id") REFERENCES "business"."employees"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sales"."return_items" ADD CONSTRAINT "return_items_return_id_returns_id_fk" FOREIGN KEY ("return_id") REFERENCES "sales"."returns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sales"."return_items" ADD CONSTRAINT "return_items_sale_item_id_sale_items_id_fk" FOREIGN KEY ("sale_item_id") REFERENCES "sales"."sale_items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sales"."returns" ADD CONSTRAINT "returns_business_id_businesses_id_fk" FOREIGN KEY ("business_id") REFERENCES "business"."businesses"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sales"."returns" ADD CONSTRAINT "returns_branch_id_branches_id_fk" FOREIGN KEY ("branch_id") REFERENCES "business"."branches"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sales"."returns" ADD CONSTRAINT "returns_register_id_cash_registers_id_fk" FOREIGN KEY ("register_id") REFERENCES "sales"."cash_registers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sales"."returns" ADD CONSTRAINT "returns_shift_id_shifts_id_fk" FOREIGN KEY ("shift_id") REFERENCES "sales"."shifts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sales"."returns" ADD CONSTRAINT "returns_sale_id_sales_id_fk" FOREIGN KEY ("sale_id") REFERENCES "sales"."sales"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sales"."returns" ADD CONSTRAINT "returns_employee_id_employees_id_fk" FOREIGN KEY ("employee_id") REFERENCES "business"."employees"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sales"."returns" ADD CONSTRAINT "returns_approved_by_employees_id_fk" FOREIGN KEY ("approved_by") REFERENCES "business"."employees"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sales"."sale_items" ADD CONSTRAINT "sale_items_sale_id_sales_id_fk" FOREIGN KEY ("sale_id") REFERENCES "sales"."sales"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sales"."sale_items" ADD CONSTRAINT "sale_items_variant_id_product_variants_id_fk" FOREIGN KEY ("variant_id") REFERENCES "inventory"."product_variants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sales"."sale_items" ADD CONSTRAINT "sale_items_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "inventory"."products"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sales"."sale_items" ADD CONSTRAINT "sale_items_price_overridden_by_employees_id_fk" FOREIGN KEY ("price_overridden_by") REFERENCES "business"."employees"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sales"."sale_items" ADD CONSTRAINT "sale_items_discount_approved_by_employees_id_fk" FOREIGN KEY ("discount_approved_by") REFERENCES "business"."employees"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sales"."sales" ADD CONSTRAINT "sales_business_id_businesses_id_fk" FOREIGN KEY ("business_id") REFERENCES "business"."businesses"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sales"."sales" ADD CONSTRAINT "sales_branch_id_branches_id_fk" FOREIGN KEY ("branch_id") REFERENCES "business"."branches"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sales"."sales" ADD CONSTRAINT "sales_register_id_cash_registers_id_fk" FOREIGN KEY ("register_id") REFERENCES "sales"."cash_registers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sales"."sales" ADD CONSTRAINT "sales_shift_id_shifts_id_fk" FOREIGN KEY ("shift_id") REFERENCES "sales"."shifts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sales"."sales" ADD CONSTRAINT "sales_employee_id_employees_id_fk" FOREIGN KEY ("employee_id") REFERENCES "business"."employees"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sales"."sales" ADD CONSTRAINT "sales_voided_by_employees_id_fk" FOREIGN KEY ("voided_by") REFERENCES "business"."employees"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sales"."shifts" ADD CONSTRAINT "shifts_business_id_businesses_id_fk" FOREIGN KEY ("business_id") REFERENCES "business"."businesses"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sales"."shifts" ADD CONSTRAINT "shifts_branch_id_branches_id_fk" FOREIGN KEY ("branch_id") REFERENCES "business"."branches"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sales"."shifts" ADD CONSTRAINT "shifts_register_id_cash_registers_id_fk" FOREIGN KEY ("register_id") REFERENCES "sales"."cash_registers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sales"."shifts" ADD CONSTRAINT "shifts_opened_by_employees_id_fk" FOREIGN KEY ("opened_by") REFERENCES "business"."employees"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sales"."shifts" ADD CONSTRAINT "shifts_closed_by_employees_id_fk" FOREIGN KEY ("closed_by") REFERENCES "business"."employees"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sales"."shifts" ADD CONSTRAINT "shifts_approved_by_employees_id_fk" FOREIGN KEY ("approved_by") REFERENCES "business"."employees"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payments"."balance_movements" ADD CONSTRAINT "balance_movements_balance_id_balances_id_fk" FOREIGN KEY ("balance_id") REFERENCES "payments"."balances"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payments"."balance_movements" ADD CONSTRAINT "balance_movements_transaction_id_transactions_id_fk" FOREIGN KEY ("transaction_id") REFERENCES "payments"."transactions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payments"."balance_movements" ADD CONSTRAINT "balance_movements_refund_id_refunds_id_fk" FOREIGN KEY ("refund_id") REFERENCES "payments"."refunds"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payments"."balance_movements" ADD CONSTRAINT "balance_movements_employee_id_employees_id_fk" FOREIGN KEY ("employee_id") REFERENCES "business"."employees"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payments"."balances" ADD CONSTRAINT "balances_business_id_businesses_id_fk" FOREIGN KEY ("business_id") REFERENCES "business"."businesses"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payments"."balances" ADD CONSTRAINT "balances_holder_user_id_users_id_fk" FOREIGN KEY ("holder_user_id") REFERENCES "auth"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payments"."payment_methods" ADD CONSTRAINT "payment_methods_business_id_businesses_id_fk" FOREIGN KEY ("business_id") REFERENCES "business"."businesses"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payments"."refunds" ADD CONSTRAINT "refunds_business_id_businesses_id_fk" FOREIGN KEY ("business_id") REFERENCES "business"."businesses"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payments"."refunds" ADD CONSTRAINT "refunds_branch_id_branches_id_fk" FOREIGN KEY ("branch_id") REFERENCES "business"."branches"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payments"."refunds" ADD CONSTRAINT "refunds_register_id_cash_registers_id_fk" FOREIGN KEY ("register_id") REFERENCES "sales"."cash_registers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payments"."refunds" ADD CONSTRAINT "refunds_shift_id_shifts_id_fk" FOREIGN KEY ("shift_id") REFERENCES "sales"."shifts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payments"."refunds" ADD CONSTRAINT "refunds_sale_id_sales_id_fk" FOREIGN KEY ("sale_id") REFERENCES "sales"."sales"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payments"."refunds" ADD CONSTRAINT "refunds_return_id_returns_id_fk" FOREIGN KEY ("return_id") REFERENCES "sales"."returns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payments"."refunds" ADD CONSTRAINT "refunds_transaction_id_transactions_id_fk" FOREIGN KEY ("transaction_id") REFERENCES "payments"."transactions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payments"."refunds" ADD CONSTRAINT "refunds_payment_method_id_payment_methods_id_fk" FOREIGN KEY ("payment_method_id") REFERENCES "payments"."payment_methods"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payments"."refunds" ADD CONSTRAINT "refunds_balance_id_balances_id_fk" FOREIGN KEY ("balance_id") REFERENCES "payments"."balances"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payments"."refunds" ADD CONSTRAINT "refunds_employee_id_employees_id_fk" FOREIGN KEY ("employee_id") REFERENCES "business"."employees"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payments"."refunds" ADD CONSTRAINT "refunds_approved_by_employees_id_fk" FOREIGN KEY ("approved_by") REFERENCES "business"."employees"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payments"."transactions" ADD CONSTRAINT "transactions_business_id_businesses_id_fk" FOREIGN KEY ("business_id") REFERENCES "business"."businesses"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payments"."transactions" ADD CONSTRAINT "transactions_branch_id_branches_id_fk" FOREIGN KEY ("branch_id") REFERENCES "business"."branches"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payments"."transactions" ADD CONSTRAINT "transactions_register_id_cash_registers_id_fk" FOREIGN KEY ("register_id") REFERENCES "sales"."cash_registers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payments"."transactions" ADD CONSTRAINT "transactions_shift_id_shifts_id_fk" FOREIGN KEY ("shift_id") REFERENCES "sales"."shifts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payments"."transactions" ADD CONSTRAINT "transactions_sale_id_sales_id_fk" FOREIGN KEY ("sale_id") REFERENCES "sales"."sales"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payments"."transactions" ADD CONSTRAINT "transactions_payment_method_id_payment_methods_id_fk" FOREIGN KEY ("payment_method_id") REFERENCES "payments"."payment_methods"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payments"."transactions" ADD CONSTRAINT "transactions_balance_id_balances_id_fk" FOREIGN KEY ("balance_id") REFERENCES "payments"."balances"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payments"."transactions" ADD CONSTRAINT "transactions_employee_id_employees_id_fk" FOREIGN KEY ("employee_id") REFERENCES "business"."employees"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "billing"."credit_notes" ADD CONSTRAINT "credit_notes_business_id_businesses_id_fk" FOREIGN KEY ("business_id") REFERENCES "business"."businesses"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "billing"."credit_notes" ADD CONSTRAINT "credit_notes_invoice_id_invoices_id_fk" FOREIGN KEY ("invoice_id") REFERENCES "billing"."invoices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "billing"."credit_notes" ADD CONSTRAINT "credit_notes_fiscal_profile_id_fiscal_profiles_id_fk" FOREIGN KEY ("fiscal_profile_id") REFERENCES "billing"."fiscal_profiles"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "billing"."credit_notes" ADD CONSTRAINT "credit_notes_return_id_returns_id_fk" FOREIGN KEY ("return_id") REFERENCES "sales"."returns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "billing"."fiscal_profiles" ADD CONSTRAINT "fiscal_profiles_business_id_businesses_id_fk" FOREIGN KEY ("business_id") REFERENCES "business"."businesses"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "billing"."fiscal_profiles" ADD CONSTRAINT "fiscal_profiles_branch_id_branches_id_fk" FOREIGN KEY ("branch_id") REFERENCES "business"."branches"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "billing"."invoice_items" ADD CONSTRAINT "invoice_items_invoice_id_invoices_id_fk" FOREIGN KEY ("invoice_id") REFERENCES "billing"."invoices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "billing"."invoice_items" ADD CONSTRAINT "invoice_items_sale_item_id_sale_items_id_fk" FOREIGN KEY ("sale_item_id") REFERENCES "sales"."sale_items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "billing"."invoices" ADD CONSTRAINT "invoices_business_id_businesses_id_fk" FOREIGN KEY ("business_id") REFERENCES "business"."businesses"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "billing"."invoices" ADD CONSTRAINT "invoices_branch_id_branches_id_fk" FOREIGN KEY ("branch_id") REFERENCES "business"."branches"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "billing"."invoices" ADD CONSTRAINT "invoices_fiscal_profile_id_fiscal_profiles_id_fk" FOREIGN KEY ("fiscal_profile_id") REFERENCES "billing"."fiscal_profiles"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "billing"."invoices" ADD CONSTRAINT "invoices_sale_id_sales_id_fk" FOREIGN KEY ("sale_id") REFERENCES "sales"."sales"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "audit_logs_business_id_created_at_idx" ON "auth"."audit_logs" USING btree ("business_id","created_at");--> statement-breakpoint
CREATE INDEX "audit_logs_branch_id_idx" ON "auth"."audit_logs" USING btree ("branch_id");--> statement-breakpoint
CREATE INDEX "audit_logs_actor_user_id_idx" ON "auth"."audit_logs" USING btree ("actor_user_id");--> statement-breakpoint
CREATE INDEX "audit_logs_actor_employee_id_idx" ON "auth"."audit_logs" USING btree ("actor_employee_id");--> statement-breakpoint
CREATE INDEX "audit_logs_approver_employee_id_idx" ON "auth"."audit_logs" USING btree ("approver_employee_id");--> statement-breakpoint
CREATE INDEX "audit_logs_session_id_idx" ON "auth"."audit_logs" USING btree ("session_id");--> statement-breakpoint
CREATE INDEX "audit_logs_entity_type_entity_id_idx" ON "auth"."audit_logs" USING btree ("entity_type","entity_id");--> statement-breakpoint
CREATE INDEX "audit_logs_created_at_idx" ON "auth"."audit_logs" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "mfa_factors_user_id_idx" ON "auth"."mfa_factors" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "mfa_recovery_codes_factor_id_idx" ON "auth"."mfa_recovery_codes" USING btree ("factor_id");--> statement-breakpoint
CREATE INDEX "sessions_user_id_idx" ON "auth"."sessions" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "sessions_employee_id_idx" ON "auth"."sessions" USING btree ("employee_id");--> statement-breakpoint
CREATE INDEX "sessions_business_id_idx" ON "auth"."sessions" USING btree ("business_id");--> statement-breakpoint
CREATE INDEX "sessions_branch_id_idx" ON "auth"."sessions" USING btree ("branch_id");--> statement-breakpoint
CREATE INDEX "sessions_trusted_device_id_idx" ON "auth"."sessions" USING btree ("trusted_device_id");--> statement-breakpoint
CREATE UNIQUE INDEX "sessions_refresh_token_hash_key" ON "auth"."sessions" USING btree ("refresh_token_hash");--> statement-breakpoint
CREATE INDEX "sessions_live_idx" ON "auth"."sessions" USING btree ("user_id","expires_at") WHERE "auth"."sessions"."revoked_at" is null;--> statement-breakpoint
CREATE INDEX "trusted_devices_user_id_idx" ON "auth"."trusted_devices" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "trusted_devices_token_hash_key" ON "auth"."trusted_devices" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "user_identities_user_id_idx" ON "auth"."user_identities" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "user_identities_business_id_idx" ON "auth"."user_identities" USING btree ("business_id");--> statement-breakpoint
CREATE UNIQUE INDEX "user_identities_provider_subject_key" ON "auth"."user_identities" USING btree ("provider","subject") WHERE "auth"."user_identities"."subject" is not null and "auth"."user_identities"."deleted_at" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "user_identities_user_id_provider_key" ON "auth"."user_identities" USING btree ("user_id","provider") WHERE "auth"."user_identities"."business_id" is null and "auth"."user_identities"."deleted_at" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "user_identities_user_id_provider_business_id_key" ON "auth"."user_identities" USING btree ("user_id","provider","business_id") WHERE "auth"."user_identities"."business_id" is not null and "auth"."user_identities"."deleted_at" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "users_email_key" ON "auth"."users" USING btree ("email");--> statement-breakpoint
CREATE UNIQUE INDEX "users_phone_key" ON "auth"."users" USING btree ("phone");--> statement-breakpoint
CREATE INDEX "branches_business_id_idx" ON "business"."branches" USING btree ("business_id");--> statement-breakpoint
CREATE UNIQUE INDEX "branches_business_id_code_key" ON "business"."branches" USING btree ("business_id","code") WHERE "business"."branches"."deleted_at" is null;--> statement-breakpoint
CREATE INDEX "businesses_owner_user_id_idx" ON "business"."businesses" USING btree ("owner_user_id");--> statement-breakpoint
CREATE INDEX "employee_branches_employee_id_idx" ON "business"."employee_branches" USING btree ("employee_id");--> statement-breakpoint
CREATE INDEX "employee_branches_branch_id_idx" ON "business"."employee_branches" USING btree ("branch_id");--> statement-breakpoint
CREATE UNIQUE INDEX "employee_branches_employee_id_branch_id_key" ON "business"."employee_branches" USING btree ("employee_id","branch_id") WHERE "business"."employee_branches"."deleted_at" is null;--> statement-breakpoint
CREATE INDEX "employees_business_id_idx" ON "business"."employees" USING btree ("business_id");--> statement-breakpoint
CREATE INDEX "employees_user_id_idx" ON "business"."employees" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "employees_role_id_idx" ON "business"."employees" USING btree ("role_id");--> statement-breakpoint
CREATE UNIQUE INDEX "employees_business_id_user_id_key" ON "business"."employees" USING btree ("business_id","user_id") WHERE "business"."employees"."deleted_at" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "employees_business_id_code_key" ON "business"."employees" USING btree ("business_id","code") WHERE "business"."employees"."deleted_at" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "permissions_code_key" ON "business"."permissions" USING btree ("code");--> statement-breakpoint
CREATE INDEX "role_permissions_role_id_idx" ON "business"."role_permissions" USING btree ("role_id");--> statement-breakpoint
CREATE INDEX "role_permissions_permission_id_idx" ON "business"."role_permissions" USING btree ("permission_id");--> statement-breakpoint
CREATE UNIQUE INDEX "role_permissions_role_id_permission_id_key" ON "business"."role_permissions" USING btree ("role_id","permission_id") WHERE "business"."role_permissions"."deleted_at" is null;--> statement-breakpoint
CREATE INDEX "roles_business_id_idx" ON "business"."roles" USING btree ("business_id");--> statement-breakpoint
CREATE UNIQUE INDEX "roles_business_id_name_key" ON "business"."roles" USING btree ("business_id","name") WHERE "business"."roles"."deleted_at" is null;--> statement-breakpoint
CREATE INDEX "settings_business_id_idx" ON "business"."settings" USING btree ("business_id");--> statement-breakpoint
CREATE INDEX "settings_branch_id_idx" ON "business"."settings" USING btree ("branch_id");--> statement-breakpoint
CREATE UNIQUE INDEX "settings_business_id_key_key" ON "business"."settings" USING btree ("business_id","key") WHERE "business"."settings"."branch_id" is null and "business"."settings"."deleted_at" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "settings_business_id_branch_id_key_key" ON "business"."settings" USING btree ("business_id","branch_id","key") WHERE "business"."settings"."branch_id" is not null and "business"."settings"."deleted_at" is null;--> statement-breakpoint
CREATE INDEX "in_app_notifications_user_id_created_at_idx" ON "communication"."in_app_notifications" USING btree ("user_id","created_at");--> statement-breakpoint
CREATE INDEX "in_app_notifications_business_id_idx" ON "communication"."in_app_notifications" USING btree ("business_id");--> statement-breakpoint
CREATE INDEX "in_app_notifications_branch_id_idx" ON "communication"."in_app_notifications" USING btree ("branch_id");--> statement-breakpoint
CREATE INDEX "in_app_notifications_employee_id_idx" ON "communication"."in_app_notifications" USING btree ("employee_id");--> statement-breakpoint
CREATE INDEX "in_app_notifications_template_id_idx" ON "communication"."in_app_notifications" USING btree ("template_id");--> statement-breakpoint
CREATE INDEX "in_app_notifications_unread_idx" ON "communication"."in_app_notifications" USING btree ("user_id") WHERE "communication"."in_app_notifications"."read_at" is null and "communication"."in_app_notifications"."deleted_at" is null;--> statement-breakpoint
CREATE INDEX "notification_jobs_business_id_idx" ON "communication"."notification_jobs" USING btree ("business_id");--> statement-breakpoint
CREATE INDEX "notification_jobs_user_id_idx" ON "communication"."notification_jobs" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "notification_jobs_template_id_idx" ON "communication"."notification_jobs" USING btree ("template_id");--> statement-breakpoint
CREATE UNIQUE INDEX "notification_jobs_idempotency_key_key" ON "communication"."notification_jobs" USING btree ("idempotency_key");--> statement-breakpoint
CREATE INDEX "notification_jobs_pending_idx" ON "communication"."notification_jobs" USING btree ("run_at") WHERE "communication"."notification_jobs"."status" = 'PENDING' and "communication"."notification_jobs"."deleted_at" is null;--> statement-breakpoint
CREATE INDEX "notification_logs_job_id_idx" ON "communication"."notification_logs" USING btree ("job_id");--> statement-breakpoint
CREATE INDEX "notification_logs_expires_at_idx" ON "communication"."notification_logs" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "notification_templates_business_id_idx" ON "communication"."notification_templates" USING btree ("business_id");--> statement-breakpoint
CREATE UNIQUE INDEX "notification_templates_code_channel_locale_key" ON "communication"."notification_templates" USING btree ("code","channel","locale") WHERE "communication"."notification_templates"."business_id" is null and "communication"."notification_templates"."deleted_at" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "notification_templates_business_id_code_channel_locale_key" ON "communication"."notification_templates" USING btree ("business_id","code","channel","locale") WHERE "communication"."notification_templates"."business_id" is not null and "communication"."notification_templates"."deleted_at" is null;--> statement-breakpoint
CREATE INDEX "push_subscriptions_user_id_idx" ON "communication"."push_subscriptions" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "push_subscriptions_endpoint_key" ON "communication"."push_subscriptions" USING btree ("endpoint");--> statement-breakpoint
CREATE INDEX "categories_business_id_idx" ON "inventory"."categories" USING btree ("business_id");--> statement-breakpoint
CREATE INDEX "categories_parent_id_idx" ON "inventory"."categories" USING btree ("parent_id");--> statement-breakpoint
CREATE UNIQUE INDEX "categories_business_id_name_key" ON "inventory"."categories" USING btree ("business_id","name") WHERE "inventory"."categories"."deleted_at" is null;--> statement-breakpoint
CREATE INDEX "product_variants_business_id_idx" ON "inventory"."product_variants" USING btree ("business_id");--> statement-breakpoint
CREATE INDEX "product_variants_product_id_idx" ON "inventory"."product_variants" USING btree ("product_id");--> statement-breakpoint
CREATE UNIQUE INDEX "product_variants_business_id_barcode_key" ON "inventory"."product_variants" USING btree ("business_id","barcode") WHERE "inventory"."product_variants"."barcode" is not null and "inventory"."product_variants"."deleted_at" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "product_variants_business_id_plu_key" ON "inventory"."product_variants" USING btree ("business_id","plu") WHERE "inventory"."product_variants"."plu" is not null and "inventory"."product_variants"."deleted_at" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "product_variants_business_id_sku_key" ON "inventory"."product_variants" USING btree ("business_id","sku") WHERE "inventory"."product_variants"."deleted_at" is null;--> statement-breakpoint
CREATE INDEX "products_business_id_updated_at_idx" ON "inventory"."products" USING btree ("business_id","updated_at");--> statement-breakpoint
CREATE INDEX "products_category_id_idx" ON "inventory"."products" USING btree ("category_id");--> statement-breakpoint
CREATE INDEX "stock_alerts_variant_id_idx" ON "inventory"."stock_alerts" USING btree ("variant_id");--> statement-breakpoint
CREATE INDEX "stock_alerts_branch_id_idx" ON "inventory"."stock_alerts" USING btree ("branch_id");--> statement-breakpoint
CREATE INDEX "stock_alerts_acknowledged_by_idx" ON "inventory"."stock_alerts" USING btree ("acknowledged_by");--> statement-breakpoint
CREATE INDEX "stock_alerts_open_idx" ON "inventory"."stock_alerts" USING btree ("branch_id","created_at") WHERE "inventory"."stock_alerts"."status" = 'OPEN' and "inventory"."stock_alerts"."deleted_at" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "stock_alerts_variant_id_branch_id_kind_key" ON "inventory"."stock_alerts" USING btree ("variant_id","branch_id","kind") WHERE "inventory"."stock_alerts"."status" = 'OPEN' and "inventory"."stock_alerts"."deleted_at" is null;--> statement-breakpoint
CREATE INDEX "stock_levels_variant_id_idx" ON "inventory"."stock_levels" USING btree ("variant_id");--> statement-breakpoint
CREATE INDEX "stock_levels_branch_id_idx" ON "inventory"."stock_levels" USING btree ("branch_id");--> statement-breakpoint
CREATE UNIQUE INDEX "stock_levels_variant_id_branch_id_key" ON "inventory"."stock_levels" USING btree ("variant_id","branch_id");--> statement-breakpoint
CREATE INDEX "stock_movements_variant_id_occurred_at_idx" ON "inventory"."stock_movements" USING btree ("variant_id","occurred_at");--> statement-breakpoint
CREATE INDEX "stock_movements_branch_id_idx" ON "inventory"."stock_movements" USING btree ("branch_id");--> statement-breakpoint
CREATE INDEX "stock_movements_employee_id_idx" ON "inventory"."stock_movements" USING btree ("employee_id");--> statement-breakpoint
CREATE INDEX "stock_movements_reference_type_reference_id_idx" ON "inventory"."stock_movements" USING btree ("reference_type","reference_id");--> statement-breakpoint
CREATE UNIQUE INDEX "stock_movements_idempotency_key_key" ON "inventory"."stock_movements" USING btree ("idempotency_key");--> statement-breakpoint
CREATE INDEX "cash_movements_shift_id_idx" ON "sales"."cash_movements" USING btree ("shift_id");--> statement-breakpoint
CREATE INDEX "cash_movements_register_id_idx" ON "sales"."cash_movements" USING btree ("register_id");--> statement-breakpoint
CREATE INDEX "cash_movements_employee_id_idx" ON "sales"."cash_movements" USING btree ("employee_id");--> statement-breakpoint
CREATE INDEX "cash_movements_approved_by_idx" ON "sales"."cash_movements" USING btree ("approved_by");--> statement-breakpoint
CREATE UNIQUE INDEX "cash_movements_idempotency_key_key" ON "sales"."cash_movements" USING btree ("idempotency_key");--> statement-breakpoint
CREATE INDEX "cash_registers_business_id_idx" ON "sales"."cash_registers" USING btree ("business_id");--> statement-breakpoint
CREATE INDEX "cash_registers_branch_id_idx" ON "sales"."cash_registers" USING btree ("branch_id");--> statement-breakpoint
CREATE UNIQUE INDEX "cash_registers_branch_id_code_key" ON "sales"."cash_registers" USING btree ("branch_id","code") WHERE "sales"."cash_registers"."deleted_at" is null;--> statement-breakpoint
CREATE INDEX "receipts_register_id_idx" ON "sales"."receipts" USING btree ("register_id");--> statement-breakpoint
CREATE INDEX "receipts_sale_id_idx" ON "sales"."receipts" USING btree ("sale_id");--> statement-breakpoint
CREATE INDEX "receipts_return_id_idx" ON "sales"."receipts" USING btree ("return_id");--> statement-breakpoint
CREATE INDEX "receipts_shift_id_idx" ON "sales"."receipts" USING btree ("shift_id");--> statement-breakpoint
CREATE INDEX "receipts_employee_id_idx" ON "sales"."receipts" USING btree ("employee_id");--> statement-breakpoint
CREATE INDEX "receipts_spool_idx" ON "sales"."receipts" USING btree ("printer_uri","created_at") WHERE "sales"."receipts"."status" = 'PENDING' and "sales"."receipts"."deleted_at" is null;--> statement-breakpoint
CREATE INDEX "return_items_return_id_idx" ON "sales"."return_items" USING btree ("return_id");--> statement-breakpoint
CREATE INDEX "return_items_sale_item_id_idx" ON "sales"."return_items" USING btree ("sale_item_id");--> statement-breakpoint
CREATE INDEX "returns_business_id_idx" ON "sales"."returns" USING btree ("business_id");--> statement-breakpoint
CREATE INDEX "returns_branch_id_business_date_idx" ON "sales"."returns" USING btree ("branch_id","business_date");--> statement-breakpoint
CREATE INDEX "returns_register_id_idx" ON "sales"."returns" USING btree ("register_id");--> statement-breakpoint
CREATE INDEX "returns_shift_id_idx" ON "sales"."returns" USING btree ("shift_id");--> statement-breakpoint
CREATE INDEX "returns_sale_id_idx" ON "sales"."returns" USING btree ("sale_id");--> statement-breakpoint
CREATE INDEX "returns_employee_id_idx" ON "sales"."returns" USING btree ("employee_id");--> statement-breakpoint
CREATE INDEX "returns_approved_by_idx" ON "sales"."returns" USING btree ("approved_by");--> statement-breakpoint
CREATE UNIQUE INDEX "returns_idempotency_key_key" ON "sales"."returns" USING btree ("idempotency_key");--> statement-breakpoint
CREATE UNIQUE INDEX "returns_register_id_return_number_key" ON "sales"."returns" USING btree ("register_id","return_number");--> statement-breakpoint
CREATE INDEX "sale_items_sale_id_idx" ON "sales"."sale_items" USING btree ("sale_id");--> statement-breakpoint
CREATE INDEX "sale_items_variant_id_idx" ON "sales"."sale_items" USING btree ("variant_id");--> statement-breakpoint
CREATE INDEX "sale_items_product_id_idx" ON "sales"."sale_items" USING btree ("product_id");--> statement-breakpoint
CREATE INDEX "sale_items_price_overridden_by_idx" ON "sales"."sale_items" USING btree ("price_overridden_by");--> statement-breakpoint
CREATE INDEX "sale_items_discount_approved_by_idx" ON "sales"."sale_items" USING btree ("discount_approved_by");--> statement-breakpoint
CREATE UNIQUE INDEX "sale_items_sale_id_line_no_key" ON "sales"."sale_items" USING btree ("sale_id","line_no") WHERE "sales"."sale_items"."deleted_at" is null;--> statement-breakpoint
CREATE INDEX "sales_business_id_idx" ON "sales"."sales" USING btree ("business_id");--> statement-breakpoint
CREATE INDEX "sales_branch_id_business_date_idx" ON "sales"."sales" USING btree ("branch_id","business_date");--> statement-breakpoint
CREATE INDEX "sales_register_id_idx" ON "sales"."sales" USING btree ("register_id");--> statement-breakpoint
CREATE INDEX "sales_shift_id_idx" ON "sales"."sales" USING btree ("shift_id");--> statement-breakpoint
CREATE INDEX "sales_employee_id_idx" ON "sales"."sales" USING btree ("employee_id");--> statement-breakpoint
CREATE INDEX "sales_voided_by_idx" ON "sales"."sales" USING btree ("voided_by");--> statement-breakpoint
CREATE UNIQUE INDEX "sales_idempotency_key_key" ON "sales"."sales" USING btree ("idempotency_key");--> statement-breakpoint
CREATE UNIQUE INDEX "sales_register_id_receipt_number_key" ON "sales"."sales" USING btree ("register_id","receipt_number") WHERE "sales"."sales"."receipt_number" is not null;--> statement-breakpoint
CREATE INDEX "sales_unfinished_idx" ON "sales"."sales" USING btree ("register_id") WHERE "sales"."sales"."status" in ('OPEN', 'PARKED') and "sales"."sales"."deleted_at" is null;--> statement-breakpoint
CREATE INDEX "shifts_business_id_idx" ON "sales"."shifts" USING btree ("business_id");--> statement-breakpoint
CREATE INDEX "shifts_branch_id_business_date_idx" ON "sales"."shifts" USING btree ("branch_id","business_date");--> statement-breakpoint
CREATE INDEX "shifts_register_id_idx" ON "sales"."shifts" USING btree ("register_id");--> statement-breakpoint
CREATE INDEX "shifts_opened_by_idx" ON "sales"."shifts" USING btree ("opened_by");--> statement-breakpoint
CREATE INDEX "shifts_closed_by_idx" ON "sales"."shifts" USING btree ("closed_by");--> statement-breakpoint
CREATE INDEX "shifts_approved_by_idx" ON "sales"."shifts" USING btree ("approved_by");--> statement-breakpoint
CREATE UNIQUE INDEX "shifts_register_id_key" ON "sales"."shifts" USING btree ("register_id") WHERE "sales"."shifts"."status" = 'OPEN' and "sales"."shifts"."deleted_at" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "shifts_register_id_z_number_key" ON "sales"."shifts" USING btree ("register_id","z_number") WHERE "sales"."shifts"."z_number" is not null;--> statement-breakpoint
CREATE INDEX "balance_movements_balance_id_occurred_at_idx" ON "payments"."balance_movements" USING btree ("balance_id","occurred_at");--> statement-breakpoint
CREATE INDEX "balance_movements_transaction_id_idx" ON "payments"."balance_movements" USING btree ("transaction_id");--> statement-breakpoint
CREATE INDEX "balance_movements_refund_id_idx" ON "payments"."balance_movements" USING btree ("refund_id");--> statement-breakpoint
CREATE INDEX "balance_movements_employee_id_idx" ON "payments"."balance_movements" USING btree ("employee_id");--> statement-breakpoint
CREATE UNIQUE INDEX "balance_movements_idempotency_key_key" ON "payments"."balance_movements" USING btree ("idempotency_key");--> statement-breakpoint
CREATE INDEX "balances_business_id_idx" ON "payments"."balances" USING btree ("business_id");--> statement-breakpoint
CREATE INDEX "balances_holder_user_id_idx" ON "payments"."balances" USING btree ("holder_user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "balances_business_id_code_key" ON "payments"."balances" USING btree ("business_id","code");--> statement-breakpoint
CREATE INDEX "payment_methods_business_id_idx" ON "payments"."payment_methods" USING btree ("business_id");--> statement-breakpoint
CREATE UNIQUE INDEX "payment_methods_business_id_code_key" ON "payments"."payment_methods" USING btree ("business_id","code") WHERE "payments"."payment_methods"."deleted_at" is null;--> statement-breakpoint
CREATE INDEX "refunds_business_id_idx" ON "payments"."refunds" USING btree ("business_id");--> statement-breakpoint
CREATE INDEX "refunds_branch_id_occurred_at_idx" ON "payments"."refunds" USING btree ("branch_id","occurred_at");--> statement-breakpoint
CREATE INDEX "refunds_register_id_idx" ON "payments"."refunds" USING btree ("register_id");--> statement-breakpoint
CREATE INDEX "refunds_shift_id_idx" ON "payments"."refunds" USING btree ("shift_id");--> statement-breakpoint
CREATE INDEX "refunds_sale_id_idx" ON "payments"."refunds" USING btree ("sale_id");--> statement-breakpoint
CREATE INDEX "refunds_return_id_idx" ON "payments"."refunds" USING btree ("return_id");--> statement-breakpoint
CREATE INDEX "refunds_transaction_id_idx" ON "payments"."refunds" USING btree ("transaction_id");--> statement-breakpoint
CREATE INDEX "refunds_payment_method_id_idx" ON "payments"."refunds" USING btree ("payment_method_id");--> statement-breakpoint
CREATE INDEX "refunds_balance_id_idx" ON "payments"."refunds" USING btree ("balance_id");--> statement-breakpoint
CREATE INDEX "refunds_employee_id_idx" ON "payments"."refunds" USING btree ("employee_id");--> statement-breakpoint
CREATE INDEX "refunds_approved_by_idx" ON "payments"."refunds" USING btree ("approved_by");--> statement-breakpoint
CREATE UNIQUE INDEX "refunds_idempotency_key_key" ON "payments"."refunds" USING btree ("idempotency_key");--> statement-breakpoint
CREATE INDEX "transactions_business_id_idx" ON "payments"."transactions" USING btree ("business_id");--> statement-breakpoint
CREATE INDEX "transactions_branch_id_occurred_at_idx" ON "payments"."transactions" USING btree ("branch_id","occurred_at");--> statement-breakpoint
CREATE INDEX "transactions_register_id_idx" ON "payments"."transactions" USING btree ("register_id");--> statement-breakpoint
CREATE INDEX "transactions_shift_id_idx" ON "payments"."transactions" USING btree ("shift_id");--> statement-breakpoint
CREATE INDEX "transactions_sale_id_idx" ON "payments"."transactions" USING btree ("sale_id");--> statement-breakpoint
CREATE INDEX "transactions_payment_method_id_idx" ON "payments"."transactions" USING btree ("payment_method_id");--> statement-breakpoint
CREATE INDEX "transactions_balance_id_idx" ON "payments"."transactions" USING btree ("balance_id");--> statement-breakpoint
CREATE INDEX "transactions_employee_id_idx" ON "payments"."transactions" USING btree ("employee_id");--> statement-breakpoint
CREATE UNIQUE INDEX "transactions_idempotency_key_key" ON "payments"."transactions" USING btree ("idempotency_key");--> statement-breakpoint
CREATE INDEX "credit_notes_business_id_idx" ON "billing"."credit_notes" USING btree ("business_id");--> statement-breakpoint
CREATE INDEX "credit_notes_invoice_id_idx" ON "billing"."credit_notes" USING btree ("invoice_id");--> statement-breakpoint
CREATE INDEX "credit_notes_fiscal_profile_id_idx" ON "billing"."credit_notes" USING btree ("fiscal_profile_id");--> statement-breakpoint
CREATE INDEX "credit_notes_return_id_idx" ON "billing"."credit_notes" USING btree ("return_id");--> statement-breakpoint
CREATE UNIQUE INDEX "credit_notes_fiscal_profile_id_series_folio_key" ON "billing"."credit_notes" USING btree ("fiscal_profile_id","series","folio");--> statement-breakpoint
CREATE UNIQUE INDEX "credit_notes_idempotency_key_key" ON "billing"."credit_notes" USING btree ("idempotency_key");--> statement-breakpoint
CREATE INDEX "fiscal_profiles_business_id_idx" ON "billing"."fiscal_profiles" USING btree ("business_id");--> statement-breakpoint
CREATE INDEX "fiscal_profiles_branch_id_idx" ON "billing"."fiscal_profiles" USING btree ("branch_id");--> statement-breakpoint
CREATE UNIQUE INDEX "fiscal_profiles_business_id_series_key" ON "billing"."fiscal_profiles" USING btree ("business_id","series") WHERE "billing"."fiscal_profiles"."deleted_at" is null;--> statement-breakpoint
CREATE INDEX "invoice_items_invoice_id_idx" ON "billing"."invoice_items" USING btree ("invoice_id");--> statement-breakpoint
CREATE INDEX "invoice_items_sale_item_id_idx" ON "billing"."invoice_items" USING btree ("sale_item_id");--> statement-breakpoint
CREATE UNIQUE INDEX "invoice_items_invoice_id_line_no_key" ON "billing"."invoice_items" USING btree ("invoice_id","line_no");--> statement-breakpoint
CREATE INDEX "invoices_business_id_idx" ON "billing"."invoices" USING btree ("business_id");--> statement-breakpoint
CREATE INDEX "invoices_branch_id_created_at_idx" ON "billing"."invoices" USING btree ("branch_id","created_at");--> statement-breakpoint
CREATE INDEX "invoices_fiscal_profile_id_idx" ON "billing"."invoices" USING btree ("fiscal_profile_id");--> statement-breakpoint
CREATE INDEX "invoices_sale_id_idx" ON "billing"."invoices" USING btree ("sale_id");--> statement-breakpoint
CREATE UNIQUE INDEX "invoices_fiscal_profile_id_series_folio_key" ON "billing"."invoices" USING btree ("fiscal_profile_id","series","folio");--> statement-breakpoint
CREATE UNIQUE INDEX "invoices_idempotency_key_key" ON "billing"."invoices" USING btree ("idempotency_key");--> statement-breakpoint
CREATE UNIQUE INDEX "invoices_fiscal_id_type_fiscal_id_key" ON "billing"."invoices" USING btree ("fiscal_id_type","fiscal_id") WHERE "billing"."invoices"."fiscal_id" is not null;--> statement-breakpoint
CREATE INDEX "invoices_pending_idx" ON "billing"."invoices" USING btree ("created_at") WHERE "billing"."invoices"."status" = 'PENDING' and "billing"."invoices"."deleted_at" is null;