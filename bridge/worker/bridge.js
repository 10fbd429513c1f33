// The lunora-d1 bridge: a Cloudflare Worker that lets programs outside
// Cloudflare (Go servers, through github.com/lunora-go/d1/bridge) use a D1
// database with the Worker binding's full surface, sessions and bookmarks
// included, which the REST API lacks.
//
// One endpoint, POST /v1/query, with a bearer token (the BRIDGE_TOKEN secret):
//
//   request:  {"session"?: "first-unconstrained" | "first-primary" | bookmark,
//              "statements": [{"sql": "...", "params": [...], "mode": "all"|"run"|"first"|"raw"}],
//              "batch"?: true}
//          or {"exec": "sql, one statement per line"}
//   response: {"results": [{"columns": [...], "rows": [[...]], "meta"?: {...}}],
//              "bookmark": string | null}
//          or {"exec": {"count", "duration"}}
//          or {"error": {"message": "D1_ERROR: ..."}, "bookmark": ...}
//
// Without "session" the statements run on env.DB itself (the primary, no
// bookmark); with it, through env.DB.withSession(session). Values are JSON
// values, except BLOBs, which travel as {"blob": "<base64>"} both ways.
// Numbers are JavaScript numbers, as D1 binds and returns them. D1's errors
// answer HTTP 200 with "error"; HTTP errors (400, 401, 404, 405, 413, 500)
// are failures of the request itself.
//
// The Worker logs nothing, and never puts the token in a response.

const DEFAULT_MAX_BODY_BYTES = 10 << 20;
// A body over the limit is read away, up to this many times the limit, so
// that the client sees the 413; beyond that the connection is dropped.
const DISCARD_LIMIT_FACTOR = 4;
const MODES = new Set(["all", "run", "first", "raw"]);

class HTTPError extends Error {
	constructor(status, message) {
		super(message);
		this.status = status;
	}
}

export default {
	async fetch(request, env) {
		try {
			return await handle(request, env, env.DB);
		} catch (e) {
			return failure(e);
		}
	},
};

// failure turns an exception thrown by handle into a response.
export function failure(e) {
	if (e instanceof HTTPError) return fail(e.status, e.message);
	return fail(500, "bridge: internal error: " + errorMessage(e));
}

// handle answers one request against db; path is the request's path. It is
// exported for wrappers that choose the database or route themselves, and
// throws HTTPError for failures of the request.
export async function handle(request, env, db, path = new URL(request.url).pathname) {
	if (path !== "/v1/query") throw new HTTPError(404, "bridge: no such endpoint");
	if (request.method !== "POST") throw new HTTPError(405, "bridge: use POST");
	await authorize(request, env);
	if (!db) throw new HTTPError(500, "bridge: no D1 binding named DB");
	const body = await readJSON(request, maxBodyBytes(env));

	if (typeof body.exec === "string") {
		try {
			const r = await db.exec(body.exec);
			return json({ exec: { count: r.count, duration: r.duration } });
		} catch (e) {
			return json({ error: { message: errorMessage(e) } });
		}
	}

	const stmts = body.statements;
	if (!Array.isArray(stmts)) throw new HTTPError(400, "bridge: statements must be an array");
	if (!body.batch && stmts.length !== 1) throw new HTTPError(400, "bridge: one statement, or batch: true");
	for (const s of stmts) {
		if (s === null || typeof s !== "object" || typeof s.sql !== "string") {
			throw new HTTPError(400, "bridge: a statement needs sql");
		}
		if (s.params !== undefined && !Array.isArray(s.params)) {
			throw new HTTPError(400, "bridge: params must be an array");
		}
		if (!body.batch && !MODES.has(s.mode ?? "all")) throw new HTTPError(400, "bridge: unknown mode");
	}
	const params = stmts.map((s) => (s.params ?? []).map(decodeValue));

	let session = null;
	if (body.session !== undefined && body.session !== null) {
		if (typeof body.session !== "string") throw new HTTPError(400, "bridge: session must be a string");
		session = db.withSession(body.session);
	}
	const target = session ?? db;
	const bookmark = () => (session ? session.getBookmark() : null);

	let results;
	try {
		const prepared = stmts.map((s, i) => {
			const p = target.prepare(s.sql);
			return params[i].length ? p.bind(...params[i]) : p;
		});
		if (body.batch) {
			results = (await target.batch(prepared)).map(fromAll);
		} else {
			results = [await runOne(prepared[0], stmts[0].mode ?? "all")];
		}
	} catch (e) {
		return json({ error: { message: errorMessage(e) }, bookmark: bookmark() });
	}
	return json({ results, bookmark: bookmark() });
}

async function runOne(stmt, mode) {
	switch (mode) {
		case "all":
			return fromAll(await stmt.all());
		case "run":
			return fromAll(await stmt.run());
		case "first": {
			const row = await stmt.first();
			if (row === null || row === undefined) return { columns: [], rows: [] };
			const columns = Object.keys(row);
			return { columns, rows: [columns.map((c) => encodeValue(row[c]))] };
		}
		case "raw": {
			const [columns, ...rows] = await stmt.raw({ columnNames: true });
			return { columns: columns ?? [], rows: rows.map((r) => r.map(encodeValue)) };
		}
	}
}

// fromAll turns all()'s and run()'s {results, meta} into columns and rows:
// the columns are the keys of the first row, as all() gives them.
function fromAll(r) {
	const objs = r.results ?? [];
	const columns = objs.length ? Object.keys(objs[0]) : [];
	const rows = objs.map((o) => columns.map((c) => encodeValue(o[c])));
	return { columns, rows, meta: r.meta };
}

function encodeValue(v) {
	if (v === null || v === undefined) return null;
	if (typeof v === "number") return Number.isFinite(v) ? v : null;
	if (Array.isArray(v)) return { blob: toBase64(v) };
	if (v instanceof ArrayBuffer) return { blob: toBase64(new Uint8Array(v)) };
	if (ArrayBuffer.isView(v)) return { blob: toBase64(new Uint8Array(v.buffer, v.byteOffset, v.byteLength)) };
	return v;
}

function decodeValue(v) {
	if (v === null || typeof v === "number" || typeof v === "string" || typeof v === "boolean") return v;
	if (typeof v === "object" && typeof v.blob === "string") return fromBase64(v.blob);
	throw new HTTPError(400, "bridge: a parameter must be null, a number, a string or {blob}");
}

function toBase64(bytes) {
	let s = "";
	for (let i = 0; i < bytes.length; i += 0x8000) {
		s += String.fromCharCode.apply(null, Array.prototype.slice.call(bytes, i, i + 0x8000));
	}
	return btoa(s);
}

function fromBase64(b64) {
	let s;
	try {
		s = atob(b64);
	} catch {
		throw new HTTPError(400, "bridge: a blob is not valid base64");
	}
	const out = new Uint8Array(s.length);
	for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
	return out;
}

function errorMessage(e) {
	if (e && typeof e.message === "string") return e.message;
	return String(e);
}

function maxBodyBytes(env) {
	const n = Number(env.BRIDGE_MAX_BODY_BYTES);
	return Number.isSafeInteger(n) && n > 0 ? n : DEFAULT_MAX_BODY_BYTES;
}

// The SHA-256 digest of the configured token, computed once per isolate.
let tokenDigest = { token: null, digest: null };

async function authorize(request, env) {
	const token = env.BRIDGE_TOKEN;
	if (typeof token !== "string" || token === "") {
		throw new HTTPError(500, "bridge: BRIDGE_TOKEN is not set");
	}
	const header = request.headers.get("Authorization") ?? "";
	const given = header.startsWith("Bearer ") ? header.slice(7) : "";
	if (tokenDigest.token !== token) {
		tokenDigest = { token, digest: await sha256(token) };
	}
	// Digests have equal lengths, so the comparison takes the same time
	// whatever the given token is.
	const ok = crypto.subtle.timingSafeEqual(await sha256(given), tokenDigest.digest);
	if (!ok || given === "") throw new HTTPError(401, "bridge: unauthorized");
}

async function sha256(s) {
	return crypto.subtle.digest("SHA-256", new TextEncoder().encode(s));
}

async function readJSON(request, max) {
	const declared = request.headers.get("Content-Length");
	if (declared !== null && Number(declared) > max) {
		// Read the body away before answering: a client still sending it
		// would otherwise see the connection reset instead of the 413.
		await discard(request, DISCARD_LIMIT_FACTOR * max);
		throw new HTTPError(413, "bridge: request larger than " + max + " bytes");
	}
	let text;
	if (declared !== null) {
		text = await request.text();
		if (text.length > max) throw new HTTPError(413, "bridge: request larger than " + max + " bytes");
	} else {
		text = await readLimited(request, max);
	}
	let body;
	try {
		body = JSON.parse(text);
	} catch {
		throw new HTTPError(400, "bridge: the request is not JSON");
	}
	if (body === null || typeof body !== "object" || Array.isArray(body)) {
		throw new HTTPError(400, "bridge: the request must be a JSON object");
	}
	return body;
}

// discard reads the request's body without keeping it, up to limit bytes.
async function discard(request, limit) {
	if (!request.body) return;
	const reader = request.body.getReader();
	let size = 0;
	for (;;) {
		const { done, value } = await reader.read();
		if (done) return;
		size += value.byteLength;
		if (size > limit) {
			reader.cancel().catch(() => {});
			return;
		}
	}
}

// readLimited reads a body of unknown length, refusing it as soon as it
// grows past max bytes.
async function readLimited(request, max) {
	if (!request.body) return "";
	const chunks = [];
	let size = 0;
	const reader = request.body.getReader();
	for (;;) {
		const { done, value } = await reader.read();
		if (done) break;
		size += value.byteLength;
		if (size > max) {
			reader.releaseLock();
			await discard(request, (DISCARD_LIMIT_FACTOR - 1) * max);
			throw new HTTPError(413, "bridge: request larger than " + max + " bytes");
		}
		chunks.push(value);
	}
	const bytes = new Uint8Array(size);
	let off = 0;
	for (const c of chunks) {
		bytes.set(c, off);
		off += c.byteLength;
	}
	return new TextDecoder().decode(bytes);
}

function json(v) {
	return new Response(JSON.stringify(v), { headers: { "Content-Type": "application/json" } });
}

function fail(status, message) {
	return new Response(JSON.stringify({ error: { message } }), {
		status,
		headers: { "Content-Type": "application/json" },
	});
}
