#!/bin/sh
# Usage (as root, on Debian): unshare -m --propagation private scripts/prove-system-deps.sh
# Proof: in a throwaway mount namespace where Debian's chromium is absent (overlay whiteout on its
# binary, dpkg's status without it), run the integration harness's dependency step; all writes go to
# overlay upper dirs under /tmp/rio/proof and vanish with the namespace.
set -e
B=${TMPDIR:-/tmp}/prompt-cost-deps-proof; rm -rf $B; mkdir -p $B
for d in usr etc var; do mkdir -p $B/$d.u $B/$d.w; done
mkdir -p $B/usr.u/bin && mknod $B/usr.u/bin/chromium c 0 0
mount -t overlay overlay -o lowerdir=/usr,upperdir=$B/usr.u,workdir=$B/usr.w /usr
mount -t overlay overlay -o lowerdir=/var,upperdir=$B/var.u,workdir=$B/var.w /var
mount -t overlay overlay -o lowerdir=/etc,upperdir=$B/etc.u,workdir=$B/etc.w /etc
python3 - <<'PY'
p='/var/lib/dpkg/status'
s=open(p).read().split('\n\n')
s=[x for x in s if not x.startswith('Package: chromium\n')]
open(p,'w').write('\n\n'.join(s))
PY
echo "== before: /usr/bin/chromium exists? $(test -e /usr/bin/chromium && echo yes || echo no); dpkg: $(dpkg -s chromium >/dev/null 2>&1 && echo installed || echo not-installed)"
cd "$(dirname "$0")/.."
STEP="require('./test/integration/systemDeps').ensureSystemPackages({ buildTools: false, log: console.log })"
echo "== as an unprivileged user:"
setpriv --reuid=65534 --regid=65534 --clear-groups node --require tsx/cjs -e "$STEP" 2>&1 | grep -v '^\s*at ' | head -8 || true
echo "== as root:"
node --require tsx/cjs -e "console.log('installed:', $STEP)"
echo "== after: $(/usr/bin/chromium --version 2>&1 | head -1); dpkg: $(dpkg -s chromium 2>/dev/null | grep Status)"
