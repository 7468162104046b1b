-- The test applications' own schema, migrated by Spring Boot's Flyway (flyway_schema_history)
-- before Gatehouse migrates its tables (gh_schema_history) into the same schema.
CREATE TABLE notes (id INT PRIMARY KEY, text VARCHAR(200) NOT NULL);
