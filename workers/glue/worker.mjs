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
// Every call between JavaScript and Go through syscall/js costs (Go keeps a
// finalizer for each JavaScript object it holds), so requests, responses and
// D1's statements and results cross as bytes copied straight between
// JavaScript and Go's memory, with numbers as the only arguments: see glue
// below, and workers/serve.go and workers/fast.go for the Go side.
import "./wasm_exec.js";
import wasm from "./app.wasm";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

// glue returns the object through which the Go program, running in go,
// meets JavaScript: package workers finds it as globalThis.lunoraWorkers.
// env is the Worker's env when Go starts; serve, when given, is called with
// the request handler that workers.Serve hands over.
//
// Go's memory is go.mem.buffer (wasm_exec.js renews go.mem when the memory
// grows). Go passes the address and length of its byte slices as numbers;
// JavaScript reads them at once or copies into them, while Go waits.
export function glue(go, env, serve) {
	const bytes = (ptr, len) => new Uint8Array(go.mem.buffer, ptr, len);
	const text = (ptr, len) => decoder.decode(bytes(ptr, len));

	// Requests, from fetch until Go responds: id → {env, data, resolve, reject}.
	const requests = new Map();
	let nextRequest = 1;

	// D1 results waiting for Go to take them: id → Uint8Array.
	const results = new Map();

	const g = {
		env,
		serve,

		// request registers a request, its encoded head and its body (null
		// for none), and returns its id; Go's handler then gets (id, head
		// length, body length or -1).
		request(env, head, body, resolve, reject) {
			const id = nextRequest++;
			requests.set(id, { env, head, body, resolve, reject });
			return id;
		},
		// read copies request id's head and body to ptr, one after the other.
		read(id, ptr) {
			const r = requests.get(id);
			bytes(ptr, r.head.length).set(r.head);
			if (r.body !== null) bytes(ptr + r.head.length, r.body.length).set(r.body);
			r.head = r.body = null;
		},
		// envOf returns the env of request id (the first env once it is done).
		envOf(id) {
			const r = requests.get(id);
			return r ? r.env : env;
		},
		// respond answers request id: status, headers as "name:value" lines
		// (headLen bytes at headPtr) and the body (bodyLen bytes at bodyPtr,
		// -1 for none).
		respond(id, status, headPtr, headLen, bodyPtr, bodyLen) {
			const r = requests.get(id);
			requests.delete(id);
			try {
				// A record of names builds a Response about twice as fast as
				// an array of pairs; a name that repeats needs Headers.
				let headers = Object.create(null);
				for (const line of text(headPtr, headLen).split("\n")) {
					const i = line.indexOf(":");
					if (i <= 0) continue;
					const name = line.slice(0, i);
					if (headers instanceof Headers) headers.append(name, line.slice(i + 1));
					else if (name in headers) {
						const h = new Headers(headers);
						h.append(name, line.slice(i + 1));
						headers = h;
					} else headers[name] = line.slice(i + 1);
				}
				const body = bodyLen < 0 ? null : bytes(bodyPtr, bodyLen).slice();
				r.resolve(new Response(body, { status, headers }));
			} catch (err) {
				r.reject(err);
			}
		},
		// fail rejects request id with the message at ptr.
		fail(id, ptr, len) {
			const r = requests.get(id);
			requests.delete(id);
			r.reject(new Error(text(ptr, len)));
		},

		// D1. Go sets g.done, a function, before it calls these.
		//
		// query runs the statement at ptr on owner (see Reader.statement) with
		// method op (0 all, 1 run, 2 first, 3 raw, 4 batch of statements, 5
		// exec), and calls g.done(id, ok, n) when the encoded result (or the
		// error's message, when ok is 0) is ready for take. With SESSION added
		// to op, owner is a database, the statement is preceded by the text of
		// a bookmark or constraint, and it runs in owner.withSession(that);
		// the result or message is then followed by the session's bookmark
		// after it (see Writer.bookmark).
		query(owner, id, op, ptr, len) {
			const r = new Reader(bytes(ptr, len).slice());
			let session = null;
			let p;
			try {
				if (op & SESSION) {
					session = owner = owner.withSession(r.string());
					op &= ~SESSION;
				}
				if (op === 4) {
					const n = r.u32();
					const stmts = new Array(n);
					for (let i = 0; i < n; i++) stmts[i] = r.statement(owner);
					p = owner.batch(stmts).then((rs) => {
						const w = new Writer();
						w.u32(rs.length);
						for (const res of rs) w.rowsResult(res);
						return w;
					});
				} else if (op === 5) {
					p = owner.exec(r.string()).then((res) => new Writer().meta(res));
				} else {
					const stmt = r.statement(owner);
					if (op === 0) p = stmt.all().then((res) => new Writer().rowsResult(res));
					else if (op === 1) p = stmt.run().then((res) => new Writer().rowsResult(res));
					else if (op === 2) p = stmt.first().then((row) => new Writer().first(row));
					else p = stmt.raw({ columnNames: true }).then((rows) => new Writer().raw(rows));
				}
			} catch (err) {
				p = Promise.reject(err);
			}
			const done = g.done;
			// Go's export hands the result's length to the query's caller,
			// which runs once Go resumes, for less than a call of done costs.
			const reply = (ok, n) => {
				const handOver = go._inst.exports.lunora_workers_done;
				if (handOver !== undefined && handOver(id, ok, n) === 1) go._resume();
				else done(id, ok, n);
			};
			p.then(
				(w) => {
					if (session !== null) w.bookmark(session);
					const b = w.bytes();
					results.set(id, b);
					reply(1, b.length);
				},
				(err) => {
					const m = err !== null && typeof err === "object" && typeof err.message === "string" ? err.message : String(err);
					let b = encoder.encode(m);
					if (session !== null) b = new Writer(b).bookmark(session).bytes();
					results.set(id, b);
					reply(0, b.length);
				},
			);
		},
		// take copies result id to ptr, or drops it when ptr is 0.
		take(id, ptr) {
			const b = results.get(id);
			results.delete(id);
			if (ptr !== 0) bytes(ptr, b.length).set(b);
		},
	};
	return g;
}

// Reader reads what Go encodes: little-endian lengths, UTF-8 text.
class Reader {
	constructor(b) {
		this.b = b;
		this.v = new DataView(b.buffer, b.byteOffset, b.byteLength);
		this.i = 0;
	}
	u32() {
		const n = this.v.getUint32(this.i, true);
		this.i += 4;
		return n;
	}
	string() {
		const n = this.u32();
		const s = decoder.decode(this.b.subarray(this.i, this.i + n));
		this.i += n;
		return s;
	}
	// statement reads SQL and values and returns owner.prepare(sql).bind(...).
	statement(owner) {
		const sql = this.string();
		const n = this.u32();
		const stmt = owner.prepare(sql);
		if (n === 0) return stmt;
		const values = new Array(n);
		for (let i = 0; i < n; i++) {
			const tag = this.b[this.i++];
			if (tag === 0) values[i] = null;
			else if (tag === 1) {
				values[i] = this.v.getFloat64(this.i, true);
				this.i += 8;
			} else if (tag === 2) values[i] = this.string();
			else {
				const len = this.u32();
				values[i] = this.b.slice(this.i, this.i + len);
				this.i += len;
			}
		}
		return stmt.bind(...values);
	}
}

// SESSION, added to a query's operation, runs it in a session.
const SESSION = 16;

// Value tags of what JavaScript encodes for Go (workers/wire.go).
const NULL = 0, FLOAT = 1, STRING = 2, TRUE = 3, FALSE = 4, BYTES = 5, OBJECT = 6, INT = 7;

// Writer encodes D1's results for Go.
class Writer {
	// constructor starts with the bytes of start, if any.
	constructor(start) {
		this.b = new Uint8Array(start === undefined ? 1024 : start.length + 96);
		this.v = new DataView(this.b.buffer);
		this.i = 0;
		if (start !== undefined) {
			this.b.set(start);
			this.i = start.length;
		}
	}
	// bookmark encodes session.getBookmark() at the end of a reply: as a
	// string, then its length in bytes again (for Go to find it from the
	// end), or 0xffffffff alone for none.
	bookmark(session) {
		const b = session.getBookmark();
		if (typeof b !== "string") {
			this.u32(0xffffffff);
			return this;
		}
		const start = this.i;
		this.string(b);
		const n = this.i - start - 4;
		this.u32(n);
		return this;
	}
	room(n) {
		if (this.i + n <= this.b.length) return;
		const b = new Uint8Array(Math.max(this.b.length * 2, this.i + n));
		b.set(this.b.subarray(0, this.i));
		this.b = b;
		this.v = new DataView(b.buffer);
	}
	bytes() {
		return this.b.subarray(0, this.i);
	}
	u8(n) {
		this.room(1);
		this.b[this.i++] = n;
	}
	u32(n) {
		this.room(4);
		this.v.setUint32(this.i, n, true);
		this.i += 4;
	}
	string(s) {
		const n = s.length;
		this.room(4 + 3 * n);
		const b = this.b;
		let j = this.i + 4;
		// ASCII byte by byte, which is faster than encodeInto for short text.
		let k = 0;
		for (; k < n; k++) {
			const c = s.charCodeAt(k);
			if (c >= 0x80) break;
			b[j++] = c;
		}
		if (k < n) j += encoder.encodeInto(k === 0 ? s : s.slice(k), b.subarray(j)).written;
		this.v.setUint32(this.i, j - this.i - 4, true);
		this.i = j;
	}
	blob(u) {
		this.u8(BYTES);
		this.u32(u.length);
		this.room(u.length);
		this.b.set(u, this.i);
		this.i += u.length;
	}
	// value encodes a value of a row: what D1 returns, or its text.
	value(x) {
		switch (typeof x) {
			case "number":
				if ((x | 0) === x) {
					this.room(5);
					this.b[this.i] = INT;
					this.v.setInt32(this.i + 1, x, true);
					this.i += 5;
				} else {
					this.room(9);
					this.b[this.i] = FLOAT;
					this.v.setFloat64(this.i + 1, x, true);
					this.i += 9;
				}
				return;
			case "string":
				this.u8(STRING);
				this.string(x);
				return;
			case "boolean":
				this.u8(x ? TRUE : FALSE);
				return;
			case "undefined":
				this.u8(NULL);
				return;
			case "object":
				if (x === null) this.u8(NULL);
				else if (Array.isArray(x)) this.blob(Uint8Array.from(x));
				else if (x instanceof Uint8Array) this.blob(x);
				else if (x instanceof ArrayBuffer) this.blob(new Uint8Array(x));
				else if (ArrayBuffer.isView(x)) this.blob(new Uint8Array(x.buffer, x.byteOffset, x.byteLength));
				else {
					this.u8(STRING);
					this.string(String(x));
				}
				return;
		}
		this.u8(STRING);
		this.string(String(x));
	}
	// meta encodes an object's own enumerable members: plain objects
	// within as objects, other values as values.
	meta(o) {
		if (o === null || typeof o !== "object") {
			this.u8(NULL);
			return this;
		}
		const keys = Object.keys(o);
		this.u8(OBJECT);
		this.u32(keys.length);
		for (const k of keys) {
			this.string(k);
			const x = o[k];
			if (x !== null && typeof x === "object" && Object.getPrototypeOf(x) === Object.prototype) this.meta(x);
			else this.value(x);
		}
		return this;
	}
	// rows encodes an array of row objects: the first row's keys, then each
	// row's values under them.
	rows(rows) {
		if (!Array.isArray(rows) || rows.length === 0) {
			this.u32(0);
			this.u32(0);
			return;
		}
		const cols = Object.keys(rows[0]);
		this.u32(cols.length);
		for (const c of cols) this.string(c);
		this.u32(rows.length);
		for (const row of rows) for (const c of cols) this.value(row[c]);
	}
	// rowsResult encodes what all() and run() return.
	rowsResult(res) {
		this.meta(res === null || typeof res !== "object" ? null : res.meta);
		this.rows(res === null || typeof res !== "object" ? null : res.results);
		return this;
	}
	// first encodes what first() returns: a row object, or null.
	first(row) {
		this.rows(row !== null && typeof row === "object" ? [row] : null);
		return this;
	}
	// raw encodes raw({columnNames: true}): arrays, the first one of names.
	raw(rows) {
		this.u32(rows.length);
		for (const row of rows) {
			this.u32(row.length);
			for (const x of row) this.value(x);
		}
		return this;
	}
}

let handler; // a Promise of the Go handler, once Go is starting
let serving; // the Go handler, once Go has handed it over
let lunora; // what glue returned, once Go is starting
let running; // the Go instance, once Go is starting

function start(env) {
	if (!handler) {
		handler = new Promise((resolve, reject) => {
			const go = (running = new Go());
			go.argv = ["app.wasm"];
			const stopped = (err) => {
				handler = serving = undefined;
				reject(err);
			};
			lunora = globalThis.lunoraWorkers = glue(go, env, (serve) => {
				serving = serve;
				resolve(serve);
			});
			WebAssembly.instantiate(wasm, go.importObject)
				.then((instance) => go.run(instance))
				.then(() => stopped(new Error("the Go program exited: it must call workers.Serve, which does not return")))
				.catch(stopped);
		});
	}
	return handler;
}

// head encodes the request's method, URL and headers, a line each.
function head(request) {
	let head = request.method + "\n" + request.url + "\n";
	// forEach is about twice as fast as the headers' iterator.
	request.headers.forEach((value, name) => {
		head += name + ":" + value + "\n";
	});
	return encoder.encode(head);
}

// send hands the request to Go and returns a Promise of Go's response.
function send(serve, env, h, body) {
	const bodyLen = body === null ? -1 : body.length;
	return new Promise((resolve, reject) => {
		const id = lunora.request(env, h, body, resolve, reject);
		// Go's export hands the request to a waiting goroutine, which
		// runs once Go resumes, for less than a call of serve costs.
		const handOver = running._inst.exports.lunora_workers_serve;
		if (handOver !== undefined && handOver(id, h.length, bodyLen) === 1) running._resume();
		else serve(id, h.length, bodyLen);
	});
}

// fetchSlowly waits for what send needs: Go to start, the request's body.
async function fetchSlowly(request, env) {
	const serve = serving !== undefined ? serving : await start(env);
	const h = head(request);
	const body = request.body === null ? null : new Uint8Array(await request.arrayBuffer());
	return send(serve, env, h, body);
}

export default {
	// fetch, once Go runs, hands a request without a body to Go at once:
	// an async function would cost a turn of the event loop or two.
	fetch(request, env) {
		if (serving !== undefined && request.body === null) return send(serving, env, head(request), null);
		return fetchSlowly(request, env);
	},
};
