/**
 * Our git hook scripts, and putting them into (and taking them out of) the hooks folder git
 * really uses, without ever overwriting a hook that was there: an existing hook is renamed to
 * `<name>.ai-provenance-chained`, our script runs it first (same arguments, same stdin, its
 * failure propagated), and uninstall renames it back, byte for byte.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { stagedPatch } from './commands';
import { minNodeMajor } from './hookRuntime';
import { policyFileName } from '../core/policy/policy';

/** The git hooks we install, and `hook-git` runs. */
export const gitHookNames = ['prepare-commit-msg', 'commit-msg', 'post-commit', 'post-rewrite', 'post-checkout', 'post-merge', 'pre-push'] as const;

/** Marks a hook file as ours. */
export const hookMarker = '# ai-provenance-hook v1';

/**
 * First line of `dist/hook.js`, the bundle our hooks run (src/cli/gitHooks/main.ts; esbuild.config.mjs
 * writes it as the banner): how `install` tells that file beside the CLI is ours.
 */
export const hookEntryMarker = '// ai-provenance hook entry v1';

/** File name of the hook entry, beside the CLI. */
export const hookEntryName = 'hook.js';

/** Suffix of the user's hook that ours chains to. */
export const chainedSuffix = '.ai-provenance-chained';

/** The exit code of `hook-git commit-msg` that means "block this commit" (commit friction). */
export const frictionBlockCode = 3;

/**
 * How prepare-commit-msg's script and `hook-git prepare-commit-msg` share its git work (see
 * `prepareCommitMsgRun`). The script sets these variables only when it does that work.
 */
export const scriptProtocol = {
  /** The file `git diff --cached` (as {@link stagedPatch}) writes to; stdin then carries a {@link scriptProtocol.statusLine} once git is done. */
  stagedDiff: 'AIP_STAGED_DIFF',
  /** The line on stdin with git's exit status after a space. */
  statusLine: 'aip-staged-diff-status',
  /** A file descriptor for the arguments of `git interpret-trailers`, one a line, then a {@link scriptProtocol.trailersEnd} line. */
  trailersFd: 'AIP_TRAILERS_FD',
  /** The line after the last argument: without it (node failed half-way) the script runs nothing. */
  trailersEnd: 'aip-trailers-end',
} as const;

/** Where prepare-commit-msg's script has git write the staged diff, from the worktree root. */
export const stagedDiffFile = '.git/ai-provenance/staged.diff';

/**
 * The file, under the git common dir, whose presence says the hooks already told the user
 * that they cannot run (node or the CLI missing); `install` removes it.
 */
export const cannotRunMarker = 'ai-provenance/hooks-cannot-run';

/** Hooks whose failure must stop git (so a failing chained hook ends the script at once). */
const blockingHooks = new Set(['prepare-commit-msg', 'commit-msg', 'pre-push']);

/**
 * The file in the ledger folder where prepare-commit-msg's script leaves the git process's id
 * when it found nothing to do for the commit, so that post-commit's script trusts what it
 * checked (no amend of a commit with a note, no note on the picked commit, no trailer of ours
 * in the message) without checking again. Emptied whenever node runs for prepare-commit-msg.
 */
export const quietMarker = 'hook-quiet';

/**
 * The files, in the ledger folder, through which the one node run of a commit with AI lines
 * hands its work to post-commit's script (issue #15): node (commit-msg's, or prepare-commit-msg's
 * when commit-msg will not run) prepares the new commit's note and the ledger without the
 * committed lines; post-commit's sh attaches and swaps them in, starting no node. `key` holds,
 * one a line: the git process's id, the tree and the first parent of the commit being made,
 * whether there is a note, whether there is a ledger; it is written last, so a half-prepared
 * commit is never used, and a commit whose process, tree or parent differ (an aborted commit's
 * leftovers) never gets it.
 */
export const preparedCommit = {
  key: 'prepared-commit',
  /** The note, with {@link preparedRevision} where the commit's id goes. */
  note: 'prepared-note.json',
  /** The ledger to put in place once the commit exists. */
  ledger: 'prepared-ledger.json',
  /** A hard link to the ledger file the prepared ledger was made from: if ledger.json is no longer that file, another writer came in between. */
  base: 'prepared-ledger.base',
} as const;

/**
 * A cherry-pick of a range starts node once for the whole range, not once per pick (issue
 * #15). While git's sequencer picks (`.git/sequencer` exists) a commit that has a note, whose
 * message ends with our trailers, with nothing recorded in the worktree, prepare-commit-msg's
 * script gives the message a new AI-Provenance id (a copy gets its own record; the rest of the
 * trailers count the same lines as the picked commit's) and leaves `marker` (the git process's
 * id and the picked commit); post-commit's script then appends `<picked> <new>` to `file`, and
 * the post-commit of the range's last pick (or of any later commit) runs node once, which
 * writes every queued commit's note as post-commit would have (src/cli/gitHooks/notes.ts).
 * `onlyEnv` set to 1 tells that node run the commit itself needs nothing.
 */
export const pickQueue = {
  file: 'pick-queue',
  marker: 'pick-queued',
  onlyEnv: 'AIP_PICK_QUEUE_ONLY',
} as const;

/** Where the commit id goes in a prepared note (see {@link preparedCommit}); sed puts it there. */
export const preparedRevision = '@AIP-PREPARED-REVISION@';

/**
 * The file in the ledger folder where prepare-commit-msg's script, leaving the work to
 * commit-msg (see {@link preparedCommit}), writes the git process's id and its own second and
 * third arguments (the message's source and commit), one a line.
 */
export const deferMarker = 'hook-deferred';

/** Quotes a value for a POSIX sh single-quoted string. */
export function shQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * The POSIX sh script of one hook. It runs the chained hook first, then
 * `node <cli> hook-git <name> "$@"`; a missing node or CLI is a warning with the fix, once per
 * repository until the next install (see {@link cannotRunMarker}), and exit 0, so a commit is
 * never blocked by us being absent. With `runtime.electron`, `nodePath` is an editor's Electron
 * binary, run as node through `ELECTRON_RUN_AS_NODE=1`. Few external commands, to keep the hook
 * fast: node itself (no dirname, no cat except to buffer post-rewrite's stdin), in
 * prepare-commit-msg git (see {@link prepareCommitMsgRun}) and `tr` or `ps` to read git's command
 * line, and in post-commit git, sed, mv and rm to attach a prepared commit (see {@link preparedCommit}).
 */
export function hookScript(name: string, cliPath: string, nodePath: string, runtime: { electron?: boolean } = {}): string {
  const slash = (p: string): string => p.replace(/\\/g, '/');
  // Hooks git gives input on stdin: the chained hook and ours each get a copy.
  const stdinHook = name === 'post-rewrite' || name === 'pre-push';
  const blocking = blockingHooks.has(name);
  return `#!/bin/sh
${hookMarker}
# Installed by \`git provenance install\` (AI Provenance). \`git provenance uninstall\` removes
# this file and puts back the hook it chains to, kept beside it as ${name}${chainedSuffix}.
hook=${shQuote(name)}
cli=${shQuote(slash(cliPath))}
node_bin=${shQuote(slash(nodePath))}
as_node=${runtime.electron ? '1' : ''}
case $0 in */*) dir=\${0%/*} ;; *) dir=. ;; esac
chained="$dir/$hook${chainedSuffix}"
status=0

run_chained() {
  first=
  IFS= read -r first < "$chained" || :
  case "$first" in
    '#!/bin/sh' | '#!/bin/sh '* | '#!/usr/bin/env sh' | '#!/usr/bin/env sh '* | '#!/bin/dash'*)
      # Sourced with $0 set to this hook's own path, so a hook that finds itself through $0
      # (husky's \`. "$(dirname "$0")/h"\` runs .husky/<name>) sees the name git gave it.
      AIP_CHAINED="$chained" sh -c '. "$AIP_CHAINED"' "$0" "$@" ;;
    *)
      if [ -x "$chained" ]; then "$chained" "$@"; fi ;;
  esac
}
${
  stdinHook
    ? `
# Both hooks read the same stdin: keep it.
input=$(cat)
if [ -f "$chained" ]; then
  printf '%s\\n' "$input" | run_chained "$@"
  status=$?${blocking ? '\n  [ "$status" -eq 0 ] || exit "$status"' : ''}
fi
`
    : `
if [ -f "$chained" ]; then
  run_chained "$@"
  status=$?${blocking ? '\n  [ "$status" -eq 0 ] || exit "$status"' : ''}
fi
`
}

# Says once per repository (until the next install) why the hooks cannot run and how to fix
# it: a warning on every commit would teach people to ignore it. Never blocks the commit.
cannot_run() {
  gd=$(git rev-parse --git-common-dir 2>/dev/null) || gd=
  marker="$gd/${cannotRunMarker}"
  if [ -z "$gd" ] || [ ! -f "$marker" ]; then
    echo "ai-provenance: $1; $hook hook skipped, commit not blocked" >&2
    echo "ai-provenance: fix: $2, then run \\\`git provenance install\\\` (in VS Code: AI Provenance: Install Git Hooks). Until then commits get no AI trailers or notes; this is said once." >&2
    [ -n "$gd" ] && { [ -d "$gd/ai-provenance" ] || mkdir "$gd/ai-provenance"; } 2>/dev/null && : >"$marker" 2>/dev/null
  fi
  exit "$status"
}
if [ ! -f "$cli" ]; then
  cannot_run "$cli is missing" 'reinstall AI Provenance (the extension, or the git-provenance npm package)'
fi
if [ ! -x "$node_bin" ]; then
  node_bin=$(command -v node 2>/dev/null) || node_bin=
  as_node=
fi
if [ -z "$node_bin" ]; then
  # Commit friction (commit-msg) may later decide that a missing node blocks; today it never does.
  cannot_run "node not found" "install Node.js ${minNodeMajor}+ on PATH (or pick a runtime with \\\`git provenance install --node PATH\\\`)"
fi
if [ -n "$as_node" ]; then
  # An editor's Electron binary: this makes it run our script as plain node.
  ELECTRON_RUN_AS_NODE=1
  export ELECTRON_RUN_AS_NODE
fi
${quietCheck(name)}
AIP_GIT_PID=$PPID
export AIP_GIT_PID
${name === 'prepare-commit-msg' ? prepareCommitMsgRun() : stdinHook ? `printf '%s\\n' "$input" | "$node_bin" "$cli" hook-git "$hook" "$@"` : `"$node_bin" "$cli" hook-git "$hook" "$@" </dev/null`}
${name === 'commit-msg' ? `[ "$?" -eq ${frictionBlockCode} ] && exit 1\n` : ''}exit "$status"
`;
}

/**
 * The sh that ends a hook without starting node when there is nothing for node to do: git is
 * never slower for a commit, checkout or rebase that involves no AI line (issue #15). Everything
 * it looks at is a file in the git dir (read with sh builtins), besides one `grep` of the commit
 * message or packed-refs and, where notes exist, one `git notes list`. Anything it cannot tell
 * (GIT_DIR or the like set, an unreadable file) runs node as before. Node is skipped when:
 *
 * - prepare-commit-msg: nothing is recorded (the ledger has no range, the agent spool is empty,
 *   no file is left by an earlier hook), the message has none of our trailers (nor a squash
 *   merge's "Squashed commit of the following:"), git is not reusing a message or squashing
 *   (`commit`/`squash` sources), no rebase squash or fixup runs, the picked commit of a
 *   cherry-pick has no note, and the commit is no `--amend` of a commit with a note. Inside a
 *   rebase (its sequencer picking a commit cleanly) the ledger does not count: a pick whose
 *   message has our trailers is left to post-rewrite, which rebuilds its note once for the
 *   whole rebase; a pick with a note but none of our trailers still runs node (its trailers
 *   are added from the note, as before).
 *   When node has work but commit-msg will run, prepare-commit-msg still starts none: it leaves
 *   the work to commit-msg ({@link deferMarker}). A pick of a range with a note is queued
 *   ({@link pickQueue}).
 * - commit-msg: prepare-commit-msg did not leave it the work, no trailers wait for it, no AI lines
 *   were staged (so no friction can apply), and the worktree has no policy file (rules about
 *   lines without a record, #13, need node).
 * - post-commit: a clean rebase pick (post-rewrite does its note); or the commit's node run
 *   prepared its note and ledger, attached here ({@link preparedCommit}); or the pick was queued
 *   and picks remain; or prepare-commit-msg found nothing to do for this git process and nothing
 *   is recorded now; or nothing is recorded and there is no notes ref. A queue left when the
 *   sequencer has no pick left starts node (once) all the same.
 * - post-rewrite: no notes ref, no remote notes refs, and an empty spool.
 * - post-checkout, post-merge: the ledger has no range, the spool is empty, and there are no
 *   remote notes refs to merge.
 */
function quietCheck(name: string): string {
  if (name === 'pre-push') return '';
  const common = `# Is there anything for node to do? (see quietCheck in src/git/hooks.ts)
a1=\${1-} a2=\${2-} a3=\${3-}
gd=
# GIT_DIR alone is what git itself sets for a linked worktree's hooks: trusted when it is the
# git dir that .git names.
if [ -z "\${GIT_WORK_TREE-}\${GIT_COMMON_DIR-}" ]; then
  if [ -d .git ]; then gd=.git
  elif [ -f .git ]; then
    l=; { IFS= read -r l || :; } 2>/dev/null < .git
    case $l in 'gitdir: '?*) gd=\${l#gitdir: } ;; esac
  fi
  [ -n "$gd" ] && [ -f "$gd/HEAD" ] || gd=
  [ -z "\${GIT_DIR-}" ] || [ "$GIT_DIR" = "$gd" ] || gd=
fi
ld=$gd/ai-provenance
cd_=$gd
if [ -n "$gd" ] && [ -f "$gd/commondir" ]; then
  c=; { IFS= read -r c || :; } 2>/dev/null < "$gd/commondir"
  case $c in /*) cd_=$c ;; ?*) cd_=$gd/$c ;; *) gd= ;; esac
fi
ledger_empty() {
  [ -e "$ld/ledger.json" ] || return 0
  x=; y=; z=
  { IFS= read -r x; IFS= read -r y; IFS= read -r z; } 2>/dev/null < "$ld/ledger.json"
  case $x in '{"version":2,"ranges":0,') return 0 ;; '{"version":2,'*) return 1 ;; esac
  [ "$x" = '{' ] && [ "$y" = ' "version": 1,' ] && [ "$z" = ' "files": {}' ]
}
spool_empty() {
  # A waiting entry, or one a drain has claimed and is recording (src/node/agentSpool.ts).
  for f in "$ld"/spool/*.json "$ld"/spool/*.claim-*; do [ -e "$f" ] && return 1; done
  return 0
}
nothing_recorded() {
  [ -n "$gd" ] && [ ! -e "$ld/${'pending-trailers.json'}" ] && [ ! -e "$ld/staged-ai-lines.json" ] && ledger_empty && spool_empty
}
notes_may_exist() {
  [ -e "$cd_/refs/notes/ai-provenance" ] || [ -e "$cd_/reftable" ] || { [ -f "$cd_/packed-refs" ] && grep -q -F ' refs/notes/ai-provenance' "$cd_/packed-refs"; }
}
remote_notes_may_exist() {
  [ -e "$cd_/refs/notes/remotes" ] || [ -e "$cd_/reftable" ] || { [ -f "$cd_/packed-refs" ] && grep -q -F ' refs/notes/remotes/' "$cd_/packed-refs"; }
}
has_note() {
  notes_may_exist && GIT_OPTIONAL_LOCKS=0 git notes --ref=ai-provenance list "$1" >/dev/null 2>&1
}
# The commit being picked, in $p (empty: unreadable).
picked() {
  p=; { IFS= read -r p || :; } 2>/dev/null < "$gd/CHERRY_PICK_HEAD"
  [ -n "$p" ]
}
clean_rebase_pick() {
  [ -n "$gd" ] && [ -d "$gd/rebase-merge" ] && [ -f "$gd/CHERRY_PICK_HEAD" ] && [ ! -e "$gd/rebase-merge/current-fixups" ] && [ ! -e "$gd/rebase-merge/stopped-sha" ]
}
`;
  switch (name) {
    case 'prepare-commit-msg':
      return common + `# Our trailers (or a squash merge's list of commits) in the message: node rewrites them. Read
# with builtins (not grep: this runs for every pick of a rebase), matching as grep -i would
# match '^ai-lines[[:space:]]*:', '^ai-provenance[[:space:]]*:' or '^squashed commit of the following:'.
message_has_ours() {
  [ -n "$a2" ] || return 1
  while IFS= read -r l || [ -n "$l" ]; do
    case $l in [Ss][Qq][Uu][Aa][Ss][Hh][Ee][Dd]' '[Cc][Oo][Mm][Mm][Ii][Tt]' '[Oo][Ff]' '[Tt][Hh][Ee]' '[Ff][Oo][Ll][Ll][Oo][Ww][Ii][Nn][Gg]:*) return 0 ;; *:*) ;; *) continue ;; esac
    k=\${l%%:*}
    while :; do case $k in *[[:space:]]) k=\${k%?} ;; *) break ;; esac; done
    case $k in [Aa][Ii]-[Ll][Ii][Nn][Ee][Ss] | [Aa][Ii]-[Pp][Rr][Oo][Vv][Ee][Nn][Aa][Nn][Cc][Ee]) return 0 ;; esac
  done 2>/dev/null < "$a1"
  return 1
}
# An --amend, told from the git process's command line (NULs dropped by the shell's read:
# "--amend" still shows, and a false match only costs a node start).
maybe_amend() {
  [ -r "/proc/$PPID/cmdline" ] || return 0
  while IFS= read -r l || [ -n "$l" ]; do case $l in *--amend*) return 0 ;; esac; done 2>/dev/null < "/proc/$PPID/cmdline"
  return 1
}
# Inside a rebase or a cherry-pick (or revert) of a range: a folder, in git's own folder for the
# operation (which git removes when it ends), holding an empty file named by each commit of the
# operation that has a note, made at its first pick with one git and one grep rather than one
# git a pick (issue #15). Sets ns; fails where there is no such operation or it cannot be made.
# A note added to a picked commit while the operation runs is not seen (its pick gets no
# trailers from it; post-rewrite still carries the note).
noted_set() {
  if [ -d "$gd/rebase-merge" ]; then ns=$gd/rebase-merge/aip-noted; set -- "$gd/rebase-merge/done" "$gd/rebase-merge/git-rebase-todo"
  elif [ -d "$gd/sequencer" ]; then ns=$gd/sequencer/aip-noted; set -- "$gd/sequencer/todo"
  else return 1
  fi
  [ -e "$ns/.complete" ] && return 0
  { [ -d "$ns" ] || mkdir "$ns"; } 2>/dev/null || return 1
  # The todo's commit ids (a word that is none only adds a pattern no notes-list line has).
  for f in "$@"; do
    [ -f "$f" ] || continue
    while read -r w1 w2 w3 rest; do
      case $w1 in '' | '#'*) continue ;; esac
      [ -n "$w2" ] && printf '%s\n' "$w2"
      case $w2 in -*) [ -n "$w3" ] && printf '%s\n' "$w3" ;; esac
    done < "$f"
  done > "$ns/.want" 2>/dev/null || return 1
  if notes_may_exist; then
    GIT_OPTIONAL_LOCKS=0 git notes --ref=ai-provenance list > "$ns/.list" 2>/dev/null || return 1
    # A pattern matched elsewhere in a line only makes a file no pick is named by.
    grep -F -f "$ns/.want" "$ns/.list" 2>/dev/null | while read -r b c; do [ -n "$c" ] && : > "$ns/$c"; done
  fi
  : > "$ns/.complete"
}
# Whether the picked commit has a note (the picked commit in $p), asked once.
phn=
pick_has_note() {
  [ -n "$phn" ] || {
    if ! picked; then phn=0
    elif noted_set 2>/dev/null; then if [ -e "$ns/$p" ]; then phn=1; else phn=0; fi
    elif has_note "$p"; then phn=1
    else phn=0
    fi
  }
  [ "$phn" = 1 ]
}
# A pick of a range (see pickQueue): a new id in sh, the note left to one node run at the end.
reid_message() {
  id=; { IFS= read -r id || :; } 2>/dev/null < /proc/sys/kernel/random/uuid
  case $id in ????????-????-????-????-????????????) ;; *) return 1 ;; esac
  body= prev= n=0
  while IFS= read -r l || [ -n "$l" ]; do
    case $l in '#'* | '(cherry picked from commit '*) return 1 ;; esac
    [ "$n" -gt 0 ] && body="$body$prev
"
    prev=$l; n=$((n + 1))
  done 2>/dev/null < "$a1"
  case $prev in 'AI-Provenance: '?*) ;; *) return 1 ;; esac
  { printf '%sAI-Provenance: %s\\n' "$body" "$id" > "$a1"; } 2>/dev/null
}
if [ -n "$gd" ] && [ "$a2" = message ] && [ -d "$gd/sequencer" ] && [ -f "$gd/CHERRY_PICK_HEAD" ] && [ ! -d "$gd/rebase-merge" ] && [ ! -d "$gd/rebase-apply" ] &&
  nothing_recorded && pick_has_note && reid_message; then
  { printf '%s %s\\n' "$PPID" "$p" > "$ld/${pickQueue.marker}"; } 2>/dev/null
  exit "$status"
fi
quiet=
case $a2 in commit | squash) ;; *)
  if clean_rebase_pick && [ "$a2" = message ]; then
    if message_has_ours; then quiet=1
    elif picked && ! pick_has_note; then quiet=1
    fi
  elif [ -n "$gd" ] && [ ! -e "$gd/rebase-merge/current-fixups" ] && nothing_recorded && ! message_has_ours; then
    quiet=1
    if [ -f "$gd/CHERRY_PICK_HEAD" ]; then picked && ! pick_has_note || quiet=
    fi
    if [ -n "$quiet" ] && maybe_amend && has_note HEAD; then quiet=
    fi
  fi ;;
esac
if [ -n "$quiet" ]; then
  { printf '%s\\n' "$PPID" > "$ld/${quietMarker}"; } 2>/dev/null
  exit "$status"
fi
[ -s "$ld/${quietMarker}" ] && { : > "$ld/${quietMarker}"; } 2>/dev/null
# Whether git may skip commit-msg: --no-verify (or an abbreviation), -n alone or among short
# options, on the git process's command line. A false "may" only costs commit-msg's node work
# being done here instead; an unreadable command line counts as "may".
may_skip_commit_msg() {
  if [ -r "/proc/$PPID/cmdline" ]; then
    args=$(tr '\\000' '\\n' < "/proc/$PPID/cmdline" 2>/dev/null) || return 0
    sep='
'
  else
    args=$(ps -o args= -p "$PPID" 2>/dev/null) || return 0
    sep=' '
  fi
  [ -n "$args" ] || return 0
  old_ifs=$IFS; IFS=$sep; set -f
  skip=1
  for w in $args; do
    case $w in --no-veri*) skip=0 ;; --*) ;; -*n*) skip=0 ;; esac
  done
  IFS=$old_ifs; set +f
  return "$skip"
}
# A commit git makes as \`git commit\` does, with commit-msg to come: node runs once, there
# (src/cli/gitHooks/commitMessage.ts), on the final message. A sequencer's picks run no
# commit-msg, so they run node here, as does anything this script cannot tell.
if [ -n "$gd" ] && [ ! -e "$gd/CHERRY_PICK_HEAD" ] && [ ! -e "$gd/REVERT_HEAD" ] && [ ! -d "$gd/rebase-merge" ] && [ ! -d "$gd/rebase-apply" ] && [ ! -d "$gd/sequencer" ] && ! may_skip_commit_msg; then
  { printf '%s\\n%s\\n%s\\n' "$PPID" "$a2" "$a3" > "$ld/${deferMarker}"; } 2>/dev/null && exit "$status"
fi
`;
    case 'commit-msg':
      return common + `d=; [ -n "$gd" ] && [ -f "$ld/${deferMarker}" ] && { IFS= read -r d || :; } 2>/dev/null < "$ld/${deferMarker}"
if [ -n "$gd" ] && [ "$d" != "$PPID" ] && [ ! -e "$ld/pending-trailers.json" ] && [ ! -e "$ld/staged-ai-lines.json" ] && [ ! -e ${shQuote(policyFileName)} ]; then
  exit "$status"
fi
`;
    case 'post-commit':
      return common + `if clean_rebase_pick; then exit "$status"; fi
# Whether the sequencer has picks left after this one (its todo lists the rest, this one perhaps first).
more_picks() {
  [ -d "$gd/sequencer" ] || return 1
  n=0
  while IFS= read -r l; do
    case $l in '' | '#'*) ;; *) n=$((n + 1)); [ "$n" -ge 2 ] && return 0 ;; esac
  done 2>/dev/null < "$gd/sequencer/todo"
  return 1
}
# The commit HEAD names, in $h: read from HEAD and a loose branch ref with builtins (once for
# every pick of a range), else asked of git (a packed ref, reftable).
head_commit() {
  h=; { IFS= read -r h || :; } 2>/dev/null < "$gd/HEAD"
  case $h in 'ref: refs/heads/'?*) r=\${h#ref: }; h=; { IFS= read -r h || :; } 2>/dev/null < "$cd_/$r" ;; esac
  case $h in *[!0-9a-f]* | '') ;; *) [ "\${#h}" -eq 40 ] || [ "\${#h}" -eq 64 ] && return 0 ;; esac
  h=$(GIT_OPTIONAL_LOCKS=0 git rev-parse HEAD 2>/dev/null)
}
queued=
if [ -n "$gd" ] && [ -f "$ld/${pickQueue.marker}" ] && picked; then
  m=; { IFS= read -r m || :; } 2>/dev/null < "$ld/${pickQueue.marker}"
  if [ "$m" = "$PPID $p" ] && head_commit && { printf '%s %s\\n' "$p" "$h" >> "$ld/${pickQueue.file}"; } 2>/dev/null; then queued=1; fi
fi
flush=; [ -n "$gd" ] && [ -s "$ld/${pickQueue.file}" ] && ! more_picks && flush=1
settled=
if [ -n "$queued" ]; then settled=1
else
${attachPrepared()}
  if [ "$prepared" = done ]; then settled=1
  elif [ -z "$prepared" ]; then
    q=; [ -n "$gd" ] && [ -f "$ld/${quietMarker}" ] && { IFS= read -r q || :; } 2>/dev/null < "$ld/${quietMarker}"
    if nothing_recorded && { [ "$q" = "$PPID" ] || ! notes_may_exist; }; then settled=1; fi
  fi
fi
if [ -n "$settled" ]; then
  [ -n "$flush" ] || exit "$status"
  ${pickQueue.onlyEnv}=1
  export ${pickQueue.onlyEnv}
fi
`;
    case 'post-rewrite':
      return common + `if [ -n "$gd" ] && spool_empty && ! notes_may_exist && ! remote_notes_may_exist; then exit "$status"; fi
`;
    default:
      // post-checkout, post-merge
      return common + `if [ -n "$gd" ] && ledger_empty && spool_empty && ! remote_notes_may_exist; then exit "$status"; fi
`;
  }
}

/**
 * post-commit's sh that attaches what the commit's node run prepared (see {@link preparedCommit}):
 * when the key names this git process and HEAD's tree and first parent, the note goes on HEAD
 * (its id put in by sed) with `git notes add`, which refuses a commit that already has a note,
 * and the prepared ledger is renamed over ledger.json, under the ledger's lock
 * (src/node/fileLock.ts: a file created exclusively, holding a live process's id), only while
 * ledger.json is still the file it was made from (\`-ef\`, the hard link). Sets \`prepared\` to
 * \`node\` when the note went on but the ledger could not: post-commit's node then does it all again.
 */
function attachPrepared(): string {
  const f = (name: string): string => `"$ld/${name}"`;
  return `attach_prepared() {
  kp= kt= kf= kn= kl=
  { IFS= read -r kp; IFS= read -r kt; IFS= read -r kf; IFS= read -r kn; IFS= read -r kl; } 2>/dev/null < ${f(preparedCommit.key)}
  [ -n "$kp" ] && [ "$kp" = "$PPID" ] || return 1
  # A PATH without them (a restricted environment): node does it all, as before.
  command -v sed >/dev/null 2>&1 && command -v mv >/dev/null 2>&1 && command -v rm >/dev/null 2>&1 || return 1
  r=$(GIT_OPTIONAL_LOCKS=0 git rev-parse HEAD 'HEAD^{tree}' 'HEAD^@' 2>/dev/null) || return 1
  set -f; set -- $r; set +f
  [ "$#" -ge 2 ] && [ "$2" = "$kt" ] && [ "\${3-}" = "$kf" ] || return 1
  if [ "$kn" = 1 ]; then
    [ -s ${f(preparedCommit.note)} ] || return 1
    sed "s/${preparedRevision}/$1/g" ${f(preparedCommit.note)} | git notes --ref=refs/notes/ai-provenance add -F - "$1" >/dev/null 2>&1 || return 1
  fi
  if [ "$kl" = 1 ]; then
    ( set -C; printf '%s 0\\n' "$$" > "$ld/ledger.lock" ) 2>/dev/null || return 2
    if [ "$ld/ledger.json" -ef ${f(preparedCommit.base)} ] && mv -f ${f(preparedCommit.ledger)} "$ld/ledger.json" 2>/dev/null; then
      rm -f "$ld/ledger.lock" ${f(preparedCommit.key)} ${f(preparedCommit.note)} ${f(preparedCommit.base)}
      return 0
    fi
    rm -f "$ld/ledger.lock"
    return 2
  fi
  rm -f ${f(preparedCommit.key)} ${f(preparedCommit.note)}
}
prepared=
if [ -n "$gd" ] && [ -f ${f(preparedCommit.key)} ]; then
  attach_prepared
  case $? in 0) prepared=done ;; 2) prepared=node ;; esac
fi`;
}

/**
 * How prepare-commit-msg runs node. It runs on every commit before the editor opens, and node
 * takes most of a commit's wait just to start, so the script gives node's start-up company:
 * when the commit may carry AI lines (a ledger in the git dir of a main worktree) and is not an
 * amend (which compares with another base), `git diff --cached` runs beside node into a file
 * (a pipe would hold git up until node reads it) and git's exit status follows on node's stdin;
 * node reads the file and removes it. And node hands the arguments of `git interpret-trailers`
 * (on file descriptor 3, one a line, then an end line, then closed) to the end of the pipeline,
 * which runs git while node is still exiting, rather than node starting git from a process many
 * times the size of sh. Node checks what it is handed and does the work itself when anything is off
 * (src/cli/gitHooks/commitMessage.ts). The script starts no other process (not even `rm`).
 */
function prepareCommitMsgRun(): string {
  const diffArgs = stagedPatch().args.map(shQuote).join(' ');
  return `if [ -z "\${GIT_DIR-}\${GIT_WORK_TREE-}\${GIT_COMMON_DIR-}" ] && [ -s .git/ai-provenance/ledger.json ] && [ "\${2-}:\${3-}" != commit:HEAD ]; then
  staged=${stagedDiffFile}
  { GIT_OPTIONAL_LOCKS=0 git ${diffArgs} >"$staged" 2>/dev/null; echo "${scriptProtocol.statusLine} $?"; } |
    ${scriptProtocol.stagedDiff}="$staged" ${scriptProtocol.trailersFd}=3 "$node_bin" "$cli" hook-git "$hook" "$@" 3>&1 >&2 |
    {
      set --
      while IFS= read -r arg && [ "$arg" != ${scriptProtocol.trailersEnd} ]; do set -- "$@" "$arg"; done
      [ "$arg" != ${scriptProtocol.trailersEnd} ] || GIT_OPTIONAL_LOCKS=0 git "$@" || echo "ai-provenance: git interpret-trailers failed; $hook trailers not added" >&2
    }
else
  "$node_bin" "$cli" hook-git "$hook" "$@" </dev/null
fi`;
}

/** Whether a hook file's text is one of ours. */
export function isOurHook(text: string): boolean {
  return text.split('\n', 3).includes(hookMarker);
}

/** What installing or uninstalling did (or would do, with dry-run) to one hook. */
export interface HookAction {
  readonly hook: string;
  readonly action: 'installed' | 'chained' | 'updated' | 'unchanged' | 'removed' | 'restored' | 'absent' | 'foreign';
  /** Path of the hook file. */
  readonly file: string;
}

async function readIfExists(file: string): Promise<string | undefined> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

async function existsLink(file: string): Promise<boolean> {
  try {
    await fs.lstat(file);
    return true;
  } catch {
    return false;
  }
}

/**
 * Installs our hook `name` in `hooksDir`. A hook already there that is not ours is kept as
 * `<name>.ai-provenance-chained` (a stale chained copy from an earlier install is kept as
 * `.old`); ours is rewritten when its text changed (another CLI path), else left alone.
 */
export async function installHook(hooksDir: string, name: string, script: string, dryRun: boolean): Promise<HookAction> {
  const file = path.join(hooksDir, name);
  const chained = file + chainedSuffix;
  const current = (await existsLink(file)) ? ((await readIfExists(file)) ?? '') : undefined;
  if (current !== undefined && isOurHook(current)) {
    if (current === script) return { hook: name, action: 'unchanged', file };
    if (!dryRun) await writeExecutable(file, script);
    return { hook: name, action: 'updated', file };
  }
  if (current === undefined) {
    if (!dryRun) {
      await fs.mkdir(hooksDir, { recursive: true });
      await writeExecutable(file, script);
    }
    return { hook: name, action: 'installed', file };
  }
  if (!dryRun) {
    if (await existsLink(chained)) await fs.rename(chained, chained + '.old');
    await fs.rename(file, chained);
    await writeExecutable(file, script);
  }
  return { hook: name, action: 'chained', file };
}

/** Removes our hook `name` from `hooksDir`, putting back the hook it chained to. */
export async function uninstallHook(hooksDir: string, name: string, dryRun: boolean): Promise<HookAction> {
  const file = path.join(hooksDir, name);
  const chained = file + chainedSuffix;
  if (!(await existsLink(file))) return { hook: name, action: 'absent', file };
  const current = (await readIfExists(file)) ?? '';
  if (!isOurHook(current)) return { hook: name, action: 'foreign', file };
  const hasChained = await existsLink(chained);
  if (!dryRun) {
    if (hasChained) await fs.rename(chained, file);
    else await fs.rm(file);
  }
  return { hook: name, action: hasChained ? 'restored' : 'removed', file };
}

async function writeExecutable(file: string, text: string): Promise<void> {
  // Written beside and renamed, so git never runs a half-written hook.
  const tmp = `${file}.ai-provenance-tmp`;
  await fs.writeFile(tmp, text, { mode: 0o755 });
  await fs.chmod(tmp, 0o755);
  await fs.rename(tmp, file);
}
