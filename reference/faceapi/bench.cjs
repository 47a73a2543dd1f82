// Times face-api's SsdMobilenetv1 forward pass (input transform + network + decoding) under Node
// with TensorFlow.js's pure-JS CPU backend: one warm-up pass, then N timed ones; prints the median.
//   node bench.cjs IMAGE.rgb WIDTH HEIGHT [N]
'use strict';
const fs = require('fs');
const path = require('path');
const tf = require('@tensorflow/tfjs');
const faceapi = require('@vladmandic/face-api/dist/face-api.node-wasm.js');

async function main() {
  const [rgbFile, w, h, n] = process.argv.slice(2);
  await tf.setBackend('cpu');
  await tf.ready();
  const dir = path.join(path.dirname(require.resolve('@vladmandic/face-api/package.json')), 'model');
  await faceapi.nets.ssdMobilenetv1.loadFromDisk(dir);
  const image = tf.tensor3d(new Int32Array(fs.readFileSync(rgbFile)), [Number(h), Number(w), 3], 'int32');
  const pass = async () => {
    const t0 = process.hrtime.bigint();
    const out = await faceapi.nets.ssdMobilenetv1.forward(image);
    out.scores[0].dataSync();
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    out.boxes.forEach((t) => t.dispose());
    out.scores.forEach((t) => t.dispose());
    return ms;
  };
  await pass();
  const times = [];
  for (let i = 0; i < Number(n || 3); i++) times.push(await pass());
  times.sort((a, b) => a - b);
  console.log(`face-api ${faceapi.version || ''} tf.js ${tf.version.tfjs} backend ${tf.getBackend()}: `
    + `median ${times[Math.floor(times.length / 2)].toFixed(1)} ms over ${times.length} passes`);
}

main().catch((e) => { console.error(e); process.exit(1); });
