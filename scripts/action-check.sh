#!/usr/bin/env bash
# The GitHub Action's check step (action.yml): its inputs (IN_* variables) become `check`'s flags, paths taken from
# the caller's repository; it writes the step's outputs (exit-code, verdict, run-dir) and the Markdown report to the
# job summary. Run from the action's folder; tested with the variables a runner sets (test/integration/action.test.ts).
set -uo pipefail
in_repo() { realpath -m "$GITHUB_WORKSPACE/$1"; }
args=(check)
add() { [ -n "$2" ] && args+=("$1" "$2"); }
add_path() { [ -n "$2" ] && args+=("$1" "$(in_repo "$2")"); }
add --path "${IN_PATH:-}"
if [ -n "${IN_RELEASE:-}" ]; then args+=(--release "$IN_RELEASE"); elif [ -n "${IN_STACK:-}" ]; then args+=(--stack "$IN_STACK"); fi
add_path --nginx "${IN_NGINX:-}"
add --upstream "${IN_UPSTREAM:-}"
add_path --gunicorn-config "${IN_GUNICORN_CONFIG:-}"
add --gunicorn-args "${IN_GUNICORN_ARGS:-}"
add_path --app "${IN_APP:-}"
add --app-module "${IN_APP_MODULE:-}"
add --app-image "${IN_APP_IMAGE:-}"
add_path --app-build "${IN_APP_BUILD:-}"
add --app-command "${IN_APP_COMMAND:-}"
add --upload "${IN_UPLOAD:-}"
add --method "${IN_METHOD:-}"
add --content-type "${IN_CONTENT_TYPE:-}"
add --rate "${IN_RATE:-}"
add --throttle "${IN_THROTTLE:-}"
add --attach "${IN_ATTACH:-}"
add --url "${IN_URL:-}"
add --app-container "${IN_APP_CONTAINER:-}"
add --proxy-container "${IN_PROXY_CONTAINER:-}"
add --timeout "${IN_TIMEOUT:-}"
# header: one request header a line.
while IFS= read -r line; do
  line="${line%$'\r'}"
  [ -n "${line//[[:space:]]/}" ] && args+=(--header "$line")
done <<< "${IN_HEADER:-}"
[ "${IN_TRY_REMEDIES:-false}" = "true" ] && args+=(--try-remedies)
[ "${IN_CAPACITY:-false}" = "true" ] && args+=(--capacity)
add --probe "${IN_PROBE:-}"
add --probe-within "${IN_PROBE_WITHIN:-}"
add --capacity-max "${IN_CAPACITY_MAX:-}"
add --capacity-want "${IN_CAPACITY_WANT:-}"

# This check's runs go to a folder of their own, so the run folder is this one's whatever ran before.
export GUNICORN_LAB_RUNS_DIR="${RUNNER_TEMP:-/tmp}/gunicorn-lab-runs-${GITHUB_RUN_ID:-local}-${GITHUB_ACTION:-check}"
mkdir -p "$GUNICORN_LAB_RUNS_DIR"
out="$GUNICORN_LAB_RUNS_DIR/check-output.txt"
err="$GUNICORN_LAB_RUNS_DIR/check-errors.txt"
node scripts/lab.mjs "${args[@]}" 2> >(tee "$err" >&2) | tee "$out"
code=${PIPESTATUS[0]}
# The stderr copy (a process substitution, $! since bash 5.1) done before it is read.
[ -n "${!:-}" ] && { wait "$!" 2>/dev/null || true; }
# The run folder is the first one the report names (with --try-remedies: the stack as it is; the remedies' follow).
saved=$(sed -n 's/^Saved: //p' "$out" | head -n 1)
run_dir=""
if [ -n "$saved" ]; then
  run_dir=$(realpath -m "$saved")
fi
case "$code" in 0) verdict=survived ;; 1) verdict=hurt ;; *) verdict=error ;; esac
{
  echo "exit-code=$code"
  echo "verdict=$verdict"
  echo "run-dir=$run_dir"
} >> "${GITHUB_OUTPUT:-/dev/null}"
if [ -n "$run_dir" ] && [ -f "$run_dir/summary.md" ]; then
  cat "$run_dir/summary.md" >> "${GITHUB_STEP_SUMMARY:-/dev/null}"
else
  printf '### Gunicorn slow-client check: %s (exit %s)\n\n```\n%s\n```\n' "$verdict" "$code" "$(tail -n 20 "$out" "$err" 2>/dev/null | grep -v '^==> ')" >> "${GITHUB_STEP_SUMMARY:-/dev/null}"
fi
exit "$code"
