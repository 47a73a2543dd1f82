// Runs @vladmandic/face-api's own SsdMobilenetv1 (the package's JavaScript, its own weights) under
// Node with TensorFlow.js's pure-JS CPU backend, on raw RGB images, and writes what it computes.
//
//   node reference.cjs OUT.json IMAGE.rgb WIDTH HEIGHT [minConfidence]
//
// IMAGE.rgb holds WIDTH*HEIGHT*3 bytes, rows top to bottom, R G B (make_refs.py decodes the image
// files with OpenCV, as LayerLens does). Writes the network's raw outputs for all 5118 anchors
// (boxes as the package returns them: [ymin, xmin, ymax, xmax] relative to the padded square;
// sigmoid face scores) and locateFaces()'s detections (pixels of the original image).
'use strict';
const fs = require('fs');
const path = require('path');
const tf = require('@tensorflow/tfjs');
const faceapi = require('@vladmandic/face-api/dist/face-api.node-wasm.js');

async function main() {
  const [out, rgbFile, w, h, minConf] = process.argv.slice(2);
  const width = Number(w);
  const height = Number(h);
  await tf.setBackend('cpu'); // pure JavaScript kernels: no native library, no WebAssembly
  await tf.ready();
  if (tf.getBackend() !== 'cpu' || faceapi.tf.getBackend() !== 'cpu') throw new Error('not on the cpu backend');
  const modelDir = path.join(path.dirname(require.resolve('@vladmandic/face-api/package.json')), 'model');
  await faceapi.nets.ssdMobilenetv1.loadFromDisk(modelDir);
  const bytes = fs.readFileSync(rgbFile);
  if (bytes.length !== width * height * 3) throw new Error(`${rgbFile}: ${bytes.length} bytes, expected ${width * height * 3}`);
  const image = tf.tensor3d(new Int32Array(bytes), [height, width, 3], 'int32');
  const net = faceapi.nets.ssdMobilenetv1;
  const raw = await net.forward(image);
  const round = (v) => Number(v.toPrecision(8)); // float32 needs 8 significant digits at most
  const boxes = Array.from(raw.boxes[0].dataSync(), round);
  const scores = Array.from(raw.scores[0].dataSync(), round);
  const minConfidence = minConf ? Number(minConf) : 0.5;
  const faces = await net.locateFaces(image, new faceapi.SsdMobilenetv1Options({ minConfidence, maxResults: 100 }));
  const detections = faces.map((f) => ({ score: f.score, x: f.box.x, y: f.box.y, width: f.box.width, height: f.box.height }));
  fs.writeFileSync(out, JSON.stringify({
    package: '@vladmandic/face-api@1.7.15', backend: tf.getBackend(), tfjs: tf.version.tfjs,
    width, height, minConfidence, anchors: scores.length, scores, boxes, detections,
  }));
  console.log(`${path.basename(out)}: ${detections.length} faces, best ${detections.length ? detections[0].score.toFixed(4) : '-'}`);
}

main().catch((e) => { console.error(e); process.exit(1); });
