DROP TABLE IF EXISTS "dreamshot"."ai_tests_archive";
DROP TABLE IF EXISTS "dreamshot"."ai_tests";
