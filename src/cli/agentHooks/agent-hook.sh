#!/bin/sh
# ai-provenance agent hook front v1
#
# The fast front of `git provenance hook <agent>`, which `git provenance setup` puts into an
# agent's hook configuration:   sh <dist>/agent-hook.sh hook <agent> [<node>]
#
# An agent waits for its hooks before it goes on, and starting Node.js alone takes longer than
# the 50 ms a hook may cost. So this script only keeps the evidence and returns: it stores the
# payload and a copy of each file the payload names in a spool under the git dir
# (<git-dir>/ai-provenance/spool/), and starts `node cli.js hook-drain` in the background,
# which records the spooled calls in order, against the copies (so later edits cannot blur
# them). Every git provenance command that reads the ledger drains the spool first.
#
# Anything it cannot do quickly and exactly runs the Node hook at once instead: no plain
# repository above the working directory, GIT_DIR and friends set, or a pre-tool event whose
# file paths are not plain JSON strings (a snapshot must be taken before the tool runs).
# Like the Node hook, it always exits 0 and writes only inside the git dir.

agent=$2
node_bin=${3:-node}
case $0 in */*) dir=${0%/*} ;; *) dir=. ;; esac
# Beside dist/cli.js, or beside the copy the extension keeps in its global storage.
cli="$dir/cli.js"
[ -f "$cli" ] || cli="$dir/git-provenance.js"

# Cursor reads every hook's stdout as JSON; the other agents want silence.
finish() {
  [ "$agent" = cursor ] && printf '{}\n'
  exit 0
}

# The Node hook, with stdin from $1 (or the hook's own stdin when $1 is empty).
run_node() {
  if [ -n "$1" ]; then
    "$node_bin" "$cli" hook "$agent" <"$1" >/dev/null
    rm -f "$1"
  else
    "$node_bin" "$cli" hook "$agent" >/dev/null
  fi
  finish
}

# Without the CLI (the extension or package was removed) nothing could ever record the call:
# say so once and keep out of the way rather than fill a spool nobody drains.
if [ ! -f "$cli" ]; then
  echo "ai-provenance: $cli is missing; nothing recorded (run git provenance setup again)" >&2
  # Read the payload all the same: an agent writing into a closed pipe may take it for a failure.
  head -c 5242881 >/dev/null 2>&1
  finish
fi
case $node_bin in
  /*) if [ ! -x "$node_bin" ]; then
    echo "ai-provenance: $node_bin is missing; nothing recorded (run git provenance setup again)" >&2
    head -c 5242881 >/dev/null 2>&1
    finish
  fi ;;
esac

# An agent we do not know, or a repository git must find itself: Node says or does it.
case $agent in
  claude-code | codex | gemini | cursor | copilot | kiro) ;;
  *) run_node '' ;;
esac
if [ "$1" != hook ] || [ -n "${GIT_DIR}${GIT_WORK_TREE}${GIT_COMMON_DIR}${GIT_CEILING_DIRECTORIES}" ]; then
  run_node ''
fi

# The git dir of the working directory, the way git finds it in a plain layout: a .git folder
# with a HEAD, or a .git file pointing at a linked worktree's git dir.
gitdir=
d=$PWD
while [ -n "$d" ]; do
  if [ -d "$d/.git" ]; then
    [ -f "$d/.git/HEAD" ] && gitdir="$d/.git"
    break
  fi
  if [ -f "$d/.git" ]; then
    line=
    IFS= read -r line <"$d/.git" || :
    case $line in
      'gitdir: '/*) gitdir=${line#gitdir: } ;;
      'gitdir: '?*) gitdir="$d/${line#gitdir: }" ;;
    esac
    break
  fi
  [ "$d" = / ] && break
  d=${d%/*}
  [ -z "$d" ] && d=/
done
# Not a plain repository here (Cursor runs user hooks from ~/.cursor): Node finds it.
[ -n "$gitdir" ] && [ -d "$gitdir" ] || run_node ''
root=$d

spool="$gitdir/ai-provenance/spool"
[ -d "$spool" ] || mkdir -p "$spool" 2>/dev/null || run_node ''

# Names sort in arrival order: nanoseconds since the epoch, then the process id.
stamp=$(date +%s%N 2>/dev/null)
case $stamp in '' | *[!0-9]*) stamp="$(date +%s)000000000" ;; esac
name="$stamp-$$"
base="$spool/$name"

# The payload, bounded like the Node hook's (5 MB; one byte more tells the drain it was cut).
head -c 5242881 >"$base.tmp" || {
  rm -f "$base.tmp"
  run_node ''
}

# The file paths the payload names as plain JSON strings (no escapes), and those it names
# some other way (a trailing backslash: the value has escapes; the drain reads those from
# disk, which for a pre-tool event would be too late).
paths=$(grep -oE '"(file_path|filePath|notebook_path|absolute_path|path)"[[:space:]]*:[[:space:]]*"[^"\\]*["\\]' "$base.tmp" 2>/dev/null)
pre=no
if grep -qE '"(hook_event_name|hookEventName)"[[:space:]]*:[[:space:]]*"(PreToolUse|preToolUse|BeforeTool)"' "$base.tmp" 2>/dev/null; then
  pre=yes
elif ! grep -qE '"(hook_event_name|hookEventName|tool_response|toolResult)"[[:space:]]*:' "$base.tmp" 2>/dev/null; then
  pre=yes
fi

# Copies of the named files, as they are now; the manifest lists agent, directory and paths.
manifest="agent $agent
cwd $PWD"
n=0
clean=yes
seen=
newline='
'
IFS=$newline
set -f
for p in $paths; do
  v=${p#*:}
  v=${v#"${v%%\"*}"}
  case $v in
    *\\) clean=no; continue ;;
  esac
  v=${v#\"}
  v=${v%\"}
  # Only files of this worktree, spelled plainly (Node resolves the rest, and refuses what
  # lies outside the repository).
  case $v in
    */../* | */.. | */./* | */. | *//*) clean=no; continue ;;
    "$root"/*) ;;
    *) clean=no; continue ;;
  esac
  case "$newline$seen" in *"$newline$v$newline"*) continue ;; esac
  seen="$seen$v$newline"
  [ "$n" -ge 20 ] && { clean=no; break; }
  if [ -L "$v" ]; then
    clean=no
    continue
  elif [ -f "$v" ]; then
    cp -- "$v" "$base.$n" 2>/dev/null || { clean=no; continue; }
    manifest="$manifest${newline}path $n $v"
  elif [ ! -e "$v" ]; then
    manifest="$manifest${newline}absent $n $v"
  else
    clean=no
    continue
  fi
  n=$((n + 1))
done
set +f
unset IFS

# A pre-tool event is only taken here when every path was copied; otherwise Node takes the
# snapshot now, after the spool so far (it drains first).
if [ "$pre" = yes ] && { [ "$clean" = no ] || [ "$n" -eq 0 ]; }; then
  i=0
  while [ "$i" -lt "$n" ]; do
    rm -f "$base.$i"
    i=$((i + 1))
  done
  run_node "$base.tmp"
fi

printf '%s\n' "$manifest" >"$base.manifest" && mv -f "$base.tmp" "$base.json" || {
  rm -f "$base.manifest"
  run_node "$base.tmp"
}

# One drain at a time: when one is running it will see this entry (it looks again after it
# lets go of its lock). The drain runs in a session of its own, its output nowhere, so the
# agent does not wait for it.
# A lock nobody has touched for a minute is left from a drain that died: start one anyway (it
# takes such a lock over).
if [ ! -f "$spool.lock" ] || [ -n "$(find "$spool.lock" -mmin +1 2>/dev/null)" ]; then
  if command -v setsid >/dev/null 2>&1; then
    setsid "$node_bin" "$cli" hook-drain </dev/null >/dev/null 2>&1 &
  else
    "$node_bin" "$cli" hook-drain </dev/null >/dev/null 2>&1 &
  fi
fi
finish
