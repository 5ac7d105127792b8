#!/usr/bin/env bash
# Times `dossier build` against Hugo and the floor (examples/floor.rs: pulldown-cmark + rayon,
# no templates) with hyperfine, and prints medians, ratios and peak RSS as the rows of
# BENCHMARKS.md. Installs nothing: it says what is missing.
#
#   bench/compare.sh [--bin PATH] [--work DIR] [--runs N] [--only plain|real]
#
#   --bin PATH   the dossier binary to time (default: ./target/release/dossier, built first)
#   --work DIR   where corpora and outputs go (default: /dev/shm/dossier-bench, a tmpfs);
#                corpora already there are reused, outputs are deleted at the end
#   --runs N     timed runs per command, after one warm-up (default: 5)
#   --only P     one part: `plain` (10,000 plain pages: dossier, Hugo, floor) or `real` (the
#                2,000-seed dossier and its ×2 and ×4 scale, against the floor on 5,000 plain pages)
#
# Peak RSS is the largest "maximum resident set size" of /usr/bin/time (what `time -v`
# reports) over all runs of a command, warm-up included.
set -euo pipefail
cd "$(dirname "$0")/.."

bin="" work="/dev/shm/dossier-bench" runs=5 only=""
while [ $# -gt 0 ]; do
  case "$1" in
    --bin) bin="$2"; shift 2 ;;
    --work) work="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    --only) only="$2"; shift 2 ;;
    -h|--help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
done
case "$only" in ""|plain|real) ;; *) echo "--only takes plain or real" >&2; exit 2 ;; esac

missing=()
command -v hyperfine >/dev/null || missing+=("hyperfine (apt-get install hyperfine)")
[ -x /usr/bin/time ] || missing+=("/usr/bin/time (apt-get install time)")
command -v jq >/dev/null || missing+=("jq (apt-get install jq)")
if [ ${#missing[@]} -gt 0 ]; then
  printf 'missing: %s\n' "${missing[@]}" >&2
  exit 1
fi
have_hugo=1
if ! command -v hugo >/dev/null; then
  have_hugo=0
  echo "note: hugo is missing (apt-get install hugo); the plain-pages row is timed without it" >&2
fi

cargo build --release --quiet --example corpus --example floor
if [ -z "$bin" ]; then
  cargo build --release --quiet --bin dossier
  bin="$PWD/target/release/dossier"
fi
bin="$(realpath "$bin")"
corpus="$PWD/target/release/examples/corpus"
floor="$PWD/target/release/examples/floor"
mkdir -p "$work"
work="$(realpath "$work")"
out="$work/out"
rm -rf "$out"
mkdir -p "$out"
trap 'rm -rf "$out"' EXIT

echo "machine: $(nproc) cores, $(free -g | awk '/^Mem:/ {print $2}') GB RAM, $(uname -sr)"
echo "work dir: $work ($(stat -f -c %T "$work"))"
echo "dossier: $bin"
[ $have_hugo = 1 ] && echo "hugo: $(hugo version | cut -d' ' -f1-2)"

# gen NAME ARGS…: a corpus under $work/NAME, generated once.
gen() {
  local name="$1"
  shift
  if [ ! -e "$work/$name/.done" ]; then
    rm -rf "${work:?}/$name"
    "$corpus" "$work/$name" "$@" >/dev/null
    touch "$work/$name/.done"
  fi
}

# The plain-pages corpus as a Hugo site: the same Markdown (the front matter is YAML Hugo
# reads), links `page:section-NN/page-N` written as Hugo's URLs, and the layout of benches/hugo.
gen_hugo() {
  if [ ! -e "$work/hugo-10000/.done" ]; then
    rm -rf "$work/hugo-10000"
    cp -r benches/hugo "$work/hugo-10000"
    cp -r "$work/prose-10000/content" "$work/hugo-10000/content"
    find "$work/hugo-10000/content" -name '*.md' -exec sed -i 's#](page:\([^)]*\))#](/\1/)#g' {} +
    touch "$work/hugo-10000/.done"
  fi
}

# run_bench NAME (LABEL COMMAND OUTPUT)…: one hyperfine run of every command, each starting
# from an empty output folder, with its peak RSS recorded in $out/NAME-LABEL.rss.
run_bench() {
  local name="$1"
  shift
  local args=()
  while [ $# -gt 0 ]; do
    local label="$1" cmd="$2" dest="$3"
    shift 3
    : >"$out/$name-$label.rss"
    args+=(-n "$label" --prepare "rm -rf $dest"
      "/usr/bin/time -f %M -a -o $out/$name-$label.rss $cmd")
  done
  echo "load before: $(uptime | sed 's/.*load average/load average/')"
  hyperfine --style basic --warmup 1 --runs "$runs" --export-json "$out/$name.json" "${args[@]}"
  echo "load after: $(uptime | sed 's/.*load average/load average/')"
}

# median NAME LABEL: wall seconds; cpu NAME LABEL: mean user + system seconds; rss NAME LABEL: MB.
median() { jq -r --arg l "$2" '.results[] | select(.command == $l) | .median' "$out/$1.json"; }
cpu() { jq -r --arg l "$2" '.results[] | select(.command == $l) | .user + .system' "$out/$1.json"; }
rss() { sort -n "$out/$1-$2.rss" | tail -1 | awk '{printf "%.0f", $1 / 1024}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
secs() { awk -v a="$1" 'BEGIN { printf "%.2f s", a }'; }
size() { du -sm "$1" | cut -f1; }
# row NAME LABEL TITLE [OUTPUT]: a table row of wall time, CPU time, peak RSS (and output size).
row() {
  printf '| %s | %s | %s | %s MB |' "$3" "$(secs "$(median "$1" "$2")")" "$(secs "$(cpu "$1" "$2")")" "$(rss "$1" "$2")"
  [ -n "${4:-}" ] && printf ' %s MB |' "$(size "$4")"
  echo
}
# versus NAME A B TITLE TARGET: the ratio of A's time to B's, wall and CPU.
versus() {
  echo "- $4: wall $(ratio "$(median "$1" "$2")" "$(median "$1" "$3")")×, CPU $(ratio "$(cpu "$1" "$2")" "$(cpu "$1" "$3")")× (target $5)"
}

if [ -z "$only" ] || [ "$only" = plain ]; then
  echo
  echo "== 10,000 plain pages (examples/corpus --prose 10000) =="
  gen prose-10000 --prose 10000
  cmds=(dossier "$bin build --root $work/prose-10000 --output $out/d" "$out/d")
  if [ $have_hugo = 1 ]; then
    gen_hugo
    cmds+=(hugo "hugo --quiet --source $work/hugo-10000 --destination $out/h" "$out/h")
  fi
  cmds+=(floor "$floor $work/prose-10000/content $out/f" "$out/f")
  run_bench plain "${cmds[@]}"
  echo
  echo "| 10,000 plain pages | wall (median) | CPU (user + sys) | peak RSS |"
  echo "|---|---|---|---|"
  row plain dossier dossier
  [ $have_hugo = 1 ] && row plain hugo "Hugo $(hugo version | sed 's/^hugo v\([0-9.]*\).*/\1/')"
  row plain floor floor
  echo
  [ $have_hugo = 1 ] && versus plain dossier hugo "dossier / Hugo" "≤ 0.3"
  versus plain dossier floor "dossier / floor" "≤ 5"
  echo "- dossier's peak RSS: $(rss plain dossier) MB (target < 300 MB)"
  rm -rf "$out/d" "$out/h" "$out/f"
fi

if [ -z "$only" ] || [ "$only" = real ]; then
  echo
  echo "== a real dossier: examples/corpus DIR S 20 P 10 3 1000, S = P = 2,000 / 4,000 / 8,000 =="
  gen prose-5000 --prose 5000
  gen real-x1 2000 20 2000 10 3 1000
  gen real-x2 4000 20 4000 10 3 1000
  gen real-x4 8000 20 8000 10 3 1000
  run_bench real \
    x1 "$bin build --root $work/real-x1 --output $out/x1" "$out/x1" \
    x2 "$bin build --root $work/real-x2 --output $out/x2" "$out/x2" \
    x4 "$bin build --root $work/real-x4 --output $out/x4" "$out/x4" \
    floor5000 "$floor $work/prose-5000/content $out/f5" "$out/f5"
  echo
  echo "| work | wall (median) | CPU (user + sys) | peak RSS | output |"
  echo "|---|---|---|---|---|"
  row real floor5000 "floor, 5,000 plain pages" "$out/f5"
  row real x1 "real dossier ×1 (2,000 seeds)" "$out/x1"
  row real x2 "real dossier ×2 (4,000 seeds)" "$out/x2"
  row real x4 "real dossier ×4 (8,000 seeds)" "$out/x4"
  echo
  versus real x1 floor5000 "×1 / floor on 5,000 plain pages" "≤ 10"
  versus real x2 x1 "×2 / ×1" "≤ 2"
  versus real x4 x2 "×4 / ×2" "≤ 2"
  echo "- peak RSS ×1 / ×2 / ×4: $(rss real x1) / $(rss real x2) / $(rss real x4) MB (target: ×1 < 300 MB, growing less than time)"
fi
