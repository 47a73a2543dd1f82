#!/bin/sh
# Fetches the faces-v1 weights: `npm pack` of the pinned @vladmandic/face-api (MIT), checks the
# tarball's SHA-256, and extracts the SSD MobileNetV1 manifest, its .bin and the package's LICENSE
# into DEST. Run by the app module's build (generate-resources); the weights are not committed.
# The tarball is kept in ${LAYERLENS_CACHE:-~/.cache/layerlens}, so rebuilds work offline.
set -eu
VERSION=1.7.15
SHA256=0d77fffeef362ef9c0939cf6c567f3a2e8e177f114fa257a3270cbd2e509b031
DEST=$1
if [ -f "$DEST/ssd_mobilenetv1_model.bin" ] && [ -f "$DEST/ssd_mobilenetv1_model-weights_manifest.json" ]; then
  exit 0
fi
sha() { if command -v sha256sum >/dev/null; then sha256sum "$1"; else shasum -a 256 "$1"; fi | cut -d' ' -f1; }
CACHE=${LAYERLENS_CACHE:-$HOME/.cache/layerlens}
TGZ="$CACHE/vladmandic-face-api-$VERSION.tgz"
mkdir -p "$CACHE" "$DEST"
if ! [ -f "$TGZ" ] || [ "$(sha "$TGZ")" != "$SHA256" ]; then
  command -v npm >/dev/null || { echo "fetch-faceapi: npm is needed to fetch @vladmandic/face-api@$VERSION (apt-get install npm)" >&2; exit 1; }
  TMP=$(mktemp -d)
  (cd "$TMP" && npm pack --silent "@vladmandic/face-api@$VERSION" >/dev/null)
  mv "$TMP/vladmandic-face-api-$VERSION.tgz" "$TGZ"
  rm -rf "$TMP"
fi
if [ "$(sha "$TGZ")" != "$SHA256" ]; then
  echo "fetch-faceapi: $TGZ has SHA-256 $(sha "$TGZ"), expected $SHA256; refusing it" >&2
  rm -f "$TGZ"
  exit 1
fi
tar -xzf "$TGZ" -C "$DEST" --strip-components=2 package/model/ssd_mobilenetv1_model.bin \
  package/model/ssd_mobilenetv1_model-weights_manifest.json
tar -xzf "$TGZ" -O package/LICENSE > "$DEST/LICENSE-face-api.txt"
echo "fetch-faceapi: @vladmandic/face-api@$VERSION SSD MobileNetV1 -> $DEST"
