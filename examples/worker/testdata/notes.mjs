// notes.mjs: the notes API of the Go example (../notes.go) written directly
// in JavaScript, to compare the two in the same workerd (worker_test.go's
// benchmarks). It keeps the Go version's behaviour: the schema is created
// once, each request gets a session from its x-d1-bookmark header (a POST
// without one starts on the primary), and the session's bookmark goes back
// in the response's x-d1-bookmark header.
const SCHEMA = `CREATE TABLE IF NOT EXISTS notes (
	id INTEGER PRIMARY KEY,
	body TEXT NOT NULL,
	created_at INTEGER NOT NULL
)`;
const LIST_LIMIT = 50;

let ready;

// usable mirrors d1http: a constraint, or hex fields separated by dashes.
function usable(v) {
	if (v === "first-primary" || v === "first-unconstrained") return true;
	return !!v && v.length <= 256 && /^[0-9a-fA-F](?:[0-9a-fA-F-]*[0-9a-fA-F])?$/.test(v);
}

const json = (status, v, headers = {}) =>
	new Response(JSON.stringify(v) + "\n", { status, headers: { "content-type": "application/json", ...headers } });
const text = (status, s) =>
	new Response(s + "\n", { status, headers: { "content-type": "text/plain; charset=utf-8" } });

async function route(request, session) {
	const url = new URL(request.url);
	if (url.pathname === "/notes" && request.method === "POST") {
		let body;
		try {
			({ body } = await request.json());
		} catch (e) {
			return text(400, 'want a JSON object {"body": "..."}: ' + e.message);
		}
		if (typeof body !== "string" || body.trim() === "") return text(400, "the note's body is empty");
		const note = { id: 0, body, created_at: Date.now() };
		const res = await session.prepare("INSERT INTO notes (body, created_at) VALUES (?, ?)").bind(note.body, note.created_at).run();
		note.id = res.meta.last_row_id;
		return json(201, note, { location: "/notes/" + note.id });
	}
	if (url.pathname === "/notes" && request.method === "GET") {
		const { results } = await session.prepare("SELECT id, body, created_at FROM notes ORDER BY id DESC LIMIT ?").bind(LIST_LIMIT).all();
		return json(200, results);
	}
	const m = /^\/notes\/([0-9]+)$/.exec(url.pathname);
	if (m && request.method === "GET") {
		const note = await session.prepare("SELECT id, body, created_at FROM notes WHERE id = ?").bind(Number(m[1])).first();
		return note ? json(200, note) : text(404, "404 page not found");
	}
	return text(404, "404 page not found");
}

export default {
	async fetch(request, env) {
		ready ??= env.DB.prepare(SCHEMA).run().catch((e) => {
			ready = undefined;
			throw e;
		});
		await ready;
		const from = request.headers.get("x-d1-bookmark");
		const session = env.DB.withSession(usable(from) ? from : request.method === "POST" ? "first-primary" : "first-unconstrained");
		let resp;
		try {
			resp = await route(request, session);
		} catch (e) {
			resp = text(500, e.message);
		}
		const bookmark = session.getBookmark();
		if (bookmark) resp.headers.set("x-d1-bookmark", bookmark);
		return resp;
	},
};
