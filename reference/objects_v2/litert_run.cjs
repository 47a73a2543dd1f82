// Runs a .tflite model with LiteRT for JavaScript (@litertjs/core, WebAssembly build of the LiteRT
// runtime with its XNNPACK CPU kernels) under Node, on one float32 input, and writes its outputs.
//
//   node litert_run.cjs MODEL.tflite INPUT OUTDIR [--all]
//
// INPUT is a .npy file (little-endian float32, C order) or a raw little-endian float32 file with
// exactly as many values as the model's input. OUTDIR receives, for each model output,
// <tensor index>-<sanitised tensor name>.npy, and litert.json (file names, shapes, the wasm
// file LiteRT loaded, and the timing).
//
// LiteRT.js only hands back a signature's outputs; it has no way to read intermediate tensors.
// With --all this script therefore rewrites the model's FlatBuffer in memory so that its subgraph
// also lists, as outputs, every tensor that an operator writes (except DEQUANTIZE outputs, which
// are the weights), and writes all of them. The rewrite appends one new int vector at the end of
// the buffer and repoints SubGraph.outputs at it; nothing else in the model changes.
'use strict';
const fs = require('fs');
const path = require('path');
const vm = require('vm');

const WASM_DIR = path.join(path.dirname(require.resolve('@litertjs/core/package.json')), 'wasm');

// LiteRT.js loads its Emscripten module the browser's way (a <script> or importScripts); under
// Node, importScripts is given here and runs the loader script in this context.
let wasmScript = null;
function shimForNode() {
  globalThis.self = globalThis;
  globalThis.require = require;
  globalThis.__dirname = WASM_DIR;
  globalThis.importScripts = (url) => {
    wasmScript = path.basename(String(url));
    vm.runInThisContext(fs.readFileSync(String(url), 'utf8'), {filename: String(url)});
  };
}

function readNpy(file) {
  const b = fs.readFileSync(file);
  if (b.toString('latin1', 1, 6) !== 'NUMPY') throw new Error(file + ': not a .npy file');
  const major = b[6];
  const hlen = major === 1 ? b.readUInt16LE(8) : b.readUInt32LE(8);
  const start = (major === 1 ? 10 : 12) + hlen;
  const header = b.toString('latin1', major === 1 ? 10 : 12, start);
  if (!/'descr':\s*'<f4'/.test(header)) throw new Error(file + ': not little-endian float32: ' + header);
  if (/'fortran_order':\s*True/.test(header)) throw new Error(file + ': Fortran order');
  const shape = /'shape':\s*\(([^)]*)\)/.exec(header)[1].split(',').filter((s) => s.trim()).map(Number);
  const data = new Float32Array(b.buffer.slice(b.byteOffset + start, b.byteOffset + b.length));
  return {shape, data};
}

function writeNpy(file, data, shape) {
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  const total = 10 + header.length + 1;
  header += ' '.repeat((64 - (total % 64)) % 64) + '\n';
  const head = Buffer.alloc(10);
  head.write('\x93NUMPY', 0, 'latin1');
  head[6] = 1;
  head[7] = 0;
  head.writeUInt16LE(header.length, 8);
  fs.writeFileSync(file, Buffer.concat([head, Buffer.from(header, 'latin1'),
    Buffer.from(data.buffer, data.byteOffset, data.byteLength)]));
}

// --- minimal FlatBuffer access for the TFLite schema (Model, SubGraph, Tensor, Operator) ---
class Fb {
  constructor(bytes) { this.b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength); }
  field(t, slot) {
    const vt = t - this.b.readInt32LE(t);
    if (4 + 2 * slot >= this.b.readUInt16LE(vt)) return null;
    const off = this.b.readUInt16LE(vt + 4 + 2 * slot);
    return off ? t + off : null;
  }
  deref(p) { return p + this.b.readUInt32LE(p); }
  tables(t, slot) {
    const p = this.field(t, slot);
    if (p === null) return [];
    const v = this.deref(p);
    const n = this.b.readUInt32LE(v);
    return Array.from({length: n}, (_, k) => this.deref(v + 4 + 4 * k));
  }
  ints(t, slot) {
    const p = this.field(t, slot);
    if (p === null) return [];
    const v = this.deref(p);
    return Array.from({length: this.b.readUInt32LE(v)}, (_, k) => this.b.readInt32LE(v + 4 + 4 * k));
  }
  string(t, slot) {
    const p = this.field(t, slot);
    if (p === null) return null;
    const s = this.deref(p);
    return this.b.toString('utf8', s + 4, s + 4 + this.b.readUInt32LE(s));
  }
}

// Returns {bytes, outputs: [tensor indices], names: {index: name}} with every operator output
// except DEQUANTIZE outputs appended to SubGraph 0's outputs.
function exposeAllTensors(bytes) {
  const fb = new Fb(bytes);
  const model = fb.b.readUInt32LE(0);
  const codes = fb.tables(model, 1).map((oc) => {
    const dep = fb.field(oc, 0) === null ? 0 : fb.b.readInt8(fb.field(oc, 0));
    const code = fb.field(oc, 3) === null ? 0 : fb.b.readInt32LE(fb.field(oc, 3));
    return Math.max(dep, code);
  });
  const g = fb.tables(model, 2)[0];
  const names = {};
  fb.tables(g, 0).forEach((t, k) => { names[k] = fb.string(t, 3); });
  const outputs = fb.ints(g, 2);
  for (const op of fb.tables(g, 3)) {
    const opcodeField = fb.field(op, 0);
    const code = codes[opcodeField === null ? 0 : fb.b.readUInt32LE(opcodeField)];
    if (code === 6) continue; // DEQUANTIZE
    for (const o of fb.ints(op, 2)) if (o >= 0 && !outputs.includes(o)) outputs.push(o);
  }
  const slot = fb.field(g, 2);
  if (slot === null) throw new Error('subgraph has no outputs field');
  const start = (bytes.length + 3) & ~3;
  const out = Buffer.alloc(start + 4 + 4 * outputs.length);
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).copy(out, 0);
  out.writeUInt32LE(outputs.length, start);
  outputs.forEach((v, k) => out.writeInt32LE(v, start + 4 + 4 * k));
  out.writeUInt32LE(start - slot, slot); // uoffset from the field to the new vector
  return {bytes: new Uint8Array(out.buffer, out.byteOffset, out.length), outputs, names};
}

function sanitise(name) {
  return name.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 150);
}

async function main() {
  const args = process.argv.slice(2);
  const all = args.includes('--all');
  const [modelFile, inputFile, outDir] = args.filter((a) => a !== '--all');
  if (!outDir) throw new Error('usage: node litert_run.cjs MODEL.tflite INPUT OUTDIR [--all]');
  shimForNode();
  const {loadLiteRt, loadAndCompile, Tensor} = await import('@litertjs/core');
  await loadLiteRt(WASM_DIR + '/');
  let bytes = new Uint8Array(fs.readFileSync(modelFile));
  const fb = new Fb(bytes);
  const g = fb.tables(fb.b.readUInt32LE(0), 2)[0];
  let outputs = fb.ints(g, 2);
  const names = {};
  fb.tables(g, 0).forEach((t, k) => { names[k] = fb.string(t, 3); });
  if (all) ({bytes, outputs} = exposeAllTensors(bytes));
  const model = await loadAndCompile(bytes, {accelerator: 'wasm'});
  const inDetails = model.getInputDetails();
  const outDetails = model.getOutputDetails();
  if (inDetails.length !== 1) throw new Error('expected one input, model has ' + inDetails.length);
  if (outDetails.length !== outputs.length) throw new Error(`LiteRT lists ${outDetails.length} outputs, the FlatBuffer ${outputs.length}`);
  const want = Array.from(inDetails[0].shape);
  const n = want.reduce((a, b) => a * b, 1);
  let data;
  if (inputFile.endsWith('.npy')) {
    const x = readNpy(inputFile);
    if (x.shape.join(',') !== want.join(',')) throw new Error(`input shape ${x.shape}, model wants ${want}`);
    data = x.data;
  } else {
    const b = fs.readFileSync(inputFile);
    data = new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.length));
  }
  if (data.length !== n) throw new Error(`input has ${data.length} values, model wants ${n}`);
  const input = new Tensor(data, want);
  const t0 = process.hrtime.bigint();
  const results = await model.run([input]);
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  fs.mkdirSync(outDir, {recursive: true});
  const index = {};
  results.forEach((r, k) => {
    const ti = outputs[k];
    const d = outDetails[k];
    if (names[ti] !== d.name) throw new Error(`output ${k}: FlatBuffer tensor ${ti} is ${names[ti]}, LiteRT says ${d.name}`);
    const shape = Array.from(d.shape);
    const file = `${ti}-${sanitise(d.name)}.npy`;
    writeNpy(path.join(outDir, file), r.toTypedArray(), shape);
    index[ti] = {name: d.name, file, shape, dtype: d.dtype, model_output: k < fb.ints(g, 2).length};
    r.delete();
  });
  input.delete();
  fs.writeFileSync(path.join(outDir, 'litert.json'), JSON.stringify({
    runtime: '@litertjs/core ' + require('@litertjs/core/package.json').version,
    wasm: wasmScript, accelerator: 'wasm (XNNPACK)', run_ms: ms, all_tensors: all, tensors: index,
  }, null, 1));
  model.delete();
}

main().catch((e) => { console.error(e); process.exit(1); });
