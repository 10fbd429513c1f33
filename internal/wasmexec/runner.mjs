// runner.mjs: the Worker through which wasmexec runs a program built with
// GOOS=js GOARCH=wasm (a test binary, usually) inside workerd, with the
// Worker's env, and so its D1 binding "DB", in reach of the program through
// github.com/lunora-go/d1/workers.Binding.
//
// Its modules: this file, wasm_exec.js from the Go distribution that built
// the program, the program as app.wasm, and the Go Worker entry module of
// package workers/glue, whose glue the program finds as it would in a Go
// Worker (its fetch handler is not used). One POST of
//
//	{"argv": [...], "env": {"NAME": "value", ...}}
//
// starts the program; the response streams frames back, each one byte of
// kind (1 stdout, 2 stderr, 3 exit), a big-endian uint32 length and that
// many bytes. The exit frame, last, holds the exit code as a big-endian
// int32. The body ends without one when workerd ends the request first.
import "./wasm_exec.js";
import wasm from "./app.wasm";
import { glue } from "./worker.mjs";

const STDOUT = 1;
const STDERR = 2;
const EXIT = 3;

export default {
	async fetch(request, env, ctx) {
		const { argv, env: goEnv } = await request.json();
		const { readable, writable } = new TransformStream();
		const writer = writable.getWriter();
		const send = (kind, bytes) => {
			const frame = new Uint8Array(5 + bytes.length);
			frame[0] = kind;
			new DataView(frame.buffer).setUint32(1, bytes.length);
			frame.set(bytes, 5);
			writer.write(frame).catch(() => {});
		};

		// wasm_exec.js installed a file system that has only stdout and
		// stderr, both sent to console.log; send them back instead. The bytes
		// may be a view of Go's memory: copy them now.
		globalThis.fs.writeSync = (fd, buf) => {
			send(fd === 2 ? STDERR : STDOUT, buf.slice());
			return buf.length;
		};
		const go = new Go();
		globalThis.lunoraWorkers = glue(go, env);
		go.argv = argv;
		go.env = goEnv;
		let code = 0;
		go.exit = (c) => {
			code = c;
		};
		const done = WebAssembly.instantiate(wasm, go.importObject)
			.then((instance) => go.run(instance))
			.then(
				() => code,
				(err) => {
					send(STDERR, new TextEncoder().encode("wasmexec: " + ((err && err.stack) || err) + "\n"));
					return 1;
				},
			)
			.then((c) => {
				const b = new Uint8Array(4);
				new DataView(b.buffer).setInt32(0, c);
				send(EXIT, b);
				return writer.close();
			});
		ctx.waitUntil(done);
		return new Response(readable, { headers: { "content-type": "application/octet-stream" } });
	},
};
