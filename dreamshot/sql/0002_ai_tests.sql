-- ai_tests, range-partitioned by month on created_at (the seed's "time-based partitioning"):
-- PostgreSQL needs the partition key in the primary key, hence (id, created_at). No DEFAULT
-- partition: a row outside every month is an error, never silently parked. Indexes made on
-- the parent are made on every partition, present and future.
CREATE TABLE "dreamshot"."ai_tests" (
    "id" varchar(32) NOT NULL,
    "dream_id" varchar(32) NOT NULL
        REFERENCES "dreamshot"."dreams" ("id") ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    "user_id" uuid NOT NULL
        REFERENCES "public"."users" ("id") ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    "provider" varchar(20) NOT NULL,
    "model" varchar(100) NOT NULL,
    "impossibility_score" numeric(5, 2) NULL,
    "confidence" numeric(5, 2) NULL,
    "reasoning" text DEFAULT '' NOT NULL,
    "duration" integer NULL CHECK ("duration" >= 0),
    "tokens_used" integer NULL CHECK ("tokens_used" >= 0),
    "cost" numeric(10, 6) NULL,
    "status" varchar(20) DEFAULT 'PENDING' NOT NULL,
    "test_parameters" jsonb DEFAULT '{}'::jsonb NOT NULL,
    "test_prompt" text DEFAULT '' NOT NULL,
    "response" text DEFAULT '' NOT NULL,
    "error_message" text DEFAULT '' NOT NULL,
    "metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
    "created_at" timestamp with time zone DEFAULT (STATEMENT_TIMESTAMP()) NOT NULL,
    PRIMARY KEY ("id", "created_at"),
    CONSTRAINT "ai_tests_provider_valid" CHECK (
        "provider" IN ('OPENAI', 'ANTHROPIC', 'GOOGLE', 'AZURE', 'COHERE', 'HUGGINGFACE', 'LOCAL')),
    CONSTRAINT "ai_tests_status_valid" CHECK (
        "status" IN ('PENDING', 'RUNNING', 'COMPLETED', 'FAILED', 'CANCELLED')),
    CONSTRAINT "ai_tests_impossibility_score_range" CHECK (
        "impossibility_score" IS NULL OR "impossibility_score" BETWEEN 0 AND 100),
    CONSTRAINT "ai_tests_confidence_range" CHECK (
        "confidence" IS NULL OR "confidence" BETWEEN 0 AND 100),
    CONSTRAINT "ai_tests_cost_not_negative" CHECK ("cost" IS NULL OR "cost" >= 0)
) PARTITION BY RANGE ("created_at");

CREATE INDEX "idx_ai_tests_dream_timeline" ON "dreamshot"."ai_tests" ("dream_id", "created_at" DESC);
CREATE INDEX "idx_test_parameters_gin" ON "dreamshot"."ai_tests" USING gin ("test_parameters");
CREATE INDEX "idx_ai_tests_provider_model" ON "dreamshot"."ai_tests" ("provider", "model");
CREATE INDEX "idx_ai_tests_impossibility" ON "dreamshot"."ai_tests" ("impossibility_score");
CREATE INDEX "idx_ai_tests_created_at" ON "dreamshot"."ai_tests" ("created_at");
CREATE INDEX "idx_ai_tests_user_recent" ON "dreamshot"."ai_tests" ("user_id", "created_at" DESC);

-- The seed's archive: tests older than a year move here, and their month is dropped. A plain
-- table with the same columns (config.database.partitions.archive_partition fills it); no
-- foreign keys, so a month archives without checking every row again.
CREATE TABLE "dreamshot"."ai_tests_archive" (
    LIKE "dreamshot"."ai_tests" INCLUDING DEFAULTS INCLUDING CONSTRAINTS,
    PRIMARY KEY ("id", "created_at")
);
CREATE INDEX "idx_ai_tests_archive_dream" ON "dreamshot"."ai_tests_archive" ("dream_id", "created_at" DESC);
CREATE INDEX "idx_ai_tests_archive_user" ON "dreamshot"."ai_tests_archive" ("user_id", "created_at" DESC);
