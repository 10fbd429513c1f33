// bench.mjs: one Worker holding both the Go notes API (worker.mjs, the Go
// glue, and app.wasm) and its JavaScript twin (notes.mjs), over the same D1
// binding. A request with the header x-impl: js goes to JavaScript, any
// other to Go.
import goWorker from "./worker.mjs";
import jsWorker from "./notes.mjs";

export default {
	fetch(request, env, ctx) {
		const worker = request.headers.get("x-impl") === "js" ? jsWorker : goWorker;
		return worker.fetch(request, env, ctx);
	},
};
