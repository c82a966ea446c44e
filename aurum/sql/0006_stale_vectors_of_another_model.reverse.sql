-- The 0003 versions.

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
