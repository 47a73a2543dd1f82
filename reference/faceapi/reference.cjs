// Runs @vladmandic/face-api's own SsdMobilenetv1 (the package's JavaScript, its own weights) under
// Node with TensorFlow.js's pure-JS CPU backend, on raw RGB images, and writes what it computes.
//
//   node reference.cjs OUT.json IMAGE.rgb WIDTH HEIGHT [minConfidence] [LAYERS_DIR]
//
// With LAYERS_DIR it also writes every layer's output, computed with the package's own loaded
// parameters (net.params) by the same tf.js ops in the same order as its mobileNetV1.ts,
// predictionLayer.ts and boxPredictionLayer.ts (float32, NHWC, raw little-endian .f32 files plus
// an index); the script checks that those layers give exactly the package's own scores.
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
  const [out, rgbFile, w, h, minConf, layersDir] = process.argv.slice(2);
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
  if (layersDir) await writeLayers(net, image, layersDir, path.basename(out, '.json'), raw.scores[0]);
  fs.writeFileSync(out, JSON.stringify({
    package: '@vladmandic/face-api@1.7.15', backend: tf.getBackend(), tfjs: tf.version.tfjs,
    width, height, minConfidence, anchors: scores.length, scores, boxes, detections,
  }));
  console.log(`${path.basename(out)}: ${detections.length} faces, best ${detections.length ? detections[0].score.toFixed(4) : '-'}`);
}

// face-api's layers, op for op (src/ssdMobilenetv1/*.ts), on its own parameters.
function writeLayers(net, image, dir, stem, packageScores) {
  const p = net.params;
  const layers = [];
  const keep = (name, t) => { layers.push([name, t]); return t; };
  const relu6 = (t) => tf.clipByValue(t, 0, 6);
  const pointwise = (x, q, s) => relu6(tf.add(tf.conv2d(x, q.filters, s, 'same'), q.batch_norm_offset));
  const depthwise = (x, q, s) => relu6(tf.batchNorm(tf.depthwiseConv2d(x, q.filters, s, 'same'),
    q.batch_norm_mean, q.batch_norm_variance, q.batch_norm_offset, q.batch_norm_scale, 0.0010000000474974513));
  const input = faceapi.toNetInput(image);
  return input.then((netInput) => {
    const batch = tf.cast(netInput.toBatchTensor(512, false), 'float32');
    const x = keep('input', tf.sub(tf.div(batch, 127.5), 1));
    let out = keep('mobilenetv1.conv_0', pointwise(x, p.mobilenetv1.conv_0, [2, 2]));
    let conv11;
    for (let i = 1; i <= 13; i++) {
      const q = p.mobilenetv1[`conv_${i}`];
      const dwOut = depthwise(out, q.depthwise_conv, [2, 4, 6, 12].includes(i) ? [2, 2] : [1, 1]);
      keep(`mobilenetv1.conv_${i}.relu6_depthwise`, dwOut);
      out = keep(`mobilenetv1.conv_${i}`, pointwise(dwOut, q.pointwise_conv, [1, 1]));
      if (i === 11) conv11 = out;
    }
    const pl = p.prediction_layer;
    const conv = [];
    let cur = out;
    for (let i = 0; i < 8; i++) {
      cur = keep(`prediction_layer.conv_${i}`, pointwise(cur, pl[`conv_${i}`], i % 2 ? [2, 2] : [1, 1]));
      conv.push(cur);
    }
    const sources = [conv11, out, conv[1], conv[3], conv[5], conv[7]];
    const classes = [];
    sources.forEach((src, i) => {
      const b = pl[`box_predictor_${i}`];
      const head = (q) => tf.add(tf.conv2d(src, q.filters, [1, 1], 'same'), q.bias);
      keep(`prediction_layer.box_predictor_${i}.box_encoding_predictor`, head(b.box_encoding_predictor));
      classes.push(tf.reshape(keep(`prediction_layer.box_predictor_${i}.class_predictor`, head(b.class_predictor)), [1, -1, 3]));
    });
    const mine = tf.sigmoid(tf.slice(tf.concat(classes, 1), [0, 0, 1], [-1, -1, 1])).dataSync();
    const theirs = packageScores.dataSync();
    for (let j = 0; j < theirs.length; j++) {
      if (mine[j] !== theirs[j]) throw new Error(`layer-by-layer run differs from the package at anchor ${j}`);
    }
    fs.mkdirSync(dir, { recursive: true });
    const index = {};
    for (const [name, t] of layers) {
      const file = `${stem}.${name}.f32`;
      fs.writeFileSync(path.join(dir, file), Buffer.from(t.dataSync().buffer));
      index[name] = { file, shape: t.shape, layout: 'NHWC' };
    }
    fs.writeFileSync(path.join(dir, `${stem}.layers.json`), JSON.stringify(index));
    console.log(`${stem}: ${layers.length} layer outputs -> ${dir} (same scores as the package: checked)`);
  });
}

main().catch((e) => { console.error(e); process.exit(1); });
