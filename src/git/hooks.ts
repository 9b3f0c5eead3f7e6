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

/** Quotes a value for a POSIX sh single-quoted string. */
export function shQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * The POSIX sh script of one hook. It runs the chained hook first, then
 * `node <cli> hook-git <name> "$@"`; a missing node or CLI is a warning with the fix, once per
 * repository until the next install (see {@link cannotRunMarker}), and exit 0, so a commit is
 * never blocked by us being absent. With `runtime.electron`, `nodePath` is an editor's Electron
 * binary, run as node through `ELECTRON_RUN_AS_NODE=1`. Only external commands: node itself (no
 * dirname, no cat except to buffer post-rewrite's stdin), to keep the hook fast, and in
 * prepare-commit-msg git, see {@link prepareCommitMsgRun}.
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
AIP_GIT_PID=$PPID
export AIP_GIT_PID
${name === 'prepare-commit-msg' ? prepareCommitMsgRun() : stdinHook ? `printf '%s\\n' "$input" | "$node_bin" "$cli" hook-git "$hook" "$@"` : `"$node_bin" "$cli" hook-git "$hook" "$@" </dev/null`}
${name === 'commit-msg' ? `[ "$?" -eq ${frictionBlockCode} ] && exit 1\n` : ''}exit "$status"
`;
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
