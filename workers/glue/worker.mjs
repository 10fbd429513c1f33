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
// straight to the handler; each gets a Promise of its response, while Go
// works in a goroutine of its own. If the program exits or fails to start,
// the waiting requests fail and the next request starts it again.
//
// Requests and responses cross to Go as text and bytes (see glueName in
// workers/serve.go): method, URL and headers in lines, the body as bytes.
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

// respond builds the Response from what Go hands back.
function respond(status, lines, body) {
	const headers = new Headers();
	for (const line of lines.split("\n")) {
		const i = line.indexOf(":");
		if (i > 0) headers.append(line.slice(0, i), line.slice(i + 1));
	}
	return new Response(body, { status, headers });
}

export default {
	async fetch(request, env) {
		const serve = await start(env);
		let head = request.method + "\n" + request.url + "\n";
		for (const [name, value] of request.headers) head += name + ":" + value + "\n";
		const body = request.body === null ? null : new Uint8Array(await request.arrayBuffer());
		return new Promise((resolve, reject) => {
			const done = (status, lines, out) => {
				try {
					resolve(respond(status, lines, out));
				} catch (err) {
					reject(err);
				}
			};
			serve(head, body, env, done, reject);
		});
	},
};
