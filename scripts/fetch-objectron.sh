#!/bin/sh
# Fetches the objects-v2 model: `npm pack` of the pinned @mediapipe/objectron (Apache-2.0), checks
# the tarball's SHA-256, and cuts MediaPipe's SSD MobileNetV2 OIDv4 .tflite and its label map out of
# the package's objectron_solution_packed_assets.data, at the start/end offsets that the package's
# objectron_solution_packed_assets_loader.js lists (parsed here, not hard-coded); both cut files
# are checked against their SHA-256 too. The package ships no LICENSE file (its package.json says
# "license": "Apache-2.0"), so DEST/LICENSE-objectron.txt is a short note saying so followed by the
# Apache License 2.0 text kept beside this script (licenses/Apache-2.0.txt).
# The tarball is kept in ${LAYERLENS_CACHE:-~/.cache/layerlens}, so rebuilds work offline.
#   scripts/fetch-objectron.sh DEST
# Needs sh, tar, sha256sum or shasum, and node or python3 (node comes with npm).
set -eu
VERSION=0.4.1675468480
SHA256=fc3e37b326b05e8f596099c90b3e0931b05a56cd3160b9ac450b621794bac94c
MODEL=object_detection_ssd_mobilenetv2_oidv4_fp16.tflite
MODEL_SHA256=d0a5255bf8c4f5a0bc4240741a76c41d5e939f7655078f945f50ab53a9375da6
LABELS=object_detection_oidv4_labelmap.txt
LABELS_SHA256=c148336a65f673013609a923fdcbdeec0f49df935045029c3746a3828a0e80e0
DEST=${1:?usage: fetch-objectron.sh DEST}
HERE=$(cd "$(dirname "$0")" && pwd)
sha() { if command -v sha256sum >/dev/null; then sha256sum "$1"; else shasum -a 256 "$1"; fi | cut -d' ' -f1; }
ok() { [ -f "$1" ] && [ "$(sha "$1")" = "$2" ]; }
if ok "$DEST/$MODEL" "$MODEL_SHA256" && ok "$DEST/$LABELS" "$LABELS_SHA256" && [ -f "$DEST/LICENSE-objectron.txt" ]; then
  exit 0
fi
CACHE=${LAYERLENS_CACHE:-$HOME/.cache/layerlens}
TGZ="$CACHE/mediapipe-objectron-$VERSION.tgz"
mkdir -p "$CACHE" "$DEST"
if ! [ -f "$TGZ" ] || [ "$(sha "$TGZ")" != "$SHA256" ]; then
  command -v npm >/dev/null || { echo "fetch-objectron: npm is needed to fetch @mediapipe/objectron@$VERSION (apt-get install npm)" >&2; exit 1; }
  TMP=$(mktemp -d)
  (cd "$TMP" && npm pack --silent "@mediapipe/objectron@$VERSION" >/dev/null)
  mv "$TMP/mediapipe-objectron-$VERSION.tgz" "$TGZ"
  rm -rf "$TMP"
fi
if [ "$(sha "$TGZ")" != "$SHA256" ]; then
  echo "fetch-objectron: $TGZ has SHA-256 $(sha "$TGZ"), expected $SHA256; refusing it" >&2
  rm -f "$TGZ"
  exit 1
fi
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
tar -xzf "$TGZ" -C "$WORK" package/objectron_solution_packed_assets.data \
  package/objectron_solution_packed_assets_loader.js package/package.json
# Cuts DATA[start:end] for the loader's entry whose filename ends with /NAME into OUT.
# Arguments: LOADER DATA NAME OUT. The loader calls loadPackage({"files": [{"filename": ...,
# "start": ..., "end": ...}, ...], "remote_package_size": ...}).
CUT_JS='
const fs = require("fs");
const [loader, data, name, out] = process.argv.slice(1);
const m = /loadPackage\((\{"files":.*?\})\)/s.exec(fs.readFileSync(loader, "utf8"));
if (!m) throw new Error(loader + ": no loadPackage({...}) call");
const meta = JSON.parse(m[1]);
const bytes = fs.readFileSync(data);
if (meta.remote_package_size !== bytes.length) throw new Error(data + ": " + bytes.length + " bytes, loader says " + meta.remote_package_size);
const e = meta.files.filter(f => f.filename.split("/").pop() === name);
if (e.length !== 1 || !(0 <= e[0].start && e[0].start < e[0].end && e[0].end <= bytes.length)) throw new Error(loader + ": no single valid entry for " + name);
fs.writeFileSync(out, bytes.subarray(e[0].start, e[0].end));
'
CUT_PY='
import json, re, sys
loader, data, name, out = sys.argv[1:]
m = re.search(r"loadPackage\((\{\"files\":.*?\})\)", open(loader, encoding="utf-8").read(), re.S)
if not m: sys.exit(loader + ": no loadPackage({...}) call")
meta = json.loads(m.group(1))
b = open(data, "rb").read()
if meta["remote_package_size"] != len(b): sys.exit("%s: %d bytes, loader says %s" % (data, len(b), meta["remote_package_size"]))
e = [f for f in meta["files"] if f["filename"].split("/")[-1] == name]
if len(e) != 1 or not (0 <= e[0]["start"] < e[0]["end"] <= len(b)): sys.exit(loader + ": no single valid entry for " + name)
open(out, "wb").write(b[e[0]["start"]:e[0]["end"]])
'
cut_out() {
  if command -v node >/dev/null; then
    node -e "$CUT_JS" "$WORK/package/objectron_solution_packed_assets_loader.js" "$WORK/package/objectron_solution_packed_assets.data" "$1" "$2"
  elif command -v python3 >/dev/null; then
    python3 -c "$CUT_PY" "$WORK/package/objectron_solution_packed_assets_loader.js" "$WORK/package/objectron_solution_packed_assets.data" "$1" "$2"
  else
    echo "fetch-objectron: node or python3 is needed to cut the model out of the package" >&2; exit 1
  fi
}
for pair in "$MODEL:$MODEL_SHA256" "$LABELS:$LABELS_SHA256"; do
  name=${pair%%:*}
  want=${pair#*:}
  cut_out "$name" "$WORK/$name"
  if [ "$(sha "$WORK/$name")" != "$want" ]; then
    echo "fetch-objectron: $name cut from $TGZ has SHA-256 $(sha "$WORK/$name"), expected $want; refusing it" >&2
    exit 1
  fi
done
grep -q '"license": "Apache-2.0"' "$WORK/package/package.json" || { echo "fetch-objectron: package.json no longer says Apache-2.0" >&2; exit 1; }
{
  echo "$MODEL and $LABELS come from the npm package @mediapipe/objectron@$VERSION"
  echo "(MediaPipe, Google), whose package.json declares \"license\": \"Apache-2.0\"; the package ships"
  echo "no LICENSE file of its own, so the Apache License 2.0 text follows."
  echo
  cat "$HERE/licenses/Apache-2.0.txt"
} > "$WORK/LICENSE-objectron.txt"
mv "$WORK/$MODEL" "$WORK/$LABELS" "$WORK/LICENSE-objectron.txt" "$DEST/"
echo "fetch-objectron: @mediapipe/objectron@$VERSION SSD MobileNetV2 OIDv4 -> $DEST"
