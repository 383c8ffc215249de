// Batch oracle for the differential test: evaluates JSONata expressions
// with npm jsonata@2.0.6, one JSON request per input line, one JSON answer
// per output line, in order.
//
// Request:  {"expr": "...", "data": <json>, "hasData": bool, "bindings": {...}}
// Answer:   {"ok": true, "undefined": bool, "result": <json>}
//        or {"ok": false, "code": "T1006", "message": "...", "position": 5, "token": "foo"}
//
// Usage: node oracle.js <directory containing node_modules/jsonata>
'use strict';
const path = require('path');
const readline = require('readline');
const jsonata = require(path.join(process.argv[2] || '.', 'node_modules', 'jsonata'));

// encode replaces what JSON cannot carry with markers the Go side shares.
function encode(v) {
  if (typeof v === 'function' || (v && (v._jsonata_lambda || v._jsonata_function))) {
    return {'$oracle': 'function'};
  }
  if (typeof v === 'number' && !isFinite(v)) {
    return {'$oracle': String(v)};
  }
  if (Array.isArray(v)) {
    return v.map(x => (x === undefined ? null : encode(x)));
  }
  if (v !== null && typeof v === 'object') {
    if (v instanceof RegExp) return {'$oracle': 'function'};
    const o = {};
    for (const k of Object.keys(v)) {
      if (v[k] !== undefined) o[k] = encode(v[k]);
    }
    return o;
  }
  return v;
}


async function answer(req) {
  try {
    const e = jsonata(req.expr);
    const bindings = Object.assign({}, req.bindings || {});
    const r = await e.evaluate(req.hasData ? req.data : undefined, bindings);
    if (r === undefined) return {ok: true, undefined: true};
    return {ok: true, undefined: false, result: encode(r)};
  } catch (err) {
    return {ok: false, code: err.code || 'JS', message: err.message || String(err),
            position: err.position, token: err.token === undefined ? undefined : String(err.token)};
  }
}

async function main() {
  const rl = readline.createInterface({input: process.stdin, crlfDelay: Infinity});
  for await (const line of rl) {
    if (!line.trim()) continue;
    let out;
    try {
      out = await answer(JSON.parse(line));
    } catch (err) {
      out = {ok: false, code: 'ORACLE', message: String(err)};
    }
    process.stdout.write(JSON.stringify(out) + '\n');
  }
}

main();
