CREATE TABLE `baton_audit_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`type` text NOT NULL,
	`at` integer NOT NULL,
	`subject` text NOT NULL,
	`session_id` text NOT NULL,
	`reason` text,
	`graced` integer,
	`ip` text,
	`user_agent` text
);
--> statement-breakpoint
CREATE INDEX `baton_audit_events_subject_idx` ON `baton_audit_events` (`subject`,`at`);--> statement-breakpoint
CREATE TABLE `baton_rate_limits` (
	`key` text PRIMARY KEY NOT NULL,
	`count` integer NOT NULL,
	`window_start` integer NOT NULL,
	`window_ms` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `baton_refresh_tokens` (
	`hash` text PRIMARY KEY NOT NULL,
	`session_id` text NOT NULL,
	`parent_hash` text,
	`successor_hash` text,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`used_at` integer,
	FOREIGN KEY (`session_id`) REFERENCES `baton_sessions`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `baton_refresh_tokens_session_idx` ON `baton_refresh_tokens` (`session_id`);--> statement-breakpoint
CREATE INDEX `baton_refresh_tokens_expires_idx` ON `baton_refresh_tokens` (`expires_at`);--> statement-breakpoint
CREATE TABLE `baton_sessions` (
	`id` text PRIMARY KEY NOT NULL,
	`subject` text NOT NULL,
	`user` text,
	`created_at` integer NOT NULL,
	`last_used_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`absolute_expires_at` integer NOT NULL,
	`revoked_at` integer,
	`revoke_reason` text,
	`user_agent` text,
	`ip` text,
	`device_id` text,
	`data` text,
	`data_version` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE INDEX `baton_sessions_subject_idx` ON `baton_sessions` (`subject`);--> statement-breakpoint
CREATE INDEX `baton_sessions_expires_idx` ON `baton_sessions` (`expires_at`);