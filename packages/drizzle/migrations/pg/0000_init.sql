CREATE TABLE "baton_audit_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"type" text NOT NULL,
	"at" bigint NOT NULL,
	"subject" text NOT NULL,
	"session_id" text NOT NULL,
	"reason" text,
	"graced" boolean,
	"ip" text,
	"user_agent" text
);
--> statement-breakpoint
CREATE TABLE "baton_rate_limits" (
	"key" text PRIMARY KEY NOT NULL,
	"count" integer NOT NULL,
	"window_start" bigint NOT NULL,
	"window_ms" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "baton_refresh_tokens" (
	"hash" text PRIMARY KEY NOT NULL,
	"session_id" text NOT NULL,
	"parent_hash" text,
	"successor_hash" text,
	"created_at" bigint NOT NULL,
	"expires_at" bigint NOT NULL,
	"used_at" bigint
);
--> statement-breakpoint
CREATE TABLE "baton_sessions" (
	"id" text PRIMARY KEY NOT NULL,
	"subject" text NOT NULL,
	"user" jsonb,
	"created_at" bigint NOT NULL,
	"last_used_at" bigint NOT NULL,
	"expires_at" bigint NOT NULL,
	"absolute_expires_at" bigint NOT NULL,
	"revoked_at" bigint,
	"revoke_reason" text,
	"user_agent" text,
	"ip" text,
	"device_id" text,
	"data" text,
	"data_version" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
ALTER TABLE "baton_refresh_tokens" ADD CONSTRAINT "baton_refresh_tokens_session_id_baton_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."baton_sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "baton_audit_events_subject_idx" ON "baton_audit_events" USING btree ("subject","at");--> statement-breakpoint
CREATE INDEX "baton_refresh_tokens_session_idx" ON "baton_refresh_tokens" USING btree ("session_id");--> statement-breakpoint
CREATE INDEX "baton_refresh_tokens_expires_idx" ON "baton_refresh_tokens" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "baton_sessions_subject_idx" ON "baton_sessions" USING btree ("subject");--> statement-breakpoint
CREATE INDEX "baton_sessions_expires_idx" ON "baton_sessions" USING btree ("expires_at");