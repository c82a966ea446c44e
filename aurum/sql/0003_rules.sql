-- Aurum Life's row rules, called by the triggers the models declare (pgtrigger): each
-- <table>_before_write(NEW, OLD) returns the row to store, each <table>_after_write(op, OLD,
-- NEW) brings other rows in line. They hold for every writer: the API, the admin, raw SQL.

-- archived_at follows archived: stamped when a row is archived, cleared when restored.
CREATE OR REPLACE FUNCTION aurum.archived_stamp(is_archived BOOLEAN, was_archived BOOLEAN,
                                                stamp TIMESTAMPTZ)
RETURNS TIMESTAMPTZ LANGUAGE sql STABLE AS $$
    SELECT CASE WHEN NOT coalesce(is_archived, false) THEN NULL
                WHEN coalesce(was_archived, false) THEN stamp
                ELSE statement_timestamp() END
$$;

-- completed_at follows "done": the database stamps it when the row becomes done and clears
-- it when reopened. An INSERT may bring a past completion time (imports, demo history).
CREATE OR REPLACE FUNCTION aurum.completed_stamp(is_done BOOLEAN, was_done BOOLEAN,
                                                 inserting BOOLEAN, given TIMESTAMPTZ,
                                                 stamp TIMESTAMPTZ)
RETURNS TIMESTAMPTZ LANGUAGE sql STABLE AS $$
    SELECT CASE WHEN NOT coalesce(is_done, false) THEN NULL
                WHEN inserting AND given IS NOT NULL AND given <= statement_timestamp() THEN given
                WHEN inserting OR NOT coalesce(was_done, false) THEN statement_timestamp()
                ELSE stamp END
$$;

CREATE OR REPLACE FUNCTION aurum.refuse_foreign_row(what TEXT, row_id UUID)
RETURNS VOID LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% % does not exist or belongs to another user', what, row_id
        USING ERRCODE = 'foreign_key_violation';
END
$$;

CREATE OR REPLACE FUNCTION aurum.pillars_before_write(new aurum.pillars, old aurum.pillars)
RETURNS aurum.pillars LANGUAGE plpgsql AS $$
BEGIN
    new.archived_at := aurum.archived_stamp(new.archived, old.archived, old.archived_at);
    IF old.id IS NOT NULL AND (new.name, new.description) IS DISTINCT FROM (old.name, old.description)
       AND new.combined_embedding IS NOT DISTINCT FROM old.combined_embedding THEN
        new.combined_embedding := NULL;  -- stale: the backfill redoes it
    END IF;
    RETURN new;
END
$$;

CREATE OR REPLACE FUNCTION aurum.areas_before_write(new aurum.areas, old aurum.areas)
RETURNS aurum.areas LANGUAGE plpgsql AS $$
BEGIN
    IF new.pillar_id IS NOT NULL AND (old.id IS NULL OR new.pillar_id IS DISTINCT FROM old.pillar_id
                                      OR new.user_id IS DISTINCT FROM old.user_id) THEN
        IF (SELECT user_id FROM aurum.pillars WHERE id = new.pillar_id) IS DISTINCT FROM new.user_id THEN
            PERFORM aurum.refuse_foreign_row('pillar', new.pillar_id);
        END IF;
    END IF;
    new.archived_at := aurum.archived_stamp(new.archived, old.archived, old.archived_at);
    IF old.id IS NOT NULL AND (new.name, new.description) IS DISTINCT FROM (old.name, old.description)
       AND new.combined_embedding IS NOT DISTINCT FROM old.combined_embedding THEN
        new.combined_embedding := NULL;
    END IF;
    RETURN new;
END
$$;

CREATE OR REPLACE FUNCTION aurum.projects_before_write(new aurum.projects, old aurum.projects)
RETURNS aurum.projects LANGUAGE plpgsql AS $$
DECLARE
    area aurum.areas;
BEGIN
    SELECT * INTO area FROM aurum.areas WHERE id = new.area_id;
    IF area.user_id IS DISTINCT FROM new.user_id THEN
        PERFORM aurum.refuse_foreign_row('area', new.area_id);
    END IF;
    new.pillar_id := area.pillar_id;
    new.completed_at := aurum.completed_stamp(new.status = 'completed', old.status = 'completed',
                                              old.id IS NULL, new.completed_at, old.completed_at);
    new.archived_at := aurum.archived_stamp(new.archived, old.archived, old.archived_at);
    IF old.id IS NOT NULL AND (new.name, new.description) IS DISTINCT FROM (old.name, old.description)
       AND new.combined_embedding IS NOT DISTINCT FROM old.combined_embedding THEN
        new.combined_embedding := NULL;
    END IF;
    RETURN new;
END
$$;

CREATE OR REPLACE FUNCTION aurum.tasks_before_write(new aurum.tasks, old aurum.tasks)
RETURNS aurum.tasks LANGUAGE plpgsql AS $$
DECLARE
    project aurum.projects;
BEGIN
    SELECT * INTO project FROM aurum.projects WHERE id = new.project_id;
    IF project.user_id IS DISTINCT FROM new.user_id THEN
        PERFORM aurum.refuse_foreign_row('project', new.project_id);
    END IF;
    new.area_id := project.area_id;
    new.pillar_id := project.pillar_id;
    -- completed and status = 'completed' say the same thing: whichever the write changed wins
    -- (status, if both), and reopening a completed task makes it 'todo'.
    IF old.id IS NULL THEN
        IF new.status = 'completed' OR new.completed THEN
            new.status := 'completed';
        END IF;
    ELSIF new.status IS DISTINCT FROM old.status THEN
        NULL;
    ELSIF new.completed IS DISTINCT FROM old.completed THEN
        new.status := CASE WHEN new.completed THEN 'completed' ELSE 'todo' END;
    END IF;
    new.completed := new.status = 'completed';
    new.completed_at := aurum.completed_stamp(new.completed, old.completed, old.id IS NULL,
                                              new.completed_at, old.completed_at);
    new.archived_at := aurum.archived_stamp(new.archived, old.archived, old.archived_at);
    IF old.id IS NOT NULL THEN
        IF new.name IS DISTINCT FROM old.name
           AND new.name_embedding IS NOT DISTINCT FROM old.name_embedding THEN
            new.name_embedding := NULL;
        END IF;
        IF new.description IS DISTINCT FROM old.description
           AND new.description_embedding IS NOT DISTINCT FROM old.description_embedding THEN
            new.description_embedding := NULL;
        END IF;
    END IF;
    RETURN new;
END
$$;

-- A dependency joins two tasks of one user and never closes a cycle. Dependency writes of a
-- user take turns (an advisory lock), so two links written at once cannot close one together.
CREATE OR REPLACE FUNCTION aurum.task_dependencies_before_write(new aurum.task_dependencies,
                                                                old aurum.task_dependencies)
RETURNS aurum.task_dependencies LANGUAGE plpgsql AS $$
BEGIN
    new.user_id := (SELECT user_id FROM aurum.tasks WHERE id = new.task_id);
    IF new.user_id IS NULL THEN
        PERFORM aurum.refuse_foreign_row('task', new.task_id);
    END IF;
    IF (SELECT user_id FROM aurum.tasks WHERE id = new.depends_on_id) IS DISTINCT FROM new.user_id THEN
        PERFORM aurum.refuse_foreign_row('task', new.depends_on_id);
    END IF;
    PERFORM pg_advisory_xact_lock(hashtextextended('aurum.task_dependencies:' || new.user_id, 0));
    IF EXISTS (
        WITH RECURSIVE reachable(id) AS (
            SELECT new.depends_on_id
            UNION
            SELECT d.depends_on_id FROM aurum.task_dependencies d
            JOIN reachable r ON d.task_id = r.id
            WHERE d.id IS DISTINCT FROM new.id
        )
        SELECT 1 FROM reachable WHERE id = new.task_id
    ) THEN
        RAISE EXCEPTION 'task % depending on % would close a cycle', new.task_id, new.depends_on_id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'chk_task_dependency_acyclic';
    END IF;
    RETURN new;
END
$$;

CREATE OR REPLACE FUNCTION aurum.journal_entries_before_write(new aurum.journal_entries,
                                                              old aurum.journal_entries)
RETURNS aurum.journal_entries LANGUAGE plpgsql AS $$
BEGIN
    new.archived_at := aurum.archived_stamp(new.archived, old.archived, old.archived_at);
    IF old.id IS NOT NULL THEN
        IF new.content IS DISTINCT FROM old.content
           AND new.content_embedding IS NOT DISTINCT FROM old.content_embedding THEN
            new.content_embedding := NULL;
        END IF;
        IF new.title IS DISTINCT FROM old.title
           AND new.title_embedding IS NOT DISTINCT FROM old.title_embedding THEN
            new.title_embedding := NULL;
        END IF;
    END IF;
    RETURN new;
END
$$;

CREATE OR REPLACE FUNCTION aurum.daily_reflections_before_write(new aurum.daily_reflections,
                                                                old aurum.daily_reflections)
RETURNS aurum.daily_reflections LANGUAGE plpgsql AS $$
BEGIN
    IF old.id IS NOT NULL THEN
        IF new.reflection_text IS DISTINCT FROM old.reflection_text
           AND new.reflection_embedding IS NOT DISTINCT FROM old.reflection_embedding THEN
            new.reflection_embedding := NULL;
        END IF;
        IF new.biggest_accomplishment IS DISTINCT FROM old.biggest_accomplishment
           AND new.accomplishment_embedding IS NOT DISTINCT FROM old.accomplishment_embedding THEN
            new.accomplishment_embedding := NULL;
        END IF;
        IF new.challenges_faced IS DISTINCT FROM old.challenges_faced
           AND new.challenges_embedding IS NOT DISTINCT FROM old.challenges_embedding THEN
            new.challenges_embedding := NULL;
        END IF;
    END IF;
    RETURN new;
END
$$;

CREATE OR REPLACE FUNCTION aurum.ai_conversation_memory_before_write(
    new aurum.ai_conversation_memory, old aurum.ai_conversation_memory)
RETURNS aurum.ai_conversation_memory LANGUAGE plpgsql AS $$
BEGIN
    IF old.id IS NOT NULL AND new.message_content IS DISTINCT FROM old.message_content
       AND new.message_embedding IS NOT DISTINCT FROM old.message_embedding THEN
        new.message_embedding := NULL;
    END IF;
    RETURN new;
END
$$;

-- A time entry is about a row of its own user; without an end it is the running timer.
CREATE OR REPLACE FUNCTION aurum.time_entries_before_write(new aurum.time_entries,
                                                           old aurum.time_entries)
RETURNS aurum.time_entries LANGUAGE plpgsql AS $$
DECLARE
    entity_owner UUID;
BEGIN
    IF old.id IS NULL OR (new.entity_type, new.entity_id, new.user_id)
                         IS DISTINCT FROM (old.entity_type, old.entity_id, old.user_id) THEN
        entity_owner := CASE new.entity_type
            WHEN 'task' THEN (SELECT user_id FROM aurum.tasks WHERE id = new.entity_id)
            WHEN 'project' THEN (SELECT user_id FROM aurum.projects WHERE id = new.entity_id)
            WHEN 'area' THEN (SELECT user_id FROM aurum.areas WHERE id = new.entity_id)
            WHEN 'pillar' THEN (SELECT user_id FROM aurum.pillars WHERE id = new.entity_id)
        END;
        IF entity_owner IS DISTINCT FROM new.user_id THEN
            PERFORM aurum.refuse_foreign_row(new.entity_type, new.entity_id);
        END IF;
    END IF;
    new.is_active := new.end_time IS NULL;
    RETURN new;
END
$$;

-- A task's time: its closed entries (focus: those not marked as another kind of activity).
CREATE OR REPLACE FUNCTION aurum.task_time_rollup(task UUID)
RETURNS VOID LANGUAGE sql AS $$
    UPDATE aurum.tasks t
    SET actual_duration = s.total, focus_time_minutes = s.focus,
        actual_start_time = s.first_start, actual_end_time = s.last_end
    FROM (
        SELECT sum(duration_minutes)::INTEGER AS total,
               coalesce(sum(duration_minutes) FILTER (
                   WHERE activity_type IS NULL OR activity_type = 'focused'), 0)::INTEGER AS focus,
               min(start_time) AS first_start, max(end_time) AS last_end
        FROM aurum.time_entries
        WHERE entity_type = 'task' AND entity_id = task AND end_time IS NOT NULL
    ) s
    WHERE t.id = task
      AND (t.actual_duration, t.focus_time_minutes, t.actual_start_time, t.actual_end_time)
          IS DISTINCT FROM (s.total, s.focus, s.first_start, s.last_end)
$$;

-- A project's completion (share of its live tasks done), hours (its tasks' time and its own
-- entries) and last activity.
CREATE OR REPLACE FUNCTION aurum.project_rollup(project UUID)
RETURNS VOID LANGUAGE sql AS $$
    UPDATE aurum.projects p
    SET completion_percentage = s.completion, actual_hours_spent = s.hours,
        last_activity_date = s.last_activity
    FROM (
        SELECT coalesce(round(100.0 * count(*) FILTER (WHERE t.completed AND NOT t.archived)
                              / nullif(count(*) FILTER (WHERE NOT t.archived), 0)), 0)::INTEGER
                   AS completion,
               round((coalesce(sum(t.actual_duration), 0) + e.minutes) / 60.0, 2) AS hours,
               greatest(max(t.actual_end_time), max(t.completed_at), e.last_end) AS last_activity
        FROM (
            SELECT coalesce(sum(duration_minutes), 0) AS minutes, max(end_time) AS last_end
            FROM aurum.time_entries
            WHERE entity_type = 'project' AND entity_id = project AND end_time IS NOT NULL
        ) e
        LEFT JOIN aurum.tasks t ON t.project_id = project
        GROUP BY e.minutes, e.last_end
    ) s
    WHERE p.id = project
      AND (p.completion_percentage, p.actual_hours_spent, p.last_activity_date)
          IS DISTINCT FROM (s.completion, s.hours, s.last_activity)
$$;

CREATE OR REPLACE FUNCTION aurum.forget_time_of(kind TEXT, entity UUID)
RETURNS VOID LANGUAGE sql AS $$
    DELETE FROM aurum.time_entries WHERE entity_type = kind AND entity_id = entity
$$;

CREATE OR REPLACE FUNCTION aurum.pillars_after_write(op TEXT, old aurum.pillars, new aurum.pillars)
RETURNS VOID LANGUAGE plpgsql AS $$
BEGIN
    IF op = 'DELETE' THEN
        PERFORM aurum.forget_time_of('pillar', old.id);
    END IF;
END
$$;

-- Moving an area to another pillar moves its projects (and through them, their tasks).
CREATE OR REPLACE FUNCTION aurum.areas_after_write(op TEXT, old aurum.areas, new aurum.areas)
RETURNS VOID LANGUAGE plpgsql AS $$
BEGIN
    IF op = 'DELETE' THEN
        PERFORM aurum.forget_time_of('area', old.id);
    ELSIF op = 'UPDATE' AND new.pillar_id IS DISTINCT FROM old.pillar_id THEN
        UPDATE aurum.projects SET pillar_id = new.pillar_id
        WHERE area_id = new.id AND pillar_id IS DISTINCT FROM new.pillar_id;
    END IF;
END
$$;

CREATE OR REPLACE FUNCTION aurum.projects_after_write(op TEXT, old aurum.projects,
                                                      new aurum.projects)
RETURNS VOID LANGUAGE plpgsql AS $$
BEGIN
    IF op = 'DELETE' THEN
        PERFORM aurum.forget_time_of('project', old.id);
    ELSIF op = 'UPDATE' AND (new.area_id, new.pillar_id) IS DISTINCT FROM (old.area_id, old.pillar_id) THEN
        UPDATE aurum.tasks SET area_id = new.area_id, pillar_id = new.pillar_id
        WHERE project_id = new.id
          AND (area_id, pillar_id) IS DISTINCT FROM (new.area_id, new.pillar_id);
    END IF;
END
$$;

CREATE OR REPLACE FUNCTION aurum.tasks_after_write(op TEXT, old aurum.tasks, new aurum.tasks)
RETURNS VOID LANGUAGE plpgsql AS $$
BEGIN
    IF op = 'DELETE' THEN
        PERFORM aurum.forget_time_of('task', old.id);
    END IF;
    IF op = 'INSERT' OR (op = 'UPDATE' AND (new.completed, new.archived, new.project_id,
                                            new.actual_duration, new.actual_end_time)
                                           IS DISTINCT FROM (old.completed, old.archived,
                                            old.project_id, old.actual_duration,
                                            old.actual_end_time)) THEN
        PERFORM aurum.project_rollup(new.project_id);
    END IF;
    IF op = 'DELETE' OR (op = 'UPDATE' AND new.project_id IS DISTINCT FROM old.project_id) THEN
        PERFORM aurum.project_rollup(old.project_id);
    END IF;
END
$$;

CREATE OR REPLACE FUNCTION aurum.time_entries_after_write(op TEXT, old aurum.time_entries,
                                                          new aurum.time_entries)
RETURNS VOID LANGUAGE plpgsql AS $$
DECLARE
    entry aurum.time_entries;
BEGIN
    FOREACH entry IN ARRAY ARRAY[old, new] LOOP
        CONTINUE WHEN entry.id IS NULL;
        IF entry.entity_type = 'task' THEN
            PERFORM aurum.task_time_rollup(entry.entity_id);
        ELSIF entry.entity_type = 'project' THEN
            PERFORM aurum.project_rollup(entry.entity_id);
        END IF;
    END LOOP;
END
$$;

-- The audit trail: one append-only row per create, update, archive, restore and delete of a
-- hierarchy or journal row, with the values that changed. Columns the database or the
-- analysers derive (vectors, scores, rollups, stamps) are left out: they are not edits.
CREATE OR REPLACE FUNCTION aurum.audit_write(op TEXT, tbl TEXT, old_row JSONB, new_row JSONB)
RETURNS VOID LANGUAGE plpgsql AS $$
DECLARE
    derived CONSTANT TEXT[] := ARRAY[
        'updated_at', 'archived_at', 'completed_at', 'embedding_model', 'embedding_updated_at',
        'combined_embedding', 'name_embedding', 'description_embedding', 'content_embedding',
        'title_embedding', 'hrm_priority_score', 'hrm_alignment_score', 'hrm_reasoning_summary',
        'hrm_last_analyzed', 'ai_suggested_timeblock', 'obstacle_risk', 'hrm_coherence_score',
        'hrm_risk_assessment', 'hrm_suggested_adjustments', 'hrm_health_score',
        'completion_percentage', 'actual_hours_spent', 'last_activity_date', 'actual_duration',
        'actual_start_time', 'actual_end_time', 'focus_time_minutes', 'sentiment_score',
        'ai_insights_generated'];
    owner_id UUID := coalesce(new_row ->> 'user_id', old_row ->> 'user_id')::UUID;
    action TEXT;
    old_values JSONB;
    new_values JSONB;
BEGIN
    IF owner_id::TEXT = ANY(string_to_array(current_setting('aurum.erasing_users', true), ','))
       OR NOT EXISTS (SELECT 1 FROM public.users WHERE id = owner_id) THEN
        RETURN;  -- the owner is being erased: nothing of theirs is kept
    END IF;
    old_row := old_row - derived;
    new_row := new_row - derived;
    IF op = 'INSERT' THEN
        action := 'create';
        new_values := new_row;
    ELSIF op = 'DELETE' THEN
        action := 'delete';
        old_values := old_row;
    ELSE
        SELECT jsonb_object_agg(o.key, o.value) INTO old_values
        FROM jsonb_each(old_row) o WHERE o.value IS DISTINCT FROM new_row -> o.key;
        SELECT jsonb_object_agg(n.key, n.value) INTO new_values
        FROM jsonb_each(new_row) n WHERE n.value IS DISTINCT FROM old_row -> n.key;
        IF new_values IS NULL THEN
            RETURN;
        END IF;
        action := CASE
            WHEN (new_row ->> 'archived')::BOOLEAN AND NOT (old_row ->> 'archived')::BOOLEAN THEN 'archive'
            WHEN (old_row ->> 'archived')::BOOLEAN AND NOT (new_row ->> 'archived')::BOOLEAN THEN 'restore'
            ELSE 'update' END;
    END IF;
    INSERT INTO aurum.audit_log (user_id, action, entity_type, entity_id, old_values, new_values,
                                 ip_address, user_agent)
    VALUES (owner_id, action,
            CASE tbl WHEN 'pillars' THEN 'pillar' WHEN 'areas' THEN 'area'
                     WHEN 'projects' THEN 'project' WHEN 'tasks' THEN 'task'
                     WHEN 'journal_entries' THEN 'journal_entry' ELSE tbl END,
            coalesce(new_row ->> 'id', old_row ->> 'id')::UUID, old_values, new_values,
            nullif(current_setting('app.request_ip', true), '')::INET,
            nullif(current_setting('app.request_user_agent', true), ''));
END
$$;

-- The seed's materialized view, without archived rows (they leave every list). Its unique
-- index lets it refresh CONCURRENTLY.
CREATE MATERIALIZED VIEW aurum.hierarchy_view AS
SELECT
    t.id as task_id,
    t.name as task_name,
    t.user_id,
    p.id as project_id,
    p.name as project_name,
    a.id as area_id,
    a.name as area_name,
    pi.id as pillar_id,
    pi.name as pillar_name,
    t.status as task_status,
    t.priority as task_priority,
    t.due_date,
    t.hrm_priority_score,
    t.hrm_alignment_score
FROM aurum.tasks t
JOIN aurum.projects p ON t.project_id = p.id
JOIN aurum.areas a ON p.area_id = a.id
LEFT JOIN aurum.pillars pi ON a.pillar_id = pi.id
WHERE NOT t.archived AND NOT p.archived AND NOT a.archived AND NOT coalesce(pi.archived, false);

CREATE UNIQUE INDEX idx_hierarchy_view_task ON aurum.hierarchy_view(task_id);
CREATE INDEX idx_hierarchy_view_user ON aurum.hierarchy_view(user_id);
CREATE INDEX idx_hierarchy_view_pillar ON aurum.hierarchy_view(user_id, pillar_id);
