-- name: CreateAuthor :one
INSERT INTO authors (name, bio) VALUES (?, ?)
RETURNING *;

-- name: GetAuthor :one
SELECT * FROM authors
WHERE id = ? LIMIT 1;

-- name: GetAuthorByName :one
SELECT * FROM authors
WHERE name = @name LIMIT 1;

-- name: ListAuthors :many
SELECT * FROM authors
ORDER BY name;

-- name: UpdateAuthorBio :execrows
UPDATE authors SET bio = sqlc.narg(bio)
WHERE id = sqlc.arg(id);

-- name: DeleteAuthor :exec
DELETE FROM authors
WHERE id = ?;

-- name: CreatePost :execresult
INSERT INTO posts (author_id, title, body, published_at)
VALUES (?, ?, ?, ?);

-- name: ListPostsByAuthor :many
SELECT p.id, p.title, p.body, p.published_at, a.name AS author
FROM posts AS p
JOIN authors AS a ON a.id = p.author_id
WHERE p.author_id = ?
ORDER BY p.id;

-- name: CountPosts :one
SELECT count(*) FROM posts;
