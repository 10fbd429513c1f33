// worker.mjs: the entry module of a Go Worker built with
// GOOS=js GOARCH=wasm and github.com/lunora-go/d1/workers.
//
// Put it next to wasm_exec.js, copied from the Go distribution that built
// the program ($(go env GOROOT)/lib/wasm/wasm_exec.js), and the program,
// named app.wasm, and make it the Worker's main module.
//
// Go starts inside the first request, not at global scope (where the first
// request would hang): the request waits until the program has called
// workers.Serve, which hands this module its handler. Later requests go
// straight to the handler; each gets a Promise of its Response, while Go
// works in a goroutine of its own. If the program exits or fails to start,
// the waiting requests fail and the next request starts it again.
import "./wasm_exec.js";
import wasm from "./app.wasm";

let handler; // a Promise of the Go handler, once Go is starting

function start(env) {
	if (!handler) {
		handler = new Promise((resolve, reject) => {
			globalThis.lunoraWorkers = { env, serve: resolve };
			const go = new Go();
			go.argv = ["app.wasm"];
			WebAssembly.instantiate(wasm, go.importObject)
				.then((instance) => go.run(instance))
				.then(() => {
					handler = undefined;
					reject(new Error("the Go program exited: it must call workers.Serve, which does not return"));
				})
				.catch((err) => {
					handler = undefined;
					reject(err);
				});
		});
	}
	return handler;
}

export default {
	async fetch(request, env, ctx) {
		const serve = await start(env);
		return serve(request, env, ctx);
	},
};
