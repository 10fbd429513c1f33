// rest_api.js: a stand-in for Cloudflare's D1 REST API, for the tests of
// github.com/lunora-go/d1/rest. It answers the documented request and
// response shapes of
//
//   POST /client/v4/accounts/{account_id}/d1/database/{database_id}/query
//   POST /client/v4/accounts/{account_id}/d1/database/{database_id}/raw
//
// over workerd's local D1, so that the Go client is tested against real D1
// semantics (SQL, values, errors, batches) with Cloudflare's envelopes:
//
//   request:  {"sql": "...", "params": [...]} or {"batch": [{"sql", "params"}, ...]}
//   success:  200 {"success": true, "errors": [], "messages": [],
//                  "result": [{"success": true, "meta": {...}, "results": ...}]}
//             /query: "results" is an array of row objects;
//             /raw:   "results" is {"columns": [...], "rows": [[...]]}
//   failure:  4xx/5xx {"success": false, "errors": [{"code", "message"}],
//                      "messages": [], "result": null}
//
// Bindings: REST_TOKEN (the bearer token that may use D1), NO_D1_TOKEN (a
// token that authenticates but lacks the D1 permissions), ACCOUNT_ID, and D1
// databases whose binding names are the database IDs.
//
// What the real API does that this stand-in copies, and from where:
//   - SQL errors: HTTP 400, code 7500, D1's message without its "D1_ERROR: "
//     prefix (responses seen from the real API, e.g. "no such table: x:
//     SQLITE_ERROR").
//   - A token that is not accepted: HTTP 401, code 10000 "Authentication
//     error"; a valid token without the permission: HTTP 403, same code.
//   - An unknown database: HTTP 404, code 7404 (as Miniflare's local
//     explorer, which mirrors the API, answers).
//   - params: the reference documents an array of strings; the D1 service
//     behind the API also takes numbers, booleans and null, as the Worker
//     binding sends them, and this stand-in takes those. Byte arrays are
//     refused: the documented API has no way to bind a BLOB.
//   - A batch runs as one implicit transaction, as D1's batch does. A
//     statement holding several statements runs them all and answers with
//     the last one's rows (what the binding's prepare() does here; the real
//     API may answer one result per statement instead).
//
// It logs nothing and never echoes the Authorization header.

const ROUTE = /^\/client\/v4\/accounts\/([^/]+)\/d1\/database\/([^/]+)\/(query|raw)$/;

export default {
	async fetch(request, env) {
		try {
			return await handle(request, env);
		} catch (e) {
			return fail(500, 7500, "internal error: " + String((e && e.message) || e));
		}
	},
};

async function handle(request, env) {
	const url = new URL(request.url);
	const m = url.pathname.match(ROUTE);
	if (!m) return fail(404, 7003, "Could not route to " + url.pathname + ", perhaps your object identifier is invalid?");
	if (request.method !== "POST") return fail(405, 10405, "Method not allowed");

	const auth = request.headers.get("authorization") ?? "";
	if (!auth.startsWith("Bearer ")) return fail(400, 6003, "Invalid request headers");
	const token = auth.slice("Bearer ".length);
	if (env.NO_D1_TOKEN && token === env.NO_D1_TOKEN) return fail(403, 10000, "Authentication error");
	if (token !== env.REST_TOKEN) return fail(401, 10000, "Authentication error");

	const [, account, database, endpoint] = m;
	if (decodeURIComponent(account) !== env.ACCOUNT_ID) {
		return fail(403, 7403, "The given account is not valid or is not authorized to access this service");
	}
	const dbName = decodeURIComponent(database);
	const db = Object.hasOwn(env, dbName) ? env[dbName] : undefined;
	if (!db || typeof db.prepare !== "function") {
		return fail(404, 7404, "The database " + dbName + " could not be found");
	}

	let body;
	try {
		body = await request.json();
	} catch {
		return fail(400, 7400, "The request is not valid JSON");
	}
	const queries = parseBody(body);
	if (typeof queries === "string") return fail(400, 7400, queries);

	let prepared;
	try {
		prepared = queries.map((q) => {
			const s = db.prepare(q.sql);
			return q.params.length ? s.bind(...q.params) : s;
		});
	} catch (e) {
		return sqlFailure(e);
	}

	let result;
	try {
		if (endpoint === "raw" && prepared.length === 1) {
			// raw() keeps duplicate column names and names the columns even
			// when there are no rows; the binding gives no meta with it.
			const [columns, ...rows] = await prepared[0].raw({ columnNames: true });
			result = [{ success: true, results: { columns: columns ?? [], rows: rows.map((r) => r.map(value)) } }];
		} else {
			const out = prepared.length === 1 ? [await prepared[0].all()] : await db.batch(prepared);
			result = out.map((r) => ({
				success: true,
				meta: r.meta,
				results: endpoint === "raw" ? toColumns(r.results ?? []) : (r.results ?? []).map(objectValues),
			}));
		}
	} catch (e) {
		return sqlFailure(e);
	}
	return Response.json({ success: true, errors: [], messages: [], result });
}

// parseBody returns the queries of a request body, or a message saying what
// is wrong with it.
function parseBody(body) {
	if (body === null || typeof body !== "object" || Array.isArray(body)) return "The body must be an object";
	const list = Object.hasOwn(body, "batch") ? body.batch : [body];
	if (!Array.isArray(list)) return "batch must be an array";
	const queries = [];
	for (const q of list) {
		if (q === null || typeof q !== "object" || typeof q.sql !== "string") return "Each query needs sql, a string";
		const params = q.params ?? [];
		if (!Array.isArray(params)) return "params must be an array";
		for (const p of params) {
			if (!(p === null || typeof p === "string" || typeof p === "number" || typeof p === "boolean")) {
				return "params must be strings, numbers, booleans or null";
			}
		}
		queries.push({ sql: q.sql, params });
	}
	return queries;
}

// sqlFailure answers an exception from D1 as the API answers SQL errors.
function sqlFailure(e) {
	let message = String((e && e.message) || e);
	if (message.startsWith("D1_ERROR: ")) message = message.slice("D1_ERROR: ".length);
	return fail(400, 7500, message);
}

function fail(status, code, message) {
	return Response.json({ success: false, errors: [{ code, message }], messages: [], result: null }, { status });
}

function objectValues(row) {
	const out = {};
	for (const k of Object.keys(row)) out[k] = value(row[k]);
	return out;
}

function toColumns(objs) {
	const columns = objs.length ? Object.keys(objs[0]) : [];
	return { columns, rows: objs.map((o) => columns.map((c) => value(o[c]))) };
}

// value turns a D1 value into its JSON form: BLOBs as arrays of byte values.
function value(v) {
	if (v instanceof ArrayBuffer) return Array.from(new Uint8Array(v));
	if (ArrayBuffer.isView(v)) return Array.from(new Uint8Array(v.buffer, v.byteOffset, v.byteLength));
	return v;
}
