DROP TABLE IF EXISTS "dreamscape"."user_behaviors";
