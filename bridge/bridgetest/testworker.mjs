// The bridge Worker as tests run it: one workerd, many local D1 databases.
// Requests to /d1/<BINDING>/... go to the bridge with env[BINDING] as its
// database, so each test can have a fresh one; /d1/<BINDING>/plain?sql=...&p=...
// is a plain route that runs prepare(sql).bind(...p).first() and answers
// the row as JSON, the baseline the benchmarks compare the bridge with.
import bridge, { handle, failure } from "./bridge.js";

export default {
	async fetch(request, env) {
		const url = new URL(request.url);
		const m = url.pathname.match(/^\/d1\/([A-Za-z0-9_]+)(\/.*)$/);
		if (!m) return bridge.fetch(request, env);
		const db = env[m[1]];
		if (!db || typeof db.prepare !== "function") {
			return new Response("no such database", { status: 404 });
		}
		if (m[2] === "/plain") {
			const params = url.searchParams.getAll("p").map(Number);
			const row = await db.prepare(url.searchParams.get("sql")).bind(...params).first();
			return Response.json(row);
		}
		try {
			return await handle(request, env, db, m[2]);
		} catch (e) {
			return failure(e);
		}
	},
};
