#!/usr/bin/env bash
# Re-packs aws-local-stepfunctions for Node 20: see vendor/README.md for why and what changes.
# Usage: bash vendor/repack-aws-local-stepfunctions.sh   (needs the npm registry; writes vendor/*.tgz)
set -euo pipefail
version=3.0.0
vendor_dir="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cd "$work"
npm pack --silent "aws-local-stepfunctions@$version" >/dev/null
tar xzf "aws-local-stepfunctions-$version.tgz"

# Promise.withResolvers is the one Node 22 feature the build uses; define it before the module body runs.
polyfill='Promise.withResolvers ??= function withResolvers() { let resolve, reject; const promise = new this((res, rej) => { resolve = res; reject = rej; }); return { promise, resolve, reject }; };'
for build in package/build/main.node.esm.js package/build/main.node.cjs; do
  { echo "// Re-packed for Node 20 by open-incident-manager (vendor/README.md)."; echo "$polyfill"; cat "$build"; } > "$build.new"
  mv "$build.new" "$build"
done
node -e '
  const fs = require("node:fs");
  const file = "package/package.json";
  const pkg = JSON.parse(fs.readFileSync(file, "utf8"));
  pkg.engines = { node: ">=20.0.0" };
  fs.writeFileSync(file, `${JSON.stringify(pkg, null, 2)}\n`);
'
# Fixed timestamps and owners so that the same input gives the same tarball (and the lockfile's integrity holds).
tar --sort=name --mtime='2000-01-01 00:00Z' --owner=0 --group=0 --numeric-owner -czf \
  "$vendor_dir/aws-local-stepfunctions-$version-node20.tgz" package
echo "wrote vendor/aws-local-stepfunctions-$version-node20.tgz"
