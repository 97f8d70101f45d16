#!/usr/bin/env bash
# Everything the benchmarks need: the Python packages, wrk, nginx with the cache-purge module,
# Chromium and the Node tools (Lighthouse). Installs only what is missing; Debian packages need root or sudo.
exec "$(dirname "$0")/../run" setup-bench
