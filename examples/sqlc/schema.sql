-- The example's schema: applied by the example before it runs its queries,
-- and read by sqlc to type the generated code.

CREATE TABLE IF NOT EXISTS authors (
  id         INTEGER PRIMARY KEY,
  name       TEXT    NOT NULL UNIQUE,
  bio        TEXT,
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE IF NOT EXISTS posts (
  id           INTEGER PRIMARY KEY,
  author_id    INTEGER NOT NULL REFERENCES authors (id) ON DELETE CASCADE,
  title        TEXT    NOT NULL,
  body         BLOB,
  published_at DATETIME
);

CREATE INDEX IF NOT EXISTS posts_author ON posts (author_id);
