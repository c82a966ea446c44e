-- The seed's user_behaviors, range-partitioned by month on created_at. A partitioned table's
-- keys must hold the partition column, so the primary key is (id, created_at) and created_at
-- is NOT NULL (its default fills it). Rows of a month without its partition land in
-- user_behaviors_default, which staff see and drain (manage.py dreamscape_partitions).
CREATE TABLE "dreamscape"."user_behaviors" (
    id UUID NOT NULL DEFAULT gen_random_uuid(),
    user_id UUID NOT NULL,
    action_type VARCHAR(50) NOT NULL,
    item_id UUID,
    item_type VARCHAR(50),
    duration_seconds INTEGER,
    context JSONB,
    metadata JSONB,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT user_behaviors_pkey PRIMARY KEY (id, created_at),
    CONSTRAINT user_behaviors_duration_not_negative CHECK (duration_seconds >= 0),
    CONSTRAINT fk_user_behaviors_user_id
        FOREIGN KEY (user_id) REFERENCES public.users(id) ON DELETE CASCADE
) PARTITION BY RANGE (created_at);

CREATE TABLE "dreamscape"."user_behaviors_default"
    PARTITION OF "dreamscape"."user_behaviors" DEFAULT;

CREATE INDEX idx_user_behaviors_user_id ON "dreamscape"."user_behaviors" (user_id);
CREATE INDEX idx_user_behaviors_created_at ON "dreamscape"."user_behaviors" (created_at);
CREATE INDEX idx_user_behaviors_action_type ON "dreamscape"."user_behaviors" (action_type);
CREATE INDEX idx_user_behaviors_item_type ON "dreamscape"."user_behaviors" (item_type);
CREATE INDEX idx_user_behaviors_composite
    ON "dreamscape"."user_behaviors" (user_id, action_type, created_at);
