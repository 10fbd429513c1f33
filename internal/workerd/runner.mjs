// runner.mjs starts workerd through Miniflare's Node API for the Go test
// helpers in this directory (workerd.go). It reads one line of JSON from
// stdin, the server's configuration, starts Miniflare, and prints
//
//	WORKERD-READY {"url":"http://127.0.0.1:PORT/"}
//
// on stdout once workerd listens. It stops workerd and exits when stdin
// closes (the Go side is done or died) or on SIGTERM/SIGINT.
import { Miniflare } from "miniflare";
import { createInterface } from "node:readline";

let mf;
let stopping = false;

async function stop(code) {
	if (stopping) return;
	stopping = true;
	try {
		if (mf) await mf.dispose();
	} catch {
		// workerd may already be gone (it shares our process group).
	}
	process.exit(code);
}

function moduleDef(m) {
	const bytes = Buffer.from(m.contents ?? "", "base64");
	const binary = m.type === "Data" || m.type === "CompiledWasm";
	return {
		type: m.type,
		path: m.name,
		contents: binary ? new Uint8Array(bytes) : bytes.toString("utf8"),
	};
}

async function start(cfg) {
	const d1Databases = {};
	for (const name of cfg.d1Databases ?? []) d1Databases[name] = name;
	const opts = {
		modules: (cfg.modules ?? []).map(moduleDef),
		compatibilityDate: cfg.compatibilityDate,
		compatibilityFlags: cfg.compatibilityFlags ?? [],
		d1Databases,
		d1Persist: cfg.persistDir ? cfg.persistDir : false,
		bindings: cfg.vars ?? {},
		cf: false,
		host: "127.0.0.1",
		port: 0,
		...(cfg.options ?? {}),
	};
	mf = new Miniflare(opts);
	const url = await mf.ready;
	process.stdout.write("WORKERD-READY " + JSON.stringify({ url: url.href }) + "\n");
}

const rl = createInterface({ input: process.stdin });
rl.once("line", (line) => {
	let cfg;
	try {
		cfg = JSON.parse(line);
	} catch (e) {
		process.stderr.write("workerd runner: bad configuration: " + e.message + "\n");
		stop(2);
		return;
	}
	start(cfg).catch((e) => {
		process.stderr.write("workerd runner: " + ((e && e.stack) || e) + "\n");
		stop(1);
	});
});
rl.on("close", () => stop(0));
process.on("SIGTERM", () => stop(0));
process.on("SIGINT", () => stop(0));
