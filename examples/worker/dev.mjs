// dev.mjs runs the Go Worker locally in workerd through Miniflare, with a
// local D1 kept in .lunora/d1/worker-example (from the module root):
//
//	node examples/worker/dev.mjs [build directory, default dist/worker]
//
// It serves http://127.0.0.1:8787/ (PORT changes the port) until it is
// stopped. The build directory holds worker.mjs, wasm_exec.js and app.wasm:
// see README.md. It uses the Miniflare pinned in internal/workerd (run
// `npm ci --prefix internal/workerd` once).
import { Miniflare } from "../../internal/workerd/node_modules/miniflare/dist/src/index.js";
import { readFileSync } from "node:fs";
import { join } from "node:path";

const dir = process.argv[2] ?? "dist/worker";
const read = (name) => readFileSync(join(dir, name));
const mf = new Miniflare({
	modules: [
		{ type: "ESModule", path: "worker.mjs", contents: read("worker.mjs").toString() },
		{ type: "ESModule", path: "wasm_exec.js", contents: read("wasm_exec.js").toString() },
		{ type: "CompiledWasm", path: "app.wasm", contents: read("app.wasm") },
	],
	compatibilityDate: "2025-09-01",
	d1Databases: { DB: "worker-example" },
	d1Persist: ".lunora/d1/worker-example",
	cf: false,
	host: "127.0.0.1",
	port: Number(process.env.PORT ?? 8787),
});
console.log("serving", (await mf.ready).href, "(Ctrl-C stops)");
const stop = async () => {
	await mf.dispose();
	process.exit(0);
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
